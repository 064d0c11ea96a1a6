"""The team lead's commands: ``course init|roster``, ``collect``, ``grade``, ``feedback``,
``report`` and ``demo-cohort`` (wired in by :mod:`kit.course.commands`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kit.cli_options import add_csv_options, add_quiet_option
from kit.errors import InputError

__all__ = ["register_team"]

_RAW = argparse.RawDescriptionHelpFormatter


def _epilog(zero: str, one: str | None, two: str) -> str:
    """The exit-code policy (0 clean, 1 findings or failed items, 2 unusable input)."""
    import textwrap

    lines = ["exit status:"]
    for code, text in (("0", zero), ("1", one), ("2", two)):
        if text:
            lines += textwrap.wrap(text, width=88, initial_indent=f"  {code}  ",
                                   subsequent_indent="     ")
    return "\n".join(lines) + "\n"


_REPORT_CSV_NOTE = """
The CSV starts with a UTF-8 BOM (Excel reads accents right); cells that start with
= + - @ get a leading ' so no spreadsheet runs them.
"""
_NOT_A_COURSE = "DIR is not a course folder (made by `crosstalk course init`)"


def _folder(value: Path, what: str) -> Path:
    """``value`` when it is an existing folder, else an InputError naming it."""
    if value.is_dir():
        return value
    if value.exists():
        raise InputError(f"{what} {str(value)!r} is a file, not a folder.",
                         hint="Give the course folder (made by `crosstalk course init`).")
    raise InputError(f"{what} {str(value)!r}: no such folder.",
                     hint="Check the path, or create the course with `crosstalk course init`.")


def _positive(value: int, option: str, *, most: int = 10_000) -> int:
    if not 1 <= value <= most:
        raise InputError(f"{option} {value}: expected a whole number from 1 to {most:,}.")
    return value


def register_team(subparsers: argparse._SubParsersAction) -> None:
    """Add the team lead's commands to the ``crosstalk`` parser."""
    course = subparsers.add_parser(
        "course", help="a course folder for grading a cohort (init, roster)",
        description="Create a team lead's nbgrader course folder and import its roster.")
    actions = course.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", help="create DIR wired to the kit's solutions/",
        description="Create (or update) an nbgrader course folder wired to the kit's "
                    "solutions/: every assignment is generated and recorded in the gradebook.",
        epilog=_epilog("the course folder is ready", None,
                       "DIR cannot be used (a file, not writable, another tool's config) "
                       "or --solutions / --db cannot be used"), formatter_class=_RAW)
    init.add_argument("dir", type=Path, metavar="DIR",
                      help="the course folder (created if missing)")
    init.add_argument("--db", metavar="URL", default=None,
                      help="SQLAlchemy URL of the gradebook, e.g. "
                           "postgresql+psycopg://user:pw@localhost/grades "
                           "(default: SQLite DIR/gradebook.db)")
    init.add_argument("--solutions", type=Path, default=None,
                      help="instructor notebooks (default: the kit's solutions/)")
    init.set_defaults(handler=run_init)
    roster = actions.add_parser(
        "roster", help="import a roster CSV (learner_id,name,role)",
        description="Import learners from a CSV with columns learner_id, name, role "
                    "(role: marketing, it or other).",
        epilog=_epilog("every learner was imported", None,
                       "the roster or the course folder cannot be used (each bad row is "
                       "named; nothing is imported then)"), formatter_class=_RAW)
    roster.add_argument("file", type=Path, help="roster CSV")
    roster.add_argument("--dir", type=Path, default=Path("."),
                        help="the course folder (default: the current folder)")
    add_csv_options(roster)
    roster.set_defaults(handler=run_roster)

    collect = subparsers.add_parser(
        "collect", help="file returned notebooks under submitted/",
        description="File submissions (folders per learner, notebooks named with the learner "
                    "id, zip files) under DIR/submitted/<learner>/<assignment>/. Unknown "
                    "learners, duplicates, notebooks of another assignment (recognised by "
                    "their cells), broken or unsafe zips and symbolic links are reported and "
                    "not filed; each file is judged on its own. Refused files are recorded "
                    "per learner in DIR/collect-log.json.",
        epilog=_epilog("every file was filed", "some files were refused (each is named with "
                       "the reason; the others were filed)",
                       f"{_NOT_A_COURSE}, the assignment is unknown, or there is no roster"),
        formatter_class=_RAW)
    collect.add_argument("dir", type=Path, metavar="DIR", help="the course folder")
    collect.add_argument("assignment", metavar="ASSIGNMENT",
                            help="assignment id, e.g. 01-redirects")
    collect.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="notebooks, folders or zip files")
    collect.add_argument("--replace", action="store_true",
                         help="overwrite a learner's earlier submission")
    collect.set_defaults(handler=run_collect)

    grade = subparsers.add_parser(
        "grade", help="autograde every submission in parallel",
        description="Autograde every submission of ASSIGNMENT with nbgrader, in parallel, "
                    "with a per-cell timeout, an output limit and a memory limit (set in "
                    "DIR/nbgrader_config.py). Prints graded, failed (with the reason) and "
                    "waiting for manual grading.",
        epilog=_epilog("every submission was graded (some may wait for manual grading)",
                       "some submissions failed, timed out or were rejected (each is named "
                       "with the reason) or there was nothing to grade",
                       f"{_NOT_A_COURSE}, the assignment is unknown, or --jobs is not a "
                       "positive number"), formatter_class=_RAW)
    grade.add_argument("dir", type=Path, metavar="DIR", help="the course folder")
    grade.add_argument("assignment", metavar="ASSIGNMENT",
                            help="assignment id, e.g. 01-redirects")
    grade.add_argument("--jobs", "-j", type=int, default=2,
                       help="notebooks graded at once (default 2; about one per CPU core)")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that were graded before")
    grade.add_argument("--learner", action="append", default=None, metavar="ID",
                       help="only this learner (repeatable)")
    add_quiet_option(grade)
    grade.set_defaults(handler=run_grade)

    feedback = subparsers.add_parser(
        "feedback", help="an HTML feedback page per learner (no hidden tests)",
        description="Write DIR/feedback/<learner>/<assignment>/<assignment>.html: the "
                    "learner's score per task and a hint per failed task. Hidden tests "
                    "never appear. Built from the gradebook and the autograded notebooks, "
                    "however they were graded (crosstalk grade, nbgrader autograde, the "
                    "formgrader's Autograde button).",
        epilog=_epilog("a page was written for every graded learner",
                       "no learner has been graded yet (run `crosstalk grade` first)",
                       f"{_NOT_A_COURSE}, or the assignment is unknown"), formatter_class=_RAW)
    feedback.add_argument("dir", type=Path, metavar="DIR", help="the course folder")
    feedback.add_argument("assignment", metavar="ASSIGNMENT",
                            help="assignment id, e.g. 01-redirects")
    feedback.set_defaults(handler=run_feedback)

    report = subparsers.add_parser(
        "report", help="cohort report: one offline HTML file and a CSV",
        description="Every roster learner with what they were asked (their role's parts "
                    "plus the shared parts), 'no submission' or 'rejected: reason' where that "
                    "is the case; the roles compared on shared parts only (small groups "
                    "flagged); the learning gain (self-rating this morning and now); the "
                    "most-missed parts and the manual-grading queue. One self-contained HTML "
                    "file (no CDN) and a spreadsheet-safe CSV beside it.",
        epilog=_epilog("the report was written", None,
                       f"{_NOT_A_COURSE}, or --out is a folder, in a missing folder or not "
                       "an .html file") + _REPORT_CSV_NOTE, formatter_class=_RAW)
    report.add_argument("dir", type=Path, metavar="DIR", help="the course folder")
    report.add_argument("--out", type=Path, default=None, metavar="FILE.html",
                        help="HTML file (default DIR/report.html); the CSV goes next to it")
    report.add_argument("--room", default=None, metavar="DB",
                        help="the live room's database (`crosstalk room serve --db`; a file "
                             "such as crosstalk-room.db, or a database URL): adds what the "
                             "room chose before and after discussion, by role, never by "
                             "person, and writes it to FILE-room.csv too")
    report.set_defaults(handler=run_report)

    demo = subparsers.add_parser(
        "demo-cohort", help="a synthetic cohort through collect, grade, feedback and report",
        description="Create a course in DIR with a synthetic cohort (mixed roles, typical "
                    "misconceptions, a few broken notebooks) and run collect -> grade -> "
                    "feedback -> report.",
        epilog=_epilog("the demo course was built", None,
                       "DIR is a file or a folder that is not empty, or --learners / --jobs "
                       "is not a positive number"), formatter_class=_RAW)
    demo.add_argument("dir", type=Path, metavar="DIR",
                      help="a new (or empty) folder for the demo course")
    demo.add_argument("--learners", type=int, default=12, help="cohort size (default 12)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--jobs", "-j", type=int, default=2,
                      help="notebooks graded at once (default 2)")
    add_quiet_option(demo)
    demo.set_defaults(handler=run_demo_cohort)


