"""Loading a redirect map: ``source, target[, status]`` rows, validated row by row.

Statuses follow RFC 9110: 301 and 308 are permanent redirects, 302, 303 and 307
temporary ones; 404 and 410 mean "no replacement" and take no target; 200 means
"this URL stays as it is on the new site" (what :func:`suggest_map` writes for
unchanged URLs) and is never exported as a redirect.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit.errors import InputError
from kit.tables import Table, TableSource, locate, read_table, rename_columns
from kit.urls import DEFAULT_ORIGIN, guess_origin, is_url, normal_origin, site_relative_key

__all__ = [
    "GONE_STATUSES",
    "KEEP_STATUS",
    "PERMANENT_STATUSES",
    "REDIRECT_STATUSES",
    "TEMPORARY_STATUSES",
    "RedirectMap",
    "load_redirects",
]

PERMANENT_STATUSES = frozenset({301, 308})
TEMPORARY_STATUSES = frozenset({302, 303, 307})
REDIRECT_STATUSES = PERMANENT_STATUSES | TEMPORARY_STATUSES
GONE_STATUSES = frozenset({404, 410})
KEEP_STATUS = 200
_ALLOWED = REDIRECT_STATUSES | GONE_STATUSES | {KEEP_STATUS}
_ALIASES = {
    "source": ("from", "old", "old_url", "source url", "address"),
    "target": ("to", "new", "new_url", "target url", "destination"),
    "status": ("code", "status code", "type"),
}


@dataclass(frozen=True)
class RedirectMap:
    """A validated map: ``frame`` has ``source, target, status, source_key, target_key``.

    Keys come from :meth:`key`: the normalised path for the site's own URLs (relative
    or absolute), the full normalised URL for other hosts.

    ``target`` and ``target_key`` are ``None`` for 404/410/200 rows; :meth:`where` says
    where row ``position`` came from (``map.csv line 3``) so findings can point back to it.
    """

    frame: pd.DataFrame
    origin: str
    table: Table

    def key(self, url: str) -> str:
        """The comparison key of a URL of this map's site (see :func:`site_relative_key`)."""
        return site_relative_key(url, self.origin)

    def where(self, position: int) -> str:
        """Where row ``position`` (0-based) of the map came from, for the user."""
        return self.table.where(position)

    def redirects(self) -> pd.DataFrame:
        """Only the rows that redirect (3xx)."""
        return self.frame[self.frame["status"].isin(REDIRECT_STATUSES)]


def _check_origin(origin: str) -> None:
    try:
        normal_origin(origin)
    except ValueError as error:
        raise InputError(f"origin: {error}.") from None


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _parse_status(raw: str) -> int | None:
    if raw == "":
        return 301
    try:
        number = float(raw)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def load_redirects(
    redirects: TableSource,
    *,
    origin: str | None = None,
    fallback_origin: str | None = None,
    what: str = "redirect map",
) -> RedirectMap:
    """Read and validate a redirect map from a DataFrame or a CSV path.

    Every bad row is reported in one :class:`~kit.errors.InputError` naming the row:
    missing columns, an empty file, a value that is not a URL, a status that is not a
    number or not a redirect/gone status, a redirect without a target.  ``origin``
    names the site; by default it is the most common origin of the map's absolute
    sources, then of its targets, then ``fallback_origin``.
    """
    if origin is not None:
        _check_origin(origin)
    table = read_table(redirects, what=what)
    rename_columns(table, _ALIASES, required=("source", "target"), what=what)
    frame = table.frame
    sources = [_clean(value) for value in frame["source"].tolist()]
    targets = [_clean(value) for value in frame["target"].tolist()]
    raw_statuses = (
        [_clean(value) for value in frame["status"].tolist()]
        if "status" in frame.columns
        else [""] * len(frame)
    )
    site = normal_origin(origin or guess_origin(
        sources, fallback=guess_origin(targets, fallback=fallback_origin or DEFAULT_ORIGIN)
    ))
    problems: list[str] = []
    statuses: list[int] = []
    source_keys: list[str | None] = []
    target_keys: list[str | None] = []
    for position, (source, target, raw_status) in enumerate(
        zip(sources, targets, raw_statuses, strict=True)
    ):
        status = _parse_status(raw_status)
        bad: list[str] = []
        if status is None:
            bad.append(f"status {raw_status!r} is not a number; use 301, 302, 307, 308 or 410")
            status = 0
        elif status not in _ALLOWED:
            bad.append(
                f"status {status} is not a redirect; use 301/308 (permanent), "
                "302/303/307 (temporary), 404/410 (gone) or 200 (unchanged)"
            )
        if not is_url(source):
            bad.append(f"source {source!r} is not a URL; write /old-path or https://host/old-path")
        if status in REDIRECT_STATUSES and not target:
            bad.append(f"status {status} needs a target; leave it empty only with 410 or 404")
        elif status in GONE_STATUSES and target:
            bad.append(f"status {status} means no replacement, but target {target!r} is given")
        elif status == KEEP_STATUS and target and target != source:
            bad.append(f"status 200 means the URL stays as it is, but target {target!r} differs; "
                       "use 301 to move it")
        elif target and not is_url(target):
            bad.append(f"target {target!r} is not a URL; write /new-path or https://host/new-path")
        if bad:
            problems.extend(locate(table, [position], "; ".join(bad)))
            source_keys.append(None)
            target_keys.append(None)
            statuses.append(status)
            continue
        source_key = site_relative_key(source, site)
        base = site if source_key.startswith("/") else "/".join(source_key.split("/", 3)[:3])
        source_keys.append(source_key)
        target_keys.append(
            site_relative_key(target, site, base) if target and status != KEEP_STATUS else None
        )
        statuses.append(status)
    if problems:
        raise InputError(
            f"{table.name}: {len(problems)} row(s) of the {what} cannot be used.",
            problems,
            hint="Fix these rows and run again; no row was skipped.",
        )
    clean = pd.DataFrame(
        {
            "source": sources,
            "target": pd.Series(
                [
                    target if status in REDIRECT_STATUSES else None
                    for target, status in zip(targets, statuses, strict=True)
                ],
                dtype=object,
            ),
            "status": pd.array(statuses, dtype="int64"),
            "source_key": pd.Series(source_keys, dtype=object),
            "target_key": pd.Series(target_keys, dtype=object),
        }
    )
    return RedirectMap(frame=clean, origin=site, table=table)
