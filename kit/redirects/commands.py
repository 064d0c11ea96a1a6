"""``crosstalk redirects ...``: audit, suggest and export redirect maps from the shell.

Three actions, each a thin layer over the module's core functions:

* ``audit MAP`` runs :func:`~kit.redirects.audit_map` and prints a count per check,
  then the findings.  Exit code 0 when the map has no error-severity findings
  (warnings such as chains or temporary redirects are allowed), 1 when it has some,
  2 when the input cannot be read (see :mod:`kit.cli`).  ``--base-url`` (old name
  ``--origin``) is the site relative URLs in the map belong to.
* ``suggest OLD NEW`` runs :func:`~kit.redirects.suggest.suggest_map` over two page
  inventories and writes the suggested map as CSV.
* ``export MAP --format nginx|apache|netlify|cloudflare|csv`` writes the server
  configuration; rules a format cannot express are named on stderr.
* ``verify MAP --base-url URL`` requests every source from a live or staging server
  (no redirect following; a tagged variant for each redirect) and reports every answer
  that differs from the map.  Exit 0 when all agree, 1 on any mismatch, 2 on bad input.

Machine-readable output (CSV, JSON, configs) goes to ``--out`` or stdout; summaries
meant for people go to stderr whenever stdout carries data, so pipes stay clean.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kit.cli_options import (
    add_base_url_option,
    add_csv_options,
    add_output_options,
    add_quiet_option,
)
from kit.errors import InputError
from kit.output import (
    csv_text,
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

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right); cells
from the input that start with = + - @ get a leading ' so no spreadsheet runs them.
"""
_SUGGEST_EPILOG = """\
exit status:
  0  the map was written (pages without a good match get 410, never the homepage)
  2  an inventory cannot be used, or --min-score is not between 0 and 1

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right); cells
from the input that start with = + - @ get a leading ' so no spreadsheet runs them.
"""
_EXPORT_EPILOG = """\
exit status:
  0  the configuration was written, one rule per source (netlify and cloudflare: rules the
     host cannot express are left out and each is named on stderr)
  2  the map cannot be used: a bad row, or a source listed twice (both lines are named;
     keep one rule per source, `crosstalk redirects audit` shows which)

--format csv written with --out FILE.csv starts with a UTF-8 BOM; cells from the map that
start with = + - @ get a leading ' so no spreadsheet runs them.
"""

