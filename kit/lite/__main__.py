"""``python -m kit.lite build|check|serve``: ``crosstalk lite ...`` under its old name.

The Makefile (``make lite``) runs this; it is the same parser and the same exit codes as
``crosstalk lite`` (see :mod:`kit.lite.commands`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``crosstalk lite`` with ``argv``; returns the exit status."""
    from kit.cli import main as crosstalk

    return crosstalk(["lite", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
