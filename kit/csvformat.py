"""What a CSV file's bytes are: its text encoding and its delimiter.

:func:`decode` turns the bytes into text (UTF-8 with or without BOM; UTF-8, UTF-16 and
UTF-32 when a byte-order mark says so; any other encoding only when the user names it)
and refuses, naming the first undecodable byte's line and column, instead of guessing
between look-alike single-byte encodings such as cp1252 and latin-1.

:func:`sniff` picks the delimiter among ``,`` ``;`` tab and ``|`` from the header line and
a sample of records: the one whose records have the header's number of fields.  It also
recognises a title line above the header (older Screaming Frog exports).
:mod:`csv`'s own ``Sniffer`` is not used: it guesses from character frequencies and
picks a letter or a space as delimiter on ordinary files.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from kit.errors import InputError

__all__ = ["DELIMITERS", "Decoded", "Layout", "ReadOptions", "current_options", "decode",
           "delimiter_name", "parse_delimiter", "physical_lines", "reading", "records", "sniff",
           "valid_encoding"]

DELIMITERS = (",", ";", "\t", "|")
"""Delimiters tried, in order of preference when two fit a file equally well."""

_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_ALIASES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|",
            "bar": "|", **{d: d for d in DELIMITERS}}

_BOMS = (  # longest first: a UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)
_SAMPLE = 50
"""Records (after the header) the sniffer compares."""
_SAMPLE_CHARS = 1 << 20
"""Characters the sniffer looks at: a 50 MB HTML cell is parsed once, not once per delimiter."""

FIELD_LIMIT = 2**31 - 1
"""The :mod:`csv` field size limit the kit sets (process-wide, once): a saved page's HTML in
one cell is often over the default 128 KiB; the real bound is memory (2**31 - 1 is the
largest value every platform's C long accepts)."""

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

ENCODING_HINT = ("re-run with --encoding cp1252 (Excel on Western-European Windows; "
                 "encoding='cp1252' in Python) or the file's own encoding, or save it as "
                 "\"CSV UTF-8\"")


def delimiter_name(delimiter: str) -> str:
    """``comma``, ``semicolon``, ``tab``, ``pipe`` or the character quoted."""
    return _NAMES.get(delimiter, repr(delimiter))


def parse_delimiter(value: str) -> str:
    """A delimiter from what a user types (``;``, ``tab``, ``\\t``, ``pipe``...).

    Raises ValueError naming the accepted spellings.
    """
    found = _ALIASES.get(value.strip().lower() if value.strip() else value)
    if found is None:
        raise ValueError(f"{value!r} is not a delimiter the kit reads; use one of "
                         "comma (,), semicolon (;), tab or pipe (|)")
    return found


def valid_encoding(value: str) -> str:
    """``value`` when Python knows an encoding by that name; ValueError naming examples."""
    try:
        codecs.lookup(value)
    except LookupError:
        raise ValueError(f"{value!r} is not an encoding Python knows; common ones are "
                         "utf-8, cp1252 (Excel on Western-European Windows), latin-1, "
                         "utf-16") from None
    return value


@dataclass(frozen=True)
class Decoded:
    """A file's text and how it was decoded (``encoding`` as a person would say it)."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def decode(data: bytes, name: str, *, encoding: str | None = None) -> Decoded:
    """The text of ``data`` (a file called ``name``), or an InputError saying what to do.

    A byte-order mark decides the encoding (it cannot be a coincidence); otherwise
    ``encoding`` when given, else UTF-8.  Bytes that are not UTF-8 are refused with the
    line and column of the first one: cp1252, latin-1 and their cousins decode any byte,
    so guessing between them would silently change characters.
    """
    named = None
    if encoding is not None:
        try:
            named = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"{name}: encoding {encoding!r} is not one Python knows.",
                             hint="Common ones: utf-8, cp1252, latin-1, utf-16.") from None
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            notes: tuple[str, ...] = ()
            if named is not None and named not in (codecs.lookup(codec).name, *_family(label)):
                notes = (f"{name} starts with a {label} byte-order mark; read as {label}, "
                         f"not as {encoding}.",)
            return Decoded(_decode(data, codec, name, label), label, notes)
    if encoding is not None and named is not None:
        label = "UTF-8" if named in ("utf-8", "utf-8-sig") else named
        return Decoded(_decode(data, encoding, name, label), label)
    for signature, what, remedy in _NOT_TEXT:
        if data.startswith(signature):
            raise InputError(f"{name}: this is {what}, not a CSV file.", hint=remedy)
    utf16 = _utf16_without_bom(data)
    if not utf16 and b"\x00" in data[:4096]:
        line, column = _position(data, data.index(b"\x00"), "utf-8")
        raise InputError(f"{name} line {line} column {column}: a zero byte; this is a binary "
                         "file (or UTF-16/UTF-32 text without a byte-order mark), not CSV text.",
                         hint="Export the data as CSV (\"CSV UTF-8\" in Excel), or re-run with "
                              "--encoding NAME if it is text in another encoding.")
    if utf16:
        raise InputError(
            f"{name}: the file looks like {utf16} text without a byte-order mark (every "
            "other byte is zero), not UTF-8.",
            hint=f"Re-run with --encoding {utf16.lower().replace(' ', '-')} "
                 f"(encoding='{utf16.lower().replace(' ', '-')}' in Python).")
    return Decoded(_decode(data, "utf-8", name, "UTF-8"), "UTF-8")


_NOT_TEXT = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or OpenDocument workbook?)",
     "Open it in the spreadsheet program and save it as \"CSV UTF-8 (Comma delimited)\"."),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook",
     "Open it in Excel and save it as \"CSV UTF-8 (Comma delimited)\"."),
    (b"\x1f\x8b", "a gzip-compressed file", "Unpack it first (gunzip FILE), then give the CSV."),
)
"""Files people hand over instead of a CSV, recognised by their first bytes."""


def _family(label: str) -> tuple[str, ...]:
    """Codec names that agree with a byte-order mark's encoding."""
    if label.startswith("UTF-16"):
        return ("utf-16", "utf-16-le", "utf-16-be")
    if label.startswith("UTF-32"):
        return ("utf-32", "utf-32-le", "utf-32-be")
    return ("utf-8", "utf-8-sig")


def _utf16_without_bom(data: bytes) -> str:
    """``UTF-16 LE`` / ``UTF-16 BE`` when the zeros of ASCII text in UTF-16 show, else ''."""
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 4:
        return ""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 3 * max(even, 1):
        return "UTF-16 LE"
    if even > 3 * max(odd, 1):
        return "UTF-16 BE"
    return ""


def _decode(data: bytes, codec: str, name: str, label: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start, codec)
        bad = data[error.start:error.end][:4].hex(" ").upper()
        if label == "UTF-8":
            what = (f"{name} line {line} column {column}: byte {bad} is not UTF-8; the "
                    "file was saved in another encoding (cp1252, latin-1, ...).")
            hint = ENCODING_HINT[0].upper() + ENCODING_HINT[1:] + "."
        else:
            what = (f"{name} line {line} column {column}: "
                    + (f"byte {bad} is" if error.end - error.start == 1 else f"bytes {bad} are")
                    + f" not valid {label} ({error.reason}).")
            hint = ("Check the encoding the file was saved in and re-run with --encoding "
                    "NAME, or save it as \"CSV UTF-8\".")
        raise InputError(what, hint=hint) from None


def _position(data: bytes, start: int, codec: str) -> tuple[int, int]:
    """Physical line and column (both from 1) of byte ``start``."""
    prefix = data[:start].decode(codec, errors="replace")
    if prefix.startswith("\ufeff"):
        prefix = prefix[1:]
    breaks = list(_LINE_BREAK.finditer(prefix))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(prefix) - line_start + 1


def physical_lines(text: str) -> int:
    """How many line breaks ``text`` has, counted as :mod:`csv` and editors count them."""
    return len(_LINE_BREAK.findall(text))


def records(text: str, delimiter: str, *, first_line: int = 1
            ) -> Iterator[tuple[int, list[str]]]:
    """Each record of ``text`` with the physical line it starts on (blank ones included).

    Cells of any size are read (see :data:`FIELD_LIMIT`).  Raises :class:`csv.Error` as
    :mod:`csv` does (rarely: the dialect is not strict).
    """
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        skipinitialspace=True)
    start = 1
    for record in reader:
        yield start + first_line - 1, record
        start = reader.line_num + 1


