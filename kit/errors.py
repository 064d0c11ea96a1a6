"""One error type for bad input, so every entry point says *where* and *what to do*."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input the user can fix: names the file, the row or cell, and the remedy.

    ``problems`` keeps each located problem (``"redirects.csv line 4: ..."``) so a
    caller can show them one per line; ``str(error)`` already does.
    """

    def __init__(self, what: str, problems: list[str] | None = None, *, hint: str = "") -> None:
        self.what = what
        self.problems = list(problems or [])
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [self.what]
        shown = self.problems[:20]
        lines += [f"  - {problem}" for problem in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … and {len(self.problems) - len(shown)} more like these")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)
