"""``crosstalk exercises build [--check]``: keep ``exercises/`` generated from ``solutions/``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.errors import InputError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``exercises`` command group to the ``crosstalk`` parser."""
    exercises = subparsers.add_parser(
        "exercises",
        help="learners' notebooks generated from solutions/ with nbgrader",
        description="Generate the learners' exercises/ from the instructor's solutions/.",
    )
    actions = exercises.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="regenerate exercises/ from solutions/",
        description="Regenerate exercises/ from solutions/ with nbgrader generate_assignment, "
                    "in a temporary course directory (no gradebook.db is left behind).",
    )
    build.add_argument("--check", action="store_true",
                       help="build into a temporary folder and exit 1 if exercises/ is stale")
    build.add_argument("--root", type=Path, default=None,
                       help="course root with nbgrader_config.py (default: found from the cwd)")
    build.set_defaults(handler=run_build)

    notebooks = subparsers.add_parser(
        "notebooks",
        help="re-run workshop notebooks so their stored outputs are current",
        description="Run each workshop notebook top to bottom in a fresh kernel and store "
                    "its outputs (widget state dropped), as the nbval tests expect.",
    )
    notebook_actions = notebooks.add_subparsers(dest="action", metavar="ACTION", required=True)
    refresh = notebook_actions.add_parser("refresh", help="execute notebooks in place")
    refresh.add_argument("paths", nargs="*", type=Path,
                         help="notebooks to refresh (default: workshops/*.ipynb)")
    refresh.set_defaults(handler=run_refresh)

    from kit.course.team_commands import register_team

    register_team(subparsers)


def run_refresh(args: argparse.Namespace) -> int:
    """Refresh the given notebooks (or all of workshops/); 1 if any failed, each reported."""
    from kit.course.exercises import find_course_root
    from kit.course.notebooks import refresh_notebook

    paths = args.paths or sorted((find_course_root() / "workshops").glob("*.ipynb"))
    failed = 0
    for path in paths:
        try:
            refresh_notebook(path)
            print(f"refreshed {path}")
        except InputError as error:
            failed += 1
            print(f"FAILED {error}")
    return 1 if failed else 0


def run_build(args: argparse.Namespace) -> int:
    """Build (or with ``--check`` compare) the exercises; 1 when ``--check`` finds stale files."""
    from kit.course.exercises import find_course_root, stale_exercises, write_exercises

    root = args.root.resolve() if args.root else find_course_root()
    if args.check:
        stale = stale_exercises(root)
        if stale:
            print(f"exercises/ is stale: {len(stale)} file(s) differ from a fresh build.")
            for change in stale:
                print(f"  - {change}")
            print("Run `crosstalk exercises build` and commit the result.")
            return 1
        print("exercises/ is up to date.")
        return 0
    changes = write_exercises(root)
    verbs = {"missing": "added", "extra": "removed", "differs": "updated"}
    for change in changes:
        print(f"{verbs.get(change.change, change.change)} {change.path}")
    print("exercises/ rebuilt" + ("; no changes." if not changes else f": {len(changes)} file(s)."))
    return 0
