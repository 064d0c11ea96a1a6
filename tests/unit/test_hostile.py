"""Issue 19's battery: every command against hostile input, in one process.

Each case must end in one of two ways:

* exit 2 with a message that names the file (or the option) and says what to do, or
* a correct reading: for the variants that only change the *encoding* of a good input
  (BOM, CRLF, Latin-1, UTF-16, semicolons, tabs), the same exit code and the same output
  as the clean UTF-8 file.

Never a traceback (an exception escaping :func:`kit.cli.main` fails the test) and never
exit 0 for junk.  Inputs are generated here, per case, from one clean table per slot.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kit.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Result:
    """``crosstalk argv`` in-process; argparse errors count as exit 2. Exceptions escape."""
    capsys.readouterr()
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:  # argparse: usage error, names the option
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return Result(int(code), out, err)


# --- the clean inputs, one per kind of slot ---------------------------------------------------

PAGE = ("<html><head><title>Café menu, open daily</title><meta name='description' "
        "content='Our café serves breakfast and lunch every day of the week.'></head>"
        "<body><h1>Café</h1><p>{body}</p></body></html>")


@dataclass(frozen=True)
class Table:
    """A clean CSV table: header and rows; ``column`` is where a huge cell goes."""

    header: list[str]
    rows: list[list[str]]
    column: int = 0


TABLES = {
    "map": Table(["source", "target", "status"],
                 [["/old", "/new", "301"], ["/café", "/menu", "301"], ["/gone", "/", "301"]]),
    "new_urls": Table(["url", "title"], [["/new", "New"], ["/menu", "Menü"]]),
    "old_pages": Table(["url", "title", "h1"],
                       [["/old-menu", "Café menu", "Menu"], ["/contact-us", "Contact", "Hi"]]),
    "new_pages": Table(["url", "title", "h1"],
                       [["/menu", "Café menu", "Menu"], ["/contact", "Contact", "Hi"]]),
    "crawl": Table(["url", "status", "html"],
                   [["https://ex.com/", "200", PAGE.format(body="Welcome to the café " * 20)],
                    ["https://ex.com/menu", "200", PAGE.format(body="Menu of the day " * 20)]]),
    "sitemap_urls": Table(["url", "lastmod"],
                          [["https://ex.com/a", "2024-05-01"], ["https://ex.com/café", ""]]),
    "pages_text": Table(["url", "text"],
                        [["https://ex.com/a", "the same words about a café " * 10],
                         ["https://ex.com/a?utm_source=x", "the same words about a café " * 10],
                         ["https://ex.com/b", "something different entirely here " * 10]]),
    "utm_sheet": Table(["url", "intended_channel"],
                       [["https://ex.com/?utm_source=news&utm_medium=email&utm_campaign=café",
                         "Email"]]),
    "categories": Table(["source", "source category"],
                        [["duckduckgo.com", "SOURCE_CATEGORY_SEARCH"],
                         ["mastodon.social", "SOURCE_CATEGORY_SOCIAL"]]),
    "sessions": Table(["source", "medium", "campaign"],
                      [["google", "organic", ""], ["news", "email", "café"],
                       ["facebook.com", "referral", ""]]),
    "roster": Table(["learner_id", "name", "role"],
                    [["alice", "Alicé Doe", "marketing"], ["bob", "Bob Roe", "it"]], column=1),
}
SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           "<url><loc>https://ex.com/</loc><lastmod>2024-05-01</lastmod></url>\n"
           "<url><loc>https://ex.com/caf%C3%A9</loc></url>\n</urlset>\n")
ROBOTS = "User-agent: *\nDisallow: /private/\n# café\n"


def _table_text(table: Table, delimiter: str = ",", *, ragged: bool = False,
                duplicate: bool = False, huge: bool = False, header_only: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    header = list(table.header)
    if duplicate:
        header[-1] = header[0]
    writer.writerow(header)
    if header_only:
        return buffer.getvalue()
    rows = [list(row) for row in table.rows]
    if huge:
        rows[0][table.column] = rows[0][table.column] + "x" * 1_000_000
    if ragged:
        rows.insert(1, [*rows[0], "extra", "fields"])
    writer.writerows(rows)
    return buffer.getvalue()


# Variants: (kind, writer).  kind "same": must read as the clean file does, or exit 2 located;
# "junk": must exit 2 naming the file; "any": no traceback, exit 2 must name the file.
Writer = Callable[[Path, str, "Table | None"], None]


def _write_text(encoding: str, newline: str = "\n") -> Writer:
    def write(path: Path, text: str, table: Table | None) -> None:
        path.write_bytes(text.replace("\n", newline).encode(encoding, errors="strict"))
    return write


def _write_table(**options: object) -> Writer:
    def write(path: Path, text: str, table: Table | None) -> None:
        if table is None:  # not a table: the option makes no sense, write the text plainly
            path.write_text(text, encoding="utf-8")
            return
        path.write_text(_table_text(table, **options), encoding="utf-8")  # type: ignore[arg-type]
    return write


def _write_bytes(data: bytes) -> Writer:
    def write(path: Path, text: str, table: Table | None) -> None:
        path.write_bytes(data)
    return write


def _write_huge(path: Path, text: str, table: Table | None) -> None:
    if table is None:
        path.write_text(text.replace("\n", "x" * 1_000_000 + "\n", 1), encoding="utf-8")
    else:
        path.write_text(_table_text(table, huge=True), encoding="utf-8")


def _folder(path: Path, text: str, table: Table | None) -> None:
    path.mkdir()
    (path / "inner.csv").write_text(text, encoding="utf-8")


def _missing(path: Path, text: str, table: Table | None) -> None:
    pass


def _broken_zip(path: Path, text: str, table: Table | None) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", text)
    path.write_bytes(buffer.getvalue()[:-30])


VARIANTS: dict[str, tuple[str, Writer]] = {
    "bom": ("same", _write_text("utf-8-sig")),
    "crlf": ("same", _write_text("utf-8", "\r\n")),
    "latin1": ("same", _write_text("latin-1")),
    "utf16": ("same", _write_text("utf-16")),
    "semicolon": ("same", _write_table(delimiter=";")),
    "tab": ("same", _write_table(delimiter="\t")),
    "missing": ("junk", _missing),
    "folder": ("junk", _folder),
    "empty": ("junk", _write_bytes(b"")),
    "blank": ("junk", _write_bytes(b"\n \n\t\n")),
    "header_only": ("junk", _write_table(header_only=True)),
    "binary": ("junk", _write_bytes(bytes(range(256)) * 40)),
    "duplicate_header": ("junk", _write_table(duplicate=True)),
    "ragged": ("junk", _write_table(ragged=True)),
    "zip": ("junk", _broken_zip),
    "huge_line": ("any", _write_huge),
}


# --- the commands and their file slots ------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One file argument: its file name and clean content (a table, or text)."""

    name: str
    table: str | None = None
    text: str = ""
    readable: frozenset[str] = frozenset()
    """Junk variants that are a valid file of this kind (an empty robots.txt allows all)."""

    def content(self) -> tuple[str, Table | None]:
        if self.table is None:
            return self.text, None
        table = TABLES[self.table]
        return _table_text(table), table


