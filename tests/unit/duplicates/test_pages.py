"""Loading pages: DataFrames, CSV files, folders and lists; bad cells reported, not fatal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kit.duplicates import load_pages
from kit.errors import InputError


def test_dataframe_with_text() -> None:
    pages = load_pages(pd.DataFrame({"url": ["/a", "/b"], "text": ["x y", "z"],
                                     "status": ["200", 404.0], "inlinks": [3, None]}))
    frame = pages.frame
    assert frame["url"].tolist() == ["/a", "/b"]
    assert frame["status"].tolist() == [200, 404]
    assert frame["inlinks"].tolist() == [3, 0]
    assert frame["problem"].isna().all()
    assert repr(pages) == "Pages('pages', pages=2, problems=0)"


def test_screaming_frog_columns(write_csv) -> None:
    path = write_csv(
        "Address,Status Code,Indexability,Canonical Link Element 1,Unique Inlinks,Meta Robots 1,"
        "Content\n"
        "https://x.com/a,200,Indexable,https://x.com/a,12,,hello there\n"
        "https://x.com/b,200,Non-Indexable,,0,noindex,other text\n"
        "https://x.com/c,200,,,0,\"noindex, nofollow\",more text\n",
        name="internal_all.csv")
    frame = load_pages(path).frame
    assert frame["indexable"].tolist() == [True, False, False]
    assert frame["canonical"].tolist() == ["https://x.com/a", None, None]
    assert frame["inlinks"].tolist() == [12, 0, 0]
    assert frame["where"].tolist()[0] == "internal_all.csv line 2"


def test_html_column_gives_text_canonical_and_noindex() -> None:
    frame = load_pages([
        {"url": "https://x.com/a", "html": "<link rel=canonical href='/c'><p>Hi there</p>"},
        {"url": "https://x.com/b", "html": "<meta name=robots content=noindex><p>Hidden</p>"},
    ]).frame
    assert frame["text"].tolist() == ["Hi there", "Hidden"]
    assert frame["canonical"].tolist() == ["/c", None]
    assert frame["indexable"].tolist() == [True, False]


def test_folder_of_html_files(tmp_path: Path) -> None:
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "boots.html").write_text("<p>Boots</p>", encoding="utf-8")
    (tmp_path / "index.htm").write_bytes(b"<p>caf\xe9</p>")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    pages = load_pages(tmp_path)
    frame = pages.frame
    assert frame["url"].tolist() == ["/", "/shop/boots.html"]  # as the SEO audit calls them
    assert frame["text"].tolist() == ["café", "Boots"]
    assert "not valid UTF-8" in frame["problem"].iloc[0]
    assert frame["where"].tolist() == ["index.htm", "shop/boots.html"]
    assert any("1 non-HTML" in note for note in pages.notes)  # notes.txt: counted, left out


@pytest.mark.parametrize(("row", "problem"), [
    ({"url": "not a url", "text": "x"}, "is not a URL"),
    ({"url": "", "text": "x"}, "url cell is empty"),
    ({"url": None, "text": "x"}, "url cell is empty"),
    ({"url": "/a", "text": ""}, "the page is empty"),
    ({"url": "/a", "text": None}, "the page is empty"),
    ({"url": "/a", "text": "x", "status": "OK"}, "status 'OK' is not a number"),
    ({"url": "/a", "text": "x", "status": 999}, "is not an HTTP status"),
    ({"url": "/a", "text": "x", "inlinks": "many"}, "inlinks 'many' is not a number"),
    ({"url": "/a", "text": "x", "inlinks": -3}, "is not a count"),
    ({"url": "/" + "a" * 100, "text": "x", "inlinks": 1.5}, "is not a count"),
])
def test_bad_cells_are_kept_and_named(row: dict, problem: str) -> None:
    frame = load_pages(pd.DataFrame([{"url": "/ok", "text": "fine"}, row], dtype=object)).frame
    assert len(frame) == 2
    assert problem in frame["problem"].iloc[1]
    assert frame["where"].iloc[1] == "pages row 1"


def test_repeated_urls_are_kept_once_and_reported() -> None:
    pages = load_pages(pd.DataFrame({"url": ["/a", "/b", "/a"], "text": ["1", "2", "3"]}))
    assert pages.frame["text"].tolist() == ["1", "2"]
    assert pages.repeats == [("/a", "pages row 2", "pages row 0")]


@pytest.mark.parametrize(("source", "message"), [
    (pd.DataFrame({"address": ["/a"]}), "needs a text or an html column"),
    (pd.DataFrame({"text": ["x"]}), "needs the column(s) url"),
    (pd.DataFrame({"url": [], "text": []}), "has a header but no rows"),
    ("/no/such/file.csv", "does not exist"),
    (42, "expected a DataFrame"),
    ([1, 2], "must hold dicts"),
])
def test_unusable_input_raises(source: object, message: str) -> None:
    with pytest.raises(InputError) as caught:
        load_pages(source)  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_empty_folder_and_csv(tmp_path: Path, write_csv) -> None:
    with pytest.raises(InputError, match=r"no \.html or \.htm files"):
        load_pages(tmp_path)
    with pytest.raises(InputError, match="the file is empty"):
        load_pages(write_csv("", name="empty.csv"))


def test_non_utf8_csv_is_a_clear_error(write_csv) -> None:
    path = write_csv("url,text\n/a,caf\xe9\n", name="latin.csv", encoding="latin-1")
    with pytest.raises(InputError, match=r"latin\.csv line 2 column 7: byte E9 is not UTF-8"):
        load_pages(path)


def test_big_cells_in_csv(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    pd.DataFrame({"url": ["/a"], "html": ["<p>" + "word " * 500_000 + "</p>"]}).to_csv(
        path, index=False)
    assert load_pages(path).frame["text"].str.len().iloc[0] > 2_000_000


def test_relative_urls_take_the_common_origin() -> None:
    pages = load_pages(pd.DataFrame({"url": ["/a", "https://x.com/b", "https://x.com/c"],
                                     "text": ["1", "2", "3"]}))
    assert pages.origin == "https://x.com"
