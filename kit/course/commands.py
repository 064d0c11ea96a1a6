"""``crosstalk exercises build``, ``notebooks refresh`` and ``handout``: the facilitator's material.

``exercises/`` stays generated from ``solutions/``; ``handout DIR`` writes the learners' copy.
"""

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

    handout = subparsers.add_parser(
        "handout",
        help="the learners' copy: workshops, exercises and the kit, without answers",
        description="Write DIR for learners' laptops: the numbered workshops, GLOSSARY.md, "
                    "exercises/ built now from solutions/, the kit as a wheel, a README and "
                    "a Makefile whose `make lab` installs the kit and starts JupyterLab. No "
                    "solutions, hidden tests, rubric samples, facilitator guide or team-lead "
                    "notebook: the command refuses to finish if any answer line is inside.",
        epilog="Exit codes: 0 written; 2 DIR is not empty, or the copy would hold an answer.")
    handout.add_argument("dir", type=Path, help="a new (or empty) folder for the copy")
    handout.add_argument("--no-wheel", action="store_true",
                         help="leave out the kit's wheel; the README then names the package "
                              "(crosstalk-kit) to install from the package index")
    handout.set_defaults(handler=run_handout)

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


def run_handout(args: argparse.Namespace) -> int:
    """Write the learners' copy; 2 (through InputError) when it cannot be written clean."""
    from kit.course.handout import write_handout

    target = write_handout(args.dir, wheel=not args.no_wheel)
    print(f"Learners' copy written to {target}")
    print("Give learners this folder (a zip of it, or a shared drive). They run `make lab` in "
          "it; the README says how without make.")
    return 0


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