def run_init(args: argparse.Namespace) -> int:
    from kit.course.coursedir import init_course

    if args.solutions is not None and not args.solutions.is_dir():
        raise InputError(f"--solutions {str(args.solutions)!r}: no such folder.",
                         hint="Give the folder of instructor notebooks, or leave it out.")
    try:
        course = init_course(args.dir, db_url=args.db, solutions=args.solutions)
    except OSError as error:
        raise InputError(f"course folder {str(args.dir)!r}: cannot be created or written "
                         f"({error.strerror or error}).",
                         hint="Choose a folder you can write to.") from None
    print(f"course ready in {course.root}: {len(course.assignments)} assignment(s) "
          f"({', '.join(course.assignments)})")
    print(f"next: crosstalk course roster ROSTER.csv --dir {args.dir}")
    return 0


def run_roster(args: argparse.Namespace) -> int:
    from kit.course.coursedir import import_roster, open_course, read_roster

    course = open_course(_folder(args.dir, "--dir"))
    read_roster(args.file)  # every bad row named before the gradebook is opened
    roster = import_roster(course, args.file)
    counts = roster["role"].value_counts().to_dict()
    print(f"roster: {len(roster)} learner(s) " + ", ".join(f"{k}: {v}" for k, v in
                                                         sorted(counts.items())))
    return 0


