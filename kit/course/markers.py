"""nbgrader's cell markers, and the one way the kit splits a cell at them.

An instructor's notebook marks what learners must not get with three pairs of lines
(nbgrader matches the words anywhere in a line; the kit's notebooks write ``### `` first):

* ``BEGIN SOLUTION`` … ``END SOLUTION``: the model answer (replaced by a stub for learners);
* ``BEGIN HIDDEN TESTS`` … ``END HIDDEN TESTS``: checks only the grader runs;
* ``BEGIN MARK SCHEME`` … ``END MARK SCHEME``: sample answers for the people who grade.

:func:`split_regions` is the only reader of those markers: the tasks of an assignment
(:mod:`kit.course.tasks`), the handout's leak check (:mod:`kit.course.handout`), the
sandbox's hidden lines, the synthetic cohort and the answer-leak tests all call it.
Regions do not nest (nbgrader refuses nested ones): inside an open region only its own end
marker counts; a region never closed runs to the end of the cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "HIDDEN",
    "KINDS",
    "MARKERS",
    "SCHEME",
    "SOLUTION",
    "STUB_LINES",
    "Regions",
    "is_marker",
    "split_regions",
]

SOLUTION, HIDDEN, SCHEME = "solution", "hidden tests", "mark scheme"
KINDS = (SOLUTION, HIDDEN, SCHEME)
MARKERS = {
    SOLUTION: ("BEGIN SOLUTION", "END SOLUTION"),
    HIDDEN: ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"),
    SCHEME: ("BEGIN MARK SCHEME", "END MARK SCHEME"),
}
"""``kind → (begin, end)``: nbgrader's default delimiters, matched inside a line."""
STUB_LINES = frozenset({"# YOUR CODE HERE", "raise NotImplementedError()", "YOUR ANSWER HERE"})
"""What nbgrader puts in place of a solution region (code and Markdown stubs)."""


def is_marker(line: str, kinds: Iterable[str] = KINDS) -> bool:
    """True when ``line`` holds a begin or end marker of one of ``kinds``."""
    return any(marker in line for kind in kinds for marker in MARKERS[kind])


@dataclass
class Regions:
    """One cell's source split at the markers (see :func:`split_regions`)."""

    inside: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """``kind → [(1-based line number, line)]`` strictly inside that kind's regions."""
    outside: list[tuple[int, str]] = field(default_factory=list)
    """Lines outside every region, the marker lines left out."""
    markers: list[tuple[int, str]] = field(default_factory=list)
    """``(line number, kind)`` of every begin and end marker line."""

    def lines(self, kind: str) -> list[str]:
        """The lines inside ``kind``'s regions."""
        return [line for _, line in self.inside.get(kind, [])]

    def numbers(self, kind: str, *, with_markers: bool = False) -> list[int]:
        """Line numbers inside ``kind``'s regions (and of its marker lines if asked)."""
        numbers = [number for number, _ in self.inside.get(kind, [])]
        if with_markers:
            numbers += [number for number, marked in self.markers if marked == kind]
        return sorted(numbers)

    @property
    def visible(self) -> list[str]:
        """The lines outside every region (what survives when all of them are cut)."""
        return [line for _, line in self.outside]


def split_regions(source: str, kinds: Iterable[str] = KINDS) -> Regions:
    """Split ``source`` at the begin/end markers of ``kinds`` (default: all three).

    Markers of other kinds are ordinary lines: ``split_regions(text, [HIDDEN, SCHEME])``
    keeps the solution (markers and all) among the outside lines.
    """
    wanted = [kind for kind in KINDS if kind in set(kinds)]
    result = Regions(inside={kind: [] for kind in wanted})
    opened: str | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        if opened is None:
            begin = next((kind for kind in wanted if MARKERS[kind][0] in line), None)
            if begin is not None:
                opened = begin
                result.markers.append((number, begin))
            elif any(MARKERS[kind][1] in line for kind in wanted):
                result.markers.append((number, next(k for k in wanted if MARKERS[k][1] in line)))
            else:
                result.outside.append((number, line))
        elif MARKERS[opened][1] in line:
            result.markers.append((number, opened))
            opened = None
        else:
            result.inside[opened].append((number, line))
    return result
