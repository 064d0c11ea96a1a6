"""``crosstalk redirects ...``: audit, suggest and export redirect maps from the shell.

Three actions, each a thin layer over the module's core functions:

* ``audit MAP`` runs :func:`~kit.redirects.audit_map` and prints a count per check,
  then the findings.  Exit code 0 when the map has no error-severity findings
  (warnings such as chains or temporary redirects are allowed), 1 when it has some,
  2 when the input cannot be read (see :mod:`kit.cli`).
* ``suggest OLD NEW`` runs :func:`~kit.redirects.suggest.suggest_map` over two page
  inventories and writes the suggested map as CSV.
* ``export MAP --format nginx|apache|csv`` writes the server configuration.

Machine-readable output (CSV, JSON, configs) goes to ``--out`` or stdout; summaries
meant for people go to stderr whenever stdout carries data, so pipes stay clean.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kit.errors import InputError
from kit.output import (
    emit,
    emit_findings,
    format_summary,
)
from kit.urls import is_url, split_origin

__all__ = ["register"]

# kit.redirects.suggest.DEFAULT_MIN_SCORE, without importing scikit-learn at start-up
# (tests/unit/redirects/test_commands.py keeps the two equal).
SUGGEST_MIN_SCORE = 0.5

_AUDIT_EPILOG = """\
exit status:
  0  no error-severity findings (warnings such as chains or 302s may remain)
  1  at least one error-severity finding (loop, broken target, homepage dump, ...)
  2  the input cannot be used (the message names the file and line)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk redirects {audit,suggest,export}`` to the top-level parser."""
    parser = subparsers.add_parser(
        "redirects",
        help="module 01: audit, suggest and export redirect maps",
        description="Module 01: plan, check and ship the redirects of a site migration.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    audit = actions.add_parser(
        "audit",
        help="find chains, loops, homepage dumps, broken targets and temporary redirects",
        description="Audit a redirect map (CSV with source, target[, status]) the way a "
        "crawler meets it, hop by hop.",
        epilog=_AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("map", metavar="MAP", help="redirect map CSV: source, target[, status]")
    audit.add_argument(
        "--new-urls",
        metavar="FILE",
        help="CSV with a url column listing the new site's pages; targets not in it are broken",
    )
    audit.add_argument(
        "--homepage", default="/", help="the new site's homepage (default: %(default)s)"
    )
    audit.add_argument(
        "--origin",
        metavar="URL",
        help="the site relative URLs belong to, e.g. https://example.com "
        "(default: the most common host in the map)",
    )
    audit.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="how to print the findings (default: %(default)s)",
    )
    audit.add_argument("--out", metavar="FILE", help="write the findings here instead of stdout")
    audit.set_defaults(handler=run_audit)

    suggest = actions.add_parser(
        "suggest",
        help="suggest an old→new map from two page inventories",
        description="Match each old page to its best new page on URL, title and H1. "
        "Pages without a good match get 410, never the homepage. Every row also lists "
        "the reason and the three best candidates with their scores (candidate_1, "
        "score_1 ... candidate_3, score_3): the review queue for the 410s.",
    )
    suggest.add_argument("old", metavar="OLD", help="old site inventory CSV: url[, title, h1]")
    suggest.add_argument("new", metavar="NEW", help="new site inventory CSV: url[, title, h1]")
    suggest.add_argument(
        "--min-score",
        type=float,
        metavar="X",
        help="lowest similarity (0-1) accepted as a match; below it the page gets 410 "
        f"(default: {SUGGEST_MIN_SCORE}; lower it for more 301s and more to review, "
        "raise it for fewer, surer ones)",
    )
    suggest.add_argument("--out", metavar="FILE", help="write the map here instead of stdout")
    suggest.set_defaults(handler=run_suggest)

    export = actions.add_parser(
        "export",
        help="write a redirect map as nginx or Apache config, or as clean CSV",
        description="Export a redirect map for the server that will serve it.",
    )
    export.add_argument("map", metavar="MAP", help="redirect map CSV: source, target[, status]")
    export.add_argument(
        "--format", choices=("nginx", "apache", "csv"), required=True, help="output format"
    )
    export.add_argument("--out", metavar="FILE", help="write the output here instead of stdout")
    export.set_defaults(handler=run_export)


# --- handlers -------------------------------------------------------------------------------


def run_audit(args: argparse.Namespace) -> int:
    """``crosstalk redirects audit``: 1 when any finding has severity ``error``, else 0."""
    from kit.redirects import audit_map

    if not is_url(args.homepage):
        raise InputError(
            f"--homepage {args.homepage!r} is not a URL.",
            hint="Write / or https://example.com/.",
        )
    if args.origin is not None:
        try:
            split_origin(args.origin)
        except ValueError as error:
            raise InputError(f"--origin: {error}.") from None
    findings = audit_map(
        args.map,
        new_urls=args.new_urls,
        homepage=args.homepage,
        origin=args.origin,
    )
    summary = format_summary(findings, name=Path(args.map).name)
    emit_findings(findings, summary, args.format, args.out)
    has_errors = bool((findings["severity"] == "error").any())
    return 1 if has_errors else 0


def run_suggest(args: argparse.Namespace) -> int:
    """``crosstalk redirects suggest``: write the suggested map as CSV; always 0."""
    from kit.redirects.suggest import suggest_map

    options: dict[str, Any] = {}
    if args.min_score is not None:
        options["min_score"] = args.min_score
    suggested = suggest_map(args.old, args.new, **options)
    emit(suggested.to_csv(index=False, lineterminator="\n"), args.out)
    counts = suggested["status"].value_counts()
    labels = {301: "redirected (301)", 200: "unchanged (200)", 410: "gone (410)"}
    parts = [f"{int(counts.get(code, 0))} {label}" for code, label in labels.items()]
    print(
        f"{len(suggested)} old pages: " + ", ".join(parts) + ". Review the map, then run "
        "'crosstalk redirects audit'.",
        file=sys.stdout if args.out else sys.stderr,
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    """``crosstalk redirects export``: write nginx, Apache or CSV output; always 0."""
    from kit.redirects import to_apache, to_csv, to_nginx

    exporters = {"nginx": to_nginx, "apache": to_apache, "csv": to_csv}
    emit(exporters[args.format](args.map), args.out)
    return 0
