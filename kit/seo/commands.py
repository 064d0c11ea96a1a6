"""``crosstalk seo audit`` and ``crosstalk sitemap build|validate`` from the shell.

* ``seo audit PATH`` audits a folder of saved pages (wget ``--mirror`` too), a Screaming
  Frog export (Internal: All / Internal: HTML), an advertools ``.jl`` crawl or a
  ``url, status, html`` CSV (read by :func:`kit.pages.read_pages`) with
  :func:`~kit.seo.audit_pages`, prints a count per check and the findings, how many URLs
  were HTML pages and how many other files (counted, never audited as pages), and the
  number of indexable and well-described pages.  Exit 0 without error findings, 1 with
  some, 2 when the input is unusable.
* ``sitemap build URLS.csv --base-url URL --out-dir DIR`` writes ``sitemap.xml`` (and
  ``sitemap-N.xml`` plus an index when over the limits).  Exit 0 when every URL went
  in, 1 when some were left out (listed on stderr), 2 on unusable input.
* ``sitemap validate FILE...`` checks each file; exit 0 when all are valid, 1 when a
  file has error findings, 2 when a file cannot be read (the others are still checked).

Data (CSV, JSON) goes to ``--out`` or stdout; summaries for people go to stderr when
stdout carries data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kit.cli_options import (
    add_base_url_option,
    add_csv_options,
    add_output_options,
    add_quiet_option,
)
from kit.errors import InputError
from kit.output import (
    emit_findings,
    format_summary,
)

__all__ = ["register"]

_AUDIT_EPILOG = """\
exit status:
  0  no error-severity findings (warnings and info may remain)
  1  at least one error-severity finding (missing title, 404, broken canonical, ...)
  2  the input cannot be used (the message names the file and line), or --base-url is
     not an http(s) URL

CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right); cells
from the input that start with = + - @ get a leading ' so no spreadsheet runs them.
"""
_BUILD_EPILOG = """\
exit status:
  0  every URL is in the sitemap
  1  some URLs were left out (other host, outside the folder, not URLs); listed on stderr
  2  the input cannot be used: URLS.csv is missing, a folder or unreadable (the message
     names the file and line), or --base-url, --out-dir or --lastmod is wrong (named)
"""
_VALIDATE_EPILOG = """\
exit status:
  0  every file is a valid sitemap (info findings such as <priority> may remain)
  1  at least one file has error findings
  2  at least one file could not be read (the others are still checked), or --base-url
     is not a URL

