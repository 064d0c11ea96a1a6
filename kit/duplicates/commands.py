"""``crosstalk duplicates find``: cluster a crawl's pages into real pages from the shell.

``find PATH`` reads a crawl CSV (``url`` and ``text`` or ``html``; optional ``status``,
``canonical``, ``inlinks``, ``indexable``), a folder of saved HTML pages (wget mirrors
too), a Screaming Frog export or an advertools ``.jl`` crawl (see :mod:`kit.pages`), runs
:func:`~kit.duplicates.find_duplicates`, and prints how many URLs collapse to how many
real pages, then every cluster with its recommended canonical.  ``--findings`` prints
the findings (the fix for each duplicate, in both languages) instead.

Exit status: 0 when no duplicates were found, 1 when some were, 2 when the input cannot
be used (the message names the file and line).  Machine-readable output (CSV, JSON) goes
to ``--out`` or stdout; the one-line summary goes to stderr whenever stdout carries data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kit.cli_options import (
    add_base_url_option,
    add_csv_options,
    add_output_options,
    add_quiet_option,
)
from kit.errors import InputError
from kit.output import (
    TABLE_WIDTH,
    csv_text,
    emit,
    findings_text,
    findings_to_json,
    format_summary,
)
from kit.urls import split_origin

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["register"]

_EPILOG = """\
exit status:
  0  no duplicate URLs found
  1  duplicates found (the table lists them, canonical first)
  2  the input cannot be used (the message names the file and line), or --threshold or
     --base-url is out of range (named)

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right); cells
from the input that start with = + - @ get a leading ' so no spreadsheet runs them.

policies (which URL differences are the same page on this site):
  strict      RFC 3986 safe normalisation only
  typical     also http->https, tracking parameters (utm_*, gclid, fbclid, msclkid),
              session ids, parameter order, empty query          (default)
  aggressive  also no www, no trailing slash, lowercase path, no index.html,
              sort/view/print parameters removed
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk duplicates find`` to the top-level parser."""
    parser = subparsers.add_parser(
        "duplicates",
        help="module 03: find duplicate and near-duplicate pages, recommend canonicals",
        description="Module 03: which URLs of a site are really one page.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    find = actions.add_parser(
        "find",
        help="cluster pages into real pages and recommend a canonical URL for each",
        description="Cluster the pages of a crawl (CSV with url and text or html, a folder "
        "of saved pages, a Screaming Frog export or an advertools .jl crawl) into exact "
        "duplicates, near-duplicates and URL variants, and "
        "recommend one canonical URL per cluster.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    find.add_argument("path", metavar="PATH",
                      help="crawl CSV or export, advertools .jl, or a folder of saved pages")
    find.add_argument("--threshold", type=float, default=0.8, metavar="X",
                      help="lowest text resemblance (Jaccard of word 3-shingles, 0.3-1) that "
                      "counts as a near-duplicate (default: %(default)s)")
    find.add_argument("--policy", choices=("strict", "typical", "aggressive"), default="typical",
                      help="URL normalisation policy (default: %(default)s)")
    add_base_url_option(find, "relative URLs in the crawl belong to it")
    find.add_argument("--findings", action="store_true",
                      help="print findings (the fix for each duplicate) instead of clusters")
    find.add_argument("--all", action="store_true",
                      help="list unique pages too, not only the clusters of duplicates")
    add_output_options(find, what="the result")
    add_csv_options(find)
    add_quiet_option(find)
    find.set_defaults(handler=run_find)


def run_find(args: argparse.Namespace) -> int:
    """``crosstalk duplicates find``: 1 when duplicates were found, else 0."""
    from kit.duplicates import find_duplicates

    path = Path(args.path)
    if not path.exists():
        raise InputError(f"{args.path}: no such file or folder.",
                         hint="Give a crawl CSV, a Screaming Frog export, an advertools .jl "
                              "crawl or a folder of saved pages.")
    if args.base_url is not None:
        try:
            split_origin(args.base_url)
        except ValueError as error:
            raise InputError(f"--base-url: {error}.") from None
    if not 0.3 <= args.threshold <= 1:  # also false for nan
        raise InputError(f"--threshold {args.threshold:g} is outside 0.3-1 (the resemblance of "
                         "two pages' text).",
                         hint="0.8 (the default) finds near-copies; 0.5 also finds pages "
                              "that share half their text.")
    report = find_duplicates(path, threshold=args.threshold, policy=args.policy,
                             origin=args.base_url)
    for note in report.pages.notes:
        print(f"note: {note}", file=sys.stderr)
    s = report.summary
    headline = (f"{path.name}: {s['urls']:,} URLs are {s['real_pages']:,} real pages; "
                f"{s['duplicate_urls']:,} duplicate URLs ({s['exact']:,} exact copies, "
                f"{s['near']:,} near-duplicates, {s['url_variant']:,} URL variants) "
                f"at resemblance >= {report.threshold:g}, policy {report.policy.name}.")
    if args.findings:
        frame = report.findings
        body = findings_text(frame, args.format, summary=format_summary(frame, name=path.name))
    else:
        frame = report.clusters if args.all else report.duplicates()
        if args.format == "table":
            body = headline + "\n" + ("\n" + _clusters_table(frame) + "\n" if len(frame) else "")
        elif args.format == "csv":
            body = csv_text(frame)
        else:
            body = findings_to_json(frame)
    emit(body, args.out)
    if args.format != "table" or args.out:
        print(headline, file=sys.stdout if args.out else sys.stderr)
    return 1 if s["duplicate_urls"] else 0


def _clusters_table(frame: pd.DataFrame, *, width: int = TABLE_WIDTH) -> str:
    """One block per cluster: its canonical, then each other URL with kind and similarity."""
    import pandas as pd

    lines: list[str] = []
    for number, group in frame.groupby("cluster", sort=True):
        first = group.iloc[0]
        lines.append(f"cluster {number} ({len(group)} URLs)  canonical: {first['canonical']}")
        for row in group.itertuples(index=False):
            similarity = "" if pd.isna(row.similarity) else f"{row.similarity:.2f}"
            line = f"  {row.kind:<11} {similarity:>5}  {row.url}"
            lines.append(line if len(line) <= width else line[: width - 1] + "…")
    return "\n".join(lines)
