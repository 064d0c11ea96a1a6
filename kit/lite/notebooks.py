"""The workshop notebooks as the JupyterLite site serves them.

In the browser nothing is installed: each notebook gets a first cell that installs the
kit (and, through its requirements, pandas, plotly, ipywidgets, …) from the site's own
wheels.  The rest of the notebook, stored outputs included, is left as it is.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

__all__ = [
    "INSTALL_SOURCE",
    "INSTALL_TAG",
    "is_learner_file",
    "join_lines",
    "prepare_contents",
    "prepare_notebook",
]

INSTALL_TAG = "crosstalk-lite-install"
INSTALL_SOURCE = (
    "# Browser version only: installs the Crosstalk kit in this tab, from this site.\n"
    "# Run this cell first (Shift+Enter); it takes a few seconds.\n"
    "%pip install crosstalk-kit"
)
# Learners' workshops are numbered (01-redirects.ipynb); the rest of workshops/ is for the
# facilitator (FACILITATOR.md) or the team lead (team-lead-review.ipynb runs nbgrader): the
# browser version offers no grading, so they stay out.  Data files travel with the notebooks.
_WORKSHOP = re.compile(r"^\d+-.+\.ipynb$")
_FOR_OTHERS = re.compile(r"^(FACILITATOR\.md|.+\.ipynb)$")


def is_learner_file(name: str) -> bool:
    """Whether ``workshops/<name>`` belongs in the browser version."""
    return bool(_WORKSHOP.match(name)) or not _FOR_OTHERS.match(name)


def _joined(value: Any) -> Any:
    return "".join(value) if isinstance(value, list) else value


def join_lines(notebook: dict[str, Any]) -> dict[str, Any]:
    """Turn every multi-line string stored as a list of lines into one string, in place.

    Both forms are valid nbformat; Jupyter's server joins the lines when it reads a
    notebook, JupyterLite serves the file as it is and the page would then show stored
    HTML outputs (pandas tables) with a comma between every line.
    """
    for cell in notebook.get("cells", []):
        cell["source"] = _joined(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _joined(output["text"])
            data = output.get("data", {})
            for mime, value in data.items():
                if not (mime == "application/json" or mime.endswith("+json")):
                    data[mime] = _joined(value)
    return notebook


def prepare_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``notebook`` (nbformat 4 JSON) that starts with the install cell, with
    its multi-line strings joined (:func:`join_lines`).

    Idempotent: a notebook that already starts with it gets no second one.
    """
    if notebook.get("nbformat") != 4:
        version = notebook.get("nbformat")
        raise ValueError(f"expected an nbformat 4 notebook, got nbformat {version}")
    result = join_lines(json.loads(json.dumps(notebook)))
    cells = result.setdefault("cells", [])
    if cells and INSTALL_TAG in cells[0].get("metadata", {}).get("tags", []):
        return result
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [INSTALL_TAG]},
        "outputs": [],
        "source": INSTALL_SOURCE,
    }
    if result.get("nbformat_minor", 0) >= 5:
        cell["id"] = INSTALL_TAG
    cells.insert(0, cell)
    return result


def prepare_contents(workshops: Path, into: Path) -> list[Path]:
    """Copy the learners' part of ``workshops`` (:func:`is_learner_file`) into ``into``:
    notebooks through :func:`prepare_notebook`, other files (data the notebooks read) as
    they are.  Returns the notebooks written."""
    notebooks: list[Path] = []
    for path in sorted(workshops.rglob("*")):
        relative = path.relative_to(workshops)
        if (not path.is_file() or not is_learner_file(relative.name)
                or any(part.startswith(".") or part == "__pycache__" for part in relative.parts)):
            continue
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            notebook = json.loads(path.read_text(encoding="utf-8"))
            target.write_text(json.dumps(prepare_notebook(notebook), indent=1,
                                         ensure_ascii=False) + "\n", encoding="utf-8")
            notebooks.append(target)
        else:
            shutil.copy2(path, target)
    return notebooks
