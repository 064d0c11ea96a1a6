"""``crosstalk grade --jobs 2`` against one ``nbgrader autograde ASSIGNMENT`` call.

60 synthetic learners (mixed roles, right, wrong and blank answers; no broken notebooks)
hand in module 01.  Two copies of one course folder get the same submissions:

* baseline: ``nbgrader autograde 01-redirects`` in one copy, with nbgrader's stock
  ``Execute`` (nbgrader's fastest sequential way);
* crosstalk: ``grade_assignment(..., jobs=2)`` (what ``crosstalk grade --jobs 2`` runs) in
  the other, with the sandboxed executor and its limits.

Targets: crosstalk at least 1.8× faster; identical scores in both gradebooks (every
learner, every graded cell).  Takes a few minutes on 2 cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import REPO_ROOT, Targets, print_table

LEARNERS, ASSIGNMENT, JOBS = 60, "01-redirects", 2
STOCK = '''
# bench_grade baseline: nbgrader's stock autograde pipeline
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
'''


def main() -> int:
    from kit.course.cohort import synthetic_cohort
    from kit.course.collect import collect
    from kit.course.coursedir import import_roster, init_course, open_course
    from kit.course.exercises import nbgrader_env
    from kit.course.grade import grade_assignment
    from kit.course.gradebook import fingerprint

    targets = Targets("bench_grade")
    with tempfile.TemporaryDirectory(prefix="crosstalk-bench-grade-") as temp:
        base = Path(temp)
        ours = init_course(base / "crosstalk", solutions=REPO_ROOT / "solutions")
        cohort = synthetic_cohort(ours.source, ours.folder("release"), base / "incoming",
                                  learners=LEARNERS, seed=7, broken=0.0,
                                  assignments=[ASSIGNMENT])
        import_roster(ours, base / "incoming" / "roster.csv")
        filed = collect(ours, ASSIGNMENT, cohort.files[ASSIGNMENT])
        assert len(filed.filed) == LEARNERS, filed.problems
        shutil.copytree(ours.root, base / "nbgrader", symlinks=True)
        theirs = open_course(base / "nbgrader")
        with (theirs.root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
            config.write(STOCK)

        start = time.perf_counter()
        result = subprocess.run(
            [str(Path(sys.executable).with_name("nbgrader")), "autograde", ASSIGNMENT,
             "--log-level=ERROR"], cwd=theirs.root, env=nbgrader_env(),
            capture_output=True, text=True)
        sequential = time.perf_counter() - start
        if result.returncode != 0:
            print(result.stderr[-3000:])

        start = time.perf_counter()
        run = grade_assignment(ours, ASSIGNMENT, jobs=JOBS)
        parallel = time.perf_counter() - start

        mine = fingerprint(ours.db_url, ours.course_id, ASSIGNMENT)
        reference = fingerprint(theirs.db_url, theirs.course_id, ASSIGNMENT)
        same = mine.equals(reference)
        speedup = sequential / parallel
        print(f"{LEARNERS} submissions of {ASSIGNMENT} ({cohort}); {os.cpu_count()} CPUs")
        print_table(["how", "seconds", "s / submission", "speed-up"], [
            ("nbgrader autograde (baseline)", sequential, sequential / LEARNERS, 1.0),
            (f"crosstalk grade --jobs {JOBS}", parallel, parallel / LEARNERS, speedup),
        ])
        print(run.summary())
        if not same:
            print(mine.compare(reference).head(20))
        targets.check(f"--jobs {JOBS} at least 1.8x faster", speedup >= 1.8, f"{speedup:.2f}x")
        targets.check("identical scores", same,
                      f"{len(mine)} gradebook rows compared" + ("" if same else ": DIFFER"))
        targets.check("nbgrader baseline ran", result.returncode == 0,
                      f"exit code {result.returncode}")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
