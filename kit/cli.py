"""``crosstalk``: the kit on the command line.

Each sub-package that offers commands has a ``commands`` module with a
``register(subparsers)`` function; this file only wires them together and turns
:class:`~kit.errors.InputError` into a clear message and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kit.errors import InputError

__all__ = ["main"]

COMMAND_MODULES = (
    "kit.redirects.commands",
    "kit.seo.commands",
    "kit.duplicates.commands",
    "kit.tracking.commands",
    "kit.launch.commands",
    "kit.course.commands",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one sub-command group per kit module."""
    parser = argparse.ArgumentParser(
        prog="crosstalk",
        description="Crosstalk: the tools behind the Marketing x IT workshop.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is None or not name.startswith(error.name):
                raise  # a real import error inside an existing module
            continue  # that module is not part of this installation
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 2 with a located message on bad input."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except InputError as error:
        print(f"crosstalk: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
