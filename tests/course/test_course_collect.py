"""``course init``, ``course roster`` and ``collect``: located errors, nothing guessed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import nbformat
import pytest

from kit.cli import main
from kit.course.collect import collect
from kit.course.coursedir import read_roster
from kit.errors import InputError

ASSIGNMENT = "01-redirects"

BAD_ROSTERS = [
    pytest.param("learner_id,name,role\nalice,Alice,sales\n",
                 "roster.csv line 2: role 'sales' is not one of marketing, it, other", id="role"),
    pytest.param("learner_id,name,role\n,Nobody,it\n",
                 "roster.csv line 2: learner_id is empty", id="empty-id"),
    pytest.param("learner_id,name,role\nal ice,Al,it\n",
                 "roster.csv line 2: learner_id 'al ice' is not usable as a folder name",
                 id="space-in-id"),
    pytest.param("learner_id,name,role\nbob,Bob,it\n\nbob,Bobby,it\n",
                 "roster.csv line 4: learner_id 'bob' is already on roster.csv line 2",
                 id="duplicate"),
    pytest.param("id,name\nbob,Bob\n", "the roster needs the column(s) role", id="no-role"),
]


@pytest.mark.parametrize(("text", "message"), BAD_ROSTERS)
def test_a_bad_roster_names_the_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_roster(path)
    assert message in str(caught.value)


def test_roles_and_column_names_are_forgiving(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("Student,Name,Department\nann,Ann Lee,Marketing\nit1,Ivo,IT\n", "utf-8")
    assert read_roster(path)["role"].tolist() == ["marketing", "it"]


@pytest.fixture
def course(make_course):
    return make_course()


def notebook_bytes(course, name: str = ASSIGNMENT) -> bytes:
    path = course.folder("release") / name / f"{name}.ipynb"
    return path.read_bytes()


def test_collect_files_folders_loose_notebooks_and_zips(course, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "alice").mkdir(parents=True)
    (inbox / "alice" / "my work.ipynb").write_bytes(notebook_bytes(course))
    (inbox / f"{ASSIGNMENT}_bob.ipynb").write_bytes(notebook_bytes(course))
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("carol/01-redirects.ipynb", notebook_bytes(course))
        archive.writestr("dave - 01-redirects.ipynb", notebook_bytes(course))
    (inbox / "lms.zip").write_bytes(bundle.getvalue())
    report = collect(course, ASSIGNMENT, [inbox])
    assert report.problems == []
    assert sorted(learner for learner, _, _ in report.filed) == ["alice", "bob", "carol", "dave"]
    for learner in ("alice", "bob", "carol", "dave"):
        assert (course.folder("submitted") / learner / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


def test_collect_reports_what_it_will_not_guess(course, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "zed.ipynb").write_bytes(notebook_bytes(course))
    (inbox / "erin.pdf").write_bytes(b"%PDF")
    (inbox / "frank.ipynb").write_text('{"cells": [', encoding="utf-8")
    (inbox / "grace.ipynb").write_bytes(notebook_bytes(course))
    (inbox / "grace_v2.ipynb").write_bytes(notebook_bytes(course))
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    other.cells[0].metadata["nbgrader"] = {"grade_id": "some_other_task", "grade": False,
                                           "solution": True, "locked": False,
                                           "schema_version": 3, "task": False}
    nbformat.write(other, inbox / "heidi.ipynb")
    report = collect(course, ASSIGNMENT, [inbox, tmp_path / "missing.zip"])
    text = "\n".join(report.problems)
    assert "zed.ipynb: no learner on the roster matches this file name" in text
    assert "erin.pdf: not a notebook (.ipynb); skipped" in text
    assert "frank.ipynb: not a readable notebook" in text
    assert "grace: 2 files for 01-redirects.ipynb" in text and "none filed" in text
    assert "heidi.ipynb: not a notebook of this assignment" in text
    assert "missing.zip: no such file or folder" in text
    assert report.filed == []
    from kit.course.collect import load_rejections

    kept = {Path(item["file"]).name: item for item in load_rejections(course, ASSIGNMENT)}
    assert kept["frank.ipynb"]["learner"] == "frank"  # unreadable, but the name says whose
    assert kept["zed.ipynb"]["learner"] is None
    assert "grace" in {item["learner"] for item in kept.values()}
    (inbox / "frank.ipynb").write_bytes(notebook_bytes(course))  # handed in again, readable
    assert [f[0] for f in collect(course, ASSIGNMENT, [inbox / "frank.ipynb"]).filed] == ["frank"]
    assert "frank" not in {item["learner"] for item in load_rejections(course, ASSIGNMENT)}


def test_an_existing_submission_needs_replace(course, tmp_path: Path) -> None:
    path = tmp_path / "ivan.ipynb"
    path.write_bytes(notebook_bytes(course))
    assert len(collect(course, ASSIGNMENT, [path]).filed) == 1
    again = collect(course, ASSIGNMENT, [path])
    assert again.filed == [] and "use --replace" in again.problems[0]
    assert len(collect(course, ASSIGNMENT, [path], replace=True).filed) == 1


def test_collect_for_an_unknown_assignment_is_refused(course, tmp_path: Path, capsys) -> None:
    path = tmp_path / "ivan.ipynb"
    path.write_bytes(notebook_bytes(course))
    assert main(["collect", str(course.root), "99-nope", str(path)]) == 2
    err = capsys.readouterr().err
    assert "assignment '99-nope' does not exist in this course" in err
    assert "Traceback" not in err


def test_the_cli_reports_problems_with_exit_code_1(course, tmp_path: Path, capsys) -> None:
    (tmp_path / "nobody.ipynb").write_bytes(notebook_bytes(course))
    assert main(["collect", str(course.root), ASSIGNMENT, str(tmp_path / "nobody.ipynb")]) == 1
    assert "NOT FILED" in capsys.readouterr().out


def test_init_refuses_a_folder_that_is_not_a_course(tmp_path: Path, capsys) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    assert main(["course", "init", str(tmp_path)]) == 2
    assert "an nbgrader config that crosstalk did not write" in capsys.readouterr().err


# --- issue 19: a hostile batch, each file judged on its own ---------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _encrypted(path: Path, name: str, data: bytes) -> Path:
    """A zip whose member claims traditional PKWARE encryption (flag bit 0)."""
    _zip(path, {name: data})
    raw = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = raw.find(signature)
        raw[start + offset] |= 0x01
    path.write_bytes(bytes(raw))
    return path


def test_a_mixed_batch_files_the_good_and_names_each_bad_file(course, tmp_path: Path) -> None:
    import json
    import stat

    from kit.course.collect import LOG_FILE

    good = notebook_bytes(course)
    seo = notebook_bytes(course, "02-seo")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "alice.ipynb").write_bytes(good)
    _zip(inbox / "bob.zip", {"bob/01-redirects.ipynb": good})
    (inbox / "carol.ipynb").write_bytes(seo)  # another assignment's notebook
    _zip(inbox / "dave.zip", {"01-redirects.ipynb": good})
    (inbox / "dave.zip").write_bytes((inbox / "dave.zip").read_bytes()[:-40])  # truncated
    _encrypted(inbox / "erin.zip", "01-redirects.ipynb", good)
    _zip(inbox / "frank.zip", {"../frank/01-redirects.ipynb": good})
    (inbox / "grace.ipynb").symlink_to(course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    crc = _zip(inbox / "heidi.zip", {"01-redirects.ipynb": good})
    raw = bytearray(crc.read_bytes())
    raw[raw.find(b"PK\x01\x02") + 16] ^= 0xFF  # break the recorded CRC-32
    crc.write_bytes(bytes(raw))
    link = zipfile.ZipInfo("ivan/01-redirects.ipynb")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(inbox / "ivan.zip", "w") as archive:
        archive.writestr(link, "/etc/passwd")
    _zip(inbox / "judy.zip", {"judy/01-redirects.ipynb": good, "judy/notes.txt": b"hi"})

    report = collect(course, ASSIGNMENT, [inbox])
    assert sorted(learner for learner, _, _ in report.filed) == ["alice", "bob", "judy"]
    reasons = {Path(label.split(":", 1)[0]).name: reason
               for _, label, reason in report.rejected}
    assert "its cells are those of 02-seo" in reasons["carol.ipynb"]
    assert "not a readable zip file" in reasons["dave.zip"]
    assert "encrypted" in reasons["erin.zip"]
    assert "leaves the zip" in reasons["frank.zip"]
    assert "symbolic link" in reasons["grace.ipynb"]
    assert "damaged" in reasons["heidi.zip"]
    assert "symbolic link" in reasons["ivan.zip"]
    assert "not a notebook" in reasons["judy.zip"]
    submitted = course.folder("submitted")
    assert not (submitted / "grace").exists() and not (submitted / "frank").exists()
    assert not (tmp_path / "frank").exists()
    assert len(report.problems) == len(report.rejected) == 8

    log = json.loads((course.root / LOG_FILE).read_text(encoding="utf-8"))
    learners = log["assignments"][ASSIGNMENT]["learners"]
    assert learners["alice"]["filed"]["to"].endswith(f"alice/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    assert learners["alice"]["rejected"] == []
    assert learners["erin"]["filed"] is None
    assert "encrypted" in learners["erin"]["rejected"][0]["reason"]
    assert learners["erin"]["rejected"][0]["file"].endswith("erin.zip:01-redirects.ipynb")
    assert "its cells are those of 02-seo" in learners["carol"]["rejected"][0]["reason"]


def test_collect_refuses_a_symlink_given_directly(course, tmp_path: Path, capsys) -> None:
    link = tmp_path / "alice.ipynb"
    link.symlink_to(course.source / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert main(["collect", str(course.root), ASSIGNMENT, str(link)]) == 1
    out = capsys.readouterr().out
    assert f"NOT FILED {link}: a symbolic link" in out
    assert not (course.folder("submitted") / "alice").exists()


def test_the_assignment_is_told_by_content_not_grade_ids(course, tmp_path: Path) -> None:
    seo = nbformat.reads(notebook_bytes(course, "02-seo").decode("utf-8"), as_version=4)
    for cell in seo.cells:  # every grade id of 01-redirects' notebook, on 02-seo's cells
        cell.metadata.setdefault("nbgrader", {})["grade_id"] = "intro"
    path = tmp_path / "alice.ipynb"
    nbformat.write(seo, path)
    report = collect(course, ASSIGNMENT, [path])
    assert report.filed == []
    assert "02-seo" in report.problems[0]
    assert len(collect(course, "02-seo", [path]).filed) == 1
