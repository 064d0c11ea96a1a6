"""``crosstalk seo audit`` and ``crosstalk sitemap build|validate``: exit codes, formats, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kit.cli import main

GOOD = ('<html><head><title>{t} | Shop</title><meta name="description" content="About {t}.">'
        '<link rel="canonical" href="https://shop.example/{p}"></head><body><h1>{t}</h1>'
        '<a href="/">home</a><a href="/boots">boots</a></body></html>')


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(GOOD.format(t="Home", p=""))
    (site / "boots.html").write_text(GOOD.format(t="Boots", p="boots"))
    return site


def test_audit_clean_folder(capsys, folder: Path) -> None:
    code, out, err = run(capsys, "seo", "audit", folder, "--base-url", "https://shop.example",
                         "--pretty-urls")
    assert code == 0 and err == ""
    assert "site: no problems found." in out
    assert "2 of 2 pages indexable, 2 well described." in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_audit_errors_exit_1(capsys, folder: Path, fmt: str) -> None:
    (folder / "boots.html").write_text("<h1>no title</h1>")
    code, out, err = run(capsys, "seo", "audit", folder, "--base-url", "https://shop.example",
                         "--pretty-urls", "--format", fmt)
    assert code == 1
    if fmt == "json":
        checks = {row["check"] for row in json.loads(out)}
        assert "title_missing" in checks and "pages indexable" in err
    elif fmt == "csv":
        assert out.startswith("subject,check,severity,business,technical,source,page,where")
    else:
        assert "ERROR    title_missing" in out


def test_audit_uses_the_folders_robots_txt_and_a_given_one(capsys, folder: Path,
                                                           tmp_path: Path) -> None:
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /boots\n")
    code, out, _ = run(capsys, "seo", "audit", folder, "--base-url", "https://shop.example",
                       "--pretty-urls")
    assert code == 0 and "using" in out and "robots_blocked" in out
    other = tmp_path / "robots.txt"
    other.write_text("User-agent: *\nAllow: /\n")
    code, out, _ = run(capsys, "seo", "audit", folder, "--base-url", "https://shop.example",
                       "--pretty-urls", "--robots", other)
    assert "robots_blocked" not in out


def test_audit_crawl_csv_with_sitemap_and_out(capsys, write_csv, tmp_path: Path) -> None:
    crawl = write_csv("Address,Status Code,Title 1,Meta Description 1,H1-1,"
                      "Canonical Link Element 1,Inlinks\n"
                      "https://shop.example/,200,Home,Hi,Home,https://shop.example/,0\n"
                      "https://shop.example/a,200,A,About A,A,https://shop.example/a,0\n",
                      name="crawl.csv")
    sitemap = tmp_path / "sitemap.xml"
    assert run(capsys, "sitemap", "build", write_csv("url\n/a\n", name="u.csv"), "--base-url",
               "https://shop.example/", "--out-dir", tmp_path)[0] == 0
    out_file = tmp_path / "findings.json"
    code, out, _ = run(capsys, "seo", "audit", crawl, "--sitemap", sitemap, "--format", "json",
                       "--out", out_file)
    assert code == 0 and "crawl.csv: 1 finding(s) (1 info)" in out
    assert [row["check"] for row in json.loads(out_file.read_text())] == ["orphan"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["seo", "audit", "missing-folder"], "no such file or folder"),
        (["seo", "audit", "{folder}", "--robots", "missing-robots.txt"], "cannot be read"),
        (["seo", "audit", "{folder}", "--base-url", "not a url"], "is not an http(s) URL"),
        (["seo", "audit", "{crawl}"], "needs the column(s) url"),
        (["sitemap", "build", "{urls}", "--base-url", "ftp://x", "--out-dir", "o"], "base URL"),
        (["sitemap", "build", "{bad_urls}", "--base-url", "https://shop.example/", "--out-dir",
          "o"], "No URL can go in the sitemap"),
    ],
)
def test_bad_input_exits_2_with_a_located_message(capsys, folder: Path, write_csv,
                                                  argv: list[str], message: str) -> None:
    paths = {"folder": folder, "crawl": write_csv("Title 1\nx\n", name="c.csv"),
             "urls": write_csv("url\n/a\n", name="urls.csv"),
             "bad_urls": write_csv("url\nhttps://other.example/\n", name="bad.csv")}
    code, _, err = run(capsys, *(arg.format(**paths) for arg in argv))
    assert code == 2
    assert message in err and "Traceback" not in err


def test_sitemap_build_and_validate(capsys, write_csv, tmp_path: Path) -> None:
    urls = write_csv("url,lastmod\n/a,2024-01-01\n/b,\nhttps://other.example/c,\n",
                     name="urls.csv")
    code, out, err = run(capsys, "sitemap", "build", urls, "--base-url", "https://shop.example/",
                         "--out-dir", tmp_path / "out")
    assert code == 1  # one URL left out
    assert "2 URLs in 1 file(s)" in out and "Search Console" in out
    assert "urls.csv line 4: other_host" in err
    sitemap = tmp_path / "out" / "sitemap.xml"
    code, out, _ = run(capsys, "sitemap", "validate", sitemap, "--base-url",
                       "https://shop.example/")
    assert code == 0 and f"{sitemap}: valid" in out


def test_sitemap_validate_exit_codes(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
                   "<loc>https://x.example/a b</loc></url></urlset>")
    code, out, _ = run(capsys, "sitemap", "validate", bad)
    assert code == 1 and "1 error(s)" in out and "not_escaped" in out
    code, out, err = run(capsys, "sitemap", "validate", bad, tmp_path / "missing.xml",
                         "--format", "csv")
    assert code == 2 and "missing.xml" in err and "not_escaped" in out


def test_build_splits_into_an_index(capsys, write_csv, tmp_path: Path) -> None:
    rows = "".join(f"/p/{n}\n" for n in range(50_001))
    code, out, _ = run(capsys, "sitemap", "build", write_csv("url\n" + rows, name="u.csv"),
                       "--base-url", "https://shop.example/", "--out-dir", tmp_path,
                       "--lastmod", "2024-05-01")
    assert code == 0 and "3 file(s)" in out
    code, out, _ = run(capsys, "sitemap", "validate", *sorted(tmp_path.glob("sitemap*.xml")))
    assert code == 0 and out.count(": valid") == 3
