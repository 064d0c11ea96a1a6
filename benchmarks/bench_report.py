"""``crosstalk report`` on a 500-learner × 6-assignment gradebook: time and HTML size.

The gradebook is synthetic (bulk SQL into nbgrader's own schema, see
:func:`tests.course._gradebook.synthetic_gradebook`, a test fixture): 3,000 submissions,
18,000 grades.  The report reads it with one SQL query and writes the offline HTML page and the CSV.

Baseline, same run: nbgrader's own way to read the same scores,
``Gradebook.submission_dicts(assignment)`` for each assignment (what the formgrader's
gradebook page uses).

Targets: report (read + figures + HTML + CSV) under 10 s; HTML under 10 MB.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import Targets, print_table

LEARNERS, ASSIGNMENTS = 500, 6


def main() -> int:
    from kit.course.exercises import venv_on_path
    from kit.course.report import CohortReport
    from kit.course.widget import write_report_html
    from tests.course._gradebook import synthetic_gradebook

    targets = Targets("bench_report")
    with tempfile.TemporaryDirectory(prefix="crosstalk-bench-report-") as temp:
        folder = Path(temp)
        start = time.perf_counter()
        made = synthetic_gradebook(folder / "course", learners=LEARNERS, assignments=ASSIGNMENTS)
        built = time.perf_counter() - start

        start = time.perf_counter()
        report = CohortReport(made.course, roster=made._roster, records=made._records,
                              titles=made._titles, rejections=made._rejections,
                              ratings=made._ratings)
        html = write_report_html(report, folder / "report.html")
        csv = report.to_csv(folder / "report.csv")
        seconds = time.perf_counter() - start
        size = html.stat().st_size

        from nbgrader.api import Gradebook

        start = time.perf_counter()
        with venv_on_path(), Gradebook(made.course.db_url, course_id="crosstalk") as book:
            dicts = [book.submission_dicts(name) for name in made.course.assignments]
        baseline = time.perf_counter() - start
        rows = len(report.scores())
        print(f"gradebook: {LEARNERS} learners x {ASSIGNMENTS} assignments "
              f"({rows:,} graded cells; built in {built:.1f} s)")
        print_table(["what", "seconds", "ratio to baseline"], [
            ("nbgrader submission_dicts (baseline)", baseline, 1.0),
            ("crosstalk report: read, figures, HTML, CSV", seconds, seconds / baseline),
        ])
        print(f"HTML {size / 1e6:.2f} MB, CSV {csv.stat().st_size / 1e6:.2f} MB, "
              f"{sum(len(d) for d in dicts):,} submissions read by the baseline")
        page = html.read_text(encoding="utf-8")
        cdn = re.search(r"<script[^>]*\bsrc=[\"']?https?:", page) is not None
        cdn = cdn or page.count("<script") < 1
        targets.check("report under 10 s", seconds < 10, f"{seconds:.2f} s")
        targets.check("HTML under 10 MB", size < 10 * 1024 * 1024, f"{size / 1e6:.2f} MB")
        targets.check("offline: no CDN", not cdn, "plotly.js embedded" if not cdn else "CDN")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
