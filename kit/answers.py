"""Form answers that survive re-execution: kept in the notebook file's saved widget state.

A marketer answers a choice part by ticking boxes or picking from lists (the forms of
:mod:`kit.forms`), not by typing quoted strings.  The grader, nbgrader autograde,
*re-executes* the notebook in a fresh kernel, where a live widget's value is gone; so every
form also holds its answer in a small hidden text widget (a *store*) whose value is the
answer as JSON.  JupyterLab, with its widget setting ``saveState`` on (the kit installs an
``overrides.json`` that turns it on), writes every widget's state into the notebook file
when it is saved: ``metadata.widgets["application/vnd.jupyter.widget-state+json"]``.  When
the form is created again (by the learner tomorrow, or by the grader), it reads the saved
store back from the notebook file and starts from the saved answer.

This module is the core: no ipywidgets.  It reads and writes stores in a notebook (a dict
as nbformat gives it), finds the notebook file a kernel runs in, and turns stored JSON
back into plain data (``set``, ``dict``, ``int``) for the tests to read.

A store's value is ``{"name": ..., "kind": ..., "value": ..., "stamp": ...}``.  ``stamp``
(nanoseconds) orders stores with the same name: a notebook re-opened and re-run can hold
an old restored copy next to the new one, and the latest change wins.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "ANSWERS_FILE",
    "KINDS",
    "STATE_KEY",
    "STORE_CLASS",
    "SavedAnswer",
    "decode",
    "encode",
    "find_notebook",
    "read_answers_file",
    "read_saved_answers",
    "saved_answers",
    "slips",
    "store_class",
    "strip_widget_state",
    "with_saved_answers",
    "write_answers_file",
]

STATE_KEY = "application/vnd.jupyter.widget-state+json"
"""The key under ``metadata.widgets`` where JupyterLab saves widget state."""
STORE_CLASS = "crosstalk-answer"
"""The DOM class every answer store carries (with :func:`store_class` of its name)."""
KINDS = ("letters", "choices", "texts", "number")
ANSWERS_FILE = "crosstalk-saved-answers.json"
"""A grader that runs the notebook in a folder without the notebook file (the sandbox of
``crosstalk grade``) writes the submission's saved answers there under this name, as plain
JSON (:func:`write_answers_file`); a form reads it before looking for notebook files."""
"""What a form returns: a set of letters, a dict of choices, a dict of texts, an int."""

_TEXT_MODEL = {"model_name": "TextModel", "model_module": "@jupyter-widgets/controls",
               "model_module_version": "2.0.0"}


def store_class(name: str) -> str:
    """The DOM class that names the store of the answer ``name``."""
    return f"{STORE_CLASS}--{name}"


# --- plain data -----------------------------------------------------------------------


def encode(kind: str, value: Any) -> Any:
    """``value`` of a form of ``kind`` as JSON-ready data (sets become sorted lists)."""
    if kind not in KINDS:
        raise ValueError(f"unknown answer kind {kind!r}; expected one of {KINDS}")
    if kind == "letters":
        return sorted(str(item) for item in (value or ()))
    if kind in ("choices", "texts"):
        return {str(key): (None if item is None else str(item))
                for key, item in dict(value or {}).items()}
    if value is None or isinstance(value, bool):
        return None
    return int(value)


def decode(kind: str, data: Any) -> Any:
    """Stored JSON ``data`` as the plain value a test reads; malformed data reads as blank."""
    if kind == "letters":
        if not isinstance(data, list):
            return set()
        return {str(item) for item in data if isinstance(item, str)}
    if kind in ("choices", "texts"):
        if not isinstance(data, dict):
            return {}
        return {str(key): (item if isinstance(item, str) else None)
                for key, item in data.items()}
    if kind == "number":
        return data if isinstance(data, int) and not isinstance(data, bool) else None
    return None


# --- reading a notebook's saved widget state --------------------------------------------


@dataclass(frozen=True)
class SavedAnswer:
    """One answer store found in a notebook's saved widget state."""

    name: str
    kind: str
    value: Any
    """Plain data (see :func:`decode`)."""
    stamp: int
    """When the answer last changed (nanoseconds); the latest store of a name wins."""


def _stores(notebook: Mapping[str, Any]) -> Iterable[SavedAnswer]:
    metadata = notebook.get("metadata") or {}
    widgets = metadata.get("widgets") if isinstance(metadata, Mapping) else None
    state = widgets.get(STATE_KEY) if isinstance(widgets, Mapping) else None
    models = state.get("state") if isinstance(state, Mapping) else None
    if not isinstance(models, Mapping):
        return
    for model in models.values():
        attributes = model.get("state") if isinstance(model, Mapping) else None
        if not isinstance(attributes, Mapping):
            continue
        classes = attributes.get("_dom_classes") or ()
        if STORE_CLASS not in classes or not isinstance(attributes.get("value"), str):
            continue
        try:
            data = json.loads(attributes["value"])
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("kind") not in KINDS:
            continue
        name = str(data.get("name", ""))
        if store_class(name) not in classes:
            continue
        stamp = data.get("stamp")
        yield SavedAnswer(name=name, kind=str(data["kind"]),
                          value=decode(str(data["kind"]), data.get("value")),
                          stamp=stamp if isinstance(stamp, int) else 0)


def saved_answers(notebook: Mapping[str, Any]) -> dict[str, SavedAnswer]:
    """The answers saved in ``notebook`` (a notebook as a dict), the latest per name."""
    found: dict[str, SavedAnswer] = {}
    for answer in _stores(notebook):
        if answer.name not in found or answer.stamp >= found[answer.name].stamp:
            found[answer.name] = answer
    return found