def run_collect(args: argparse.Namespace) -> int:
    from kit.course.collect import LOG_FILE, collect

    report = collect(_folder(args.dir, "course folder"), args.assignment, args.files,
                     replace=args.replace)
    for learner, source, target in report.filed:
        print(f"filed {source} -> {target} ({learner})")
    for problem in report.problems:
        print(f"NOT FILED {problem}")
    print(report.summary() + (f" Refused files are listed in {args.dir / LOG_FILE}."
                              if report.problems else ""))
    return 1 if report.problems else 0


def run_grade(args: argparse.Namespace) -> int:
    from kit.course.grade import grade_assignment
    from kit.course.records import Outcome
    from kit.progress import progress

    _positive(args.jobs, "--jobs", most=256)
    _folder(args.dir, "course folder")
    with progress(desc=f"grading {args.assignment}", unit="learner") as bar:

        def advance(done: int, total: int, outcome: Outcome) -> None:
            bar.set_total(total)
            bar.update(done - bar.done)
            if outcome.failed:
                bar.write(f"{outcome.learner}: {outcome.status.value}: {outcome.reason}")

        run = grade_assignment(args.dir, args.assignment, jobs=args.jobs,
                               force=args.force, learners=args.learner, progress=advance)
    print(run.table())
    print(run.summary())
    if any(not outcome.sandboxed for outcome in run.outcomes if not outcome.failed):
        print("note: Linux Landlock is not available here; notebooks ran with the time, "
              "output and memory limits but without the file-system sandbox.")
    if not run.outcomes:
        print(f"nothing to grade: no submissions of {args.assignment}; file them with "
              "`crosstalk collect` first.")
        return 1
    failed = run.failed()
    if failed:
        print(f"not graded ({len(failed)}): " + ", ".join(
            f"{o.learner} ({o.status.value})" for o in failed))
        return 1
    return 0