@dataclass(frozen=True)
class Layout:
    """What :func:`sniff` found: the delimiter, whether a title line precedes the header,
    and the other delimiters that would have fitted as well (when the choice was close)."""

    delimiter: str
    title: bool = False
    also_fits: tuple[str, ...] = field(default=())


def sniff(text: str, delimiters: tuple[str, ...] = DELIMITERS) -> Layout:
    """The delimiter of ``text`` (the header line plus up to 50 records of its first MiB).

    A delimiter fits when the header splits into two or more fields and no sampled record
    has more fields than the header; among those that fit, the one under which most records
    have exactly the header's count wins, then the one giving more columns, then the order
    of ``delimiters``.  A single-column file reads with the first of ``delimiters``.
    When no delimiter fits, or the best one's header has a single filled cell, and the
    first line has a single filled cell above a line that fits, that first line is a title.
    """
    plain: list[tuple[tuple[bool, float, int], int, str]] = []
    titled: list[tuple[tuple[bool, float, int], int, str]] = []
    first_cells: dict[str, int] = {}
    head = text[:_SAMPLE_CHARS]
    cut = len(text) > len(head)
    for rank, delimiter in enumerate(delimiters):
        sample = [record for _, record in itertools.islice(
            ((line, r) for line, r in records(head, delimiter) if _filled(r)), _SAMPLE + 2)]
        if cut:  # the last record may be cut short
            sample = sample[:-1]
        if not sample:
            continue
        first_cells[delimiter] = sum(bool(cell.strip()) for cell in sample[0])
        score = _score(sample[0], sample[1:_SAMPLE + 1])
        if score is not None:
            plain.append((score, -rank, delimiter))
        score = _score(sample[1], sample[2:]) if _titled(sample) else None
        if score is not None and score[0] and score[1] >= 0.5:
            titled.append((score, -rank, delimiter))
    best = max(plain, default=None)
    if best is not None and best[0][0] and first_cells[best[2]] > 1:
        return Layout(best[2], False, _ties(plain, best))
    if titled:
        best_title = max(titled)
        return Layout(best_title[2], True, _ties(titled, best_title))
    if best is not None:
        return Layout(best[2], False, _ties(plain, best))
    return Layout(delimiters[0])