def read_saved_answers(path: Path | str) -> dict[str, SavedAnswer]:
    """:func:`saved_answers` of the notebook file at ``path``; empty when unreadable."""
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return saved_answers(notebook) if isinstance(notebook, dict) else {}


def find_notebook(name: str, *, session: str | None = None,
                  folder: Path | str | None = None) -> Path | None:
    """The notebook file this kernel runs in, as far as it can be told; else None.

    ``session`` is the notebook path Jupyter gives the kernel (``JPY_SESSION_NAME``, which
    ipykernel also puts in ``__session__``).  Without it (nbgrader, nbclient, papermill run
    the kernel in the notebook's folder), the notebooks in ``folder`` (default: the working
    folder) that hold a saved answer ``name``; of several, the one saved last.
    """
    session = session if session is not None else os.environ.get("JPY_SESSION_NAME", "")
    here = Path(folder) if folder is not None else Path.cwd()
    if session and session.endswith(".ipynb"):
        for candidate in (Path(session), here / Path(session).name):
            if candidate.is_file():
                return candidate
    holding = [path for path in sorted(here.glob("*.ipynb"))
               if name in read_saved_answers(path)]
    if not holding:
        return None
    return max(holding, key=lambda path: path.stat().st_mtime)


def write_answers_file(notebook: Mapping[str, Any], folder: Path | str) -> Path:
    """Write ``notebook``'s saved answers as plain JSON into ``folder``; return the file."""
    path = Path(folder) / ANSWERS_FILE
    data = {name: {"kind": answer.kind, "value": encode(answer.kind, answer.value),
                   "stamp": answer.stamp} for name, answer in saved_answers(notebook).items()}
    path.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    return path


def read_answers_file(path: Path | str) -> dict[str, SavedAnswer]:
    """The answers of a file :func:`write_answers_file` wrote; empty when missing or broken."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found = {}
    for name, item in data.items():
        if isinstance(item, dict) and item.get("kind") in KINDS:
            stamp = item.get("stamp")
            found[str(name)] = SavedAnswer(str(name), str(item["kind"]),
                                           decode(str(item["kind"]), item.get("value")),
                                           stamp if isinstance(stamp, int) else 0)
    return found


def slips(answer: SavedAnswer, *, letters: str = "ABCDEFGHIJ") -> list[Any]:
    """Typical wrong answers near ``answer`` (for synthetic cohorts): one slip each.

    Letters: one ticked box left out, one box too many; choices: two items' choices swapped,
    one item left unchosen; texts: one text left empty; number: one more, one less.
    """
    value = answer.value
    found: list[Any] = []
    if answer.kind == "letters":
        found += [value - {letter} for letter in sorted(value)[:1]]
        found += [value | {letter} for letter in letters if letter not in value][:1]
    elif answer.kind == "choices":
        keys = [key for key, item in value.items() if item]
        pairs = [(a, b) for a in keys for b in keys if a < b and value[a] != value[b]]
        if pairs:
            a, b = pairs[0]
            found.append({**value, a: value[b], b: value[a]})
        found += [{**value, key: None} for key in keys[:1]]
    elif answer.kind == "texts":
        found += [{**value, key: ""} for key in list(value)[:1]]
    elif answer.kind == "number" and value is not None:
        found += [value + 1, value - 1]
    return [slip for slip in found if slip != value]


# --- writing saved widget state (solutions, tests) and removing it (exercises) ----------


def with_saved_answers(notebook: dict[str, Any], answers: Mapping[str, tuple[str, Any]],
                       *, stamp: int = 1) -> dict[str, Any]:
    """``notebook`` with a saved store for each ``name: (kind, value)`` in ``answers``.

    Writes what JupyterLab writes on save (a ``TextModel`` per store, defaults dropped);
    stores of the same names already there are replaced.  Used for the model answers of
    ``solutions/`` and by tests that play a learner.
    """
    metadata = notebook.setdefault("metadata", {})
    widgets = metadata.setdefault("widgets", {})
    state = widgets.setdefault(STATE_KEY, {"version_major": 2, "version_minor": 0, "state": {}})
    models = state.setdefault("state", {})
    for model_id in [key for key, model in models.items()
                     if any(store_class(name) in (model.get("state", {}).get("_dom_classes")
                                                  or ()) for name in answers)]:
        del models[model_id]
    for name, (kind, value) in sorted(answers.items()):
        data = {"name": name, "kind": kind, "value": encode(kind, value), "stamp": stamp}
        model_id = uuid.uuid5(uuid.NAMESPACE_URL, f"crosstalk-answer:{name}").hex
        layout_id = uuid.uuid5(uuid.NAMESPACE_URL, f"crosstalk-layout:{name}").hex
        models[model_id] = {**_TEXT_MODEL, "state": {
            "_dom_classes": [STORE_CLASS, store_class(name)],
            "layout": f"IPY_MODEL_{layout_id}",
            "value": json.dumps(data, sort_keys=True),
        }}
        models[layout_id] = {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
                             "model_module_version": "2.0.0", "state": {"display": "none"}}
    return notebook


def strip_widget_state(notebook: dict[str, Any]) -> bool:
    """Remove all saved widget state from ``notebook``; True when there was some.

    A learner's copy must never carry a model answer saved in the instructor's notebook.
    """
    metadata = notebook.get("metadata") or {}
    return metadata.pop("widgets", None) is not None
