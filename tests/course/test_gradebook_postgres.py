"""The gradebook in a real PostgreSQL server (Debian's ``postgresql``), started by the test.

``initdb`` and ``pg_ctl`` run as the ``postgres`` user in a temporary folder, on a free
loopback port.  Skipped with the reason when PostgreSQL or the psycopg driver is missing;
a failure instead under ``CROSSTALK_REQUIRE_SYSTEM=1`` (CI).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.system,
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

INSTALL = "apt-get install postgresql"


def _pg_bin(require_system, name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(
        f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        require_system("postgresql", f"no {name!r} executable; {INSTALL}")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url(require_system) -> Iterator[str]:
    try:
        import psycopg
    except ImportError:
        require_system("psycopg", "the PostgreSQL driver is missing; pip install 'psycopg[binary]'")
    initdb, pg_ctl = _pg_bin(require_system, "initdb"), _pg_bin(require_system, "pg_ctl")
    run_as: dict = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            require_system("postgresql", f"no 'postgres' user to run the server; {INSTALL}")
        run_as = {"user": user.pw_uid, "group": user.pw_gid}
    # pytest's own temporary folders are private to root: the server needs one it can enter
    folder = Path(tempfile.mkdtemp(prefix="crosstalk-postgres-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    if run_as:
        os.chmod(folder, 0o755)
        for path in (folder, sockets):
            os.chown(path, run_as["user"], run_as["group"])
    port = _free_port()
    made = subprocess.run([initdb, "-D", str(data), "-U", "grader", "--auth=trust", "-E",
                           "UTF8"], capture_output=True, text=True, **run_as)
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        require_system("postgresql", f"initdb failed: {made.stderr.strip()[-300:]}")
    log = folder / "server.log"
    started = subprocess.run(
        [pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o",
         f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets}", "start"],
        capture_output=True, text=True, **run_as)
    if started.returncode != 0:
        require_system("postgresql", f"the server did not start: {started.stderr.strip()}")
    try:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={port} user=grader dbname=postgres",
                             autocommit=True) as connection:
            connection.execute("CREATE DATABASE grades")
        yield f"postgresql+psycopg://grader@127.0.0.1:{port}/grades"
    finally:
        subprocess.run([pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, **run_as)
        shutil.rmtree(folder, ignore_errors=True)


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
    assert {o.learner: o.score for o in run.outcomes} == {"ann": 8.0, "ian": 0.0}
    scores = task_scores(postgres_url, course.course_id, "01-redirects")
    assert len(scores) == 8 and (scores["score"].fillna(0) <= scores["max_score"]).all()
