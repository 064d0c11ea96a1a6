"""The gradebook in a real PostgreSQL server (Debian's ``postgresql``), started by the test.

``initdb`` and ``pg_ctl`` run as the ``postgres`` user in a temporary folder, on a free
loopback port.  Skipped with the reason when PostgreSQL or the psycopg driver is missing;
a failure instead under ``CROSSTALK_REQUIRE_SYSTEM=1`` (CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from _servers import postgres_server

pytestmark = [pytest.mark.system,
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]


@pytest.fixture(scope="module")
def postgres_url(require_system) -> Iterator[str]:
    """A throwaway PostgreSQL server (``tests/_servers.py``), stopped after this module."""
    with postgres_server(require_system) as url:
        yield url


def test_a_course_grades_into_postgresql(postgres_url: str, tmp_path: Path,
                                         course_root: Path) -> None:
    from kit.cli import main
    from kit.course.coursedir import open_course
    from kit.course.grade import grade_assignment
    from kit.course.gradebook import task_scores

    folder = tmp_path / "course"
    assert main(["course", "init", str(folder), "--db", postgres_url,
                 "--solutions", str(course_root / "solutions")]) == 0
    course = open_course(folder)
    assert course.db_url == postgres_url
    assert not (folder / "gradebook.db").exists()
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,role\nann,Ann A,marketing\nian,Ian I,it\n", "utf-8")
    assert main(["course", "roster", str(roster), "--dir", str(folder)]) == 0
    solution = course.source / "01-redirects" / "01-redirects.ipynb"
    release = course.folder("release") / "01-redirects" / "01-redirects.ipynb"
    for learner, path in (("ann", solution), ("ian", release)):
        target = course.folder("submitted") / learner / "01-redirects" / "01-redirects.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nbformat.read(path, as_version=4), target)
    run = grade_assignment(course, "01-redirects", jobs=2)
    # 01's autograded points: 11 (map 3, statements 2, retired 2, reasons 1, chains 3)
    assert {o.learner: o.score for o in run.outcomes} == {"ann": 11.0, "ian": 0.0}
    scores = task_scores(postgres_url, course.course_id, "01-redirects")
    # 6 graded parts of 01 (5 autograded, Part C by a person) for each of the 2 learners
    assert len(scores) == 12 and (scores["score"].fillna(0) <= scores["max_score"]).all()
