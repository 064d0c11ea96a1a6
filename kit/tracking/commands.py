"""``crosstalk utm build|lint`` and ``crosstalk channels classify``: module 04 from the shell.

* ``utm build URL --source S --medium M --campaign C [--term ...]`` prints the tagged link
  (exit 0; 2 for a bad link or parameter).
* ``utm lint FILE`` checks a tagging sheet (CSV with ``url``; optional ``intended_channel``,
  ``placement``) or a text file with one link per line.  Exit 0 when no error-severity
  finding, 1 when some, 2 when the file cannot be read.
* ``channels classify FILE`` reads a session CSV or an access log (combined, common,
  nginx ``main`` or Apache ``vhost_combined``; ``.gz`` too; ``--log-format``) and
  prints sessions, conversions and cost per GA4 channel (``--format table``), or every
  session with its channel (``csv``/``json``).  Malformed log lines are counted and
  listed on stderr, never fatal: exit 0 when every line was read, 1 when some were
  malformed, 2 when the file cannot be used.

Machine-readable output goes to ``--out`` or stdout; summaries for people go to stderr
whenever stdout carries data.
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
    csv_text,
    emit,
    findings_text,
    findings_to_json,
    format_summary,
)

if TYPE_CHECKING:
    import pandas as pd

    from kit.tracking.categories import SourceCategories

__all__ = ["register"]

_BUILD_EPILOG = """\
exit status:
  0  the tagged link is printed (spaces and non-ASCII percent-encoded, the host as DNS
     writes it)
  2  URL is not a full http(s) address, or a parameter is empty (named)
"""
_CSV_NOTE = """
CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right); cells
from the input that start with = + - @ get a leading ' so no spreadsheet runs them.
"""
_LINT_EPILOG = """\
exit status:
  0  no error-severity findings (warnings are allowed)
  1  at least one error (untagged link, missing parameter, internal tag, not a URL)
  2  the file cannot be read (the message names the file and line), or --base-url is not
     a site
""" + _CSV_NOTE
_CLASSIFY_EPILOG = """\
exit status:
  0  every line was read and classified
  1  some lines were malformed (counted and listed on stderr; the rest is classified)
  2  the file cannot be used (the message names the file and line), or --base-url is not
     a site