def run_feedback(args: argparse.Namespace) -> int:
    from kit.course.coursedir import open_course
    from kit.course.feedback import write_feedback

    course = open_course(_folder(args.dir, "course folder"))
    if args.assignment not in course.assignments:
        raise InputError(f"assignment {args.assignment!r} does not exist in this course.",
                         hint="Known assignments: " + (", ".join(course.assignments) or "none"))
    files = write_feedback(course, args.assignment)
    for learner, path in sorted(files.paths.items()):
        print(f"{learner}: {path}")
    print(f"{len(files.paths)} feedback page(s) for {args.assignment}.")
    if not files.paths:
        print(f"nobody has been graded for {args.assignment} yet: run `crosstalk grade "
              f"{args.dir} {args.assignment}` first.")
        return 1
    return 0


def run_report(args: argparse.Namespace) -> int:
    from kit.course.report import cohort_report
    from kit.course.widget import write_report_html
    from kit.output import excel_ready, writable

    _folder(args.dir, "course folder")
    html = args.out or (Path(args.dir) / "report.html")
    if args.out is not None:
        writable(args.out, option="--out")
        if args.out.suffix.lower() not in (".html", ".htm"):
            raise InputError(f"--out {str(args.out)!r}: give an .html file; the CSV is "
                             "written next to it with the same name.")
    room = _room_record(args.room) if args.room else None
    report = cohort_report(args.dir)
    write_report_html(report, html, room=room)
    csv = excel_ready(report.to_csv(Path(html).with_suffix(".csv")))
    print(report.summary())
    for note in report.warnings():
        print(f"note: {note}")
    print(f"wrote {html} and {csv}")
    if room is not None:
        room_csv = Path(html).with_name(Path(html).stem + "-room.csv")
        _write_room_csv(room, room_csv)
        print(f"wrote {room_csv} (the room: {len(room['choices'])} choice rows, "
              f"{room['shifts']['decision'].nunique()} decision(s) asked again)")
    return 0


def _room_record(database: str) -> dict[str, Any]:
    """The room's aggregate record (choices and shifts by role; no pseudonyms) from its
    database: a file path (SQLite) or a database URL."""
    from kit.room.view import room_figures

    if "://" not in database:
        path = Path(database)
        if not path.is_file():
            raise InputError(f"--room {database!r}: no such file.",
                             hint="Give the room's database: crosstalk-room.db in the folder "
                                  "where `crosstalk room serve` ran, or its --db URL.")
        database = f"sqlite:///{path.resolve()}"
    # private: every decision's result, revealed in the room or not; the tables used here
    # hold counts per role only, never a pseudonym or a name.
    figures = room_figures(db=database, private=True)
    return {"choices": figures.choices(), "shifts": figures.shifts()}


def _write_room_csv(room: dict[str, Any], path: Path) -> Path:
    """Choices and shifts in one CSV (a ``table`` column says which), spreadsheet-safe and
    with Excel's byte-order mark, as every CSV file the kit writes."""
    import pandas as pd

    from kit.output import csv_text, emit

    frame = pd.concat([room["choices"].assign(table="choices"),
                       room["shifts"].assign(table="shift")], ignore_index=True)
    for column in frame.columns:  # whole numbers stay whole where the other table has none
        if pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].astype("Int64")
    emit(csv_text(frame), path)
    return path


def run_demo_cohort(args: argparse.Namespace) -> int:
    from kit.course.cohort import run_demo
    from kit.output import excel_ready

    _positive(args.learners, "--learners", most=1_000)
    _positive(args.jobs, "--jobs", most=256)
    if args.dir.exists() and not args.dir.is_dir():
        raise InputError(f"DIR {str(args.dir)!r} is a file; give a new folder for the demo.")
    if args.dir.is_dir() and any(args.dir.iterdir()):
        raise InputError(f"DIR {str(args.dir)!r} is not empty; the demo builds a whole course "
                         "there.", hint="Give a new or empty folder.")
    result = run_demo(args.dir, learners=args.learners, seed=args.seed, jobs=args.jobs,
                      progress=True)
    excel_ready(result.csv)
    print(result.report.summary())
    print(f"open {result.html} in a browser; feedback pages are in "
          f"{result.course.folder('feedback')}")
    return 0
