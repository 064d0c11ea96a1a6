"""The one base every result object of the kit builds on (see docs/architecture.md).

A *result* is what a module's ``audit``/``simulate``/``load_*`` verb returns when it is
more than a findings table: a dataclass with the data, :attr:`Result.summary` (always a
``dict`` of headline figures, plain ``int``/``float``/``str``/``bool`` values a test or a
script can compare) and one ``_repr_html_`` built from it.

A subclass defines ``summary`` (a property) and, when the default rendering is not what
a person should read, one or more of the hooks:

* :meth:`Result.summary_rows` – ``(label, html value)`` rows of the table (default: each
  summary key with ``_`` as spaces, its value escaped);
* :meth:`Result.summary_caption` – the table's caption (default: the class name);
* :meth:`Result.summary_html` – the whole summary block (default: the table), for results
  that read as a sentence rather than a table;
* :meth:`Result.detail_html` – what follows the summary (default: nothing): a table of
  rows, the model's assumptions.

:meth:`Result.summary_text` gives the summary as one line of plain text.
"""

from __future__ import annotations

import html
from typing import Any

from kit.display import key_value_table

__all__ = ["Result"]


class Result:
    """Mixin for result objects: ``summary`` is a dict, ``_repr_html_`` is built from it."""

    @property
    def summary(self) -> dict[str, Any]:  # pragma: no cover - each result defines its own
        """Headline figures, by name."""
        raise NotImplementedError

    def summary_rows(self) -> list[tuple[str, str]]:
        """The rows of the HTML summary: ``(label, value as HTML)``."""
        return [(key.replace("_", " "), html.escape(str(value)))
                for key, value in self.summary.items()]

    def summary_caption(self) -> str | None:
        """The caption of the HTML summary (HTML; ``None`` for none)."""
        return type(self).__name__

    def summary_html(self) -> str:
        """The summary as HTML: by default a two-column table of :meth:`summary_rows`."""
        return key_value_table(self.summary_rows(), caption=self.summary_caption())

    def detail_html(self) -> str:
        """HTML shown after the summary (default: nothing)."""
        return ""

    def summary_text(self) -> str:
        """The summary as one line of plain text: ``key=value, ...``."""
        return ", ".join(f"{key}={value}" for key, value in self.summary.items())

    def _repr_html_(self) -> str:
        return self.summary_html() + self.detail_html()
