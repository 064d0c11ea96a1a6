"""Module 03's widget and charts: the only place where ipywidgets and plotly come in.

:func:`crawl_explorer` builds a :class:`CrawlExplorer`: sliders and switches for the
shop's habits (filters, sort orders, print versions, tracking tags, session ids, http
addresses, shop size, crawl budget), a chart of the URLs a crawler finds against the
real pages, and of the days one crawl cycle takes, plus a summary and the model's
assumptions.  A change only recounts (:func:`kit.duplicates.simulate.simulate_crawl` is
exact arithmetic), so the chart follows the sliders at once.

:func:`crawl_figure` is the same chart, static; :func:`clusters_figure` draws what
:func:`~kit.duplicates.find_duplicates` found on a site.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kit.display import ExplorerDisplay, NamedControls, key_value_table, readable_figure
from kit.duplicates.clusters import DuplicateReport
from kit.duplicates.simulate import (
    CAUSES,
    SRC_CRAWL_BUDGET,
    CrawlAssumptions,
    CrawlResult,
    simulate_crawl,
)
from kit.sites.duplicate_site import SiteShape

__all__ = [
    "PLAIN_TEXT",
    "TRY_THIS",
    "CrawlExplorer",
    "assumptions_caption",
    "clusters_figure",
    "crawl_explorer",
    "crawl_figure",
]

PLAIN_TEXT = (
    "Crawl explorer: move the sliders to see how filters, sort orders, print versions, "
    "tracking tags and session ids multiply a shop's URLs (run the notebook in JupyterLab "
    "to use it)."
)
TRY_THIS = (
    "Try this: set filters (facets) to 4 and values per filter to 6, then switch print versions, "
    "utm_ tags and session ids on and off. The green bar of real pages never moves; the bar of "
    "URLs a crawler finds does. Then read how many days one crawl of the shop takes."
)
_COLOURS: dict[str, str] = {
    "real": "#2ca02c", "filter": "#d62728", "sort": "#ff7f0e", "parameter_order": "#e377c2",
    "print": "#9467bd", "tracking": "#1f77b4", "copy": "#8c564b", "session": "#bcbd22",
    "http": "#17becf",
}
_LABELS: dict[str, str] = {
    "real": "real pages", "filter": "filter views", "sort": "sort orders",
    "parameter_order": "parameter orders", "print": "print versions",
    "tracking": "tracking tags", "copy": "copies", "session": "session ids",
    "http": "http:// addresses",
}
CRAWL_BUDGETS = (100, 250, 500, 1000, 2500, 5000, 10000, 25000)


def assumptions_caption(assumptions: CrawlAssumptions | None = None) -> str:
    """One HTML paragraph: the model's assumptions and the rules' sources."""
    model = assumptions or CrawlAssumptions()
    return (
        "<p style='font-size:90%'><b>A model, not a measurement.</b> Counting is exact: every "
        "filter combination, sort order and variant the shop links to is a URL. Assumed: a "
        f"search engine crawls {model.crawl_per_day:,} of this site's URLs a day and fetches "
        "every linked URL once per cycle; a filter or sort view is a view of its category, not "
        "a page to rank. Sources: " + html.escape(SRC_CRAWL_BUDGET) + " (faceted navigation, "
        "session ids and duplicates take crawling from real pages; crawl budget matters mostly "
        "for large sites); Google Search Central, “What is URL canonicalization”.</p>"
    )


def _summary_html(result: CrawlResult) -> str:
    s = result.summary
    rows = (
        ("URLs a crawler finds", f"{s['urls']:,}"),
        ("real pages", f"{s['real_pages']:,}"),
        ("URLs per real page", f"{s['urls_per_real_page']:,}"),
        ("crawling spent on duplicates", f"{s['wasted_crawl_share']:.1%}"),
        ("days for one crawl of every URL", f"{s['days_per_crawl_cycle']:,}"),
        ("… with only the real pages", f"{s['days_if_only_real_pages']:,}"),
    )
    return key_value_table(rows, css_class="crosstalk-summary", label_tag="td")


def _bars(result: CrawlResult) -> dict[str, list[float]]:
    """y values per cause for the left panel: URLs found (stacked) vs real pages."""
    counts = dict(zip(result.by_cause["cause"], result.by_cause["urls"], strict=True))
    return {cause: [float(counts.get(cause, 0)), float(counts["real"]) if cause == "real"
                    else 0.0] for cause in CAUSES}


def _days(result: CrawlResult) -> list[float]:
    s = result.summary
    return [float(s["days_per_crawl_cycle"]), float(s["days_if_only_real_pages"])]


@readable_figure
def crawl_figure(result: CrawlResult | None = None) -> go.Figure:
    """URLs found vs real pages (left) and days per crawl cycle (right), for one shop."""
    result = result or simulate_crawl()
    figure = make_subplots(
        rows=1, cols=2, column_widths=[0.62, 0.38], horizontal_spacing=0.14,
        subplot_titles=("URLs a crawler finds vs real pages", "Days for one crawl of the shop"),
    )
    x = ["URLs found", "real pages"]
    for cause, ys in _bars(result).items():
        figure.add_trace(go.Bar(
            x=x, y=ys, name=_LABELS[cause], marker_color=_COLOURS[cause],
            hovertemplate="%{x}: %{y:,.0f}<extra>" + _LABELS[cause] + "</extra>",
        ), row=1, col=1)
    figure.add_trace(go.Bar(
        x=["every URL", "real pages only"], y=_days(result), name="days per crawl cycle",
        marker_color=["#7f7f7f", "#2ca02c"], showlegend=False, texttemplate="%{y:,.1f} d",
        textposition="outside", hovertemplate="%{x}: %{y:,.1f} days<extra></extra>",
    ), row=1, col=2)
    figure.update_layout(
        barmode="stack", height=460, template="plotly_white",
        margin={"t": 60, "b": 40, "l": 60, "r": 20},
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
    )
    figure.update_yaxes(title_text="URLs", row=1, col=1)
    figure.update_yaxes(title_text="days", row=1, col=2)
    return figure


class CrawlExplorer(NamedControls, ExplorerDisplay):
    """Sliders for the shop's habits, a chart of URLs vs real pages and crawl days.

    :meth:`set` does what moving the sliders does, e.g. ``explorer.set(facets=4)``.
    """

    PLAIN_TEXT = PLAIN_TEXT

    def __init__(self, shape: SiteShape | None = None,
                 assumptions: CrawlAssumptions | None = None) -> None:
        self.shape = shape or SiteShape()
        self.assumptions = assumptions or CrawlAssumptions()
        self.result = simulate_crawl(self.shape, assumptions=self.assumptions)
        s = self.shape
        style = {"description_width": "170px"}
        layout = widgets.Layout(width="420px")
        self.controls: dict[str, widgets.Widget] = {
            "facets": widgets.IntSlider(s.facets, 0, 6, description="filters (facets)",
                                        style=style, layout=layout),
            "values_per_facet": widgets.IntSlider(s.values_per_facet, 1, 10,
                                                  description="values per filter",
                                                  style=style, layout=layout),
            "max_filters": widgets.IntSlider(s.max_filters, 0, 3,
                                             description="filters combined", style=style,
                                             layout=layout),
            "sort_orders": widgets.IntSlider(s.sort_orders, 0, 5, description="sort orders",
                                             style=style, layout=layout),
            "categories": widgets.IntSlider(s.categories, 1, 12, description="categories",
                                            style=style, layout=layout),
            "products_per_category": widgets.IntSlider(s.products_per_category, 5, 200,
                                                       description="products per category",
                                                       style=style, layout=layout),
            "crawl_per_day": widgets.SelectionSlider(
                options=list(CRAWL_BUDGETS),
                value=min(CRAWL_BUDGETS, key=lambda v: abs(v - self.assumptions.crawl_per_day)),
                description="crawled URLs per day", style=style, layout=layout),
            "any_parameter_order": widgets.Checkbox(s.any_parameter_order,
                                                    description="filters in any order"),
            "print_versions": widgets.Checkbox(s.print_versions, description="print versions"),
            "tracking": widgets.Checkbox(s.tracked_share > 0 and s.tracking_variants > 0,
                                         description="utm_ tags on internal links"),
            "session_ids": widgets.Checkbox(s.session_ids, description="session ids in URLs"),
            "http_variants": widgets.Checkbox(s.http_variants,
                                              description="http:// answers 200"),
        }
        self.figure = go.FigureWidget(crawl_figure(self.result))
        self.summary = widgets.HTML(_summary_html(self.result))
        self.caption = widgets.HTML(assumptions_caption(self.assumptions))
        self.hint = widgets.HTML(f"<p><b>{html.escape(TRY_THIS)}</b></p>")
        sliders = widgets.VBox([self.controls[name] for name in (
            "facets", "values_per_facet", "max_filters", "sort_orders", "categories",
            "products_per_category", "crawl_per_day")])
        switches = widgets.VBox([self.controls[name] for name in (
            "any_parameter_order", "print_versions", "tracking", "session_ids",
            "http_variants")])
        self.widget = widgets.VBox([self.hint, widgets.HBox([sliders, switches]), self.figure,
                                    self.summary, self.caption])
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    # -- what a change does ---------------------------------------------------------
    def _read(self) -> tuple[SiteShape, CrawlAssumptions]:
        values = {name: control.value for name, control in self.controls.items()}
        base = asdict(SiteShape())
        tracking = values.pop("tracking")
        per_day = int(values.pop("crawl_per_day"))
        shape = SiteShape(**{
            **base, **values,
            "tracked_share": base["tracked_share"] if tracking else 0.0,
            "copied_share": self.shape.copied_share,
        })
        return shape, CrawlAssumptions(crawl_per_day=per_day)

    def _on_change(self, change: Mapping[str, Any]) -> None:
        self._render()

    def _render(self) -> None:
        self.shape, self.assumptions = self._read()
        self.result = simulate_crawl(self.shape, assumptions=self.assumptions)
        bars = _bars(self.result)
        with self.figure.batch_update():
            for trace, ys in zip(self.figure.data[: len(bars)], bars.values(), strict=True):
                trace.y = ys
            self.figure.data[-1].y = _days(self.result)
        self.summary.value = _summary_html(self.result)
        self.caption.value = assumptions_caption(self.assumptions)

    # -- display ----------------------------------------------------------------------
    def __repr__(self) -> str:
        s = self.result.summary
        return (f"CrawlExplorer(urls={s['urls']}, real_pages={s['real_pages']}, "
                f"wasted_crawl_share={s['wasted_crawl_share']})")

    def _repr_html_(self) -> str:
        return (f"<p>{html.escape(PLAIN_TEXT)}</p>{_summary_html(self.result)}"
                f"{assumptions_caption(self.assumptions)}")



def crawl_explorer(shape: SiteShape | None = None, *,
                   assumptions: CrawlAssumptions | None = None) -> CrawlExplorer:
    """The explorer, starting from ``shape`` (default: a small shop with typical habits)."""
    return CrawlExplorer(shape, assumptions)


@readable_figure
def clusters_figure(reports: Mapping[str, DuplicateReport]) -> go.Figure:
    """For each named report: URLs, then the real pages found, split by how pages joined."""
    if not reports:
        raise ValueError("no reports to draw; pass {'name': find_duplicates(...)}")
    names = list(reports)
    summaries = [reports[name].summary for name in names]
    parts = (
        ("real_pages", "real pages (clusters)", "#2ca02c"),
        ("url_variant", "URL variants", "#1f77b4"),
        ("exact", "exact copies", "#9467bd"),
        ("near", "near-duplicates", "#ff7f0e"),
    )
    figure = go.Figure(
        data=[go.Bar(x=names, y=[summary[key] for summary in summaries], name=label,
                     marker_color=colour,
                     hovertemplate="%{x}: %{y:,}<extra>" + label + "</extra>")
              for key, label, colour in parts],
        layout={
            "title": {"text": "Where the URLs go: real pages and their duplicates"},
            "barmode": "stack", "height": 420, "template": "plotly_white",
            "yaxis": {"title": {"text": "URLs"}},
            "legend": {"orientation": "h", "y": -0.2},
            "margin": {"t": 50, "b": 40, "l": 60, "r": 20},
        },
    )
    return figure