_VERIFY_EPILOG = """\
exit status:
  0  every source answered as the map says (plain and tagged)
  1  at least one mismatch: wrong status, wrong Location, tags dropped, no answer
  2  the input cannot be used (the message names the file and line)
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk redirects {audit,suggest,export,verify}`` to the top-level parser."""
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
    add_base_url_option(audit, "relative URLs in the map belong to it (default: the most "
                        "common host in the map)")
    add_output_options(audit)
    add_csv_options(audit)
    audit.set_defaults(handler=run_audit)

    suggest = actions.add_parser(
        "suggest",
        help="suggest an old→new map from two page inventories",
        description="Match each old page to its best new page on URL, title and H1. "
        "Pages without a good match get 410, never the homepage. Every row also lists "
        "the reason and the three best candidates with their scores (candidate_1, "
        "score_1 ... candidate_3, score_3): the review queue for the 410s.",
        epilog=_SUGGEST_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
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
    add_output_options(suggest, formats=None, what="the map")
    add_csv_options(suggest)
    add_quiet_option(suggest)
    suggest.set_defaults(handler=run_suggest)

    export = actions.add_parser(
        "export",
        help="write a redirect map as nginx, Apache, Netlify or Cloudflare config, or CSV",
        description="Export a redirect map for the server that will serve it.",
        epilog=_EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("map", metavar="MAP", help="redirect map CSV: source, target[, status]")
    export.add_argument("--host", metavar="HOST",
                        help="cloudflare only: the host of the source URLs (default: the "
                        "map's own site)")
    add_output_options(export, formats=("nginx", "apache", "netlify", "cloudflare", "csv"),
                       default=None, what="the configuration",
                       format_help="the server's format (required; netlify: a _redirects "
                       "file; cloudflare: a Bulk Redirect list CSV)")
    add_csv_options(export)
    export.set_defaults(handler=run_export)

    verify = actions.add_parser(
        "verify",
        help="check a live or staging server against the map, source by source",
        description="Request every source of the map from a server (redirects are not "
        "followed; each redirect also with campaign tags) and report every status or "
        "Location that differs from the map.",
        epilog=_VERIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("map", metavar="MAP", help="redirect map CSV: source, target[, status]")
    add_base_url_option(verify, "the server to check, e.g. https://staging.example.com "
                        "(required)", required=True)
    verify.add_argument("--jobs", type=int, default=4, metavar="N",
                        help="requests at a time, 1 to 16 (default: %(default)s)")
    verify.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="per request (default: %(default)s)")
    verify.add_argument("--no-tags", dest="tagged", action="store_false",
                        help="do not request the tagged variant of each redirect")
    add_output_options(verify)
    add_csv_options(verify)
    add_quiet_option(verify)
    verify.set_defaults(handler=run_verify)


# --- handlers -------------------------------------------------------------------------------


def run_audit(args: argparse.Namespace) -> int:
    """``crosstalk redirects audit``: 1 when any finding has severity ``error``, else 0."""
    from kit.redirects import audit_map

    if not is_url(args.homepage):
        raise InputError(
            f"--homepage {args.homepage!r} is not a URL.",
            hint="Write / or https://example.com/.",
        )
    if args.base_url is not None:
        try:
            split_origin(args.base_url)
        except ValueError as error:
            raise InputError(f"--base-url: {error}.") from None
    findings = audit_map(
        args.map,
        new_urls=args.new_urls,
        homepage=args.homepage,
        origin=args.base_url,
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
    if args.min_score is not None and not 0 <= args.min_score <= 1:
        raise InputError(f"--min-score {args.min_score:g}: expected a similarity between 0 "
                         "and 1.", hint="Try 0.5; lower accepts weaker matches.")
    suggested = suggest_map(args.old, args.new, **options)
    emit(csv_text(suggested), args.out)
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
    """``crosstalk redirects export``: write the map for a server; 0, or 2 when a source is
    listed twice (which rule the server would use would be a guess)."""
    import pandas as pd

    from kit.redirects.export import (
        to_apache,
        to_cloudflare,
        to_netlify,
        to_nginx,
        unsupported_rules,
    )
    from kit.redirects.maps import load_redirects

    rmap = load_redirects(args.map)
    first: dict[str, int] = {}
    problems = []
    for position, key in enumerate(rmap.frame["source_key"].tolist()):
        if key in first:
            source = rmap.frame["source"].iloc[position]
            problems.append(f"{rmap.where(position)}: source {source!r} is already on "
                            f"{rmap.where(first[key])}")
        else:
            first[key] = position
    if problems:
        raise InputError(f"{Path(args.map).name}: {len(problems)} source(s) listed twice; a "
                         "server uses one rule per source, so nothing was exported.", problems,
                         hint="Keep one rule per source (`crosstalk redirects audit` shows "
                              "them as conflicts), then export again.")
    if args.format == "csv":
        frame = pd.DataFrame({"source": rmap.frame["source"],
                              "target": rmap.frame["target"].fillna(""),
                              "status": rmap.frame["status"].astype(int)})
        emit(csv_text(frame), args.out)
        return 0
    exporters = {"nginx": to_nginx, "apache": to_apache, "netlify": to_netlify,
                 "cloudflare": lambda m: to_cloudflare(m, host=args.host)}
    emit(exporters[args.format](rmap), args.out)
    if args.format in ("netlify", "cloudflare"):
        for problem in unsupported_rules(rmap, args.format):
            print(f"{Path(args.map).name}: left out: {problem}", file=sys.stderr)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """``crosstalk redirects verify``: 1 when any source answers differently, else 0."""
    from kit.redirects.verify import verify_map

    findings = verify_map(args.map, args.base_url, jobs=args.jobs, timeout=args.timeout,
                          tagged=args.tagged)
    summary = format_summary(findings, name=f"{Path(args.map).name} on {args.base_url}")
    emit_findings(findings, summary, args.format, args.out)
    return 1 if len(findings) else 0
