"""Options several ``crosstalk`` commands share, defined once.

* :func:`add_csv_options` gives a command that reads CSV files ``--encoding``,
  ``--delimiter`` and ``--skip-lines``;
* :func:`add_quiet_option` gives a command with progress bars ``--quiet``.

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

__all__ = ["add_csv_options", "add_quiet_option", "applied"]


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
