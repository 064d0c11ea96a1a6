"""Google's source categories: which sources count as search, social, shopping or video sites.

GA4's default channel group (help 9756891) puts a session in Paid/Organic Search, Social,
Shopping or Video partly by whether its *source* is on Google's list of such sites; Google
publishes the list as a spreadsheet linked from that help page.  The kit ships an excerpt
(``kit/tracking/data``, see the README there).  :meth:`SourceCategories.from_csv` reads
Google's whole spreadsheet, saved as CSV, so a team can classify its own traffic with the
current list::

    categories = SourceCategories.from_csv("source-categories.csv")
    classify_sessions(frame, categories=categories)

A source matches a list when it equals an entry exactly, ignoring case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from kit.errors import InputError
from kit.tables import read_table, rename_columns

__all__ = ["CATEGORIES", "SourceCategories", "bundled_source_categories"]

CATEGORIES: tuple[str, ...] = ("search", "social", "shopping", "video")
_PREFIX = "source_category_"


@dataclass(frozen=True)
class SourceCategories:
    """Lowercase sources per category (``search``, ``social``, ``shopping``, ``video``)."""

    sites: Mapping[str, frozenset[str]]
    origin: str

    def category(self, source: str) -> str | None:
        """The category ``source`` is listed under, or ``None``."""
        value = source.lower()
        return next((name for name in CATEGORIES if value in self.sites[name]), None)

    def __len__(self) -> int:
        return sum(len(sites) for sites in self.sites.values())

    @classmethod
    def from_csv(cls, path: str | Path) -> SourceCategories:
        """Read Google's source-category spreadsheet saved as CSV.

        Columns ``source`` and ``source category`` (or ``source_category``, ``category``);
        a category is written as Google writes it (``SOURCE_CATEGORY_SEARCH``) or plainly
        (``search``).  Rows with an empty source or an unknown category are an
        :class:`~kit.errors.InputError` naming their lines; nothing is dropped silently.
        """
        table = read_table(path, what="source categories")
        rename_columns(table, {"source": ("source name",),
                               "category": ("source category", "source_category")},
                       required=["source", "category"], what="source categories")
        sites: dict[str, set[str]] = {name: set() for name in CATEGORIES}
        problems: list[str] = []
        for position, (source, category) in enumerate(
                zip(table.frame["source"], table.frame["category"], strict=True)):
            name = str(category or "").strip().lower().removeprefix(_PREFIX)
            value = str(source or "").strip().lower()
            if not value:
                problems.append(f"{table.where(position)}: the source is empty")
            elif name not in sites:
                problems.append(f"{table.where(position)}: unknown category {category!r}")
            else:
                sites[name].add(value)
        if problems:
            raise InputError(
                f"{table.name}: {len(problems)} row(s) cannot be used.", problems,
                hint="Each row needs a source and one of SOURCE_CATEGORY_SEARCH, _SOCIAL, "
                "_SHOPPING or _VIDEO (or search, social, shopping, video).")
        return cls({name: frozenset(values) for name, values in sites.items()}, table.name)


@cache
def bundled_source_categories() -> SourceCategories:
    """The excerpt shipped with the kit (``kit/tracking/data/*.csv``)."""
    data = resources.files("kit.tracking").joinpath("data")
    sites = {}
    for name in CATEGORIES:
        lines = data.joinpath(f"{name}.csv").read_text("utf-8").splitlines()[1:]
        sites[name] = frozenset(line.strip().lower() for line in lines if line.strip())
    return SourceCategories(sites, "the kit's excerpt of Google's source categories")