channels follow GA4 help 9756891 "[GA4] Default channel group": rules in order, first
match wins, case-insensitive, Unassigned when none matches.
""" + _CSV_NOTE
_OPTIONAL = ("id", "term", "content", "source_platform", "creative_format", "marketing_tactic")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk utm`` and ``crosstalk channels`` to the top-level parser."""
    utm = subparsers.add_parser("utm", help="module 04: build and lint campaign links (UTM)",
                                description="Module 04: campaign links GA4 can attribute.")
    actions = utm.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="add UTM parameters to a link",
                               description="Add GA4's UTM parameters to a link, keeping its "
                               "query string and fragment (GA4 help 10917952).",
                               epilog=_BUILD_EPILOG,
                               formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("url", metavar="URL",
                       help="the landing page, a full address such as https://example.com/offer")
    for name in ("source", "medium", "campaign"):
        build.add_argument(f"--{name}", required=True, help=f"utm_{name} (required)")
    for name in _OPTIONAL:
        build.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"utm_{name}")
    build.set_defaults(handler=run_build)

    lint = actions.add_parser(
        "lint", help="check a tagging sheet for mistakes that split or lose campaign data",
        description="Check campaign links: missing parameters, inconsistent spelling, "
        "unintended channels, tags on internal links, gclid+UTM, spaces and encoding.",
        epilog=_LINT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    lint.add_argument("file", metavar="FILE", help="CSV with a url column, or one link per line")
    add_base_url_option(lint, "tagged links to its host are internal links (use for "
                        "sheets of on-site links); a bare host such as www.example.com works")
    _categories(lint)
    _formats(lint)
    add_csv_options(lint)
    lint.set_defaults(handler=run_lint)

    channels = subparsers.add_parser(
        "channels", help="module 04: classify sessions into GA4 default channels",
        description="Module 04: GA4's default channel group for a session log.")
    c_actions = channels.add_subparsers(dest="action", metavar="ACTION", required=True)
    classify = c_actions.add_parser(
        "classify", help="sessions, conversions and cost per channel from a session log",
        description="Read a session CSV (source, medium, campaign; or landing_url and "
        "referrer) or an access log (plain or .gz), group its page views into sessions per "
        "visitor (30 minutes of inactivity end one; bots, files and redirects are left out), "
        "and classify each session.",
        epilog=_CLASSIFY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    classify.add_argument("file", metavar="FILE", help="session CSV or access log")
    add_base_url_option(classify, "referrers on its host are not new sessions; a bare "
                        "host such as www.example.com works")
    classify.add_argument("--log-format", default="auto",
                          choices=("auto", "combined", "common", "main", "vhost_combined"),
                          help="access log format: combined (Apache/nginx default), common, "
                          "nginx main, Apache vhost_combined (default: %(default)s, detected)")
    classify.add_argument("--visitor-cookie", metavar="NAME",
                          help="a cookie (logged as a trailing quoted Cookie field) that "
                          "identifies visitors instead of IP address + user agent")
    classify.add_argument("--new-source-starts-session", action="store_true",
                          help="start a new session when a page view brings a new campaign or "
                          "referrer (Universal Analytics did; GA4 does not)")
    _categories(classify)
    _formats(classify)
    add_csv_options(classify)
    add_quiet_option(classify)
    classify.set_defaults(handler=run_classify)


def _categories(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source-categories", metavar="CSV", dest="categories",
                        help="Google's source-category sheet saved as CSV (source, source "
                        "category): used instead of the kit's excerpt of the search, social, "
                        "shopping and video site lists")


def _source_categories(args: argparse.Namespace) -> SourceCategories | None:
    from kit.tracking.categories import SourceCategories

    return SourceCategories.from_csv(args.categories) if args.categories else None


def _formats(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser, what="the result")


def _site(value: str | None) -> str | None:
    """``--base-url`` as given, when it names a site (``www.example.com`` or its https URL)."""
    from kit.urls import UrlError, parse_url

    if value is None:
        return None
    hint = "Give the site's base URL, e.g. https://www.example.com/ (or www.example.com)."
    text = value.strip()
    try:
        parts = parse_url(text if "://" in text else "https://" + text.removeprefix("//"))
    except UrlError as error:
        raise InputError(f"--base-url {value!r} is not a site ({error.reason}).",
                         hint=hint) from None
    if parts.path != "/" or parts.query is not None or parts.fragment is not None:
        raise InputError(f"--base-url {value!r} is not a site.", hint=hint)
    return value.strip()


def run_build(args: argparse.Namespace) -> int:
    """``crosstalk utm build``: print the tagged link."""
    from kit.tracking.utm import build_utm

    optional = {name: getattr(args, name) for name in _OPTIONAL
                if getattr(args, name) is not None}
    print(build_utm(args.url, source=args.source, medium=args.medium, campaign=args.campaign,
                    **optional))
    return 0


def _read_links(path: Path) -> pd.DataFrame | Path:
    import pandas as pd

    if path.is_dir():
        raise InputError(f"{path}: is a folder.", hint="Give a CSV with a url column, or a "
                         "text file with one link per line.")
    if not path.is_file():
        raise InputError(f"{path}: no such file.", hint="Give a CSV with a url column, or a "
                         "text file with one link per line.")
    from kit.csvformat import current_options, decode

    text = decode(path.read_bytes(), path.name, encoding=current_options().encoding).text
    first = text.lstrip().split("\n", 1)[0]
    if first.lower().startswith(("http://", "https://")) and "," not in first:
        lines = [line.strip() for line in text.splitlines()]
        return pd.DataFrame({"url": pd.Series([v for v in lines if v], dtype=object)})
    return path


def run_lint(args: argparse.Namespace) -> int:
    """``crosstalk utm lint``: 1 when an error-severity finding exists, else 0."""
    from kit.tracking.lint import lint_utm

    path = Path(args.file)
    site = _site(args.base_url)
    findings = lint_utm(_read_links(path), site=site,
                        categories=_source_categories(args))
    summary = format_summary(findings, name=path.name)
    emit(findings_text(findings, args.format, summary=summary), args.out)
    if args.format != "table" or args.out:  # the totals line only
        print(summary.split("\n", 1)[0], file=sys.stdout if args.out else sys.stderr)
    return 1 if bool((findings["severity"].astype(str) == "error").any()) else 0


def run_classify(args: argparse.Namespace) -> int:
    """``crosstalk channels classify``: 1 when some lines were malformed, else 0."""
    import pandas as pd

    from kit.tracking.report import attribution_report
    from kit.tracking.sessions import load_sessions

    site = _site(args.base_url)
    path = Path(args.file)
    if path.is_dir():
        raise InputError(f"{args.file}: is a folder; give the session CSV or access log in it.")
    if not path.is_file():
        raise InputError(f"{args.file}: no such file.", hint="Check the path.")
    categories = _source_categories(args)
    log = load_sessions(path, site=site, categories=categories,
                        log_format=args.log_format, visitor_cookie=args.visitor_cookie,
                        new_source_starts_session=args.new_source_starts_session)
    if log.sessions.empty:
        raise InputError(f"{log.name}: no sessions could be read "
                         f"({len(log.malformed)} malformed lines).",
                         [f"{log.name} line {int(r.line)}: {r.reason}"
                          for r in log.malformed.itertuples(index=False)],
                         hint="Give a session CSV or an access log in the combined format.")
    if args.format == "table":
        report = attribution_report(log, categories=categories)
        notes = "".join(f"\n{note}" for note in report.notes())
        body = (log.summary_text() + "\n\n" + report.readable().to_string(index=False) + "\n"
                + (notes[1:] + "\n" if notes else ""))
    else:
        frame = log.classified(categories)
        frame["channel"] = frame["channel"].astype(str)
        for column in frame.columns:  # timestamp, end: as text, for CSV and JSON alike
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].astype(str)
        body = csv_text(frame) if args.format == "csv" else findings_to_json(frame)
    emit(body, args.out)
    if args.format != "table" or args.out:
        print(log.summary_text(), file=sys.stdout if args.out else sys.stderr)
    for row in log.malformed.head(20).itertuples(index=False):
        print(f"{log.name} line {int(row.line)}: {row.reason}", file=sys.stderr)
    if len(log.malformed) > 20:
        print(f"… and {len(log.malformed) - 20} more malformed lines", file=sys.stderr)
    return 1 if len(log.malformed) else 0