def _ties(scored: list[tuple[tuple[bool, float, int], int, str]],
          best: tuple[tuple[bool, float, int], int, str]) -> tuple[str, ...]:
    """The other delimiters that fit as well as ``best`` (same fit, same share)."""
    return tuple(d for score, _, d in sorted(scored, reverse=True)
                 if d != best[2] and score[0] and score[:2] == best[0][:2])


def _titled(sample: list[list[str]]) -> bool:
    """One filled cell over a line of two or more filled cells that are no URLs."""
    return (len(sample) >= 2 and sum(bool(c.strip()) for c in sample[0]) == 1
            and sum(bool(c.strip()) for c in sample[1]) >= 2
            and not any("://" in cell for cell in sample[1]))


def _filled(record: list[str]) -> bool:
    return any(cell.strip() for cell in record)


def _score(header: list[str], sample: list[list[str]]) -> tuple[bool, float, int] | None:
    """(no record longer than the header, share with exactly its fields, field count)."""
    width = len(header)
    if width < 2:
        return None
    if not sample:
        return (True, 1.0, width)
    exact = sum(len(record) == width for record in sample) / len(sample)
    return (all(len(record) <= width for record in sample), exact, width)


# --- the user's reading options, set once per command -----------------------------------


@dataclass(frozen=True)
class ReadOptions:
    """How the user asked for CSV files to be read (``None``: detect)."""

    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int | None = None
    on_note: Callable[[str], None] | None = None


_DEFAULTS = ReadOptions()
_OPTIONS: ContextVar[ReadOptions] = ContextVar("kit_csv_read_options", default=_DEFAULTS)


def current_options() -> ReadOptions:
    """The options of the innermost :func:`reading` block (defaults outside any)."""
    return _OPTIONS.get()


@contextmanager
def reading(*, encoding: str | None = None, delimiter: str | None = None,
            skip_lines: int | None = None,
            on_note: Callable[[str], None] | None = None) -> Iterator[None]:
    """Read every CSV file inside the block with these options (``crosstalk --encoding``).

    The command line sets them once per command, so every loader below it (however deep)
    reads the file the way the user said, without each function passing them on.
    An explicit keyword of :func:`kit.tables.read_table` still wins.  ``on_note`` receives
    remarks such as an ambiguous delimiter (default: a :class:`TableNote` warning).
    """
    token = _OPTIONS.set(ReadOptions(encoding, delimiter, skip_lines, on_note))
    try:
        yield
    finally:
        _OPTIONS.reset(token)
