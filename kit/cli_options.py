"""Options several ``crosstalk`` commands share, defined once.

* :func:`add_csv_options` gives a command that reads CSV files ``--encoding``,
  ``--delimiter`` and ``--skip-lines``;
* :func:`add_quiet_option` gives a command with progress bars ``--quiet``;
* :func:`add_output_options` gives a command that writes a result ``--out`` and, when the
  result has more than one form, ``--format``;
* :func:`add_base_url_option` gives a command that needs to know the site ``--base-url``
  (the one name for it: crawlers such as Screaming Frog and wget call it that), with the
  old spellings (``--origin``, ``--site``) kept as hidden aliases that still work and say
  once, on stderr, that they are deprecated.

:func:`applied` (used by :func:`kit.cli.main` around every handler) turns the parsed values
into the :func:`kit.csvformat.reading` and :func:`kit.progress.quiet` blocks, so every loader
the command reaches reads files the way the user said.  This module imports neither
pandas nor tqdm: the command line starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kit.csvformat import parse_delimiter, reading, valid_encoding
from kit.progress import QUIET_ENV, quiet

__all__ = [
    "BASE_URL_HELP",
    "FORMATS",
    "add_base_url_option",
    "add_csv_options",
    "add_output_options",
    "add_quiet_option",
    "applied",
]

FORMATS = ("table", "csv", "json")
"""The forms of a findings-like result: for people, for spreadsheets, for tools."""

BASE_URL_HELP = "the site's base URL, e.g. https://www.example.com/"
"""How every ``--base-url`` help text starts, whatever the command uses it for."""

DEPRECATED_BASE_URL = ("--origin", "--site")
"""Old names of ``--base-url``: still accepted, hidden from ``--help``, noted on stderr."""


def _encoding(value: str) -> str:
    try:
        return valid_encoding(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _delimiter(value: str) -> str:
    try:
        return parse_delimiter(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _lines(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of lines (0 or more)")
    return count


def add_csv_options(parser: argparse.ArgumentParser) -> None:
    """``--encoding``, ``--delimiter`` and ``--skip-lines`` for every CSV the command reads."""
    group = parser.add_argument_group(
        "reading CSV files",
        "Files are read as UTF-8 (with or without BOM; UTF-16 when a BOM says so) and\n"
        "the delimiter (comma, semicolon, tab or pipe) is detected. These options apply\n"
        "to every CSV file the command reads.")
    group.add_argument("--encoding", type=_encoding, metavar="NAME",
                       help="the encoding of files saved without a byte-order mark, e.g. "
                       "cp1252 (Excel's 'CSV' on Western-European Windows), latin-1, "
                       "utf-16-le (default: UTF-8; a byte-order mark always wins)")
    group.add_argument("--delimiter", type=_delimiter, metavar="CHAR",
                       help="the field separator, one of , ; tab | (default: detected)")
    group.add_argument("--skip-lines", type=_lines, metavar="N",
                       help="lines to skip above the header, e.g. 1 for a title line "
                       "(default: 0)")


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bars (they only ever appear on a terminal)."""
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help=f"no progress bars (also: {QUIET_ENV}=1); bars are only drawn "
                        "when stderr is a terminal")


def add_output_options(parser: argparse.ArgumentParser, *,
                       formats: tuple[str, ...] | None = FORMATS, default: str | None = "table",
                       what: str = "the findings",
                       format_help: str | None = None) -> None:
    """``--out FILE`` (write ``what`` there instead of stdout) and ``--format``.

    ``formats=None`` gives ``--out`` only (a result with one form, e.g. a CSV map);
    ``default=None`` makes ``--format`` required (e.g. ``redirects export``, whose forms
    are server configurations).  Both options land in the group "output", so every
    command's ``--help`` shows them in the same place with the same words.
    """
    group = _group(parser, "output")
    if formats is not None:
        group.add_argument(
            "--format", choices=formats, default=default, required=default is None,
            help=format_help or f"how to print {what}"
            + (f" (default: {default})" if default is not None else ""))
    group.add_argument("--out", metavar="FILE",
                       help=f"write {what} to FILE instead of stdout (a .csv file starts "
                       "with a UTF-8 byte-order mark, for Excel)")


def _group(parser: argparse.ArgumentParser, title: str) -> argparse._ArgumentGroup:
    """The argument group ``title`` of ``parser``, made on first use."""
    for group in parser._action_groups:
        if group.title == title:
            return group
    return parser.add_argument_group(title)


class _DeprecatedAlias(argparse.Action):
    """An old spelling of an option: stores into the new one's ``dest`` and says so once."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        print(f"crosstalk: note: {option_string} is deprecated; use {self.metavar} "
              "(same meaning).", file=sys.stderr)


def add_base_url_option(parser: argparse.ArgumentParser, detail: str, *,
                        required: bool = False) -> None:
    """``--base-url URL``: the site's base URL, the one name every command uses for it.

    ``detail`` says what this command does with it (it follows :data:`BASE_URL_HELP`).
    The old names ``--origin`` and ``--site`` are hidden aliases: they still work and
    print a one-line deprecation note on stderr.  The value lands in ``args.base_url``.
    """
    parser.add_argument("--base-url", metavar="URL", required=required,
                        help=f"{BASE_URL_HELP}: {detail}")
    parser.add_argument(*DEPRECATED_BASE_URL, dest="base_url", action=_DeprecatedAlias,
                        metavar="--base-url", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)


def _note(message: str) -> None:
    print(f"crosstalk: note: {message}", file=sys.stderr)


@contextmanager
def applied(args: argparse.Namespace) -> Iterator[None]:
    """Run the block with the reading options and quietness ``args`` carries."""
    with reading(encoding=getattr(args, "encoding", None),
                 delimiter=getattr(args, "delimiter", None),
                 skip_lines=getattr(args, "skip_lines", None), on_note=_note), \
            quiet(bool(getattr(args, "quiet", False))):
        yield
