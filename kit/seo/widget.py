"""Module 02's widget and charts: the only place where ipywidgets and plotly come in.

:func:`seo_explorer` builds an :class:`SeoExplorer`: one checkbox per change (IT's two,
Marketing's five), buttons for the named plans, a bar chart of indexable and
well-described pages (the site as it is against the site with the ticked changes),
a summary table, and a caption with the simulator's rules and sources.

:func:`change_effects_figure` and :func:`plan_comparison_figure` are static charts.
All numbers come from :mod:`kit.seo.simulate`; this module only draws them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from kit.display import ExplorerDisplay, readable_figure
from kit.seo.simulate import (
    ASSUMPTIONS,
    CHANGES,
    PLAN_LABELS,
    PLANS,
    SeoResult,
    simulate_seo,
)
from kit.sites import SeoSite, seo_site

__all__ = [
    "PLAIN_TEXT",
    "SeoExplorer",
    "assumptions_caption",
    "change_effects_figure",
    "change_effects_words",
    "plan_comparison_figure",
    "plan_comparison_words",
    "seo_explorer",
]

PLAIN_TEXT = (
    "SEO explorer: tick IT's changes or Marketing's fixes and watch how many pages Google may "
    "index and how many are well described (run the notebook in JupyterLab to use it)."
)
_COLOURS = {"IT": "#ff7f0e", "Marketing": "#2ca02c", "as_is": "#9e9e9e", "now": "#1f77b4"}
_METRICS = (("indexable", "indexable pages"), ("well_described", "well-described pages"))
# Bars carry a fill pattern as well as a colour, and their values as text, so every chart
# reads without colour; each chart also has a sentence version (the *_words functions).
_PATTERNS = ("", "/")


def assumptions_caption() -> str:
    """One HTML paragraph: the simulator's rules and their sources."""
    items = "".join(f"<li><b>{html.escape(name)}</b>: {html.escape(rule)}</li>"
                    for name, rule in ASSUMPTIONS)
    return ("<div style='font-size:90%'><b>A model with exact rules, run on a synthetic "
            f"shop.</b> The rules:<ul>{items}</ul></div>")


def _summary_html(result: SeoResult, base: SeoResult) -> str:
    mine, before = result.summary, base.summary
    rows = (
        ("meant_to_be_found", "pages the shop wants found"),
        ("indexable", "pages Google may index"),
        ("well_described", "… of which well described"),
        ("meta_keywords_tags", "pages with a keywords meta tag"),
        ("errors", "error findings"),
        ("warnings", "warning findings"),
    )
    body = "".join(
        f"<tr><td style='text-align:left'>{text}</td><td>{before[key]}</td>"
        f"<td><b>{mine[key]}</b></td></tr>" for key, text in rows)
    note = ""
    if set(result.changes) == {"meta_keywords"}:
        note = ("<p><b>Meta keywords alone changed neither number.</b> Google does not use the "
                "keywords meta tag in web ranking (Google Webmaster Central blog, 21 Sep "
                "2009).</p>")
    head = ("<tr><th style='text-align:left'></th><th>as it is</th>"
            "<th>with the ticked changes</th></tr>")
    return f"<table class='crosstalk-summary'>{head}{body}</table>{note}"


def _ys(result: SeoResult) -> list[int]:
    summary = result.summary
    return [int(summary[key]) for key, _ in _METRICS]


def _words(result: SeoResult, base: SeoResult) -> str:
    """The explorer's chart in one sentence (its alt text)."""
    now, before = _ys(result), _ys(base)
    return (f"<p class='crosstalk-alt'><b>The chart in words:</b> of {base.meant} pages the "
            f"shop wants found, {before[0]} are indexable and {before[1]} well described as "
            f"it is; with the ticked changes, {now[0]} and {now[1]}.</p>")


