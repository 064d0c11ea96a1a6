"""Play a learner in a real kernel: run the exercise, fill its forms, save as JupyterLab does.

The forms (:mod:`kit.forms`) are filled the way the browser fills them: a ``comm_msg``
``update`` to each control's widget model (a tick is ``{"value": true}``, a list choice is
``{"index": n}``, a text box ``{"value": "..."}``).  Saving writes every widget model's state
into ``metadata.widgets["application/vnd.jupyter.widget-state+json"]`` with defaults dropped,
which is what JupyterLab's widget manager does on save when ``saveState`` is on
(``get_state_sync({drop_defaults: true})``); here the state comes from the kernel's side of
the same models (``Widget.get_manager_state(drop_defaults=True)``), after the updates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from kit.answers import STATE_KEY, SavedAnswer

_PROBE = """
import json
from kit import forms as _forms
print(json.dumps({name: {"kind": form.kind, "controls": {
    key: {"id": control.model_id,
          "options": [str(value) for _, value in getattr(control, "options", ())]}
    for key, control in form._controls.items()}} for name, form in _forms._LIVE.items()}))
"""
_DUMP = """
import json, ipywidgets
print(json.dumps(ipywidgets.Widget.get_manager_state(drop_defaults=True)))
"""


def _run_helper(client: NotebookClient, notebook: Any, source: str) -> Any:
    """Run ``source`` in the kernel (not kept in the notebook); its last printed line as JSON."""
    cell = nbformat.v4.new_code_cell(source)
    notebook.cells.append(cell)
    try:
        client.execute_cell(cell, len(notebook.cells) - 1)
    finally:
        notebook.cells.pop()
    text = "".join(output.get("text", "") for output in cell.outputs
                   if output.get("output_type") == "stream")
    return json.loads(text.strip().splitlines()[-1])


def _updates(kind: str, controls: Mapping[str, Any], value: Any) -> list[tuple[str, dict]]:
    """The front end's ``update`` messages that set a form of ``kind`` to ``value``."""
    if kind == "letters":
        return [(c["id"], {"value": True}) for key, c in controls.items() if key in value]
    if kind == "number":
        control = controls[""]
        return [(control["id"], {"index": control["options"].index(str(value))})]
    if kind == "choices":
        return [(controls[key]["id"], {"index": controls[key]["options"].index(str(choice))})
                for key, choice in value.items() if choice is not None]
    return [(controls[key]["id"], {"value": text}) for key, text in value.items() if text]


def play(exercise: Path, folder: Path, forms: Mapping[str, SavedAnswer], *,
         cells: Mapping[str, str] | None = None) -> Any:
    """The exercise as a learner saves it: cells run, ``forms`` filled in, then saved.

    ``cells`` replaces the source of answer cells by grade id before running (what the
    learner typed).  Returns the notebook (outputs, saved widget state) to hand in.
    """
    notebook = nbformat.read(exercise, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cells and grade_id in cells:
            cell.source = cells[grade_id]
    client = NotebookClient(notebook, kernel_name="python3", allow_errors=True, timeout=300,
                            resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        live = _run_helper(client, notebook, _PROBE)
        missing = set(forms) - set(live)
        assert not missing, f"{exercise.name}: no form named {sorted(missing)}"
        channel = client.kc.shell_channel
        session = client.kc.session
        for name, answer in forms.items():
            form = live[name]
            for model_id, state in _updates(form["kind"], form["controls"], answer.value):
                content = {"comm_id": model_id,
                           "data": {"method": "update", "state": state, "buffer_paths": []}}
                channel.send(session.msg("comm_msg", content))
        state = _run_helper(client, notebook, _DUMP)  # runs after the updates: same channel
        notebook.metadata["widgets"] = {STATE_KEY: state}
    return notebook
