"""CSV files as people's tools save them, through the commands a user types.

Each format is written the way its program writes it (delimiter, encoding, byte-order
mark, line ends, quoting) and read by ``crosstalk redirects audit`` / ``export`` /
``utm lint``.  The map has a quoted cell spanning two lines, so a located error must
still name the physical line a text editor shows.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from kit.cli import main

HEADER = ["source", "target", "status", "note"]
GOOD = [
    ["/old-a", "/new-a", "301", "first"],
    ["/old-b", "/new-b", "301", "two\nlines"],  # a quoted cell: this record is lines 3-4
    ["/old-c", "/new-c", "308", "a, b; c | d"],  # every delimiter inside a quoted cell
]
BAD = [*GOOD, ["/old-d", "/new-d", "abc", "bad status"]]  # physical line 6


@dataclass(frozen=True)
class Format:
    """How one program writes a CSV file."""

    delimiter: str = ","
    encoding: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"
    quoting: int = csv.QUOTE_MINIMAL
    title: str | None = None

    def write(self, path: Path, rows: list[list[str]]) -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.delimiter, lineterminator=self.newline,
                            quoting=self.quoting)
        if self.title is not None:
            writer.writerow([self.title])
        writer.writerows([HEADER, *rows])
        text = buffer.getvalue()
        if self.newline != "\n":  # the quoted cell's own line break, as the program writes it
            text = text.replace("two\nlines", f"two{self.newline}lines")
        path.write_bytes(self.bom + text.encode(self.encoding))
        return path


FORMATS = {
    "comma-utf8": Format(),
    "semicolon-european-excel": Format(delimiter=";", newline="\r\n"),
    "tab": Format(delimiter="\t"),
    "pipe": Format(delimiter="|"),
    "utf8-bom-crlf-all-quoted": Format(bom=codecs.BOM_UTF8, newline="\r\n",
                                       quoting=csv.QUOTE_ALL),
    "utf16-le-bom-tab-excel-unicode-text": Format(delimiter="\t", encoding="utf-16-le",
                                                  bom=codecs.BOM_UTF16_LE, newline="\r\n"),
    "utf16-be-bom": Format(encoding="utf-16-be", bom=codecs.BOM_UTF16_BE),
    # Python's csv writer leaves a \n unquoted when lines end in \r: quote every cell
    "old-mac-cr": Format(newline="\r", quoting=csv.QUOTE_ALL),
}


def _audit(path: Path, *options: str) -> int:
    return main(["redirects", "audit", str(path), *options])


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
def test_every_format_is_read_and_errors_name_the_physical_line(tmp_path, capsys, fmt) -> None:
    path = fmt.write(tmp_path / "map.csv", BAD)
    assert _audit(path) == 2
    err = capsys.readouterr().err
    assert "map.csv line 6: status 'abc' is not a number" in err
    assert "unquoted" not in err


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS.keys())
def test_every_format_round_trips_through_export(tmp_path, capsys, fmt) -> None:
    path = fmt.write(tmp_path / "map.csv", GOOD)
    assert main(["redirects", "export", str(path), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["source,target,status", "/old-a,/new-a,301",
                                         "/old-b,/new-b,301", "/old-c,/new-c,308"]
    assert captured.err == ""  # no note: nothing was ambiguous


def test_cp1252_is_read_only_when_named(tmp_path, capsys) -> None:
    rows = [["/old-a", "/new-a", "301", "first"], ["/caf\xe9", "/new-caf\xe9", "301", "x"]]
    path = Format(delimiter=";", encoding="cp1252", newline="\r\n").write(tmp_path / "map.csv",
                                                                          rows)
    assert main(["redirects", "export", str(path), "--format", "csv"]) == 2
    err = capsys.readouterr().err
    assert "map.csv line 3 column 5: byte E9 is not UTF-8" in err
    assert "re-run with --encoding cp1252" in err.lower()
    assert main(["redirects", "export", str(path), "--format", "csv",
                 "--encoding", "cp1252"]) == 0
    assert "/caf\xe9,/new-caf\xe9,301" in capsys.readouterr().out


def test_bad_byte_in_a_later_line_is_located_after_quoted_newlines(tmp_path, capsys) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(b'source,target,note\n/a,/b,"one\r\ntwo"\n/c,/d,ok\n/e,/f,na\xefve\n')
    assert _audit(path) == 2
    assert "map.csv line 5 column 9: byte EF is not UTF-8" in capsys.readouterr().err


def test_utf16_without_bom_is_named_not_misread(tmp_path, capsys) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes("source\ttarget\n/a\t/b\n".encode("utf-16-le"))
    assert _audit(path) == 2
    err = capsys.readouterr().err
    assert "looks like UTF-16 LE text without a byte-order mark" in err
    assert "--encoding utf-16-le" in err
    assert _audit(path, "--encoding", "utf-16-le") == 0


def test_a_title_line_is_named_and_can_be_skipped(tmp_path, capsys) -> None:
    path = Format(title="Internal - All", quoting=csv.QUOTE_ALL, bom=codecs.BOM_UTF8).write(
        tmp_path / "map.csv", BAD)
    assert _audit(path) == 2
    err = capsys.readouterr().err
    assert ("map.csv line 1 looks like a title ('Internal - All'), not a header; the header "
            "seems to be on line 2 (source, target, status, note)") in err
    assert "--skip-lines 1" in err
    assert "unquoted" not in err
    assert _audit(path, "--skip-lines", "1") == 2
    assert "map.csv line 7: status 'abc' is not a number" in capsys.readouterr().err


@pytest.mark.parametrize(("content", "message"), [
    pytest.param(b"", "map.csv: the file is empty", id="empty"),
    pytest.param(b"\xef\xbb\xbf\r\n\r\n", "map.csv: the file is empty", id="bom-and-blank-lines"),
    pytest.param(b"source;target\r\n", "map.csv: the redirect map has a header but no rows",
                 id="header-only"),
])
def test_empty_and_header_only_files(tmp_path, capsys, content: bytes, message: str) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(content)
    assert _audit(path) == 2
    assert message in capsys.readouterr().err


def test_a_1_mb_html_cell_is_read(tmp_path, capsys) -> None:
    html = "<html><body>" + "<p>café</p>" * 100_000 + "</body></html>"
    assert len(html) > 1_000_000
    path = Format(delimiter=";").write(tmp_path / "map.csv", [["/a", "/b", "301", html]])
    assert main(["redirects", "export", str(path), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "/a,/b,301"


def test_an_ambiguous_delimiter_is_reported(tmp_path, capsys) -> None:
    path = tmp_path / "map.csv"
    path.write_text("source,target,note;x\n/a,/b,n;1\n", encoding="utf-8")
    assert main(["redirects", "export", str(path), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1:] == ["/a,/b,301"]
    assert ("crosstalk: note: map.csv: read as comma-separated; semicolon would split it as "
            "consistently. If the columns look wrong, re-run with --delimiter ';'."
            ) in captured.err


def test_delimiter_option_forces_the_split(tmp_path, capsys) -> None:
    path = tmp_path / "map.csv"
    path.write_text("source,target;status\n/a,/b;301\n", encoding="utf-8")
    assert main(["redirects", "export", str(path), "--format", "csv",
                 "--delimiter", "semicolon"]) == 2  # 'source,target' is no source column
    assert "needs the column(s) source, target" in capsys.readouterr().err


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--encoding", "klingon", "'klingon' is not an encoding Python knows"),
    ("--delimiter", "x", "'x' is not a delimiter the kit reads"),
    ("--skip-lines", "-1", "'-1' is not a number of lines"),
])
def test_bad_option_values_are_refused_by_name(tmp_path, capsys, option, value, message) -> None:
    path = Format().write(tmp_path / "map.csv", GOOD)
    with pytest.raises(SystemExit) as exit_:
        _audit(path, option, value)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("fmt", [FORMATS["semicolon-european-excel"],
                                 FORMATS["utf16-le-bom-tab-excel-unicode-text"]],
                         ids=["semicolon", "utf16-tab"])
def test_utm_lint_reads_the_formats_too(tmp_path, capsys, fmt: Format) -> None:
    path = tmp_path / "links.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=fmt.delimiter, lineterminator=fmt.newline)
    writer.writerows([["url", "placement"],
                      ["https://shop.example/?utm_source=news&utm_medium=email"
                       "&utm_campaign=spring", "newsletter"],
                      ["https://shop.example/offer", "banner"]])
    path.write_bytes(fmt.bom + buffer.getvalue().encode(fmt.encoding))
    assert main(["utm", "lint", str(path)]) == 1  # the untagged link is an error
    out = capsys.readouterr().out
    assert "links.csv line 3" in out


def test_utm_lint_link_list_honours_encoding(tmp_path, capsys) -> None:
    path = tmp_path / "links.txt"
    path.write_bytes("https://shop.example/caf\xe9?utm_source=a&utm_medium=email"
                     "&utm_campaign=b\n".encode("cp1252"))
    assert main(["utm", "lint", str(path)]) == 2
    assert "--encoding cp1252" in capsys.readouterr().err.lower()
    assert main(["utm", "lint", str(path), "--encoding", "cp1252"]) in (0, 1)


CSV_COMMANDS = ["redirects audit", "redirects suggest", "redirects export", "redirects verify",
                "seo audit", "sitemap build", "duplicates find", "utm lint",
                "channels classify", "course roster"]


@pytest.mark.parametrize("command", CSV_COMMANDS)
def test_every_command_that_reads_csv_has_the_reading_options(command: str) -> None:
    from kit.cli import build_parser

    parser = build_parser()
    for word in command.split():
        parser = next(a for a in parser._actions
                      if isinstance(a, argparse._SubParsersAction)).choices[word]
    options = {option for action in parser._actions for option in action.option_strings}
    assert {"--encoding", "--delimiter", "--skip-lines"} <= options


SF_EXPORT = (Path(__file__).parents[1] / "fixtures" / "crawls" / "screaming-frog"
             / "internal_all.csv")


@pytest.mark.parametrize(("delimiter", "encoding", "bom", "newline"), [
    pytest.param(";", "utf-8", codecs.BOM_UTF8, "\r\n", id="semicolon"),
    pytest.param("\t", "utf-16-le", codecs.BOM_UTF16_LE, "\r\n", id="utf16-tab"),
    pytest.param("|", "utf-8", b"", "\n", id="pipe-lf"),
])
def test_a_real_screaming_frog_export_audits_the_same_in_every_format(
        tmp_path, capsys, delimiter: str, encoding: str, bom: bytes, newline: str) -> None:
    """The crawl fixture re-saved as a European Excel / "Unicode text" file: same findings."""
    assert main(["seo", "audit", str(SF_EXPORT), "--format", "csv"]) in (0, 1)
    expected = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(SF_EXPORT.read_text(encoding="utf-8-sig"), newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline,
               quoting=csv.QUOTE_ALL).writerows(rows)
    path = tmp_path / SF_EXPORT.name
    path.write_bytes(bom + buffer.getvalue().encode(encoding))
    assert main(["seo", "audit", str(path), "--format", "csv"]) in (0, 1)
    assert capsys.readouterr().out == expected
    assert len(expected.splitlines()) > 5
