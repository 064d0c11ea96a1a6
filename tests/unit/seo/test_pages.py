"""Reading pages: HTML extraction, decoding, crawl exports and folders of saved pages."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.errors import InputError
from kit.seo import audit_pages, load_crawl, load_html_folder, page_table
from kit.seo.pages import decode_html, extract_page, parse_headers, url_key

SITE = "https://shop.example"


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ("<title>  Boots \n | Shop </title>", "title", "Boots | Shop"),
        ("<title></title>", "title", None),
        ("<body><title>late</title></body>", "title", "late"),
        ("<title>a</title><title>b</title>", "title_count", 2),
        ('<meta name="Description" content=" Warm boots. ">', "description", "Warm boots."),
        ('<meta name="description" content="">', "description_count", 0),
        ("<h1>One</h1><h1><img alt=x></h1><h1>Two</h1>", "h1_count", 2),
        ("<h1>Boots <em>for</em> winter</h1>", "h1", "Boots for winter"),
        ('<link rel="Canonical" href="/a?b=1">', "canonical", SITE + "/a?b=1"),
        ('<link rel="alternate canonical" href="../b">', "canonical", SITE + "/b"),
        ('<link rel="canonical" href="/a"><link rel="canonical" href="/a">', "canonical_count",
         1),
        ('<div></div><link rel="canonical" href="/a">', "canonical_in_body", True),
        ('<meta name="robots" content="NOINDEX, nofollow">', "robots", "noindex,nofollow"),
        ('<meta name="keywords" content="a, b">', "keywords", "a, b"),
        ('<a href="/x">1</a><a href="x#y">2</a><a href="mailto:a@b">3</a>'
         '<a href="https://other.example/">4</a><a href="/dir/">self</a>', "links",
         (SITE + "/x", SITE + "/dir/x")),
        ('<base href="/dir/"><a href="x">1</a>', "links", (SITE + "/dir/x",)),
        ('<a href="/ü">1</a>', "links", (SITE + "/%C3%BC",)),
    ],
)
def test_extract(body: str, field: str, expected: object) -> None:
    row = extract_page(SITE + "/dir/", 200, f"<html><head>{body}</head></html>")
    if field == "links":
        assert set(row[field]) == set(expected)  # type: ignore[arg-type]
    else:
        assert row[field] == expected


@pytest.mark.parametrize(
    ("body", "headers", "text", "problem"),
    [
        (b"<title>caf\xc3\xa9</title>", None, "café", None),
        (b"\xef\xbb\xbf<title>bom</title>", None, "bom", None),
        (b"<meta charset=iso-8859-1><title>caf\xe9</title>", None, "café", None),
        (b"<title>caf\xe9</title>", {"Content-Type": "text/html; charset=windows-1252"},
         "café", None),
        (b"<title>caf\xe9</title>", None, "café", "not valid UTF-8: read as Windows-1252"),
        (b"<meta charset=utf-8><title>caf\xe9</title>", None, "caf\ufffd", "not valid utf-8"),
        (b"<meta charset=nonsense><title>x</title>", None, "x", "unknown charset"),
    ],
)
def test_decode(body: bytes, headers: dict[str, str] | None, text: str,
                problem: str | None) -> None:
    decoded, found = decode_html(body, headers)
    assert text in decoded
    assert (found is None) if problem is None else (problem in str(found))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"X-Robots-Tag": "noindex"}, {"X-Robots-Tag": "noindex"}),
        ("X-Robots-Tag: noindex\nx-robots-tag: nofollow\nbad line",
         {"X-Robots-Tag": "noindex", "x-robots-tag": "nofollow"}),
        (None, {}),
        (float("nan"), {}),
        (42, {}),
    ],
)
def test_parse_headers(value: object, expected: dict[str, str]) -> None:
    assert parse_headers(value) == expected


@pytest.mark.parametrize(
    ("url", "base", "key"),
    [
        ("HTTPS://Shop.Example:443/a/./b/../c#frag", None, SITE + "/a/c"),
        ("/x?y=1", SITE + "/dir/", SITE + "/x?y=1"),
        ("mailto:a@b.c", None, None),
        ("javascript:void(0)", None, None),
        ("https://exa mple.com/", None, None),
        ("https://[::1/", None, None),
        ("https://x.example:0/", None, None),
        ("", None, None),
        (None, None, None),
        ("https://x.example/" + "a" * 150_000, None, "https://x.example/" + "a" * 150_000),
    ],
)
def test_url_key(url: object, base: str | None, key: str | None) -> None:
    assert url_key(url, base) == key


SCREAMING_FROG = (
    '"Address","Content Type","Status Code","Status","Indexability","Title 1","Title 1 Length",'
    '"Title 2","Meta Description 1","Meta Keywords 1","H1-1","H1-2","Canonical Link Element 1",'
    '"Meta Robots 1","X-Robots-Tag 1","Inlinks","Unique Inlinks"\n'
    '"https://shop.example/","text/html","200","OK","Indexable","Home | Shop","11","",'
    '"The shop.","","Shop","","https://shop.example/","","","0","0"\n'
    '"https://shop.example/a","text/html","200","OK","Indexable","A | Shop","8","Other title",'
    '"","boots","A","Logo","https://shop.example/","noindex, follow","","3","2"\n'
    '"https://shop.example/b","text/html","200","OK","Non-Indexable","","0","",'
    '"The shop.","","","","","","googlebot: noindex","0","0"\n'
    '"https://shop.example/gone","text/html","404","Not Found","Non-Indexable","","0","","",'
    '"","","","","","","1","1"\n'
)


def test_screaming_frog_export(write_csv) -> None:
    table = load_crawl(write_csv(SCREAMING_FROG, name="internal_all.csv"))
    a = table.set_index("url").loc[SITE + "/a"]
    assert (a["title"], a["title_count"], a["h1_count"], a["keywords"]) == (
        "A | Shop", 2, 2, "boots")
    assert a["canonical"] == SITE + "/" and a["robots"] == "noindex,follow"
    assert a["inlinks"] == 2 and a["where"] == "internal_all.csv line 3"
    findings = audit_pages(write_csv(SCREAMING_FROG, name="internal_all.csv"))
    by_page = findings.groupby("page")["check"].apply(set).to_dict()
    assert {"noindex", "canonical_elsewhere", "h1_multiple", "meta_keywords",
            "description_missing"} <= by_page[SITE + "/a"]
    assert {"noindex", "title_missing", "canonical_missing"} <= by_page[SITE + "/b"]
    assert "orphan" not in by_page[SITE + "/b"]  # a noindex page is out of the index anyway
    assert by_page[SITE + "/gone"] == {"status"}
    assert "orphan" not in by_page.get(SITE + "/", set())


def test_crawl_export_as_dataframe_and_lowercase_headers() -> None:
    frame = pd.DataFrame({"address": [SITE + "/"], "status code": ["200"], "title 1": ["Home"],
                          "inlinks": [""]})
    table = page_table(frame)
    assert table.loc[0, "title"] == "Home" and table.loc[0, "inlinks"] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Title 1,Status Code\nHome,200\n", r"needs the column\(s\) url"),
        ("Address,Title 1\n", "has a header but no rows"),
        ("", "the file is empty"),
    ],
)
def test_bad_crawl_files_name_the_problem(write_csv, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_crawl(write_csv(text, name="crawl.csv"))


def test_bad_rows_of_a_crawl_are_located(write_csv) -> None:
    path = write_csv("Address,Status Code,Title 1\nhttps://shop.example/,200,Home\n"
                     "not a url,200,x\nhttps://shop.example/b,abc,y\n", name="crawl.csv")
    findings = audit_pages(path)
    bad = findings[findings["check"] == "unreadable"]
    assert list(bad["where"]) == ["crawl.csv line 3", "crawl.csv line 4"]


def test_url_status_html_csv(write_csv) -> None:
    path = write_csv('url,status,html\nhttps://shop.example/,200,"<title>Home</title>"\n',
                     name="pages.csv")
    table = page_table(path)
    assert table.loc[0, "title"] == "Home" and table.loc[0, "where"] == "pages.csv line 2"


def test_dataframe_without_html_or_crawl_columns_is_refused() -> None:
    with pytest.raises(InputError, match="needs an html column"):
        page_table(pd.DataFrame({"url": [SITE + "/"]}))


@pytest.mark.parametrize("value", [42, {"url": SITE}, "missing.csv"])
def test_wrong_input_types(value: object) -> None:
    with pytest.raises(InputError):
        page_table(value)


def test_html_folder(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "index.html").write_text('<title>Home</title><a href="/shop/boots">b</a>')
    (tmp_path / "shop" / "boots.html").write_bytes(
        "<meta charset=iso-8859-1><title>Bottes d'hiver, très chaudes</title>".encode("latin-1"))
    (tmp_path / "shop" / "notes.txt").write_text("ignored")
    table = load_html_folder(tmp_path, base_url="https://shop.example", pretty_urls=True)
    assert sorted(table["url"]) == [SITE + "/", SITE + "/shop/boots", SITE + "/shop/notes.txt"]
    assert not table.set_index("url").loc[SITE + "/shop/notes.txt", "is_html"]  # kept, counted
    assert "très" in table.set_index("url").loc[SITE + "/shop/boots", "title"]
    plain = load_html_folder(tmp_path, base_url="https://shop.example/")
    assert SITE + "/shop/boots.html" in set(plain["url"])
    assert sorted(plain["where"]) == ["index.html", "shop/boots.html", "shop/notes.txt"]


@pytest.mark.parametrize(
    ("setup", "base_url", "message"),
    [
        pytest.param("empty", "https://shop.example/", "no files in this folder",
                     id="empty-folder"),
        pytest.param("missing", "https://shop.example/", "not a folder", id="missing"),
        pytest.param("ok", "shop.example", r"not an http\(s\) URL", id="bad-base"),
    ],
)
def test_html_folder_errors(tmp_path: Path, setup: str, base_url: str, message: str) -> None:
    folder = tmp_path / "site"
    if setup != "missing":
        folder.mkdir()
    if setup == "ok":
        (folder / "index.html").write_text("<title>x</title>")
    with pytest.raises(InputError, match=message):
        load_html_folder(folder, base_url=base_url)
