"""The team lead's commands: ``course init|roster``, ``collect``, ``grade``, ``feedback``,
``report`` and ``demo-cohort`` (wired in by :mod:`kit.course.commands`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register_team"]


def register_team(subparsers: argparse._SubParsersAction) -> None:
    """Add the team lead's commands to the ``crosstalk`` parser."""
    course = subparsers.add_parser(
        "course", help="a course folder for grading a cohort (init, roster)",
        description="Create a team lead's nbgrader course folder and import its roster.")
    actions = course.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", help="create DIR wired to the kit's solutions/",
        description="Create (or update) an nbgrader course folder wired to the kit's "
                    "solutions/: every assignment is generated and recorded in the gradebook.")
    init.add_argument("dir", type=Path, help="the course folder (created if missing)")
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
                    "(role: marketing, it or other).")
    roster.add_argument("file", type=Path, help="roster CSV")
    roster.add_argument("--dir", type=Path, default=Path("."),
                        help="the course folder (default: the current folder)")
    roster.set_defaults(handler=run_roster)

    collect = subparsers.add_parser(
        "collect", help="file returned notebooks under submitted/",
        description="File submissions (folders per learner, notebooks named with the learner "
                    "id, zip files) under DIR/submitted/<learner>/<assignment>/. Unknown "
                    "learners, duplicates and files that are not notebooks are reported.")
    collect.add_argument("dir", type=Path, help="the course folder")
    collect.add_argument("assignment", help="assignment id, e.g. 01-redirects")
    collect.add_argument("files", nargs="+", type=Path, help="notebooks, folders or zip files")
    collect.add_argument("--replace", action="store_true",
                         help="overwrite a learner's earlier submission")
    collect.set_defaults(handler=run_collect)

    grade = subparsers.add_parser(
        "grade", help="autograde every submission in parallel",
        description="Autograde every submission of ASSIGNMENT with nbgrader, in parallel, "
                    "with a per-cell timeout, an output limit and a memory limit (set in "
                    "DIR/nbgrader_config.py). Prints graded, failed (with the reason) and "
                    "waiting for manual grading.")
    grade.add_argument("dir", type=Path, help="the course folder")
    grade.add_argument("assignment", help="assignment id, e.g. 01-redirects")
    grade.add_argument("--jobs", "-j", type=int, default=2,
                       help="notebooks graded at once (default 2; about one per CPU core)")
    grade.add_argument("--force", action="store_true",
                       help="regrade submissions that were graded before")
    grade.add_argument("--learner", action="append", default=None, metavar="ID",
                       help="only this learner (repeatable)")
    grade.set_defaults(handler=run_grade)

    feedback = subparsers.add_parser(
        "feedback", help="an HTML feedback page per learner (no hidden tests)",
        description="Write DIR/feedback/<learner>/<assignment>/<assignment>.html: the "
                    "learner's score per task and a hint per failed task. Hidden tests "
                    "never appear.")
    feedback.add_argument("dir", type=Path, help="the course folder")
    feedback.add_argument("assignment", help="assignment id, e.g. 01-redirects")
    feedback.set_defaults(handler=run_feedback)

    report = subparsers.add_parser(
        "report", help="cohort report: one offline HTML file and a CSV",
        description="Every roster learner with what they were asked (their role's parts "
                    "plus the shared parts), 'no submission' or 'rejected: reason' where that "
                    "is the case; the roles compared on shared parts only (small groups "
                    "flagged); the learning gain (self-rating this morning and now); the "
                    "most-missed parts and the manual-grading queue. One self-contained HTML "
                    "file (no CDN) and a spreadsheet-safe CSV beside it.")
    report.add_argument("dir", type=Path, help="the course folder")
    report.add_argument("--out", type=Path, default=None,
                        help="HTML file (default DIR/report.html); the CSV goes next to it")
    report.set_defaults(handler=run_report)

    demo = subparsers.add_parser(
        "demo-cohort", help="a synthetic cohort through collect, grade, feedback and report",
        description="Create a course in DIR with a synthetic cohort (mixed roles, typical "
                    "misconceptions, a few broken notebooks) and run collect -> grade -> "
                    "feedback -> report.")
    demo.add_argument("dir", type=Path, help="a new folder for the demo course")
    demo.add_argument("--learners", type=int, default=12, help="cohort size (default 12)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    demo.add_argument("--jobs", "-j", type=int, default=2, help="parallel grading jobs")
    demo.set_defaults(handler=run_demo_cohort)


def run_init(args: argparse.Namespace) -> int:
    from kit.course.coursedir import init_course

    course = init_course(args.dir, db_url=args.db, solutions=args.solutions)
    print(f"course ready in {course.root}: {len(course.assignments)} assignment(s) "
          f"({', '.join(course.assignments)})")
    print(f"next: crosstalk course roster ROSTER.csv --dir {args.dir}")
    return 0


def run_roster(args: argparse.Namespace) -> int:
    from kit.course.coursedir import import_roster

    roster = import_roster(args.dir, args.file)
    counts = roster["role"].value_counts().to_dict()
    print(f"roster: {len(roster)} learner(s) " + ", ".join(f"{k}: {v}" for k, v in
                                                         sorted(counts.items())))
    return 0


def run_collect(args: argparse.Namespace) -> int:
    from kit.course.collect import collect

    report = collect(args.dir, args.assignment, args.files, replace=args.replace)
    for learner, source, target in report.filed:
        print(f"filed {source} -> {target} ({learner})")
    for problem in report.problems:
        print(f"NOT FILED {problem}")
    print(report.summary())
    return 1 if report.problems else 0


def run_grade(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from kit.course.grade import FAILED, grade_assignment

    bar = tqdm(desc=f"grading {args.assignment}", unit="learner", file=sys.stderr,
               disable=None)

    def progress(done: int, total: int, record: dict) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if record.get("status") == FAILED:
            bar.write(f"{record['learner']}: failed: {record.get('reason', '')}")

    try:
        run = grade_assignment(args.dir, args.assignment, jobs=max(1, args.jobs),
                               force=args.force, learners=args.learner, progress=progress)
    finally:
        bar.close()
    print(run.table())
    print(run.summary())
    if any(not outcome.sandboxed for outcome in run.outcomes if outcome.status != FAILED):
        print("note: Linux Landlock is not available here; notebooks ran with the time, "
              "output and memory limits but without the file-system sandbox.")
    return 0


def run_feedback(args: argparse.Namespace) -> int:
    from kit.course.feedback import write_feedback

    files = write_feedback(args.dir, args.assignment)
    for learner, path in sorted(files.paths.items()):
        print(f"{learner}: {path}")
    print(f"{len(files.paths)} feedback page(s) for {args.assignment}.")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from kit.course.report import cohort_report

    report = cohort_report(args.dir)
    html = args.out or (Path(args.dir) / "report.html")
    report.to_html(html)
    csv = report.to_csv(Path(html).with_suffix(".csv"))
    print(report.summary())
    for note in report.warnings():
        print(f"note: {note}")
    print(f"wrote {html} and {csv}")
    return 0


def run_demo_cohort(args: argparse.Namespace) -> int:
    from kit.course.cohort import run_demo

    result = run_demo(args.dir, learners=args.learners, seed=args.seed, jobs=args.jobs,
                      progress=True)
    print(result.report.summary())
    print(f"open {result.html} in a browser; feedback pages are in "
          f"{result.course.folder('feedback')}")
    return 0
