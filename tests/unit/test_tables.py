"""kit.tables: reading a DataFrame or CSV and locating problems as 'line N' / 'row N'."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.errors import InputError
from kit.tables import Table, locate, read_table, rename_columns

ALIASES = {"source": ("from", "old", "address"), "target": ("to", "new", "destination")}


def test_dataframe_rows_are_located_by_index_label() -> None:
    frame = pd.DataFrame({"source": ["/a", "/b"]}, index=[10, 11])
    table = read_table(frame, what="redirect map")
    assert not table.from_file
    assert table.where(1) == "redirect map row 11"


def test_dataframe_is_copied() -> None:
    frame = pd.DataFrame({"source": ["/a"]})
    table = read_table(frame, what="map")
    table.frame.loc[0, "source"] = "/changed"
    assert frame.loc[0, "source"] == "/a"


def test_file_rows_are_located_by_line_with_header_as_line_1(write_csv) -> None:
    table = read_table(write_csv("source,target\n/a,/b\n/c,/d\n"), what="map")
    assert table.from_file
    assert table.where(0) == "map.csv line 2"
    assert table.where(1) == "map.csv line 3"


def test_file_cells_stay_text(write_csv) -> None:
    table = read_table(write_csv("source,status\n/a,301\n/b,\n/c,NA\n"), what="map")
    assert table.frame["status"].tolist() == ["301", "", "NA"]


def test_header_is_stripped_and_utf8_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(" source , target\n/a,/b\n", encoding="utf-8-sig")
    assert list(read_table(path, what="map").frame.columns) == ["source", "target"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("\n\n", "the file is empty", id="blank-lines-only"),
    ],
)
def test_empty_files_raise(write_csv, content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_table(write_csv(content), what="map")


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv", what="map")


def test_wrong_type_raises() -> None:
    with pytest.raises(InputError, match="expected a pandas DataFrame or the path"):
        read_table(["/a", "/b"], what="map")  # type: ignore[arg-type]


def test_non_utf8_file_raises_naming_the_byte_and_the_remedy(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("source,target\n/caf\xe9,/b\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read_table(path, what="map")
    assert caught.value.what.startswith("latin1.csv line 2 column 5: byte E9 is not UTF-8")
    assert "--encoding cp1252" in caught.value.hint
    assert "encoding='cp1252' in Python" in caught.value.hint


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("source,target", id="canonical"),
        pytest.param("Source,Target", id="capitalised"),
        pytest.param("from,to", id="from-to"),
        pytest.param("Old,New", id="old-new"),
        pytest.param("Address,Destination", id="crawler-export"),
        pytest.param(" source , target ", id="spaces"),
    ],
)
def test_rename_columns_accepts_aliases(write_csv, header: str) -> None:
    table = read_table(write_csv(f"{header}\n/a,/b\n"), what="map")
    rename_columns(table, ALIASES, required=("source", "target"), what="map")
    assert list(table.frame.columns) == ["source", "target"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("url,title\n/a,A\n", "needs the column(s) source, target", id="no-columns"),
        pytest.param("source,title\n/a,A\n", "needs the column(s) target", id="no-target"),
        pytest.param("source|title\n/a|A\n", "needs the column(s) target; it has source, title",
                     id="pipes-are-split-first"),
        pytest.param("source,target\n", "has a header but no rows", id="header-only"),
    ],
)
def test_rename_columns_rejects_unusable_tables(write_csv, content: str, message: str) -> None:
    table = read_table(write_csv(content), what="map")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rename_columns(table, ALIASES, required=("source", "target"), what="map")


def test_locate_prefixes_each_problem_with_where() -> None:
    table = Table(pd.DataFrame({"a": [1, 2, 3]}), "t.csv", from_file=True)
    assert locate(table, [0, 2], "bad") == ["t.csv line 2: bad", "t.csv line 4: bad"]


def test_line_numbers_count_blank_lines(write_csv) -> None:
    table = read_table(write_csv("source,target\n/a,/b\n\n/c,/d\n"), what="map")
    assert table.where(1) == "map.csv line 4"


def test_line_numbers_count_multiline_cells(write_csv) -> None:
    table = read_table(write_csv('source,note\n/a,"two\nlines"\n/c,x\n'), what="map")
    assert table.where(1) == "map.csv line 4"


def test_too_many_fields_raises_naming_each_line(write_csv) -> None:
    content = 'source,target\n/a,/b\n\n/c,/d,extra\n/e,"/f,g"\n"multi\nline",/h\n/i,/j,k,l\n'
    with pytest.raises(InputError) as caught:
        read_table(write_csv(content), what="map")
    error = caught.value
    assert "2 record(s) have more fields than the header (2)" in error.what
    assert error.problems == [
        "map.csv line 4: too many fields (an unquoted comma?)",
        "map.csv line 8: too many fields (an unquoted comma?)",
    ]
    assert "Quote values that contain commas" in str(error)


def test_fewer_fields_are_padded_with_empty_cells(write_csv) -> None:
    table = read_table(write_csv("source,target,status\n/a,/b\n/c\n"), what="map")
    assert table.frame.values.tolist() == [["/a", "/b", ""], ["/c", "", ""]]


def test_utf8_bom_before_the_first_header_cell_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfsource,target\r\n/a,/b\r\n")
    table = read_table(path, what="map")
    assert list(table.frame.columns) == ["source", "target"]
    assert table.frame.values.tolist() == [["/a", "/b"]]
    rename_columns(table, ALIASES, required=("source", "target"), what="map")


def test_blank_lines_before_the_header_are_counted(write_csv) -> None:
    table = read_table(write_csv("\n\nsource,target\n/a,/b\n"), what="map")
    assert list(table.frame.columns) == ["source", "target"]
    assert table.where(0) == "map.csv line 4"


def test_unterminated_quote_is_not_silently_swallowed(write_csv) -> None:
    # csv's default (non-strict) dialect reads to the end of the file; the record is
    # then one cell holding the rest of the file, which the map validation rejects
    table = read_table(write_csv('source,target\n"/a,/b\n/c,/d\n'), what="map")
    assert len(table.frame) == 1
    assert table.frame["source"].iat[0].startswith("/a,/b")


def test_a_folder_is_not_a_table(tmp_path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_table(tmp_path, what="redirect map")


def test_a_pipe_is_read_like_a_file(tmp_path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("w", encoding="utf-8") as handle:
            handle.write("source,target\n/a,/b\n")

    writer = threading.Thread(target=write)
    writer.start()
    table = read_table(fifo, what="redirect map")
    writer.join(timeout=5)
    assert table.frame.to_dict("records") == [{"source": "/a", "target": "/b"}]


# --- encodings, delimiters, title lines (kit.csvformat underneath) --------------------------

ROWS = [["source", "target"], ["/a", "/b;c"], ["/d|e", "/f"]]


@pytest.mark.parametrize(("data", "encoding", "delimiter", "read_as"), [
    pytest.param(b"source,target\n/a,/b\n", None, ",", "UTF-8", id="comma"),
    pytest.param(b"source;target\r\n/a;/b\r\n", None, ";", "UTF-8", id="semicolon-crlf"),
    pytest.param(b"source\ttarget\n/a\t/b\n", None, "\t", "UTF-8", id="tab"),
    pytest.param(b"source|target\n/a|/b\n", None, "|", "UTF-8", id="pipe"),
    pytest.param(b"\xef\xbb\xbfsource;target\n/a;/b\n", None, ";", "UTF-8", id="utf8-bom"),
    pytest.param("\ufeffsource\ttarget\r\n/a\t/b\r\n".encode("utf-16-le"), None, "\t",
                 "UTF-16 LE", id="utf16-le-bom"),
    pytest.param("\ufeffsource,target\n/a,/b\n".encode("utf-16-be"), None, ",", "UTF-16 BE",
                 id="utf16-be-bom"),
    pytest.param("\ufeffsource,target\n/a,/b\n".encode("utf-32-le"), None, ",", "UTF-32 LE",
                 id="utf32-le-bom"),
    pytest.param("source;target\n/caf\xe9;/b\n".encode("cp1252"), "cp1252", ";", "cp1252",
                 id="cp1252-named"),
    pytest.param("source;target\n/a;/b\n".encode("utf-16-le"), "utf-16-le", ";", "utf-16-le",
                 id="utf16-no-bom-named"),
])
def test_encodings_and_delimiters(tmp_path: Path, data: bytes, encoding: str | None,
                                  delimiter: str, read_as: str) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(data)
    table = read_table(path, what="map", encoding=encoding)
    assert list(table.frame.columns) == ["source", "target"]
    assert table.frame["target"].tolist() == ["/b"]
    assert (table.delimiter, table.encoding) == (delimiter, read_as)
    assert table.where(0) == "map.csv line 2"
    assert table.notes == []


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_quoted_cells_keep_physical_line_numbers(tmp_path: Path, delimiter: str,
                                                 newline: str) -> None:
    d = delimiter
    text = newline.join([f"source{d}note", f'/a{d}"one{newline}two{newline}three"',
                         "", f'/b{d}"x{d}y"', f"/c{d}z", ""])
    path = tmp_path / "map.csv"
    path.write_text(text, encoding="utf-8", newline="")
    table = read_table(path, what="map")
    assert table.delimiter == delimiter
    assert table.frame["note"].tolist() == [f"one{newline}two{newline}three", f"x{d}y", "z"]
    assert [table.where(i) for i in range(3)] == ["map.csv line 2", "map.csv line 6",
                                                  "map.csv line 7"]


def test_a_bom_wins_over_a_named_encoding_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(b"\xef\xbb\xbfsource,target\n/caf\xc3\xa9,/b\n")
    with pytest.warns(UserWarning, match="starts with a UTF-8 byte-order mark; read as UTF-8, "
                                         "not as cp1252"):
        table = read_table(path, what="map", encoding="cp1252")
    assert table.frame["source"].tolist() == ["/caf\xe9"]


def test_undecodable_bytes_in_a_named_encoding_are_located(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(b"source,target\n/a,/b\n/c,/\x81\n")  # 0x81 is undefined in cp1252
    with pytest.raises(InputError, match=r"map.csv line 3 column 5: byte 81 is not valid cp1252"):
        read_table(path, what="map", encoding="cp1252")


@pytest.mark.parametrize("start", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
def test_an_unknown_encoding_is_refused(tmp_path: Path, start: bytes) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(start + b"source,target\n/a,/b\n")
    with pytest.raises(InputError, match="encoding 'klingon' is not one Python knows"):
        read_table(path, what="map", encoding="klingon")


@pytest.mark.parametrize("size", [1_000_000, 50_000_000], ids=["1MB", "50MB"])
def test_huge_cells_are_read(tmp_path: Path, size: int) -> None:
    html = "<p>" + "x" * size + "</p>"
    path = tmp_path / "pages.csv"
    path.write_text(f'url,status,html\n/a,200,"{html}"\n/b,200,<p>b</p>\n', encoding="utf-8")
    table = read_table(path, what="pages")
    assert len(table.frame["html"].iat[0]) == size + 7
    assert table.where(1) == "pages.csv line 3"


@pytest.mark.parametrize(("text", "title"), [
    pytest.param('"Internal - All"\n"Address","Status Code"\n"/a","200"\n', "Internal - All",
                 id="screaming-frog-quoted"),
    pytest.param("Internal - All;;\nAddress;Status Code;Title 1\n/a;200;A\n", "Internal - All",
                 id="title-with-trailing-delimiters"),
    pytest.param("\nRedirects export\n\nAddress\tStatus Code\n/a\t200\n", "Redirects export",
                 id="blank-lines-around-title"),
])
def test_a_title_line_is_refused_or_skipped(write_csv, text: str, title: str) -> None:
    path = write_csv(text, name="crawl.csv")
    with pytest.raises(InputError, match=rf"crawl.csv line \d looks like a title \('{title}'\), "
                                         r"not a header; the header seems to be on line \d"):
        read_table(path, what="crawl")
    table = read_table(path, what="crawl", titles="skip")
    assert table.title == title
    assert list(table.frame.columns)[:2] == ["Address", "Status Code"]
    assert table.frame["Address"].tolist() == ["/a"]
    assert table.where(0) == f"crawl.csv line {text.count(chr(10)) }"


def test_skip_lines_drops_physical_lines_and_keeps_numbering(write_csv) -> None:
    path = write_csv('# exported 2026-12-07\n# by hand\nsource;target\n/a;"b\nc"\n/d;/e\n')
    table = read_table(path, what="map", skip_lines=2)
    assert list(table.frame.columns) == ["source", "target"]
    assert [table.where(0), table.where(1)] == ["map.csv line 4", "map.csv line 6"]


@pytest.mark.parametrize("text", [
    pytest.param("url\nhttps://a.example/x,y\nhttps://b.example/\n", id="url-with-comma"),
    pytest.param("url\n/a\n/b\n", id="single-column"),
])
def test_single_column_files_are_no_title(write_csv, text: str) -> None:
    if "," in text.split("\n")[1]:
        with pytest.raises(InputError, match="line 2: too many fields"):
            read_table(write_csv(text), what="url list")
    else:
        assert read_table(write_csv(text), what="url list").frame["url"].tolist() == ["/a", "/b"]


def test_an_ambiguous_delimiter_is_noted(write_csv) -> None:
    with pytest.warns(UserWarning, match="read as comma-separated; semicolon would split"):
        table = read_table(write_csv("a,b;c\n1,2;3\n"), what="map")
    assert table.delimiter == ","
    assert len(table.notes) == 1


def test_reading_block_sets_options_and_keywords_win(tmp_path: Path) -> None:
    from kit.tables import reading

    path = tmp_path / "map.csv"
    path.write_bytes("source;target\n/caf\xe9;/b\n".encode("cp1252"))
    notes: list[str] = []
    with reading(encoding="cp1252", on_note=notes.append):
        assert read_table(path, what="map").frame["source"].tolist() == ["/caf\xe9"]
        with pytest.raises(InputError, match="not UTF-8"):
            read_table(path, what="map", encoding="utf-8")
    with pytest.raises(InputError, match="not UTF-8"):
        read_table(path, what="map")  # outside the block: back to UTF-8


def test_ragged_records_name_the_delimiter(write_csv) -> None:
    with pytest.raises(InputError) as caught:
        read_table(write_csv("source;target\n/a;/b\n/c;/d;/e\n"), what="map")
    assert caught.value.problems == ["map.csv line 3: too many fields (an unquoted semicolon?)"]


@pytest.mark.parametrize(("data", "message"), [
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00", "this is a ZIP archive (an Excel .xlsx", id="xlsx"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook", id="xls"),
    pytest.param(b"\x1f\x8b\x08\x00", "a gzip-compressed file", id="gzip"),
    pytest.param(b"source,target\n/a,/b\x00\x00\x00\xff", "line 2 column 6: a zero byte",
                 id="binary"),
])
def test_files_that_are_not_csv_text_are_named(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read_table(path, what="map")
    assert "--encoding cp1252" not in str(caught.value)


_BYTES = st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from([b"a", b"b", b",", b";", b"\t", b"|", b'"', b"\n", b"\r", b"\r\n",
                              b" ", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe9", b"\x00"]),
             max_size=60).map(b"".join),
)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_BYTES)
def test_any_bytes_are_read_or_refused_with_an_input_error(tmp_path: Path, data: bytes) -> None:
    """Never a traceback from csv, codecs or pandas; a located record when it is read."""
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = read_table(path, what="map")
    except InputError as error:
        assert str(error).startswith("any.csv")
        return
    assert table.lines is not None and len(table.lines) == len(table.frame)
    assert all(line >= 2 for line in table.lines)
    assert table.lines == sorted(set(table.lines))