class SeoExplorer(ExplorerDisplay):
    """Tick changes, watch two numbers.  Display it in a notebook cell.

    :meth:`select` does what ticking boxes does; :meth:`show_plan` what a plan button
    does.  Results are cached per set of changes (each new set takes a fraction of a
    second: the site is re-rendered and audited).
    """

    PLAIN_TEXT = PLAIN_TEXT

    def __init__(self, site: SeoSite, *, plan: str = "it_delivered") -> None:
        if plan not in PLANS:
            raise ValueError(f"unknown plan {plan!r}; choose one of {', '.join(PLANS)}")
        self.site = site
        self._cache: dict[frozenset[str], SeoResult] = {}
        self.base = self.result(())
        for changes in PLANS.values():
            self.result(changes)
        self.boxes = {
            name: widgets.Checkbox(value=False, description=f"{who}: {what}", indent=False,
                                   layout=widgets.Layout(width="auto"))
            for name, (who, what) in CHANGES.items()
        }
        self.plans = widgets.ToggleButtons(
            options=[(PLAN_LABELS[name].split(" (")[0], name) for name in PLANS],
            value=None, description="Plans:", style={"button_width": "auto"})
        labels = [label for _, label in _METRICS]
        meant = self.base.meant
        self.figure = go.FigureWidget(
            data=[
                go.Bar(x=labels, y=_ys(self.base), name="as it is",
                       marker={"color": _COLOURS["as_is"], "pattern": {"shape": _PATTERNS[0]}},
                       texttemplate="%{y}", textposition="outside"),
                go.Bar(x=labels, y=_ys(self.base), name="with the ticked changes",
                       marker={"color": _COLOURS["now"], "pattern": {"shape": _PATTERNS[1]}},
                       texttemplate="%{y}", textposition="outside"),
            ],
            layout={
                "title": {"text": "Pages Google may index, and how many are well described"},
                "barmode": "group",
                "yaxis": {"title": {"text": "pages"}, "range": [0, meant * 1.15]},
                "shapes": [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": meant,
                            "y1": meant, "line": {"dash": "dash", "color": "#555"}}],
                "annotations": [{"xref": "paper", "x": 1, "y": meant, "yanchor": "bottom",
                                 "xanchor": "right", "showarrow": False,
                                 "text": f"{meant} pages the shop wants found"}],
                "legend": {"orientation": "h", "y": -0.15},
                "height": 420, "margin": {"t": 50, "b": 40, "l": 60, "r": 20},
                "template": "plotly_white",
            },
        )
        self.summary = widgets.HTML(_summary_html(self.base, self.base))
        self.words = widgets.HTML(_words(self.base, self.base))
        self.caption = widgets.HTML(assumptions_caption())
        it_boxes = [box for name, box in self.boxes.items() if CHANGES[name][0] == "IT"]
        mk_boxes = [box for name, box in self.boxes.items() if CHANGES[name][0] != "IT"]
        self.widget = widgets.VBox([
            self.plans,
            widgets.HTML("<b>What IT delivered</b>"), *it_boxes,
            widgets.HTML("<b>What Marketing meant</b>"), *mk_boxes,
            self.figure, self.words, self.summary, self.caption,
        ])
        self.changes: tuple[str, ...] = ()
        self._quiet = False
        for box in self.boxes.values():
            box.observe(self._on_tick, names="value")
        self.plans.observe(self._on_plan, names="value")
        self.show_plan(plan)

    def result(self, changes: Iterable[str]) -> SeoResult:
        """The simulation for a set of changes (cached)."""
        key = frozenset(changes)
        if key not in self._cache:
            self._cache[key] = simulate_seo(self.site, sorted(key, key=list(CHANGES).index))
        return self._cache[key]

    # -- what clicks do -----------------------------------------------------------
    def _on_tick(self, _change: Mapping[str, Any]) -> None:
        if self._quiet:
            return
        chosen = tuple(name for name, box in self.boxes.items() if box.value)
        self._render(chosen)
        named = next((n for n, c in PLANS.items() if set(c) == set(chosen)), None)
        self._quiet = True
        self.plans.value = named
        self._quiet = False

    def _on_plan(self, change: Mapping[str, Any]) -> None:
        if self._quiet or change["new"] is None:
            return
        self.select(PLANS[change["new"]])

    def set(self, *, changes: Iterable[str] | None = None, plan: str | None = None) -> None:
        """Tick exactly ``changes`` (names from CHANGES), or the changes of ``plan`` (a key
        of PLANS), and redraw: what clicks do.  Give one of the two."""
        if (changes is None) == (plan is None):
            raise ValueError("set(changes=[...]) or set(plan=name): give exactly one")
        if plan is not None:
            self.show_plan(plan)
        else:
            self.select(changes or ())

    def select(self, changes: Iterable[str]) -> None:
        """Tick exactly ``changes`` (names from CHANGES) and redraw: what clicks do."""
        chosen = tuple(dict.fromkeys(changes))
        unknown = [name for name in chosen if name not in CHANGES]
        if unknown:
            raise ValueError(f"unknown change(s) {unknown}; choose from {', '.join(CHANGES)}")
        self._quiet = True
        for name, box in self.boxes.items():
            box.value = name in chosen
        named = next((n for n, c in PLANS.items() if set(c) == set(chosen)), None)
        self.plans.value = named
        self._quiet = False
        self._render(tuple(name for name in CHANGES if name in chosen))

    def show_plan(self, name: str) -> None:
        """Tick the changes of plan ``name`` (a key of PLANS)."""
        if name not in PLANS:
            raise ValueError(f"unknown plan {name!r}; choose one of {', '.join(PLANS)}")
        self.select(PLANS[name])

    def _render(self, changes: tuple[str, ...]) -> None:
        result = self.result(changes)
        with self.figure.batch_update():
            self.figure.data[1].y = _ys(result)
        self.summary.value = _summary_html(result, self.base)
        self.words.value = _words(result, self.base)
        self.changes = changes

    # -- display --------------------------------------------------------------------
    def __repr__(self) -> str:
        summary = self.result(self.changes).summary
        return (f"SeoExplorer(changes={list(self.changes)}, indexable={summary['indexable']}, "
                f"well_described={summary['well_described']}, pages={len(self.site.spec)})")

    def _repr_html_(self) -> str:
        result = self.result(self.changes)
        return (f"<p>{html.escape(PLAIN_TEXT)}</p>{_words(result, self.base)}"
                f"{_summary_html(result, self.base)}{assumptions_caption()}")