Findings name each file as it was given, so two sitemap.xml in different folders stay
apart.  CSV written with --out FILE.csv starts with a UTF-8 BOM (Excel reads accents right).
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk seo audit`` and ``crosstalk sitemap {build,validate}``."""
    seo = subparsers.add_parser(
        "seo", help="module 02: audit pages for what matters to Google",
        description="Module 02: audit pages for status, titles, descriptions, headings, "
                    "canonicals, noindex, robots.txt and orphans.")
    actions = seo.add_subparsers(dest="action", metavar="ACTION", required=True)
    audit = actions.add_parser(
        "audit", help="audit saved pages or a crawler's export",
        description="Audit saved pages (a folder of .html files, or a wget --mirror folder), "
                    "a Screaming Frog export ('Internal: All' or 'Internal: HTML' CSV), an "
                    "advertools crawl (.jl), or a CSV with url, status, html.  Only HTML "
                    "pages that answered are audited; images, CSS, JS and PDFs are counted.",
        epilog=_AUDIT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("path", metavar="PATH",
                       help="folder of saved pages, crawl export (.csv) or advertools crawl (.jl)")
    audit.add_argument("--robots", metavar="FILE",
                       help="the site's robots.txt (default: PATH/robots.txt when PATH is a "
                            "folder that has one)")
    audit.add_argument("--sitemap", metavar="FILE",
                       help="the site's sitemap.xml: orphans it lists count as discoverable")
    add_base_url_option(audit, "a folder's files are served under it, and relative URLs "
                        "in a crawl file resolve against it (default: wget's host folder, "
                        "else https://site.invalid/)")
    audit.add_argument("--pretty-urls", action="store_true",
                       help="serve a folder's x.html as /x (as most static hosts do), not /x.html")
    add_output_options(audit)
    add_csv_options(audit)
    add_quiet_option(audit)
    audit.set_defaults(handler=run_audit)

    sitemap = subparsers.add_parser(
        "sitemap", help="module 02: build and validate sitemaps (sitemaps.org)",
        description="Build sitemaps to the sitemaps.org limits, or check existing ones.")
    sitemap_actions = sitemap.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = sitemap_actions.add_parser(
        "build", help="write sitemap.xml (and an index when over 50,000 URLs / 50 MB uncompressed)",
        description="Write sitemaps for the URLs of a CSV (column url, optional lastmod).",
        epilog=_BUILD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("urls", metavar="URLS.csv", help="CSV with a url column (and lastmod)")
    add_base_url_option(build, "the sitemap will be served there (required)", required=True)
    build.add_argument("--out-dir", metavar="DIR", required=True, help="folder to write into")
    build.add_argument("--lastmod", metavar="DATE",
                       help="one W3C date for every URL, e.g. 2024-05-01 (default: the CSV's "
                            "lastmod column, if any)")
    add_csv_options(build)
    build.set_defaults(handler=run_build)
    validate = sitemap_actions.add_parser(
        "validate", help="check sitemap files against the protocol",
        description="Check sitemap or sitemap index files (.xml or .xml.gz).",
        epilog=_VALIDATE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("files", metavar="FILE", nargs="+", help="sitemap files")
    add_base_url_option(validate, "the files are served there; enables the path check")
    add_output_options(validate)
    validate.set_defaults(handler=run_validate)


def _read_text(path: str, what: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{what} {path!r}: cannot be read ({error.strerror or error}).",
                         hint="Check the path.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{what} {path!r}: not UTF-8 text (byte {error.start + 1}); Google "
                         "reads robots.txt as UTF-8.", hint="Save it as UTF-8.") from None
    if "\x00" in text:
        raise InputError(f"{what} {path!r}: binary data, not a robots.txt text file.",
                         hint="Give the site's robots.txt.")
    return text


def _base_url(value: str, option: str = "--base-url") -> None:
    """An InputError naming ``option`` unless ``value`` is an http(s) site or folder URL."""
    from kit.seo.sitemaps import sitemap_location

    try:
        sitemap_location(value)
    except (InputError, ValueError):
        raise InputError(f"{option}: base URL {value!r} is not an http(s) URL like "
                         "https://www.example.com/ .",
                         hint="Give the address the files are served from.") from None


def _input_file(value: str, what: str) -> Path:
    """``value`` as the path of an existing file (never read as a URL or a list)."""
    path = Path(value)
    if path.is_dir():
        raise InputError(f"{what} {value!r} is a folder; give the file inside it.")
    if not path.is_file():
        raise InputError(f"{what} {value!r}: cannot be read (no such file).",
                         hint="Check the path.")
    return path


def run_audit(args: argparse.Namespace) -> int:
    """``crosstalk seo audit``: 1 when any finding has severity ``error``, else 0."""
    from kit.pages import read_pages
    from kit.seo import audit_pages, page_scores
    from kit.seo.pages import pages_of
    from kit.seo.sitemaps import sitemap_urls

    if args.base_url is not None:
        _base_url(args.base_url)
    if args.robots:
        _input_file(args.robots, "--robots")
    if args.sitemap:
        _input_file(args.sitemap, "--sitemap")

    path = Path(args.path)
    if not path.exists():
        raise InputError(f"{args.path}: no such file or folder.",
                         hint="Give a folder of saved pages, a Screaming Frog CSV export or an "
                              "advertools .jl crawl.")
    robots = _read_text(args.robots, "--robots") if args.robots else None
    note = ""
    if robots is None and path.is_dir() and (path / "robots.txt").is_file():
        robots = _read_text(str(path / "robots.txt"), "robots.txt")
        note = f"(using {path / 'robots.txt'})\n"
    table = pages_of(read_pages(path, base_url=args.base_url,
                                encoding=getattr(args, "encoding", None),
                                pretty_urls=args.pretty_urls))
    listed = sitemap_urls(args.sitemap) if args.sitemap else None
    findings = audit_pages(table, robots_txt=robots, sitemap_urls=listed)
    scores = page_scores(table, findings)
    unread = "".join(f"\n  not read: {where}: {why}" for where, why in zip(
        table.problems["where"], table.problems["why"], strict=True))
    summary = (note + format_summary(findings, name=path.name) + "\n\n"
               + table.summary() + unread + "\n"
               f"{int(scores['indexable'].sum())} of {len(scores)} pages indexable, "
               f"{int(scores['well_described'].sum())} well described.")
    emit_findings(findings, summary, args.format, args.out)
    return 1 if bool((findings["severity"] == "error").any()) else 0


def run_build(args: argparse.Namespace) -> int:
    """``crosstalk sitemap build``: 1 when some URLs were left out, else 0."""
    from kit.seo import build_sitemaps
    from kit.seo.sitemaps import normalise_lastmod

    urls = _input_file(args.urls, "URLS.csv")
    _base_url(args.base_url)
    if args.lastmod is not None:
        try:
            normalise_lastmod(args.lastmod)
        except ValueError as error:
            raise InputError(f"--lastmod: {error}.", hint="Leave it out to use the CSV's "
                             "lastmod column.") from None
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"--out-dir {args.out_dir!r} is a file; give a folder.")
    files = build_sitemaps(urls, args.base_url, lastmod=args.lastmod)
    paths = files.write(out_dir)
    print(f"{files.urls:,} URLs in {len(files)} file(s): "
          + ", ".join(str(p) for p in paths)
          + f". Upload to {files.base_url} and submit {files.base_url}sitemap.xml in Search "
            "Console or name it in robots.txt (Google deprecated its sitemap ping in June 2023).")
    errors = files.skipped[files.skipped["severity"].astype(str) != "info"]
    if not files.skipped.empty:
        print(f"{len(files.skipped)} URL(s) left out or changed:", file=sys.stderr)
        for row in files.skipped.itertuples(index=False):
            print(f"  {row.file}: {row.check}: {row.technical}", file=sys.stderr)
    return 1 if not errors.empty else 0


def run_validate(args: argparse.Namespace) -> int:
    """``crosstalk sitemap validate``: 2 if a file is unreadable, 1 on errors, else 0."""
    import pandas as pd

    from kit.seo import validate_sitemap

    if args.base_url is not None:
        _base_url(args.base_url)
    frames = []
    unreadable: dict[str, str] = {}
    for file in args.files:
        path = Path(file)
        try:
            if path.is_dir():
                raise InputError(f"{file}: is a folder; give the sitemap files inside it.")
            frame = validate_sitemap(path, base_url=args.base_url)
        except InputError as error:
            unreadable[file] = str(error)
            continue
        frame["file"] = file  # as given: two sitemap.xml in two folders stay apart
        frames.append(frame)
    findings = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["subject", "check", "severity", "business", "technical", "source", "file",
                 "line", "value"])
    if frames:
        from kit.findings import SEVERITY_DTYPE  # here: `crosstalk --help` loads no pandas

        findings["severity"] = findings["severity"].astype(SEVERITY_DTYPE)
    lines = []
    for file in args.files:
        mine = findings[findings["file"] == file] if not findings.empty else findings
        if file in unreadable:
            continue
        errors = int((mine["severity"].astype(str) == "error").sum())
        lines.append(f"{file}: {'valid' if errors == 0 else f'{errors} error(s)'}"
                     + (f", {len(mine) - errors} other finding(s)" if len(mine) > errors else ""))
    summary = "\n".join(lines) or "no file could be read."
    emit_findings(findings, summary, args.format, args.out)
    for problem in unreadable.values():  # unusable input is named on stderr, like everywhere
        print(f"crosstalk: {problem}", file=sys.stderr)
    if unreadable:
        return 2
    return 1 if bool((findings["severity"].astype(str) == "error").any()) else 0



