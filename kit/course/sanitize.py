"""nbgrader's ``OverwriteCells``, made safe for hostile notebooks (used by course configs).

nbgrader strips the ``grade_id`` of a cell the gradebook does not know (a fabricated
"bonus" test) and of a duplicated cell, but leaves the rest of its nbgrader metadata: with
``add_missing_cells`` on, ``OverwriteCells`` then fails with ``KeyError: 'grade_id'`` and the
whole submission is lost, and without it ``SaveAutoGrades`` fails the same way later.
:class:`SafeOverwriteCells` turns such cells into ordinary cells (they run, they score
nothing) and otherwise behaves exactly like nbgrader's, so honest notebooks are graded
identically.
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import OverwriteCells

__all__ = ["SafeOverwriteCells", "drop_orphans"]


def drop_orphans(nb: NotebookNode) -> int:
    """Remove nbgrader metadata that has no ``grade_id``; return how many cells changed."""
    changed = 0
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if "nbgrader" in meta and not meta["nbgrader"].get("grade_id"):
            del meta["nbgrader"]
            changed += 1
    return changed


class SafeOverwriteCells(OverwriteCells):
    """``OverwriteCells`` that first turns unknown and duplicated graded cells into plain ones."""

    def preprocess(self, nb: NotebookNode, resources: Any) -> tuple[NotebookNode, Any]:
        drop_orphans(nb)  # e.g. ids removed by DeduplicateIds
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, cell_index: int
                        ) -> tuple[NotebookNode, Any]:
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        meta = cell.get("metadata", {})
        if "nbgrader" in meta and not meta["nbgrader"].get("grade_id"):
            del meta["nbgrader"]  # not in the gradebook: a plain cell from now on
        return cell, resources

    def add_missing_grade_cells(self, nb: NotebookNode, resources: Any
                                ) -> tuple[NotebookNode, Any]:
        """nbgrader's, but a deleted check goes back after the nearest earlier source cell the
        submission still holds: nbgrader looks only at the cell just before it, among graded
        and answer cells, and fails with ``KeyError`` when that one is locked (a form cell)."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = source_nb.source_cells
        source_ids = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = [(cell.get("metadata", {}).get("nbgrader") or {}).get("grade_id")
                       for cell in nb.cells]
            if grade_cell.name in present:
                continue
            self.log.warning(f"Missing grade cell {grade_cell.name} encountered, adding to "
                             "notebook")
            index = source_ids.index(grade_cell.name)
            added = self.missing_cell_transform(source_cells[index], grade_cell.max_score,
                                                is_solution=grade_cell.name in solution_ids)
            at = next((present.index(earlier) + 1 for earlier in reversed(source_ids[:index])
                       if earlier in present), 0)
            nb.cells.insert(at, added)
        return nb, resources
