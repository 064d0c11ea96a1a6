"""Re-run workshop notebooks so their stored outputs match the kit, ready for nbval.

Executing in place keeps outputs current after a change to the kit; widget state
(``metadata.widgets``, megabytes of model state with random ids) is dropped so the
stored file stays small and deterministic.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from kit.course.exercises import venv_on_path
from kit.errors import InputError

__all__ = ["refresh_notebook"]


def refresh_notebook(path: Path, *, timeout: int = 300, kernel_name: str = "python3") -> None:
    """Execute ``path`` top to bottom in a fresh kernel and store its outputs in place.

    Raises :class:`~kit.errors.InputError` naming the notebook and cell on failure; the
    file is left unchanged then.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        with venv_on_path():
            client.execute()
    except CellExecutionError as error:
        raise InputError(f"{path}: a cell failed while running the notebook.",
                         [str(error).strip().splitlines()[-1]],
                         hint="Fix the cell (or the kit) and run again.") from None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
