"""Answer forms for the no-code parts: tick boxes, pick from lists, type into boxes.

A learner answers without writing code or quotes; the form keeps the answer in a plain
variable of the same name (``same_page = {"A", "E"}``) that the checks read, and in a store
JupyterLab saves with the notebook (see :mod:`kit.answers`), so the answer is still
there when the grader re-runs the notebook.  The forms:

* :func:`choose` — one tick box per letter; the answer is a ``set`` of letters;
* :func:`pick` — one list per item; the answer is a ``dict`` ``{item: choice or None}``;
* :func:`write` — one text box per item; the answer is a ``dict`` ``{item: text}``;
* :func:`number` — one list of whole numbers; the answer is an ``int`` or ``None``.

:func:`check_saved` (the last cell of an exercise) tells the learner whether the notebook
file holds every answer they gave, which is what will be graded.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from kit import answers as core
from kit.room import client as room

__all__ = ["Form", "check_saved", "choose", "number", "pick", "write"]

BLANK = "— choose —"
_LIVE: dict[str, Form] = {}
_SAVE_HELP = (
    "Save the notebook (Ctrl+S, or File → Save Notebook), then run this cell again. If this "
    "message stays after saving, JupyterLab is not saving the forms: open Settings → Settings "
    "Editor → Jupyter Widgets, tick “Save Jupyter widget state in notebooks”, save again, "
    "and tell your facilitator."
)


def _namespace() -> dict[str, Any] | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipywidgets
        return None
    shell = get_ipython()
    return shell.user_ns if shell is not None else None


def _saved(name: str) -> core.SavedAnswer | None:
    """The saved answer ``name``: from a grader's answers file, else from the notebook file."""
    graders = core.read_answers_file(core.ANSWERS_FILE)
    if name in graders:
        return graders[name]
    namespace = _namespace() or {}
    path = core.find_notebook(name, session=namespace.get("__session__") or None)
    return core.read_saved_answers(path).get(name) if path else None


def _items(items: Mapping[str, str] | Sequence[str]) -> dict[str, str]:
    """``{key: label}`` from a mapping or from a sequence of keys (labelled by themselves)."""
    if isinstance(items, Mapping):
        return {str(key): str(label) for key, label in items.items()}
    return {str(key): str(key) for key in items}


def describe(kind: str, value: Any) -> str:
    """A short plain-text reading of an answer, as the learner and the grader see it."""
    if kind == "letters":
        return ", ".join(sorted(value)) if value else "nothing ticked"
    if kind == "number":
        return "nothing chosen" if value is None else str(value)
    if not value or not any(value.values()):
        return "nothing filled in"
    return "; ".join(f"{key} → {item if item else '(empty)'}" for key, item in value.items())