def seo_explorer(site: SeoSite | None = None, *, n_pages: int = 300, seed: int = 0,
                 plan: str = "it_delivered") -> SeoExplorer:
    """The explorer for ``site``, or for a seeded ``seo_site(n_pages, seed=seed)``."""
    return SeoExplorer(site if site is not None else seo_site(n_pages, seed=seed), plan=plan)


@readable_figure
def change_effects_figure(effects: pd.DataFrame) -> go.Figure:
    """Bars: what each change adds on its own (from :func:`~kit.seo.change_effects`)."""
    if effects.empty:
        raise ValueError("no changes to show; pass change_effects(site)")
    labels = [f"{who}: {change.replace('_', ' ')}" for change, who in
              zip(effects["change"], effects["who"], strict=True)]
    return go.Figure(
        data=[
            go.Bar(y=labels, x=effects["indexable_gain"], name="more indexable pages",
                   orientation="h", marker={"color": "#1f77b4", "pattern": {"shape": ""}},
                   texttemplate="%{x:+d}", textposition="outside"),
            go.Bar(y=labels, x=effects["well_described_gain"],
                   name="more well-described pages", orientation="h",
                   marker={"color": "#2ca02c", "pattern": {"shape": "/"}},
                   texttemplate="%{x:+d}", textposition="outside"),
        ],
        layout={
            "title": {"text": "What each change adds on its own"},
            "barmode": "group", "xaxis": {"title": {"text": "pages gained"}},
            "yaxis": {"autorange": "reversed"}, "legend": {"orientation": "h", "y": -0.2},
            "height": 460, "margin": {"t": 50, "b": 40, "l": 230, "r": 30},
            "template": "plotly_white",
        },
    )


@readable_figure
def plan_comparison_figure(summaries: pd.DataFrame) -> go.Figure:
    """Bars per plan (from :func:`~kit.seo.compare_plans`): indexable and well described."""
    if summaries.empty:
        raise ValueError("no plans to compare; pass compare_plans(site)")
    labels = [PLAN_LABELS.get(plan, plan).split(" (")[0] for plan in summaries["plan"]]
    meant = int(summaries["meant_to_be_found"].max())
    return go.Figure(
        data=[go.Bar(x=labels, y=summaries[key], name=name, texttemplate="%{y}",
                     textposition="outside",
                     marker={"color": colour, "pattern": {"shape": pattern}})
              for (key, name), colour, pattern in zip(_METRICS, ("#1f77b4", "#2ca02c"), _PATTERNS,
                                                      strict=True)],
        layout={
            "title": {"text": f"Four plans, one shop: {meant} pages it wants found"},
            "barmode": "group", "yaxis": {"title": {"text": "pages"}, "range": [0, meant * 1.15]},
            "legend": {"orientation": "h", "y": -0.2}, "height": 420,
            "margin": {"t": 50, "b": 40, "l": 60, "r": 20}, "template": "plotly_white",
        },
    )


def change_effects_words(effects: pd.DataFrame) -> str:
    """The change-effects chart in words, one line per change (its alt text)."""
    lines = ["What each change adds on its own (the chart above, in words):"]
    lines += [f"- {who}: {change.replace('_', ' ')}: {int(gain):+d} indexable, "
              f"{int(described):+d} well-described pages"
              for change, who, gain, described in zip(effects["change"], effects["who"],
                                                      effects["indexable_gain"],
                                                      effects["well_described_gain"], strict=True)]
    return "\n".join(lines)


def plan_comparison_words(summaries: pd.DataFrame) -> str:
    """The plan-comparison chart in words, one line per plan (its alt text)."""
    lines = ["Four plans, one shop (the chart above, in words):"]
    lines += [f"- {PLAN_LABELS.get(plan, plan).split(' (')[0]}: {int(indexable)} indexable, "
              f"{int(described)} well described, of {int(meant)} pages the shop wants found"
              for plan, indexable, described, meant in zip(
                  summaries["plan"], summaries["indexable"], summaries["well_described"],
                  summaries["meant_to_be_found"], strict=True)]
    return "\n".join(lines)