@dataclass(frozen=True)
class Command:
    """``argv`` with ``{slot}`` placeholders for the files, and ``{out}`` for a fresh folder."""

    argv: list[str]
    slots: dict[str, Slot]
    course: bool = False  # needs a (fake) course folder as {course}
    findings_ok: bool = False  # a validator: junk may also be exit 1 with a finding naming it
    reader: str = ""
    """For commands whose good input costs seconds (a gradebook): the ``module:function``
    that reads the file; inputs it reads are compared with the clean file's reading
    instead of running the command."""

    @property
    def tabular(self) -> bool:
        return all(slot.table is not None for slot in self.slots.values())


COMMANDS: dict[str, Command] = {
    "redirects audit": Command(["redirects", "audit", "{map}"],
                               {"map": Slot("map.csv", "map")}),
    "redirects audit --new-urls": Command(
        ["redirects", "audit", "{map}", "--new-urls", "{new}"],
        {"new": Slot("new.csv", "new_urls")}),
    "redirects suggest old": Command(["redirects", "suggest", "{old}", "{new}"],
                                     {"old": Slot("old.csv", "old_pages")}),
    "redirects suggest new": Command(["redirects", "suggest", "{old}", "{new}"],
                                     {"new": Slot("new.csv", "new_pages")}),
    "redirects export": Command(["redirects", "export", "{map}", "--format", "nginx"],
                                {"map": Slot("map.csv", "map")}),
    "seo audit crawl": Command(["seo", "audit", "{crawl}"], {"crawl": Slot("crawl.csv", "crawl")}),
    "seo audit --robots": Command(["seo", "audit", "{crawl}", "--robots", "{robots}"],
                                  {"robots": Slot("robots.txt", text=ROBOTS,
                                                  readable=frozenset({"empty", "blank"}))}),
    "seo audit --sitemap": Command(["seo", "audit", "{crawl}", "--sitemap", "{sitemap}"],
                                   {"sitemap": Slot("sitemap.xml", text=SITEMAP)}),
    "sitemap build": Command(["sitemap", "build", "{urls}", "--base-url", "https://ex.com/",
                              "--out-dir", "{out}"], {"urls": Slot("urls.csv", "sitemap_urls")}),
    "sitemap validate": Command(["sitemap", "validate", "{sitemap}"],
                                {"sitemap": Slot("sitemap.xml", text=SITEMAP)},
                                findings_ok=True),
    "duplicates find": Command(["duplicates", "find", "{pages}"],
                               {"pages": Slot("pages.csv", "pages_text")}),
    "utm lint": Command(["utm", "lint", "{sheet}"], {"sheet": Slot("sheet.csv", "utm_sheet")}),
    "utm lint --source-categories": Command(
        ["utm", "lint", "{sheet}", "--source-categories", "{cats}"],
        {"cats": Slot("cats.csv", "categories")}),
    "channels classify": Command(["channels", "classify", "{log}"],
                                 {"log": Slot("sessions.csv", "sessions")}),
    "channels classify --format csv": Command(
        ["channels", "classify", "{log}", "--format", "csv"],
        {"log": Slot("sessions.csv", "sessions")}),
    "channels classify --source-categories": Command(
        ["channels", "classify", "{log}", "--source-categories", "{cats}"],
        {"cats": Slot("cats.csv", "categories")}),
    "course roster": Command(["course", "roster", "{roster}", "--dir", "{course}"],
                             {"roster": Slot("roster.csv", "roster")}, course=True,
                             reader="kit.course.coursedir:read_roster"),
}
DEFAULT_SLOTS = {
    "map": Slot("map.csv", "map"), "new": Slot("new.csv", "new_pages"),
    "old": Slot("old.csv", "old_pages"), "crawl": Slot("crawl.csv", "crawl"),
    "sheet": Slot("sheet.csv", "utm_sheet"), "log": Slot("sessions.csv", "sessions"),
}