class Form:
    """One answer form; displays itself. Build it with :func:`choose`, :func:`pick`, …"""

    def __init__(self, name: str, kind: str, items: dict[str, str], *,
                 choices: Sequence[Any] = (), long_text: bool = False) -> None:
        if not name.isidentifier():
            raise ValueError(f"{name!r}: a form's name must be a Python variable name.")
        self.name, self.kind, self.items = name, kind, items
        self.stamp = 0
        self._controls: dict[str, widgets.Widget] = {}
        rows: list[widgets.Widget] = []
        label_layout = widgets.Layout(width="auto")
        for key, label in items.items():
            if kind == "letters":
                control = widgets.Checkbox(value=False, description=label, indent=False,
                                           layout=label_layout)
                rows.append(control)
            elif kind in ("choices", "number"):
                options = [(BLANK, None), *((str(choice), choice) for choice in choices)]
                control = widgets.Dropdown(options=options, value=None,
                                           layout=widgets.Layout(width="max-content"))
                rows.append(widgets.HBox([widgets.HTML(f"<b>{html.escape(label)}</b>&nbsp;"),
                                          control]) if label else control)
            else:
                box = widgets.Textarea if long_text else widgets.Text
                control = box(value="", placeholder="type here",
                              layout=widgets.Layout(width="95%"))
                rows.append(widgets.VBox([widgets.HTML(f"<b>{html.escape(label)}</b>"),
                                          control]))
            control.add_class(f"crosstalk-control--{name}--{key}")
            control.observe(self._changed, names="value")
            self._controls[key] = control
        self._store = widgets.Text(value="", layout=widgets.Layout(display="none"))
        self._store.add_class(core.STORE_CLASS)
        self._store.add_class(core.store_class(name))
        self._status = widgets.HTML()
        self.widget = widgets.VBox([*rows, self._status, self._store])
        self._restoring = False

    # -- the answer ----------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """The answer as plain data (what the checks read)."""
        if self.kind == "letters":
            return {key for key, box in self._controls.items() if box.value}
        if self.kind == "number":
            return self._controls[""].value
        if self.kind == "choices":
            return {key: box.value for key, box in self._controls.items()}
        return {key: box.value.strip() for key, box in self._controls.items()}

    @value.setter
    def value(self, value: Any) -> None:
        """Set the form as a learner would fill it in (used when restoring and in tests)."""
        self._set(value)
        self._changed()

    def _set(self, value: Any) -> None:
        self._restoring = True
        try:
            if self.kind == "letters":
                for key, box in self._controls.items():
                    box.value = key in (value or ())
            elif self.kind == "number":
                allowed = [option[1] for option in self._controls[""].options]
                self._controls[""].value = value if value in allowed else None
            else:
                for key, box in self._controls.items():
                    item = (value or {}).get(key)
                    if self.kind == "choices":
                        allowed = [option[1] for option in box.options]
                        box.value = item if item in allowed else None
                    else:
                        box.value = item or ""
        finally:
            self._restoring = False

    def _changed(self, _change: Any = None) -> None:
        if self._restoring:
            return
        self.stamp = time.time_ns()
        self._publish()
        if self.kind != "texts":  # a learner's own text never leaves the notebook
            room.notify_choice(self.name, self.kind, self.value)  # no-op unless joined

    def _publish(self) -> None:
        value = self.value
        self._store.value = json.dumps({"name": self.name, "kind": self.kind,
                                        "value": core.encode(self.kind, value),
                                        "stamp": self.stamp}, sort_keys=True)
        namespace = _namespace()
        if namespace is not None:
            namespace[self.name] = value
        self._status.value = (
            f"<span style='font-size:90%'>Your answer, kept in <code>{self.name}</code>: "
            f"{html.escape(describe(self.kind, value))}. Save the notebook (Ctrl+S) to keep "
            "it: the saved notebook is what gets graded.</span>")

    def restore(self) -> core.SavedAnswer | None:
        """Start from the answer saved in this notebook's file, if there is one."""
        saved = _saved(self.name)
        if saved is not None and saved.kind == self.kind:
            self._set(saved.value)
            self.stamp = saved.stamp
        self._publish()
        return saved

    # -- display and lifetime ----------------------------------------------------------

    def close(self) -> None:
        """Close the form's widgets (a form made again replaces the old one)."""
        for control in self._controls.values():
            control.close()
        for part in (self._store, self._status, self.widget):
            part.close()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<{self.kind} form {self.name!r}: {describe(self.kind, self.value)}>"


def _make(name: str, kind: str, items: dict[str, str], **options: Any) -> Form:
    if name in _LIVE:
        _LIVE.pop(name).close()
    form = Form(name, kind, items, **options)
    saved = form.restore()
    _LIVE[name] = form
    if saved is None:
        print(f"{name}: no saved answer in this notebook yet.")
    else:
        print(f"{name}: saved answer read from this notebook: "
              f"{describe(kind, form.value)}.")
    return form


def choose(name: str, options: Mapping[str, str] | Sequence[str]) -> Form:
    """Tick boxes, one per option; the answer ``name`` is the ``set`` of ticked keys.

    ``options`` are keys (``"ABCDEF"``, ``["A", "B"]``) or ``{key: label}``.
    """
    return _make(name, "letters", _items(options))


def pick(name: str, items: Mapping[str, str] | Sequence[str], choices: Sequence[str]) -> Form:
    """One list per item; the answer ``name`` is ``{item: chosen or None}``."""
    return _make(name, "choices", _items(items), choices=[str(choice) for choice in choices])


def write(name: str, items: Mapping[str, str] | Sequence[str], *,
          long_text: bool = False) -> Form:
    """One text box per item; the answer ``name`` is ``{item: text}`` (spaces trimmed)."""
    return _make(name, "texts", _items(items), long_text=long_text)


def number(name: str, low: int, high: int, *, label: str = "") -> Form:
    """One list of the whole numbers ``low`` to ``high``; the answer is an ``int`` or None."""
    return _make(name, "number", {"": label}, choices=list(range(low, high + 1)))


def _filled(value: Any) -> Any:
    """An answer without its empty entries (a dict item left blank equals a missing one)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if item}
    return value


def check_saved() -> str:
    """Raise with a helpful message unless the notebook file holds every form's answer.

    Returns a one-line confirmation.  Forms left blank need no saving.
    """
    unsaved: list[str] = []
    for name, form in _LIVE.items():
        saved = _saved(name)
        blank = form.value in (set(), None) or (isinstance(form.value, dict)
                                                and not any(form.value.values()))
        if saved is None and blank:
            continue
        if saved is None or _filled(saved.value) != _filled(form.value):
            unsaved.append(name)
    if unsaved:
        raise AssertionError(
            f"Not in the saved notebook yet: {', '.join(unsaved)}. {_SAVE_HELP}")
    message = f"All {len(_LIVE)} form answers are saved in the notebook."
    print(message)
    return message
