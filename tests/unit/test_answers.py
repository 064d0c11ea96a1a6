"""kit.answers (saved form answers in a notebook) and kit.forms (the forms themselves)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit import answers, forms

CASES = [
    ("letters", {"C", "A"}, ["A", "C"]),
    ("letters", set(), []),
    ("choices", {"x": "Email", "y": None}, {"x": "Email", "y": None}),
    ("texts", {"/a": "Tent T340 | Shop"}, {"/a": "Tent T340 | Shop"}),
    ("number", 15, 15),
    ("number", None, None),
]


@pytest.mark.parametrize(("kind", "value", "stored"), CASES)
def test_encode_and_decode_are_plain_data_round_trips(kind: str, value: object,
                                                      stored: object) -> None:
    assert answers.encode(kind, value) == stored
    assert json.loads(json.dumps(stored)) == stored
    assert answers.decode(kind, stored) == value


@pytest.mark.parametrize(("kind", "junk", "blank"), [
    ("letters", "A C", set()), ("letters", [1, "A"], {"A"}), ("choices", ["x"], {}),
    ("number", True, None), ("number", "15", None), ("texts", {"a": 3}, {"a": None}),
])
def test_malformed_stored_data_reads_as_blank(kind: str, junk: object, blank: object) -> None:
    assert answers.decode(kind, junk) == blank


def notebook_with(**stores: tuple[str, object]) -> dict:
    return answers.with_saved_answers({"cells": [], "metadata": {}}, stores)


def test_saved_answers_are_read_back_from_the_jupyterlab_state_format() -> None:
    notebook = notebook_with(same_page=("letters", {"A", "E"}), days=("number", 15))
    state = notebook["metadata"]["widgets"][answers.STATE_KEY]
    assert state["version_major"] == 2 and all("model_name" in m for m in state["state"].values())
    saved = answers.saved_answers(json.loads(json.dumps(notebook)))
    assert {name: a.value for name, a in saved.items()} == {"same_page": {"A", "E"}, "days": 15}


def test_the_latest_store_of_a_name_wins_and_other_widgets_are_ignored() -> None:
    notebook = notebook_with(same_page=("letters", {"A"}))
    models = notebook["metadata"]["widgets"][answers.STATE_KEY]["state"]
    newer = json.dumps({"name": "same_page", "kind": "letters", "value": ["B"], "stamp": 99})
    models["restored-copy"] = {"model_name": "TextModel", "state": {
        "_dom_classes": [answers.STORE_CLASS, answers.store_class("same_page")], "value": newer}}
    models["a-slider"] = {"model_name": "IntSliderModel", "state": {"value": 3}}
    models["a-stranger"] = {"model_name": "TextModel", "state": {
        "_dom_classes": [answers.STORE_CLASS], "value": "not json"}}
    assert answers.saved_answers(notebook)["same_page"].value == {"B"}


@pytest.mark.parametrize("metadata", [{}, {"widgets": []}, {"widgets": {answers.STATE_KEY: 3}},
                                      {"widgets": {answers.STATE_KEY: {"state": {"m": None}}}}])
def test_notebooks_without_usable_state_have_no_saved_answers(metadata: dict) -> None:
    assert answers.saved_answers({"metadata": metadata}) == {}


def test_strip_widget_state_removes_every_saved_answer() -> None:
    notebook = notebook_with(same_page=("letters", {"A"}))
    assert answers.strip_widget_state(notebook)
    assert answers.saved_answers(notebook) == {}
    assert not answers.strip_widget_state(notebook)


def test_find_notebook_prefers_the_session_then_the_folder_notebook_holding_the_answer(
        tmp_path: Path) -> None:
    holding = tmp_path / "mine.ipynb"
    holding.write_text(json.dumps(notebook_with(same_page=("letters", {"A"}))))
    (tmp_path / "other.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    assert answers.find_notebook("same_page", session="", folder=tmp_path) == holding
    assert answers.find_notebook("missing", session="", folder=tmp_path) is None
    other = tmp_path / "other.ipynb"
    assert answers.find_notebook("same_page", session=str(other), folder=tmp_path) == other
    assert answers.read_saved_answers(tmp_path / "nope.ipynb") == {}


def test_a_form_restores_its_saved_answer_and_keeps_the_store_in_step(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    (tmp_path / "exercise.ipynb").write_text(json.dumps(notebook_with(
        same_page=("letters", {"B"}), channels=("choices", {"x": "Email"}))))
    ticked = forms.choose("same_page", "ABC")
    assert ticked.value == {"B"}
    ticked.value = {"A", "C"}
    stored = json.loads(ticked._store.value)
    assert stored["value"] == ["A", "C"] and stored["stamp"] > 0
    assert answers.store_class("same_page") in ticked._store._dom_classes
    picked = forms.pick("channels", ["x", "y"], ["Email", "Display"])
    assert picked.value == {"x": "Email", "y": None}
    assert forms.number("days", 0, 42).value is None
    assert forms.write("titles", ["/a"]).value == {"/a": ""}
    again = forms.choose("same_page", "ABC")
    assert ticked._store.comm is None, "a form made again closes the old one"
    assert again.value == {"B"}, "a new form starts from the saved notebook, not the live one"
    with pytest.raises(AssertionError, match="Not in the saved notebook yet: same_page"):
        again.value = {"A"}
        forms.check_saved()
    again.value = {"B"}
    picked.value = {"x": "Email", "y": None}
    assert "saved" in forms.check_saved()


def test_a_choice_outside_the_list_is_not_kept() -> None:
    form = forms.pick("odd", ["x"], ["Email"])
    form.value = {"x": "Smart “Email”"}
    assert form.value == {"x": None}


def test_the_shipped_lab_setting_turns_on_saved_widget_state(tmp_path: Path) -> None:
    from jupyterlab_server.settings_utils import _get_overrides

    root = Path(__file__).resolve().parents[2]
    shipped = root / "share/jupyter/lab/settings/overrides.d/crosstalk.json"
    (tmp_path / "overrides.d").mkdir()
    (tmp_path / "overrides.d" / shipped.name).write_text(shipped.read_text())
    overrides, error = _get_overrides(str(tmp_path))
    assert not error
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}


@pytest.mark.parametrize(("kind", "value"), [
    ("letters", {"A", "D"}), ("choices", {"P": "IT", "Q": "Marketing", "R": "IT"}),
    ("texts", {"/a": "A title"}), ("number", 15),
])
def test_slips_are_near_misses_of_the_same_kind(kind: str, value: object) -> None:
    found = answers.slips(answers.SavedAnswer("x", kind, value, 1))
    assert found and all(slip != value for slip in found)
    assert all(answers.decode(kind, answers.encode(kind, slip)) == slip for slip in found)