def fake_course(folder: Path) -> Path:
    """A course folder as `course init` leaves it, without nbgrader's generated copies."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(
        '"""written by `crosstalk course init`"""\nc = get_config()  # noqa: F821\n'
        "c.CourseDirectory.course_id = 'crosstalk'\n", encoding="utf-8")
    (folder / "source" / "01-redirects").mkdir(parents=True, exist_ok=True)
    return folder


def prepare(command: Command, folder: Path, variant: str | None) -> tuple[list[str], str, Path]:
    """Write the files for one case into ``folder``; ``(argv, the varied file's name, folder)``."""
    folder.mkdir(parents=True, exist_ok=True)
    values: dict[str, str] = {"out": str(folder / "out")}
    if command.course:
        values["course"] = str(fake_course(folder / "course"))
    varied = ""
    slots = {**DEFAULT_SLOTS, **command.slots}
    for key, slot in slots.items():
        if "{" + key + "}" not in command.argv:
            continue
        path = folder / slot.name
        text, table = slot.content()
        if key in command.slots and variant is not None:
            VARIANTS[variant][1](path, text, table)
            varied = slot.name
        else:
            path.write_text(text, encoding="utf-8")
        values[key] = str(path)
    return [part.format(**values) for part in command.argv], varied, folder


def _normal(text: str, folder: Path) -> str:
    return text.replace(str(folder), "<dir>")


def _names_it(result: Result, name: str) -> bool:
    return name in result.err or name in result.out


TABLE_ONLY = {"semicolon", "tab", "header_only", "duplicate_header", "ragged"}
CASES = [pytest.param(command, variant, id=f"{command}:{variant}")
         for command in COMMANDS for variant in VARIANTS
         if COMMANDS[command].tabular or variant not in TABLE_ONLY]


@pytest.fixture(scope="module")
def clean_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    return {}


def _check_with_reader(command: Command, tmp_path: Path, variant: str, kind: str) -> None:
    """The reader takes the variant as the clean file, or raises a located InputError."""
    import importlib

    from kit.errors import InputError

    module, _, function = command.reader.partition(":")
    read = getattr(importlib.import_module(module), function)
    (slot,) = command.slots.values()
    clean = tmp_path / "reader-clean" / slot.name
    clean.parent.mkdir()
    clean.write_text(slot.content()[0], encoding="utf-8")
    path = tmp_path / "reader-case" / slot.name
    path.parent.mkdir()
    VARIANTS[variant][1](path, *slot.content())
    try:
        got = read(path)
    except InputError as error:
        assert slot.name in str(error), str(error)
        return
    assert kind != "junk", f"{variant} read without complaint"
    if kind == "same":
        assert got.equals(read(clean))


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_file_inputs(capsys, tmp_path: Path, clean_results: dict[str, Result], name: str,
                     variant: str) -> None:
    command = COMMANDS[name]
    kind = VARIANTS[variant][0]
    if any(variant in slot.readable for slot in command.slots.values()):
        kind = "any"
    if command.reader:
        _check_with_reader(command, tmp_path, variant, kind)
        if kind != "junk":
            return
        clean_results.setdefault(name, Result(0, "", ""))
    if name not in clean_results:
        argv, _, folder = prepare(command, tmp_path / "clean", None)
        clean = run(capsys, argv)
        assert clean.code in (0, 1), f"the clean input fails: {clean.err}"
        clean_results[name] = Result(clean.code, _normal(clean.out, folder),
                                     _normal(clean.err, folder))
    argv, varied, folder = prepare(command, tmp_path / "case", variant)
    result = run(capsys, argv)
    assert "Traceback" not in result.text
    if result.code == 2:
        assert _names_it(result, varied), f"exit 2 without naming {varied}: {result.text}"
        assert len(result.text.strip()) > len(varied) + 10, result.text
        return
    clean_code = clean_results[name].code
    if command.findings_ok and kind != "any" and result.code == 1 and clean_code == 0:
        assert _names_it(result, varied), result.text
        return
    assert kind != "junk", f"{variant} accepted with exit {result.code}: {result.text[:500]}"
    if kind == "same":
        expected = clean_results[name]
        assert result.code == expected.code, result.text[:800]
        assert _normal(result.out, folder) == expected.out


# --- options: URLs, numbers, dates -----------------------------------------------------------

BAD_URLS = ["http://[::1", "http://bücher.example/ä ö", "javascript:alert(1)", "", "http://",
            "https://ex.com:99999/", "//ex.com/a"]

OPTION_CASES = [
    *[(["utm", "build", url, "--source", "s", "--medium", "m", "--campaign", "c"],
       f"{url!r} is not a") for url in BAD_URLS if "ü" not in url],
    *[(["utm", "lint", "{sheet}", "--base-url", url], "--base-url") for url in BAD_URLS if url],
    *[(["channels", "classify", "{log}", "--base-url", url], "--base-url")
      for url in BAD_URLS if url],
    *[(["redirects", "audit", "{map}", "--base-url", url], "--base-url") for url in BAD_URLS],
    *[(["redirects", "audit", "{map}", "--homepage", url], "--homepage") for url in BAD_URLS],
    *[(["seo", "audit", "{crawl}", "--base-url", url], "--base-url") for url in BAD_URLS],
    *[(["sitemap", "build", "{urls}", "--base-url", url, "--out-dir", "{out}"], "--base-url")
      for url in BAD_URLS],
    *[(["sitemap", "validate", "{sitemap}", "--base-url", url], "--base-url")
      for url in BAD_URLS],
    *[(["duplicates", "find", "{pages}", "--base-url", url], "--base-url") for url in BAD_URLS],
    (["sitemap", "build", "{urls}", "--base-url", "https://ex.com/", "--out-dir", "{out}",
      "--lastmod", "yesterday"], "--lastmod"),
    (["sitemap", "build", "{urls}", "--base-url", "https://ex.com/", "--out-dir",
      "{sheet}"], "--out-dir"),
    (["duplicates", "find", "{pages}", "--threshold", "5"], "--threshold"),
    (["duplicates", "find", "{pages}", "--threshold", "nan"], "--threshold"),
    (["redirects", "suggest", "{old}", "{new}", "--min-score", "2"], "--min-score"),
    (["redirects", "suggest", "{old}", "{new}", "--min-score", "nan"], "--min-score"),
    *[(["launch", "capacity", option, value], option) for option, value in [
        ("--reach", "-1"), ("--reach", "1e300"), ("--reach", "nan"), ("--ctr", "2"),
        ("--ctr", "-0.1"), ("--ctr", "inf"), ("--minutes", "0"), ("--minutes", "-5"),
        ("--minutes", "100000000"), ("--spike", "0"), ("--spike", "nan"), ("--spike-at", "-1"),
        ("--half-life", "0"), ("--servers", "0"), ("--servers", "-3"),
        ("--servers", "100000000"), ("--rps-per-server", "0"), ("--rps-per-server", "inf"),
        ("--cache-hit", "1.5"), ("--requests-per-visit", "0"), ("--timeout", "-1"),
        ("--max-lost", "2"), ("--max-lost", "nan"), ("--reach", "abc")]],
    (["launch", "readiness", "--launch-day", "-5"], "--launch-day"),
    (["launch", "readiness", "--launch-day", "100000000"], "--launch-day"),
    (["launch", "readiness", "--it-joins", "yesterday"], "--it-joins"),
    (["launch", "readiness", "--it-joins", "-3"], "--it-joins"),
    (["redirects", "audit", "{map}", "--format", "xml"], "--format"),
    (["redirects", "audit", "{map}", "--out", "{out}/missing/findings.csv"], "findings.csv"),
    (["redirects", "audit", "{map}", "--out", "{folder}"], "--out"),
    (["utm", "lint", "{sheet}", "--out", "{folder}"], "--out"),
]


@pytest.mark.parametrize(("argv", "names"), [pytest.param(a, n, id=" ".join(a)[:90])
                                             for a, n in OPTION_CASES])
def test_bad_options(capsys, tmp_path: Path, argv: list[str], names: str) -> None:
    slots = {"urls": Slot("urls.csv", "sitemap_urls"), "sitemap": Slot("sitemap.xml", text=SITEMAP),
             "pages": Slot("pages.csv", "pages_text"), **DEFAULT_SLOTS}
    values = {"out": str(tmp_path / "out"), "folder": str(tmp_path)}
    for key, slot in slots.items():
        path = tmp_path / slot.name
        path.write_text(slot.content()[0], encoding="utf-8")
        values[key] = str(path)
    result = run(capsys, [part.format(**values) for part in argv])
    assert result.code == 2, f"exit {result.code}: {result.text[:600]}"
    assert names in result.err, result.err
    assert "Traceback" not in result.err


def test_utm_build_encodes_spaces_and_international_hosts(capsys) -> None:
    result = run(capsys, ["utm", "build", "https://ex.com/a page", "--source", "news letter",
                          "--medium", "email", "--campaign", "spring sale"])
    assert result.code == 0, result.err
    assert result.out.strip() == ("https://ex.com/a%20page?utm_source=news%20letter&"
                                  "utm_medium=email&utm_campaign=spring%20sale")
    result = run(capsys, ["utm", "build", "http://bücher.example/ä ö", "--source", "s",
                          "--medium", "m", "--campaign", "c"])
    assert result.code == 0, result.err
    assert result.out.strip() == ("http://xn--bcher-kva.example/%C3%A4%20%C3%B6?utm_source=s&"
                                  "utm_medium=m&utm_campaign=c")


# --- course commands: paths that are not what they should be --------------------------------

COURSE_CASES = [
    (["collect", "{missing}", "01-redirects", "{file}"], "{missing}"),
    (["collect", "{file}", "01-redirects", "{file}"], "{file}"),
    (["collect", "{course}", "99-nope", "{file}"], "99-nope"),
    (["grade", "{missing}", "01-redirects"], "{missing}"),
    (["grade", "{course}", "01-redirects", "--jobs", "0"], "--jobs"),
    (["feedback", "{missing}", "01-redirects"], "{missing}"),
    (["feedback", "{course}", "99-nope"], "99-nope"),
    (["report", "{missing}"], "{missing}"),
    (["report", "{course}", "--out", "{course}"], "--out"),
    (["report", "{course}", "--out", "{missing}/report.html"], "--out"),
    (["course", "init", "{file}"], "{file}"),
    (["course", "init", "/proc/crosstalk-course"], "/proc/crosstalk-course"),
    (["course", "init", "{course}", "--solutions", "{missing}"], "{missing}"),
    (["course", "roster", "{file}", "--dir", "{missing}"], "{missing}"),
    (["demo-cohort", "{nonempty}"], "{nonempty}"),
    (["demo-cohort", "{file}"], "{file}"),
    (["demo-cohort", "{missing}", "--learners", "0"], "--learners"),
    (["notebooks", "refresh", "{missing}"], "{missing}"),
    (["notebooks", "refresh", "{folder}"], "{folder}"),
    (["notebooks", "refresh", "{file}"], "{file}"),
    (["exercises", "build", "--root", "{missing}"], "{missing}"),
    (["exercises", "build", "--root", "{folder}"], "{folder}"),
    (["exercises", "build", "--check", "--root", "{folder}"], "{folder}"),
    (["handout", "{nonempty}"], "{nonempty}"),
    (["handout", "{file}"], "{file}"),
    (["schedule", "{missing}"], "{missing}"),
    (["schedule", "{folder}"], "{folder}"),
    (["schedule", "--check", "{file}"], "{file}"),
]


@pytest.mark.parametrize(("argv", "names"), [pytest.param(a, n, id=" ".join(a)[:80])
                                             for a, n in COURSE_CASES])
def test_course_paths(capsys, tmp_path: Path, argv: list[str], names: str) -> None:
    values = {"missing": str(tmp_path / "no-such-thing"), "file": str(tmp_path / "notes.csv"),
              "course": str(fake_course(tmp_path / "course")),
              "nonempty": str(tmp_path / "busy"), "folder": str(tmp_path / "plain")}
    Path(values["file"]).write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "thesis.docx").write_text("precious", encoding="utf-8")
    (tmp_path / "plain").mkdir()
    result = run(capsys, [part.format(**values) for part in argv])
    assert result.code == 2, f"exit {result.code}: {result.text[:600]}"
    assert names.format(**values) in result.err, result.err
    assert (tmp_path / "busy" / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_exercises_build_outside_a_course_says_so(capsys, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for argv in (["exercises", "build", "--check"], ["notebooks", "refresh"]):
        result = run(capsys, argv)
        assert result.code == 2, result.text
        assert "nbgrader_config.py" in result.err and str(tmp_path) in result.err


def test_sitemap_build_never_takes_a_path_for_a_url(capsys, tmp_path: Path) -> None:
    for path in (tmp_path / "typo.csv", tmp_path):
        result = run(capsys, ["sitemap", "build", str(path), "--base-url", "https://ex.com/",
                              "--out-dir", str(tmp_path / "out")])
        assert result.code == 2 and str(path.name) in result.err, result.text
        assert not (tmp_path / "out" / "sitemap.xml").exists()


def test_sitemap_validate_keeps_files_of_the_same_name_apart(capsys, tmp_path: Path) -> None:
    good, bad = tmp_path / "a" / "sitemap.xml", tmp_path / "b" / "sitemap.xml"
    good.parent.mkdir()
    bad.parent.mkdir()
    good.write_text(SITEMAP, encoding="utf-8")
    bad.write_text(SITEMAP.replace("https://ex.com/</loc>", "not a url</loc>"), encoding="utf-8")
    result = run(capsys, ["sitemap", "validate", str(good), str(bad)])
    assert result.code == 1
    lines = dict(line.split(": ", 1) for line in result.out.splitlines()[:2])
    assert lines[str(good)] == "valid" and lines[str(bad)].startswith("1 error")


def test_redirects_export_does_not_drop_a_duplicated_source(capsys, tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text("source,target\n/a,/b\n/x,/y\n/a,/c\n", encoding="utf-8")
    result = run(capsys, ["redirects", "export", str(path), "--format", "nginx"])
    assert result.code == 2
    assert "map.csv line 4" in result.err and "/a" in result.err


if os.name != "posix":  # pragma: no cover
    pytest.skip("POSIX paths", allow_module_level=True)


@pytest.mark.parametrize(("statuses", "code"), [
    (["graded", "failed", "failed"], 1), (["graded", "needs manual grading"], 0), ([], 1)])
def test_grade_exit_code_follows_the_policy(capsys, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            statuses: list[str], code: int) -> None:
    import kit.course.grade as grade

    def fake(course, assignment, **options):
        outcomes = [grade.Outcome(learner=f"l{i}", assignment=assignment, status=status,
                                  reason="kernel died" if status == "failed" else "",
                                  sandboxed=True)
                    for i, status in enumerate(statuses)]
        return grade.GradeRun(assignment, outcomes)

    monkeypatch.setattr(grade, "grade_assignment", fake)
    result = run(capsys, ["grade", str(fake_course(tmp_path / "course")), "01-redirects"])
    assert result.code == code, result.text
    if not statuses:
        assert "nothing to grade" in result.out
