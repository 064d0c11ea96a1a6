"""Module 01's widget and charts: the only place where ipywidgets and plotly come in.

:func:`migration_explorer` builds a :class:`MigrationExplorer`: buttons to pick a
migration strategy, a chart of the weeks after launch (where the old pages' organic
visitors end up, and how many of their links the new pages are credited with), a
summary table, and a caption with the model's assumptions and sources.  Every
strategy is simulated once, when the explorer is built, so a click only swaps data.

:func:`strategy_comparison_figure` is the static chart of all strategies side by side.

:func:`review_queue` shows the suggested map's review queue (from
:func:`kit.redirects.suggest_map`): the old pages a person must decide (410s and close
calls), each with its three best candidates, their scores and the reason.

All the numbers come from :mod:`kit.redirects.simulate`; this module only draws them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from kit.display import ExplorerDisplay, readable_figure
from kit.redirects.simulate import (
    STRATEGIES,
    MigrationAssumptions,
    MigrationResult,
    simulate_migration,
)
from kit.sites import Redesign, redesign
from kit.sources import cite

__all__ = [
    "PLAIN_TEXT",
    "REVIEW_VIEWS",
    "STRATEGY_LABELS",
    "MigrationExplorer",
    "ReviewQueue",
    "assumptions_caption",
    "migration_explorer",
    "review_queue",
    "strategy_comparison_figure",
    "strategy_comparison_words",
]

PLAIN_TEXT = (
    "Migration explorer: pick a redirect strategy and watch where the old pages' visitors "
    "and links go in the weeks after launch (run the notebook in JupyterLab to use it)."
)
STRATEGY_LABELS: dict[str, str] = {
    "one_to_one": "1:1 map",
    "homepage_dump": "All to homepage",
    "partial_map": "Top pages only",
    "chains": "Chains",
    "temporary_302": "302 (temporary)",
}
_REFERENCE = "one_to_one"
# (weekly column or None for the remainder, legend name, colour, dash, short label)
# Each line has its own dash pattern and a label at its end, so the chart reads without colour.
_TRACES: tuple[tuple[str | None, str, str, str, str], ...] = (
    ("relevant", "visitors reach the right page", "#2ca02c", "solid", "right page"),
    ("homepage", "visitors land on the homepage", "#ff7f0e", "dash", "homepage"),
    ("error", "visitors hit an error page", "#d62728", "longdashdot", "error page"),
    (None, "visitors lost (dropped from search, or gave up)", "#7f7f7f", "dot", "lost"),
    ("links", "links credited to the right new page", "#1f77b4", "dashdot", "links"),
)
SRC_HOPS = cite("google-http-status-shown")
SRC_MOVES = cite("google-site-moves-shown")
SRC_REDIRECTS = cite("google-redirects-shown")


def _label(name: str) -> str:
    return STRATEGY_LABELS.get(name, name.replace("_", " "))


def _series(result: MigrationResult) -> list[np.ndarray]:
    """The y values of each trace, in the order of ``_TRACES``."""
    weekly = result.weekly
    reached = weekly["relevant"] + weekly["homepage"] + weekly["error"]
    lost = (1.0 - reached).clip(lower=0.0)
    return [
        (weekly[column] if column else lost).to_numpy(dtype=float).round(4)
        for column, *_ in _TRACES
    ]


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _end_labels(last_week: float, ys: list[np.ndarray]) -> list[dict[str, Any]]:
    """A label at the end of each line (pushed apart when lines end close together)."""
    ends = sorted((float(y[-1]), i) for i, y in enumerate(ys))
    placed: list[tuple[float, int]] = []
    for value, index in ends:  # from the bottom up, so no label falls below the axis
        if placed and value - placed[-1][0] < 0.05:
            value = placed[-1][0] + 0.05
        placed.append((value, index))
    return [
        {"x": last_week, "y": round(value, 4), "text": _TRACES[index][4], "showarrow": False,
         "xanchor": "left", "xshift": 6, "font": {"color": _TRACES[index][2], "size": 12}}
        for value, index in sorted(placed, key=lambda item: item[1])
    ]


def _chart_in_words(title: str, ys: list[np.ndarray], weeks: int) -> str:
    """The chart as one sentence (alt text), read by screen readers and without colour."""
    parts = [f"{_percent(float(y[-1]))} {name}" for (_, name, *_rest), y in zip(_TRACES, ys,
                                                                            strict=True)]
    start = [f"{_percent(float(y[0]))}" for y in ys]
    return (f"<p class='crosstalk-alt'><b>The chart in words</b> ({html.escape(title)}): "
            f"in week {weeks}, " + html.escape("; ".join(parts)) + ". At launch: "
            + html.escape(", ".join(start)) + " in the same order.</p>")


_SUMMARY_ROWS: tuple[tuple[str, str, Any], ...] = (
    ("traffic_kept", "organic visits reaching the right page", _percent),
    ("links_kept", "links credited to the right page", _percent),
    ("soft_404s", "old pages counted as soft 404s (Google may treat them so)", str),
    ("errors", "old pages ending on an error", str),
    ("max_hops", "longest redirect chain (hops)", str),
)


def _summary_html(result: MigrationResult, reference: MigrationResult | None) -> str:
    """A small two-column table: this strategy, and the 1:1 map for reference."""
    mine, best = result.summary, (reference or result).summary
    weeks = result.assumptions.weeks
    head = (f"<tr><th style='text-align:left'>after {weeks} weeks</th>"
            f"<th>{html.escape(_label(result.strategy))}</th>"
            f"<th>{html.escape(_label(_REFERENCE))} (reference)</th></tr>")
    rows = "".join(
        f"<tr><td style='text-align:left'>{text}</td><td>{fmt(mine[key])}</td>"
        f"<td>{fmt(best[key])}</td></tr>"
        for key, text, fmt in _SUMMARY_ROWS
    )
    return f"<table class='crosstalk-summary'>{head}{rows}</table>"


def assumptions_caption(assumptions: MigrationAssumptions | None = None) -> str:
    """One HTML paragraph: the model's key assumptions and the rules' sources."""
    model = assumptions or MigrationAssumptions()
    low, high = model.chain_hops
    return (
        "<p style='font-size:90%'><b>A model, not a measurement.</b> Assumed: "
        f"{model.weeks} weeks after launch; Google recrawls each old URL with a weekly chance of "
        f"{model.recrawl_base:.0%}, sooner for popular pages; a 302 passes links on only "
        f"{model.temporary_credit_weeks} weeks after the recrawl; each extra hop loses "
        f"{model.bounce_per_extra_hop:.0%} of visitors; “top pages only” maps the "
        f"{model.partial_map_share:.0%} most visited pages; chains are {low}–{high} hops. "
        "The 302 delay is this model's assumption: Google says only that a temporary redirect "
        f"keeps the old URL in results ({SRC_REDIRECTS}). "
        f"Rules: Googlebot follows at most 10 redirect hops ({SRC_HOPS}); map old pages 1:1, "
        f"answer 404/410 for removed content and keep redirects at least a year ({SRC_MOVES}); "
        "many old pages sent to an irrelevant page such as the homepage may be treated as soft "
        f"404s ({SRC_REDIRECTS}; {SRC_MOVES}). Sources checked on 2026-12-07.</p>"
    )


@dataclass(frozen=True)
class _View:
    """Everything one click needs, computed once."""

    ys: list[np.ndarray]
    title: str
    explanation: str
    summary: str
    words: str


class MigrationExplorer(ExplorerDisplay):
    """Pick a strategy, watch the weeks after launch.  Display it in a notebook cell.

    ``results`` holds the simulation of every strategy (a dict of
    :class:`~kit.redirects.simulate.MigrationResult`); :meth:`show_strategy` does what
    one click on the buttons does.
    """

    PLAIN_TEXT = PLAIN_TEXT

    def __init__(
        self,
        site: Redesign,
        *,
        assumptions: MigrationAssumptions | None = None,
        strategy: str = "homepage_dump",
    ) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(
                f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}"
            )
        self.site = site
        self.assumptions = assumptions or MigrationAssumptions()
        self.results: dict[str, MigrationResult] = {
            name: simulate_migration(site, name, assumptions=self.assumptions)
            for name in STRATEGIES
        }
        reference = self.results.get(_REFERENCE)
        self._views = {
            name: _View(
                ys=_series(result),
                title=f"{_label(name)}: the {self.assumptions.weeks} weeks after launch",
                explanation=f"<p><b>{html.escape(_label(name))}</b>: "
                            f"{html.escape(STRATEGIES[name])}</p>",
                summary=_summary_html(result, reference),
                words=_chart_in_words(
                    f"{_label(name)}: the {self.assumptions.weeks} weeks after launch",
                    _series(result), self.assumptions.weeks),
            )
            for name, result in self.results.items()
        }
        self.strategy = strategy
        view = self._views[strategy]
        weeks = self.results[strategy].weekly["week"].to_numpy()
        self.buttons = widgets.ToggleButtons(
            options=[(_label(name), name) for name in STRATEGIES],
            value=strategy,
            tooltips=list(STRATEGIES.values()),
            description="Strategy:",
            style={"button_width": "auto"},
        )
        self.explanation = widgets.HTML(view.explanation)
        self.figure = go.FigureWidget(
            data=[
                go.Scatter(x=weeks, y=ys, name=name, mode="lines",
                           line={"color": colour, "dash": dash, "width": 3},
                           hovertemplate="week %{x}: %{y:.0%}<extra>" + name + "</extra>")
                for (_, name, colour, dash, _short), ys in zip(_TRACES, view.ys, strict=True)
            ],
            layout={
                "title": {"text": view.title},
                "annotations": _end_labels(float(weeks[-1]), view.ys),
                "xaxis": {"title": {"text": "weeks after launch"}, "dtick": 2},
                "yaxis": {"title": {"text": "share of the old pages' visits / links"},
                          "tickformat": ".0%", "range": [0, 1.02]},
                "legend": {"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
                "height": 480,
                "margin": {"t": 50, "b": 40, "l": 60, "r": 90},
                "template": "plotly_white",
            },
        )
        self._last_week = float(weeks[-1])
        self.words = widgets.HTML(view.words)
        self.summary = widgets.HTML(view.summary)
        self.caption = widgets.HTML(assumptions_caption(self.assumptions))
        self.widget = widgets.VBox(
            [self.buttons, self.explanation, self.figure, self.words, self.summary,
             self.caption]
        )
        self.buttons.observe(self._on_pick, names="value")

    # -- what a click does --------------------------------------------------------
    def _on_pick(self, change: Mapping[str, Any]) -> None:
        self._render(change["new"])

    def _render(self, name: str) -> None:
        view = self._views[name]
        with self.figure.batch_update():
            for trace, ys in zip(self.figure.data, view.ys, strict=True):
                trace.y = ys
            self.figure.layout.title.text = view.title
            self.figure.layout.annotations = _end_labels(self._last_week, view.ys)
        self.words.value = view.words
        self.explanation.value = view.explanation
        self.summary.value = view.summary
        self.strategy = name

    def set(self, *, strategy: str) -> None:
        """Switch to ``strategy``: exactly the work of one click on its button."""
        self.show_strategy(strategy)

    def show_strategy(self, name: str) -> None:
        """Switch to strategy ``name`` (the older spelling of ``set(strategy=name)``)."""
        if name not in self._views:
            raise ValueError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}")
        if self.buttons.value == name:
            self._render(name)
        else:
            self.buttons.value = name  # the observer redraws, as after a click

    # -- display --------------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"MigrationExplorer(strategy={self.strategy!r}, pages={len(self.site.old)}, "
                f"strategies={len(self._views)})")

    def _repr_html_(self) -> str:
        """The static fallback: what the widget shows now, without interaction."""
        view = self._views[self.strategy]
        return (f"<p>{html.escape(PLAIN_TEXT)}</p>{view.explanation}{view.words}"
                f"{view.summary}{assumptions_caption(self.assumptions)}")



def migration_explorer(
    site: Redesign | None = None,
    *,
    n_pages: int = 2000,
    seed: int = 0,
    assumptions: MigrationAssumptions | None = None,
    strategy: str = "homepage_dump",
) -> MigrationExplorer:
    """The explorer for ``site``, or for a seeded ``redesign(n_pages, seed=seed)``."""
    return MigrationExplorer(site if site is not None else redesign(n_pages, seed=seed),
                             assumptions=assumptions, strategy=strategy)


@readable_figure
def strategy_comparison_figure(
    results: Mapping[str, MigrationResult] | Iterable[MigrationResult],
) -> go.Figure:
    """Bars of traffic and links kept per strategy: a static chart, no kernel needed."""
    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    if not items:
        raise ValueError("no results to compare; pass simulate_migration(...) results")
    labels = [_label(result.strategy) for result in items]
    summaries = [result.summary for result in items]
    weeks = items[0].assumptions.weeks
    bars = (  # colour and a fill pattern each, so the bars read without colour
        ("traffic_kept", "organic visits reaching the right page", "#2ca02c", ""),
        ("links_kept", "links credited to the right page", "#1f77b4", "/"),
    )
    figure = go.Figure(
        data=[
            go.Bar(x=labels, y=[summary[key] for summary in summaries], name=name,
                   marker={"color": colour, "pattern": {"shape": pattern}},
                   texttemplate="%{y:.0%}", textposition="outside",
                   customdata=[summary["soft_404s"] for summary in summaries],
                   hovertemplate="%{x}: %{y:.0%}<br>soft 404s: %{customdata}<extra>"
                                 + name + "</extra>")
            for key, name, colour, pattern in bars
        ],
        layout={
            "title": {"text": f"What each strategy keeps, {weeks} weeks after launch"},
            "barmode": "group",
            "yaxis": {"tickformat": ".0%", "range": [0, 1.1],
                      "title": {"text": "share of the old pages' visits / links"}},
            "legend": {"orientation": "h", "y": -0.2},
            "height": 420,
            "margin": {"t": 50, "b": 40, "l": 60, "r": 20},
            "template": "plotly_white",
        },
    )
    return figure


def strategy_comparison_words(
    results: Mapping[str, MigrationResult] | Iterable[MigrationResult],
) -> str:
    """The comparison chart in one sentence per strategy: its alt text."""
    items = list(results.values()) if isinstance(results, Mapping) else list(results)
    if not items:
        raise ValueError("no results to describe; pass simulate_migration(...) results")
    weeks = items[0].assumptions.weeks
    lines = [f"What each strategy keeps, {weeks} weeks after launch (the chart above, in words):"]
    lines += [f"- {_label(r.strategy)}: {_percent(r.summary['traffic_kept'])} of organic visits "
              f"reach the right page, {_percent(r.summary['links_kept'])} of links are credited, "
              f"{r.summary['soft_404s']} soft 404s." for r in items]
    return "\n".join(lines)


REVIEW_VIEWS: dict[str, str] = {
    "to decide": "the 410s: no candidate was accepted; pick one of the three, or keep 410",
    "redirected": "the accepted 301s, lowest score first: spot-check the weakest",
    "all": "every old page",
}


def _review_rows(suggested: Any, view: str, limit: int) -> Any:
    if view == "to decide":
        rows = suggested[suggested["status"] == 410]
    elif view == "redirected":
        rows = suggested[suggested["status"] == 301]
    else:
        rows = suggested
    return rows.sort_values("score", ascending=view != "to decide", kind="stable").head(limit)


def _review_html(suggested: Any, view: str, limit: int) -> str:
    """One HTML table: old URL, status and reason, then each candidate with its score."""
    rows = _review_rows(suggested, view, limit)
    ranks = [int(c.split("_")[1]) for c in suggested.columns if c.startswith("candidate_")]
    head = "".join(f"<th>candidate {rank}</th>" for rank in ranks)
    body = []
    for _, row in rows.iterrows():
        cells = "".join(
            "<td>" + (f"{html.escape(str(row[f'candidate_{rank}']))} "
                      f"<small>({row[f'score_{rank}']:.2f})</small>"
                      if isinstance(row[f"candidate_{rank}"], str) else "–") + "</td>"
            for rank in ranks)
        body.append(f"<tr><td style='text-align:left'>{html.escape(str(row['source']))}</td>"
                    f"<td>{int(row['status'])}</td><td>{html.escape(str(row['reason']))}</td>"
                    f"{cells}</tr>")
    shown = len(rows)
    total = len(_review_rows(suggested, view, len(suggested)))
    caption = (f"<p><b>{html.escape(view)}</b>: {html.escape(REVIEW_VIEWS[view])} "
               f"({shown} of {total} shown).</p>")
    return (caption + "<table class='crosstalk-review'><tr><th style='text-align:left'>old URL"
            f"</th><th>status</th><th>reason</th>{head}</tr>{''.join(body)}</table>")


class ReviewQueue:
    """The review queue of a suggested map: buttons pick a view, a table lists the pages.

    ``suggested`` is what :func:`kit.redirects.suggest_map` returns (with its
    ``reason`` and ``candidate_N``/``score_N`` columns); :meth:`show` does what one click
    on the buttons does.
    """

    PLAIN_TEXT = ("Review queue: the old pages to decide, each with its three best "
                  "candidates and scores (run the notebook in JupyterLab to switch views).")

    def __init__(self, suggested: Any, *, view: str = "to decide", limit: int = 25) -> None:
        if view not in REVIEW_VIEWS:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(REVIEW_VIEWS)}")
        missing = {"source", "status", "reason", "candidate_1", "score_1"} - set(suggested)
        if missing:
            raise ValueError("review_queue needs the output of suggest_map (missing columns: "
                             f"{', '.join(sorted(missing))})")
        self.suggested = suggested
        self.limit = limit
        self._html = {name: _review_html(suggested, name, limit) for name in REVIEW_VIEWS}
        self.view = view
        self.buttons = widgets.ToggleButtons(options=list(REVIEW_VIEWS), value=view,
                                             tooltips=list(REVIEW_VIEWS.values()),
                                             description="Show:")
        self.table = widgets.HTML(self._html[view])
        self.widget = widgets.VBox([self.buttons, self.table])
        self.buttons.observe(lambda change: self._render(change["new"]), names="value")

    def _render(self, view: str) -> None:
        self.table.value = self._html[view]
        self.view = view

    def set(self, *, view: str) -> None:
        """Switch to ``view``: exactly the work of one click on its button."""
        self.show(view)

    def show(self, view: str) -> None:
        """Switch to ``view`` (the older spelling of ``set(view=...)``)."""
        if view not in self._html:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(REVIEW_VIEWS)}")
        if self.buttons.value == view:
            self._render(view)
        else:
            self.buttons.value = view

    def __repr__(self) -> str:
        counts = self.suggested["status"].value_counts()
        return (f"ReviewQueue(view={self.view!r}, pages={len(self.suggested)}, "
                f"to_decide={int(counts.get(410, 0))})")

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.PLAIN_TEXT)}</p>{self._html[self.view]}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:
        bundle = {"text/plain": self.PLAIN_TEXT, "text/html": self._repr_html_(),
                  "application/vnd.jupyter.widget-view+json": {
                      "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}
        if include is not None:
            bundle = {key: value for key, value in bundle.items() if key in set(include)}
        if exclude is not None:
            bundle = {key: value for key, value in bundle.items() if key not in set(exclude)}
        return bundle


def review_queue(suggested: Any, *, view: str = "to decide", limit: int = 25) -> ReviewQueue:
    """The review queue of ``suggest_map(old, new)``: the 410s to decide first (best
    candidate's score highest first), then the accepted 301s (weakest first), or all."""
    return ReviewQueue(suggested, view=view, limit=limit)
