"""The shared page table: every crawl format, one decoder, WHATWG head placement."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.duplicates import find_duplicates, load_pages
from kit.errors import InputError
from kit.pages import PAGE_COLUMNS, PageTable, decode_html, detect_format, head_links, read_pages
from kit.pages.html5 import scan_head_links
from kit.seo import audit_pages

SITE = "https://shop.example"
HEALTHY = ('<!doctype html><html><head><meta charset="utf-8"><title>{t}</title>'
           '<meta name="description" content="About {t}.">'
           '<link rel="canonical" href="{u}"></head><body><h1>{t}</h1>'
           '<a href="/">home</a><a href="/a">a</a><a href="/b">b</a><p>{t} text</p></body></html>')


def _page(title: str, url: str) -> str:
    return HEALTHY.format(t=title, u=url)


# --- the decoder ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "headers", "text", "encoding", "problem"),
    [
        pytest.param(b"<p>caf\xc3\xa9", None, "café", "utf-8", None, id="utf8-undeclared"),
        pytest.param(b"\xef\xbb\xbf<p>caf\xc3\xa9", {"Content-Type": "text/html; charset=latin-1"},
                     "café", "utf-8", None, id="bom-beats-header"),
        pytest.param("<p>café".encode("utf-16"), None, "café", "utf-16", None, id="utf16-bom"),
        pytest.param(b"<p>caf\xe9", {"content-type": "text/html; charset=windows-1252"}, "café",
                     "cp1252", None, id="header"),
        pytest.param(b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
                     b"<p>caf\xe9", None, "café", "cp1252", None, id="http-equiv-latin1-is-1252"),
        pytest.param(b"<meta charset=utf-8><p>caf\xc3\xa9",
                     {"Content-Type": "text/html; charset=iso-8859-15"}, "caf\xc3", "iso8859-15",
                     None, id="header-beats-meta"),
        pytest.param(b"<p>caf\xe9", None, "café", "cp1252", "not valid UTF-8: read as Windows-1252",
                     id="fallback-stated"),
        pytest.param(b"<meta charset=utf-8><p>caf\xe9", None, "caf\ufffd", "utf-8",
                     "not valid utf-8 at byte", id="declared-but-invalid"),
        pytest.param(b"<meta charset=klingon><p>x", None, "x", "utf-8", "unknown charset",
                     id="unknown-label"),
    ],
)
def test_decoder(body: bytes, headers: dict[str, str] | None, text: str, encoding: str,
                 problem: str | None) -> None:
    decoded = decode_html(body, headers)
    assert text in decoded.text
    assert decoded.encoding.replace("_", "-").startswith(encoding.replace("_", "-"))
    assert (decoded.problem is None) if problem is None else problem in str(decoded.problem)


# --- WHATWG head placement -----------------------------------------------------------------

CANONICAL = '<link rel="canonical" href="/c">'


@pytest.mark.parametrize(
    ("before", "in_head"),
    [
        pytest.param("", True, id="plain"),
        pytest.param("<!doctype html><html>\n<head>\n<meta charset=utf-8><title>t</title>", True,
                     id="usual-head"),
        pytest.param("<svg><path d=''/></svg>", False, id="svg"),
        pytest.param("<head><svg/>", False, id="self-closed-svg"),
        pytest.param("<my-widget></my-widget>", False, id="custom-element"),
        pytest.param("Hello", False, id="text"),
        pytest.param("&nbsp;", False, id="non-breaking-space-is-text"),
        pytest.param("<img src=x.png>", False, id="img"),
        pytest.param("<noscript><img src=x></noscript>", True, id="noscript-is-raw-text"),
        pytest.param("<template><div>x</div></template>", True, id="template-content-apart"),
        pytest.param("<script>document.write('<div>')</script><style>p{}</style>", True,
                     id="script-style"),
        pytest.param("<title>a <b> c</title>", True, id="title-is-text"),
        pytest.param("<head></head>", True, id="after-head-still-head"),
        pytest.param("<head></head><p>", False, id="after-head-then-body"),
        pytest.param("<body>", False, id="body"),
        pytest.param("</head><div>", False, id="div-after-head"),
    ],
)
def test_head_placement(before: str, in_head: bool) -> None:
    for html in (before + CANONICAL, before + CANONICAL + '<link rel="icon" href="/i">'):
        links = head_links(html)
        assert bool([link for link in links if link.get("rel") == "canonical"]) is in_head
        assert links == scan_head_links(html)  # the fast path agrees with the full scan


@pytest.mark.parametrize("html", [
    "<title>T</title>" + CANONICAL,
    "<head><script>document.write('<link rel=canonical href=/x>')</script>" + CANONICAL,
    "<HEAD><TITLE>T</TITLE><META NAME=robots CONTENT=noindex>" + CANONICAL.upper(),
    '<meta content="a>b">' + CANONICAL,
    "<style>p{}</style>\n\t" + CANONICAL + "<body>" + CANONICAL,
    '<title></title><link rel="canonical" href=">">',
    '<link rel="canonical" href="/a"  <link rel=canonical href=/b>',
])
def test_fast_path_agrees_with_the_full_scan(html: str) -> None:
    assert head_links(html) == scan_head_links(html)


def test_canonical_in_noscript_or_template_is_not_in_head() -> None:
    assert head_links(f"<noscript>{CANONICAL}</noscript>") == []
    assert head_links(f"<template>{CANONICAL}</template>") == []


def test_canonical_after_svg_is_reported_in_body() -> None:
    html = ("<html><head><title>T</title><svg width=1></svg>" + CANONICAL
            + "</head><body><h1>T</h1></body></html>")
    table = read_pages([{"url": SITE + "/p", "html": html}])
    row = table.frame.iloc[0]
    assert row["canonical"] is None and row["canonical_in_body"]
    findings = audit_pages(table)
    missing = findings[findings["check"] == "canonical_missing"]
    assert "<body>" in missing["technical"].iloc[0]


# --- a wget mirror -------------------------------------------------------------------------

def _mirror(root: Path) -> Path:
    site = root / "shop.example"
    (site / "shop").mkdir(parents=True)
    (site / "index.html").write_text(_page("Home", "/"))
    (site / "index.html?sort=price").write_text(_page("Home sorted", "/"))
    (site / "shop" / "boots").write_text(_page("Boots", "/shop/boots"))
    (site / "shop" / "boots?colour=red.html").write_text(_page("Red boots", "/shop/boots"))
    (site / "shop" / "index.html").write_text(_page("Shop", "/shop/"))
    (site / "style.css").write_text("p { color: red }")
    (site / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (site / ".listing").write_text("wget's ftp listing")
    (site / "dangling").symlink_to(site / "nowhere")
    return root


def test_wget_mirror_names(tmp_path: Path) -> None:
    table = read_pages(_mirror(tmp_path))
    assert table.format == "folder"
    frame = table.frame.set_index("url")
    assert set(frame.index) == {
        SITE + "/", SITE + "/?sort=price", SITE + "/shop/boots", SITE + "/shop/boots?colour=red",
        SITE + "/shop/", SITE + "/style.css", SITE + "/logo.png", SITE + "/robots.txt"}
    assert frame.loc[SITE + "/shop/boots", "title"] == "Boots"
    assert frame.loc[SITE + "/shop/boots", "where"] == "shop/boots"
    html = frame[frame["is_html"]]
    assert len(html) == 5 and not frame.loc[SITE + "/style.css", "is_html"]
    assert frame.loc[SITE + "/logo.png", "content_type"] == "image/png"
    assert set(table.problems["where"]) == {".listing", "dangling"}  # listed, never silent
    counts = table.counts.set_index(["content_type", "crawl_status"])["rows"]
    assert counts[("text/html", "ok")] == 5 and counts[("text/css", "ok")] == 1


def test_wget_host_folder_given_directly(tmp_path: Path) -> None:
    site = _mirror(tmp_path) / "shop.example"
    assert SITE + "/shop/" in set(read_pages(site).frame["url"])
    local = tmp_path / "127.0.0.1:8765"
    local.mkdir()
    (local / "index.html").write_text(_page("Home", "/"))
    assert read_pages(local).frame["url"].tolist() == ["http://127.0.0.1:8765/"]
    plain = tmp_path / "site.v2"
    plain.mkdir()
    (plain / "index.html").write_text(_page("Home", "/"))
    assert read_pages(plain).frame["url"].tolist() == ["https://site.invalid/"]


def test_wget_mirror_base_url_and_pretty_urls(tmp_path: Path) -> None:
    root = tmp_path / "saved"
    root.mkdir()
    (root / "about.html").write_text(_page("About", "/about"))
    table = read_pages(root, base_url="https://www.example.org/", pretty_urls=True)
    assert table.frame["url"].tolist() == ["https://www.example.org/about"]


def test_seo_and_duplicates_call_a_folder_page_by_the_same_url(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "index.html").write_text(_page("Shop", "/shop/"))
    (root / "index.html").write_text(_page("Home", "/"))
    seo = read_pages(root).frame["url"].tolist()
    dup = load_pages(root).frame["url"].tolist()
    assert seo == ["https://site.invalid/", "https://site.invalid/shop/"]
    assert dup == ["/", "/shop/"]
    dup_abs = load_pages(root, origin="https://site.invalid").frame["url"].tolist()
    assert dup_abs == seo


# --- Screaming Frog --------------------------------------------------------------------------

SF_HEADER = ["Address", "Content Type", "Status Code", "Status", "Indexability",
             "Indexability Status", "Title 1", "Title 1 Length", "Meta Description 1", "H1-1",
             "H1-2", "Canonical Link Element 1", "Meta Robots 1", "X-Robots-Tag 1",
             "Redirect URL", "Word Count", "Closest Similarity Match", "No. Near Duplicates",
             "Hash", "Inlinks", "Unique Inlinks", "Crawl Timestamp"]


def _sf_row(url: str, kind: str = "text/html; charset=UTF-8", code: str = "200",
            status: str = "OK", index: str = "Indexable", reason: str = "", title: str = "",
            description: str = "", h1: str = "", canonical: str = "", robots: str = "",
            redirect: str = "", hash_: str = "", near: str = "0", similarity: str = "",
            inlinks: str = "1") -> list[str]:
    return [url, kind, code, status, index, reason, title, str(len(title)), description, h1, "",
            canonical, robots, "", redirect, "120", similarity, near, hash_, inlinks, inlinks,
            "2026-12-07 10:00:00"]


def _healthy(path: str, title: str, hash_: str) -> list[str]:
    return _sf_row(SITE + path, title=title, description=f"About {title}.", h1=title,
                   canonical=SITE + path, hash_=hash_)


SF_ROWS = [
    _healthy("/", "Home", "h1"),
    _healthy("/a", "A page", "h2"),
    _healthy("/b", "B page", "h2"),  # same hash as /a: an exact copy
    _sf_row(SITE + "/logo.png", kind="image/png", index="Indexable"),
    _sf_row(SITE + "/style.css", kind="text/css"),
    _sf_row(SITE + "/app.js", kind="application/javascript"),
    _sf_row(SITE + "/guide.pdf", kind="application/pdf"),
    _sf_row(SITE + "/old", kind="text/html", code="301", status="Moved Permanently",
            index="Non-Indexable", reason="Redirected", redirect=SITE + "/a"),
    _sf_row(SITE + "/private/", kind="", code="0", status="Blocked by robots.txt",
            index="Non-Indexable", reason="Blocked by robots.txt"),
    _sf_row(SITE + "/slow", kind="", code="0", status="Connection Timeout",
            index="Non-Indexable", reason="No Response"),
    _sf_row("https://gone.example/", kind="", code="0", status="DNS Lookup Failed",
            index="Non-Indexable", reason="No Response"),
    _sf_row(SITE + "/missing.jpg", kind="text/html", code="404", status="Not Found",
            index="Non-Indexable", reason="Client Error"),
]


def _write_sf(path: Path, rows: list[list[str]], *, title_line: bool = False,
              order: list[int] | None = None) -> Path:
    header = SF_HEADER
    if order is not None:
        header = [header[i] for i in order]
        rows = [[row[i] for i in order] for row in rows]
    lines = (['"Internal - All"'] if title_line else []) + [
        ",".join('"' + cell.replace('"', '""') + '"' for cell in record)
        for record in [header, *rows]]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


@pytest.mark.parametrize("variant", ["plain", "title-line", "reordered"])
def test_screaming_frog_internal_all(tmp_path: Path, variant: str) -> None:
    order = list(reversed(range(len(SF_HEADER)))) if variant == "reordered" else None
    path = _write_sf(tmp_path / "internal_all.csv", SF_ROWS, title_line=variant == "title-line",
                     order=order)
    assert detect_format(path) == "screaming_frog"
    table = read_pages(path)
    frame = table.frame.set_index("url")
    assert len(frame) == len(SF_ROWS)
    line = 4 if variant == "title-line" else 3
    assert frame.loc[SITE + "/a", "where"] == f"internal_all.csv line {line}"
    assert frame.loc[SITE + "/a", "title"] == "A page" and frame.loc[SITE + "/a", "hash"] == "h2"
    state = frame["crawl_status"].to_dict()
    assert state[SITE + "/private/"] == "blocked_by_robots"
    assert state[SITE + "/slow"] == "timeout"
    assert state["https://gone.example/"] == "no_response"
    assert state[SITE + "/old"] == "redirect"
    assert frame.loc[SITE + "/old", "redirect_to"] == SITE + "/a"
    assert state[SITE + "/missing.jpg"] == "client_error"
    assert not frame.loc[SITE + "/logo.png", "is_html"]
    assert frame.loc[SITE + "/missing.jpg", "is_html"]  # the server said text/html
    assert frame.loc[SITE + "/old", "indexability_reason"] == "Redirected"
    assert int(frame.loc[SITE + "/", "status"]) == 200
    assert table.problems.empty


def test_screaming_frog_audit_skips_non_html_and_reads_statuses(tmp_path: Path) -> None:
    findings = audit_pages(_write_sf(tmp_path / "internal_all.csv", SF_ROWS))
    pages = set(findings["page"])
    assert not pages & {SITE + "/logo.png", SITE + "/style.css", SITE + "/app.js",
                        SITE + "/guide.pdf"}
    by_page = findings.groupby("page")["check"].apply(set).to_dict()
    assert by_page[SITE + "/private/"] == {"robots_blocked"}  # not "no HTTP response"
    slow = findings[findings["page"] == SITE + "/slow"]
    assert "timeout" in slow["technical"].iloc[0]
    assert by_page[SITE + "/old"] == {"status"}
    assert SITE + "/" not in by_page and SITE + "/a" not in by_page


def test_healthy_screaming_frog_export_has_no_errors(tmp_path: Path) -> None:
    rows = [_healthy("/", "Home", "h1"), _healthy("/a", "A page", "h2"),
            _sf_row(SITE + "/logo.png", kind="image/png"),
            _sf_row(SITE + "/style.css", kind="text/css")]
    findings = audit_pages(_write_sf(tmp_path / "internal_all.csv", rows))
    assert findings.empty


def test_canonical_to_a_404_in_the_crawl_is_flagged(tmp_path: Path) -> None:
    rows = [_healthy("/", "Home", "h1"),
            _sf_row(SITE + "/a", title="A", description="A.", h1="A", canonical=SITE + "/gone"),
            _sf_row(SITE + "/gone", code="404", status="Not Found", index="Non-Indexable",
                    reason="Client Error")]
    findings = audit_pages(_write_sf(tmp_path / "internal_all.csv", rows))
    broken = findings[findings["check"] == "canonical_broken"]
    assert broken["page"].tolist() == [SITE + "/a"] and "404" in broken["technical"].iloc[0]


def test_screaming_frog_bad_rows_are_located(tmp_path: Path) -> None:
    rows = [_healthy("/", "Home", "h1"), _sf_row(SITE + "/x", code="abc"), _sf_row("")]
    table = read_pages(_write_sf(tmp_path / "crawl.csv", rows))
    assert table.problems["where"].tolist() == ["crawl.csv line 3", "crawl.csv line 4"]
    assert "Status Code 'abc'" in table.problems["why"].iloc[0]


def test_screaming_frog_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "crawl.csv"
    path.write_bytes(b'"Address","Status Code","Title 1"\r\n"https://x.example/","200","caf\xe9"\r\n')
    with pytest.raises(InputError, match=r"crawl\.csv line 2 column 32: byte E9 is not UTF-8"):
        read_pages(path)
    assert read_pages(path, encoding="cp1252").frame["title"].tolist() == ["café"]


def test_a_german_screaming_frog_export_is_refused_not_half_read(tmp_path: Path) -> None:
    path = tmp_path / "intern_alle.csv"
    path.write_text('"Adresse","Statuscode","Indexierbarkeit"\n"https://x.example/","200",'
                    '"Indexierbar"\n', encoding="utf-8-sig")
    with pytest.raises(InputError, match=r"intern_alle\.csv line 1: .*German"):
        read_pages(path)


def test_duplicates_on_screaming_frog(tmp_path: Path) -> None:
    path = _write_sf(tmp_path / "internal_all.csv", SF_ROWS)
    report = find_duplicates(path)
    exact = report.clusters[report.clusters["kind"] == "exact"]
    assert exact["url"].tolist() == [SITE + "/b"] and exact["canonical"].tolist() == [SITE + "/a"]
    assert SITE + "/logo.png" not in set(report.clusters["url"])
    assert any("Hash" in note for note in report.pages.notes)


def test_duplicates_on_screaming_frog_near_duplicate_columns(tmp_path: Path) -> None:
    rows = [_healthy("/", "Home", "h1"),
            _sf_row(SITE + "/mug", title="Mug", hash_="m1", near="1", similarity="93"),
            _sf_row(SITE + "/mug-gift", title="Mug gift", hash_="m2", near="1", similarity="93"),
            _sf_row(SITE + "/lonely", title="Lonely", hash_="l1", near="1", similarity="88")]
    report = find_duplicates(_write_sf(tmp_path / "internal_all.csv", rows))
    near = report.clusters[report.clusters["kind"] == "near"]
    assert near["url"].tolist() == [SITE + "/mug-gift"]
    assert near["similarity"].iloc[0] == pytest.approx(0.93, abs=0.01)
    assert near["canonical"].iloc[0] == SITE + "/mug"
    assert any("2 were paired by equal closest similarity" in n for n in report.pages.notes)


def test_duplicates_on_screaming_frog_without_text_or_hash(tmp_path: Path) -> None:
    keep = [i for i, name in enumerate(SF_HEADER) if name != "Hash"]
    rows = [[row[i] for i in keep] for row in SF_ROWS]
    path = tmp_path / "no_hash.csv"
    path.write_text("\n".join(",".join(f'"{c}"' for c in r)
                              for r in [[SF_HEADER[i] for i in keep], *rows]))
    with pytest.raises(InputError, match="no page text and no Hash") as caught:
        find_duplicates(path)
    assert "Store HTML" in str(caught.value) and "Enable Near Duplicates" in str(caught.value)


def test_duplicates_on_screaming_frog_with_custom_extraction_text(tmp_path: Path) -> None:
    words = "red leather boots for winter walks in the snow and the rain"
    frame = pd.DataFrame({"Address": [SITE + "/a", SITE + "/b", SITE + "/c"],
                          "Status Code": [200, 200, 200], "Content Type": ["text/html"] * 3,
                          "Text 1": [words, words + " today", "a different page entirely"]})
    report = find_duplicates(frame)
    assert report.summary["duplicate_urls"] == 1


# --- advertools ------------------------------------------------------------------------------

def _jl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records)
                    + "\n", encoding="utf-8")
    return path


ADV = [
    {"url": SITE + "/", "status": 200, "title": "Home", "meta_desc": "About Home.",
     "h1": "Home", "canonical": SITE + "/", "body_text": "Home text",
     "links_url": f"{SITE}/a@@{SITE}/b@@https://other.example/",
     "resp_headers_content-type": "text/html; charset=utf-8", "crawl_time": "2026-12-07"},
    {"url": SITE + "/a", "status": 200, "title": "A page", "meta_desc": "About A.",
     "h1": "A@@Logo", "canonical": SITE + "/a", "body_text": "A text",
     "redirect_urls": f"{SITE}/old@@{SITE}/a", "redirect_reasons": "301",
     "resp_headers_content-type": "text/html", "resp_headers_x-robots-tag": "noindex"},
    {"url": SITE + "/logo.png", "status": 200, "resp_headers_content-type": "image/png"},
    "{not json",
]


def test_advertools_jsonlines(tmp_path: Path) -> None:
    table = read_pages(_jl(tmp_path / "crawl.jl", ADV))
    assert table.format == "advertools"
    frame = table.frame.set_index("url")
    assert frame.loc[SITE + "/a", "h1_count"] == 2 and frame.loc[SITE + "/a", "robots"] == "noindex"
    assert frame.loc[SITE + "/a", "indexability_reason"] == "Noindex"
    assert frame.loc[SITE + "/", "links"] == (SITE + "/a", SITE + "/b")
    assert frame.loc[SITE + "/old", "crawl_status"] == "redirect"
    assert frame.loc[SITE + "/old", "redirect_to"] == SITE + "/a"
    assert not frame.loc[SITE + "/logo.png", "is_html"]
    assert table.problems["where"].tolist() == ["crawl.jl line 4"]
    assert "not a JSON object" in table.problems["why"].iloc[0]


def test_advertools_dataframe_and_csv(tmp_path: Path) -> None:
    frame = pd.DataFrame([r for r in ADV if isinstance(r, dict)])
    assert read_pages(frame).format == "advertools"
    frame.to_csv(tmp_path / "crawl.csv", index=False)
    table = read_pages(tmp_path / "crawl.csv")
    assert table.format == "advertools"
    assert table.frame.set_index("url").loc[SITE + "/a", "title"] == "A page"


# --- the kit's own list, and the shape -------------------------------------------------------

def test_kit_csv_and_list_give_the_same_rows(write_csv) -> None:
    html = _page("Home", "/")
    path = write_csv("url,status,html\n" + SITE + '/,200,"' + html.replace('"', '""') + '"\n',
                     name="pages.csv")
    from_csv = read_pages(path).frame
    from_list = read_pages([{"url": SITE + "/", "status": 200, "html": html}]).frame
    columns = [c for c in PAGE_COLUMNS if c != "where"]
    assert from_csv[columns].astype(str).equals(from_list[columns].astype(str))
    assert list(from_csv.columns) == list(PAGE_COLUMNS)
    assert str(from_csv["status"].dtype) == "Int64"


def test_page_table_passes_through_and_renders() -> None:
    table = read_pages([{"url": SITE + "/", "html": "<title>x</title>"}])
    assert read_pages(table) is table
    assert "1 URLs: 1 HTML" in table.summary() and "<table" in table._repr_html_()
    assert isinstance(table, PageTable) and "PageTable(" in repr(table)


@pytest.mark.parametrize(("source", "message"), [
    ("missing.csv", "no such file or folder"),
    (42, "expected a list of pages"),
    ({"url": SITE}, "expected a list of pages"),
])
def test_unusable_sources(source: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_pages(source)


_PIECES = ["<head>", "</head>", "<title>t</title>", "<svg>", "<my-el>", "x", " ", "\n", "&amp;",
           "<!-- c -->", "<script>a<b</script>", "<noscript>", "</noscript>", "<template>",
           "</template>", '<link rel="canonical" href="/a">', "<link rel=canonical href='>'>",
           "<meta charset=utf-8>", "<body>", "<", ">", '"', "<link", "<LINK REL=CANONICAL>"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.text(max_size=20))
def test_head_links_fast_path_never_disagrees(pieces: list[str], noise: str) -> None:
    html = "".join(pieces) + noise
    assert head_links(html) == scan_head_links(html)


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_path_is_refused_not_read_as_the_current_folder(empty: str) -> None:
    from kit.duplicates import load_pages
    from kit.errors import InputError
    from kit.pages import read_pages

    with pytest.raises(InputError, match="path is empty"):
        read_pages(empty)
    with pytest.raises(InputError, match="path is empty"):
        load_pages(empty)


@pytest.mark.parametrize("html", ['<<head><link rel="canonical" href="/a">',
                                  '< <head><link rel="canonical" href="/a">',
                                  '<!DOCTYPE html><head><link rel="canonical" href="/a">'])
def test_a_stray_less_than_sign_is_text_for_the_fast_path_too(html: str) -> None:
    """Found by hypothesis: "<<head>" starts with text, so the link belongs to <body>."""
    assert head_links(html) == scan_head_links(html)
