"""``crosstalk``: the kit on the command line.

Each sub-package that offers commands has a ``commands`` module with a
``register(subparsers)`` function; this file only wires them together and turns
:class:`~kit.errors.InputError` into a clear message and exit code 2, and a missing optional
extra (``course``, ``workshop``, ``postgres``) into the line that installs it.  Options
several commands share (``--out``/``--format``, ``--base-url``, ``--encoding``,
``--quiet``...) live in :mod:`kit.cli_options`.  The conventions (``crosstalk MODULE
VERB``, one exit-code policy: 0 clean, 1 findings or failed items, 2 unusable input) are
in :data:`EPILOG` and docs/cli.md; tests/unit/test_cli_exit_codes.py holds every command
to them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kit.cli_options import add_quiet_option, applied
from kit.errors import InputError
from kit.output import EXIT_CODES

__all__ = ["main"]

COMMAND_MODULES = (
    "kit.redirects.commands",
    "kit.seo.commands",
    "kit.duplicates.commands",
    "kit.tracking.commands",
    "kit.launch.commands",
    "kit.lite.commands",
    "kit.course.commands",
    "kit.schedule",
    "kit.room.cli",
)
"""Where each command group is registered: one ``register(subparsers)`` per module."""


EPILOG = EXIT_CODES + """\
     and also for a usage error (unknown option, missing argument)
Each command's --help says what 1 and 2 mean for it.

conventions (docs/cli.md):
  crosstalk MODULE VERB [INPUT] [options], e.g. crosstalk seo audit site/
  --out FILE and --format table|csv|json: where a result goes and in which form
  --base-url URL: the site's base URL (old names --origin and --site still work, with
    a deprecation note on stderr)
  exceptions: the course commands (collect, grade, feedback, report, handout,
    demo-cohort) keep nbgrader's one-word verbs; schedule checks the facilitator guide
"""
"""The top-level ``--help`` epilog: the exit-code policy and the conventions."""


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one sub-command group per kit module."""
    parser = argparse.ArgumentParser(
        prog="crosstalk",
        description="Crosstalk: the tools behind the Marketing x IT workshop.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_quiet_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


EXTRAS = {
    "nbgrader": "course", "nbformat": "course", "nbconvert": "course", "nbclient": "course",
    "jupyter_client": "course", "jupyterlab": "workshop", "ipywidgets": "workshop",
    "plotly": "workshop", "anywidget": "workshop", "psycopg": "postgres", "tornado": "room",
}
"""Packages that only an optional extra installs, and that extra's name."""


def missing_extra(error: ModuleNotFoundError) -> str | None:
    """The extra that would install the module ``error`` could not find, if any."""
    top = (error.name or "").partition(".")[0]
    return EXTRAS.get(top)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 2 with a located message on bad input."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with applied(args):  # --encoding, --delimiter, --skip-lines, --quiet
            return int(args.handler(args) or 0)
    except InputError as error:
        print(f"crosstalk: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a file the checks above could not foresee (permissions, disk)
        where = f" {error.filename!r}" if error.filename else ""
        print(f"crosstalk {args.command}:{where} {error.strerror or error}.\n"
              "Check the path and that you may read (or write) it.", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        extra = missing_extra(error)
        if extra is None:
            raise
        print(f"crosstalk {args.command}: needs the '{extra}' extra ({error.name} is not "
              f"installed). Install it with: pip install 'crosstalk-kit[{extra}]'",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
