"""How the kit's objects and explorers show themselves in Jupyter.

:func:`key_value_table` is the small two-column HTML table that result objects
(``_repr_html_``) and explorer summaries share.

Every module's ``widget.py`` builds an ipywidgets layout around a plotly
``FigureWidget``.  :class:`ExplorerDisplay` gives them one ``_repr_mimebundle_``:
the live widget for JupyterLab, a fixed sentence as ``text/plain`` (no random model
ids or trace uids, so stored notebook outputs stay deterministic for nbval), and a
static HTML summary for front ends that cannot render widgets.  :class:`NamedControls`
gives explorers with a ``controls`` dict one ``set(name=value)`` for tests and scripts.

:func:`readable_figure` rounds the numbers a chart carries to what a person reads (six
significant digits).  A notebook stores a chart's data in its output; the last digits of
a computed float depend on the machine's maths library, so unrounded charts would make
strict nbval pass only on the machine that stored them.  Every figure function of the kit
is decorated with it.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from copy import deepcopy
from typing import Any, TypeVar, cast

__all__ = [
    "READABLE_DIGITS",
    "ExplorerDisplay",
    "NamedControls",
    "key_value_table",
    "readable_figure",
    "readable_numbers",
]

READABLE_DIGITS = 6
"""Significant digits a chart keeps: far beyond what anyone reads off a chart, far below
the digits (15th–17th) where machines differ."""

_Figure = TypeVar("_Figure")


def readable_numbers(value: Any, *, digits: int = READABLE_DIGITS) -> Any:
    """``value`` with every float in it (nested dicts, lists, tuples, numpy arrays) rounded
    to ``digits`` significant digits; plotly's ``template`` is left as plotly wrote it."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):  # numpy's float64 too
        return float(f"{value:.{digits}g}")
    if isinstance(value, dict):
        return {key: item if key == "template" else readable_numbers(item, digits=digits)
                for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(readable_numbers(item, digits=digits) for item in value)
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype.kind in "fO":  # numpy arrays and float32 scalars
        plain = value.tolist()
        return readable_numbers(plain, digits=digits) if isinstance(plain, list) \
            else readable_numbers(float(plain), digits=digits)
    return value


def readable_figure(build: Callable[..., _Figure]) -> Callable[..., _Figure]:
    """Decorate a function returning a plotly figure so its numbers are rounded.

    The figure is rebuilt from its rounded ``to_dict()`` as the same class (``Figure`` or
    ``FigureWidget``); nothing is imported from plotly here, so core modules may use it.
    """

    @functools.wraps(build)
    def rounded(*args: Any, **kwargs: Any) -> _Figure:
        figure: Any = build(*args, **kwargs)  # a plotly figure; plotly is not imported here
        return cast(_Figure, type(figure)(readable_numbers(figure.to_dict())))

    return rounded


def key_value_table(
    rows: Iterable[tuple[str, object]],
    *,
    caption: str | None = None,
    css_class: str | None = None,
    label_tag: str = "th",
) -> str:
    """An HTML table of ``(label, value)`` rows, labels left-aligned and escaped.

    Values and ``caption`` are inserted as given, so callers may pass markup (or escape
    untrusted text themselves).  ``label_tag`` is ``th`` for a result's own table and
    ``td`` inside an explorer's summary.
    """
    body = "".join(
        f"<tr><{label_tag} style='text-align:left'>{html.escape(label)}</{label_tag}>"
        f"<td>{value}</td></tr>"
        for label, value in rows
    )
    opening = f"<table class='{css_class}'>" if css_class else "<table>"
    head = f"<caption>{caption}</caption>" if caption is not None else ""
    return f"{opening}{head}{body}</table>"


class ExplorerDisplay:
    """Mixin for explorer objects with ``widget``, ``figure``, ``_repr_html_`` and PLAIN_TEXT."""

    PLAIN_TEXT: str = "An interactive Crosstalk explorer (run the notebook to use it)."
    widget: Any
    figure: Any

    def _repr_html_(self) -> str:  # pragma: no cover - each explorer defines its own
        raise NotImplementedError

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The real widget, with a fixed sentence as text and the summary as HTML fallback."""
        # As plotly's own FigureWidget repr does: hand the front end the current traces.
        self.figure._widget_layout = deepcopy(self.figure._layout_obj._props)
        self.figure._widget_data = deepcopy(self.figure._data)
        bundle = {
            "text/plain": self.PLAIN_TEXT,
            "text/html": self._repr_html_(),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
        if include is not None:
            bundle = {key: value for key, value in bundle.items() if key in set(include)}
        if exclude is not None:
            bundle = {key: value for key, value in bundle.items() if key not in set(exclude)}
        return bundle


class NamedControls:
    """Mixin for explorers with a ``controls`` dict (name → ipywidget) and ``_render()``."""

    controls: dict[str, Any]

    def _render(self) -> None:  # pragma: no cover - each explorer defines its own
        raise NotImplementedError

    def set(self, **values: object) -> None:
        """Move controls by name (``servers=8``), exactly as the front end does, then redraw
        once; unknown names raise ``ValueError``."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; use {sorted(self.controls)}")
        for name, value in values.items():
            self.controls[name].value = value
        self._render()
