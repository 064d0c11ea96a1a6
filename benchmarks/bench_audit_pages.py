"""audit_pages on 10,000 synthetic pages: at least 500 pages/s.

The pages are the seeded shop of module 02 (``kit.sites.seo_site(10_000, seed=7)``):
products, categories, blog posts, help pages, redirects and 404s, with their planted
faults, 15% broken markup, two ISO-8859-1 pages, ~6 KB of HTML and ~50 links each.  The
robots.txt is the shop's.

Baseline, measured in the same run on the same pages: parsing each page with lxml's HTML
parser and nothing else (``etree.fromstring(page_bytes, HTMLParser())``), the floor any
lxml-based audit stands on.  Reported: pages/s of both, and the audit's cost as a multiple
of the bare parse.  Each is the best of three runs (the machines are noisy).

Target: ``audit_pages`` >= 500 pages/s (the issue's figure), printed next to the ratio.

    python benchmarks/bench_audit_pages.py      # or: python -m benchmarks.bench_audit_pages
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import Targets, print_table, timed

N_PAGES = 10_000
TARGET_PAGES_PER_SECOND = 500
REPEATS = 3


def main() -> int:
    from lxml import etree

    from kit.seo import audit_pages
    from kit.sites import seo_site

    site, build_seconds = timed(seo_site, N_PAGES, seed=7)
    pages = site.pages
    bodies = [body if isinstance(body, bytes) else body.encode("utf-8") for body in pages["html"]]
    size_mb = sum(len(body) for body in bodies) / 1e6
    print(f"{len(pages):,} pages, {size_mb:.1f} MB of HTML (built in {build_seconds:.1f} s)")

    def parse_only() -> int:
        parser = etree.HTMLParser()
        return sum(etree.fromstring(body, parser) is not None for body in bodies if body)

    parse_times = [timed(parse_only)[1] for _ in range(REPEATS)]
    audit_runs = [timed(audit_pages, pages, robots_txt=site.robots_txt) for _ in range(REPEATS)]
    findings = audit_runs[0][0]
    parse_seconds = min(parse_times)
    audit_seconds = min(seconds for _, seconds in audit_runs)
    audit_rate = len(pages) / audit_seconds
    parse_rate = len(pages) / parse_seconds
    print()
    print_table(["step", "best of 3 (s)", "pages/s", "× lxml parse"], [
        ["lxml parse only (baseline)", parse_seconds, parse_rate, 1.0],
        ["audit_pages", audit_seconds, audit_rate, audit_seconds / parse_seconds],
    ])
    counts = findings["check"].value_counts()
    print(f"\n{len(findings):,} findings; most common: "
          + ", ".join(f"{check} {count}" for check, count in counts.head(6).items()))
    targets = Targets("bench_audit_pages")
    targets.check("speed", audit_rate >= TARGET_PAGES_PER_SECOND,
                  f"{audit_rate:,.0f} pages/s (target >= {TARGET_PAGES_PER_SECOND}); the audit "
                  f"costs {audit_seconds / parse_seconds:.1f}× a bare lxml parse "
                  f"({parse_rate:,.0f} pages/s)")
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
