"""kit.tables: reading a DataFrame or CSV and locating problems as 'line N' / 'row N'."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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


def test_non_utf8_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("source,target\n/caf\xe9,/b\n".encode("latin-1"))
    with pytest.raises(InputError, match="not a readable CSV"):
        read_table(path, what="map")


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
        pytest.param("source;target\n/a;/b\n", "it has source;target", id="semicolons"),
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
