"""``crosstalk exercises build``, ``notebooks refresh`` and ``handout``: the facilitator's material.

``exercises/`` stays generated from ``solutions/``; ``handout DIR`` writes the learners' copy.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kit.errors import InputError

__all__ = ["register"]

_BUILD_EPILOG = """\
exit status:
  0  exercises/ was rebuilt (or, with --check, is up to date)
  1  with --check: exercises/ is stale (the files that differ are listed)
  2  no course here: no nbgrader_config.py in --root (or in the current folder or any
     folder above it), or a solution notebook cannot be built (the cell is named)
"""
_HANDOUT_EPILOG = """\
exit status:
  0  the learners' copy was written
  2  DIR is a file or a folder that is not empty, or the copy would hold an answer line
     (nothing is left behind then)
"""
_REFRESH_EPILOG = """\
exit status:
  0  every notebook ran and was saved
  1  some notebooks failed (each is named with the failing cell; the file is unchanged)
  2  a path is not a notebook (missing, a folder, not .ipynb, not readable), or no
     workshops/ folder is found from the current folder; nothing was run
"""


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
        epilog=_BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("--check", action="store_true",
                       help="build into a temporary folder and exit 1 if exercises/ is stale")
    build.add_argument("--root", type=Path, default=None, metavar="DIR",
                       help="course root with nbgrader_config.py (default: the current folder "
                            "or the nearest folder above it that has one)")
    build.set_defaults(handler=run_build)

    notebooks = subparsers.add_parser(
        "notebooks",
        help="re-run workshop notebooks so their stored outputs are current",
        description="Run each workshop notebook top to bottom in a fresh kernel and store "
                    "its outputs (widget state dropped), as the nbval tests expect.",
    )
    notebook_actions = notebooks.add_subparsers(dest="action", metavar="ACTION", required=True)
    refresh = notebook_actions.add_parser(
        "refresh", help="execute notebooks in place",
        description="Run each notebook top to bottom in a fresh kernel and store its outputs.",
        epilog=_REFRESH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    refresh.add_argument("paths", nargs="*", type=Path, metavar="NOTEBOOK",
                         help="notebooks to refresh (default: workshops/*.ipynb of the course "
                              "found from the current folder)")
    refresh.set_defaults(handler=run_refresh)

    handout = subparsers.add_parser(
        "handout",
        help="the learners' copy: workshops, exercises and the kit, without answers",
        description="Write DIR for learners' laptops: the numbered workshops, GLOSSARY.md, "
                    "exercises/ built now from solutions/, the kit as a wheel, a README and "
                    "a Makefile whose `make lab` installs the kit and starts JupyterLab. No "
                    "solutions, hidden tests, rubric samples, facilitator guide or team-lead "
                    "notebook: the command refuses to finish if any answer line is inside.",
        epilog=_HANDOUT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    handout.add_argument("dir", type=Path, metavar="DIR",
                         help="a new (or empty) folder for the copy")
    handout.add_argument("--no-wheel", action="store_true",
                         help="leave out the kit's wheel; the README then names the package "
                              "(crosstalk-kit) to install from the package index")
    handout.set_defaults(handler=run_handout)

    from kit.course.team_commands import register_team

    register_team(subparsers)


def _course_root(root: Path | None) -> Path:
    """``--root``, or the nearest folder from the cwd up with nbgrader_config.py.

    Never the kit's own repository by surprise: outside a course this is an error.
    """
    from kit.course.exercises import CONFIG_FILE

    if root is not None:
        if not root.is_dir():
            raise InputError(f"--root {str(root)!r}: no such folder.", hint="Check the path.")
        if not (root / CONFIG_FILE).is_file():
            raise InputError(f"--root {str(root)!r}: no {CONFIG_FILE} there; it is not a "
                             "course root.", hint="Give the folder that holds solutions/ and "
                             f"{CONFIG_FILE}.")
        return root.resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise InputError(f"no {CONFIG_FILE} in {here} or any folder above it.",
                     hint="Run from the course repository, or pass --root DIR.")


def _notebook_problem(path: Path) -> str:
    """Why ``path`` cannot be refreshed ('' when it can)."""
    import json

    if path.is_dir():
        return "is a folder; give the .ipynb files inside it"
    if not path.exists():
        return "no such file"
    if path.suffix.lower() != ".ipynb":
        return "is not a notebook (.ipynb)"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"is not a readable notebook ({type(error).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return "is not a notebook (no list of cells)"
    return ""


def run_refresh(args: argparse.Namespace) -> int:
    """Refresh the given notebooks (or all of workshops/); 1 if any failed, each reported."""
    if args.paths:
        paths = list(args.paths)
        problems = [f"{path}: {problem}" for path in paths
                    for problem in [_notebook_problem(path)] if problem]
        if problems:
            raise InputError(f"{len(problems)} path(s) cannot be refreshed; nothing was run.",
                             problems, hint="Give existing .ipynb files.")
    else:
        paths = sorted((_course_root(None) / "workshops").glob("*.ipynb"))
        if not paths:
            raise InputError(f"no notebooks in {_course_root(None) / 'workshops'}.",
                             hint="Name the notebooks to refresh.")
    from kit.course.notebooks import refresh_notebook

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
    root = _course_root(args.root)
    from kit.course.exercises import stale_exercises, write_exercises

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
    print(f"exercises/ rebuilt in {root}"
          + ("; no changes." if not changes else f": {len(changes)} file(s)."))
    return 0
