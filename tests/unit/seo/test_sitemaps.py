"""Sitemaps to the sitemaps.org limits: build, split, escape, and validate."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kit.errors import InputError
from kit.seo import build_sitemaps, validate_sitemap
from kit.seo.sitemaps import MAX_URLS, NAMESPACE, sitemap_location, sitemap_urls

BASE = "https://www.shop.example/"
NS = {"s": NAMESPACE}


def locs(data: bytes) -> list[str]:
    return etree.fromstring(data).xpath("//s:loc/text()", namespaces=NS)


def test_one_file_when_it_fits() -> None:
    files = build_sitemaps(["/a", "/b", BASE + "c"], BASE)
    assert [name for name, _ in files] == ["sitemap.xml"]
    assert locs(files[0][1]) == [BASE + "a", BASE + "b", BASE + "c"]
    assert files[0][1].startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"priority" not in files[0][1] and b"changefreq" not in files[0][1]
    assert validate_sitemap(files[0][1], base_url=BASE).empty
    assert "3 URLs in 1 file(s)" in repr(files) and "<table>" in files._repr_html_()


def test_split_at_50000_urls_with_an_index() -> None:
    urls = [f"/p/{n}" for n in range(MAX_URLS + 1)]
    files = build_sitemaps(urls, BASE)
    names = [name for name, _ in files]
    assert names == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
    index, first, second = (data for _, data in files)
    assert etree.QName(etree.fromstring(index)).localname == "sitemapindex"
    assert locs(index) == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]
    assert len(locs(first)) == MAX_URLS and locs(second) == [BASE + f"p/{MAX_URLS}"]
    for name, data in files:
        assert validate_sitemap(data, base_url=BASE, name=name).empty, name


def test_exactly_50000_urls_stay_in_one_file() -> None:
    files = build_sitemaps([f"/p/{n}" for n in range(MAX_URLS)], BASE)
    assert [name for name, _ in files] == ["sitemap.xml"]


def test_split_by_bytes() -> None:
    urls = [f"/p/{'x' * 100}-{n}" for n in range(100)]
    files = build_sitemaps(urls, BASE, max_bytes=2_000)
    assert len(files) > 3 and files[0][0] == "sitemap.xml"
    assert all(len(data) <= 2_000 for name, data in files[1:])
    assert sum(len(locs(data)) for _, data in files[1:]) == 100


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/search?q=boots&sort=price", BASE + "search?q=boots&sort=price"),
        ("/it's", BASE + "it's"),
        ("/café au lait", BASE + "caf%C3%A9%20au%20lait"),
        ('/a"b<c>', BASE + "a%22b%3Cc%3E"),
        ("/100%", BASE + "100%25"),
        ("HTTPS://WWW.Shop.Example:443/x", BASE + "x"),
    ],
)
def test_urls_are_url_escaped_and_entity_escaped(url: str, expected: str) -> None:
    data = build_sitemaps([url], BASE)[0][1]
    assert locs(data) == [expected]
    raw = data.decode()
    assert "&amp;" in raw if "&" in expected else True
    assert "&apos;" in raw if "'" in expected else True
    assert validate_sitemap(data, base_url=BASE).empty


@pytest.mark.parametrize(
    ("url", "check"),
    [
        ("https://shop.example/a", "other_host"),  # no www
        ("http://www.shop.example/a", "other_host"),  # http, not https
        ("https://www.shop.example:8443/a", "other_host"),
        ("/" + "a" * 2_100, "too_long"),
        ("not a url", "not_a_url"),
        ("", "not_a_url"),
        ("mailto:x@y.z", "not_a_url"),
        ("/a", "duplicate"),
    ],
)
def test_urls_left_out_are_reported(url: str, check: str) -> None:
    files = build_sitemaps(["/a", url], BASE)
    assert list(files.skipped["check"]) == [check]
    assert files.skipped.iloc[0]["file"] == "urls item 2"
    assert locs(files[0][1]) == [BASE + "a"]


def test_path_limit_of_the_sitemap_location() -> None:
    files = build_sitemaps(["/shop/a", "/blog/b", "/shop"], "https://www.shop.example/shop/")
    assert locs(files[0][1]) == [BASE + "shop/a"]
    assert list(files.skipped["check"]) == ["outside_path", "outside_path"]


@pytest.mark.parametrize(
    ("base", "site", "folder"),
    [
        ("https://www.shop.example", "https://www.shop.example", "/"),
        ("https://www.shop.example/shop/sitemap.xml", "https://www.shop.example", "/shop/"),
        ("https://www.shop.example/shop", "https://www.shop.example", "/shop/"),
        ("HTTPS://WWW.SHOP.EXAMPLE:443/a/b/", "https://www.shop.example", "/a/b/"),
    ],
)
def test_sitemap_location(base: str, site: str, folder: str) -> None:
    assert sitemap_location(base) == (site, folder)


@pytest.mark.parametrize("base", ["shop.example", "ftp://x.example/", "https://x.example/?a=1",
                                  ""])
def test_bad_base_url(base: str) -> None:
    with pytest.raises(InputError, match="base URL"):
        build_sitemaps(["/a"], base)


@pytest.mark.parametrize(
    ("lastmod", "expected"),
    [
        ("2024-05-01", "2024-05-01"),
        (dt.date(2024, 5, 1), "2024-05-01"),
        (dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC), "2024-05-01T10:00:00+00:00"),
        ("2024-05-01T10:00Z", "2024-05-01T10:00Z"),
        ("2024", "2024"),
    ],
)
def test_lastmod(lastmod: object, expected: str) -> None:
    data = build_sitemaps(["/a"], BASE, lastmod=lastmod)[0][1]
    assert etree.fromstring(data).xpath("//s:lastmod/text()", namespaces=NS) == [expected]


@pytest.mark.parametrize("lastmod", ["yesterday", "2024-13-01", "01/05/2024",
                                     dt.datetime(2024, 5, 1, 10, 0)])
def test_bad_lastmod_is_reported_and_the_url_kept(lastmod: object) -> None:
    files = build_sitemaps(["/a"], BASE, lastmod=lastmod)
    assert list(files.skipped["check"]) == ["lastmod_invalid"]
    assert locs(files[0][1]) == [BASE + "a"] and b"lastmod" not in files[0][1]


def test_lastmod_per_url_from_a_csv_and_a_mapping(write_csv, tmp_path: Path) -> None:
    path = write_csv("loc,lastmod\n/a,2024-01-01\n/b,\n", name="urls.csv")
    data = build_sitemaps(path, BASE)[0][1]
    assert etree.fromstring(data).xpath("//s:lastmod/text()", namespaces=NS) == ["2024-01-01"]
    data = build_sitemaps(pd.Series(["/a", "/b"]), BASE, lastmod={"/b": "2024-02-02"})[0][1]
    assert etree.fromstring(data).xpath("//s:lastmod/text()", namespaces=NS) == ["2024-02-02"]
    written = build_sitemaps(["/a"], BASE).write(tmp_path / "out")
    assert [p.name for p in written] == ["sitemap.xml"] and written[0].is_file()


def test_no_usable_url_is_an_input_error() -> None:
    with pytest.raises(InputError, match="No URL can go in the sitemap") as caught:
        build_sitemaps(["https://other.example/a", "nonsense"], BASE)
    assert "urls item 1" in str(caught.value) and "urls item 2" in str(caught.value)
    with pytest.raises(InputError, match="empty"):
        build_sitemaps([], BASE)


URLSET = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n{{}}</urlset>'


@pytest.mark.parametrize(
    ("entries", "check", "severity"),
    [
        ("<url><loc>https://www.shop.example/a b</loc></url>", "not_escaped", "error"),
        ("<url><loc>https://www.shop.example/é</loc></url>", "not_escaped", "error"),
        ("<url><loc>https://other.example/a</loc></url>", "other_host", "error"),
        ("<url><loc>https://www.shop.example/blog/a</loc></url>", "outside_path", "error"),
        ("<url><loc>/relative</loc></url>", "loc_invalid", "error"),
        ("<url><lastmod>2024-01-01</lastmod></url>", "loc_missing", "error"),
        ("<url><loc>https://www.shop.example/shop/a</loc><lastmod>May 2024</lastmod></url>",
         "lastmod_invalid", "error"),
        ("<url><loc>https://www.shop.example/shop/a</loc><priority>0.9</priority></url>",
         "ignored_by_google", "info"),
        ("<url><loc>https://www.shop.example/shop/a</loc><priority>5</priority></url>",
         "invalid_value", "error"),
        ("<url><loc>https://www.shop.example/shop/a</loc><changefreq>often</changefreq></url>",
         "invalid_value", "error"),
        ("<url><loc>https://www.shop.example/shop/a</loc></url>" * 2, "duplicate", "warning"),
        ("<url><loc>https://www.shop.example/shop/" + "a" * 2_048 + "</loc></url>", "too_long",
         "error"),
        ("", "empty", "error"),
    ],
)
def test_validate_finds(entries: str, check: str, severity: str) -> None:
    findings = validate_sitemap(URLSET.format(entries),
                                base_url="https://www.shop.example/shop/sitemap.xml")
    assert check in set(findings["check"])
    assert set(findings.loc[findings["check"] == check, "severity"].astype(str)) == {severity}


@pytest.mark.parametrize(
    ("xml", "check"),
    [
        ('<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc>x</loc></url>'
         "</urlset>", "not_sitemap"),
        ("<html><body>not a sitemap</body></html>", "not_sitemap"),
        (f'<urlset xmlns="{NAMESPACE}"><url><loc>https://x.example/?a=1&b=2</loc></url></urlset>',
         "unreadable"),
        ("", "unreadable"),
        (f'<?xml version="1.0" encoding="ISO-8859-1"?><urlset xmlns="{NAMESPACE}"><url><loc>'
         "https://x.example/</loc></url></urlset>", "encoding"),
    ],
)
def test_validate_unreadable_or_foreign(xml: str, check: str) -> None:
    data = xml.encode("latin-1") if "ISO-8859-1" in xml else xml
    assert check in set(validate_sitemap(data)["check"])


def test_validate_too_many_urls_and_too_many_bytes() -> None:
    many = URLSET.format("<url><loc>https://x.example/</loc></url>\n" * (MAX_URLS + 1))
    findings = validate_sitemap(many)
    assert "too_many_urls" in set(findings["check"])
    huge = URLSET.format(("<url><loc>https://x.example/" + "a" * 1000 + "</loc></url>\n") * 52_000)
    assert set(validate_sitemap(huge)["check"]) == {"too_large"}


def test_validate_files_and_gzip(tmp_path: Path) -> None:
    data = build_sitemaps(["/a", "/b"], BASE)[0][1]
    plain = tmp_path / "sitemap.xml"
    plain.write_bytes(data)
    zipped = tmp_path / "sitemap.xml.gz"
    zipped.write_bytes(gzip.compress(data))
    assert validate_sitemap(plain, base_url=BASE).empty
    assert validate_sitemap(str(zipped), base_url=BASE).empty
    assert sitemap_urls(zipped) == [BASE + "a", BASE + "b"]
    broken = tmp_path / "broken.xml.gz"
    broken.write_bytes(b"\x1f\x8b" + b"garbage")
    assert list(validate_sitemap(broken)["check"]) == ["unreadable"]
    with pytest.raises(InputError, match="cannot read"):
        validate_sitemap(tmp_path / "missing.xml")


def test_validate_an_index() -> None:
    files = build_sitemaps([f"/p/{n}" for n in range(10)], BASE, max_urls=4)
    assert validate_sitemap(files[0][1], base_url=BASE).empty
    bad = files[0][1].replace(b"https://www.shop.example/sitemap-1", b"https://evil.example/s")
    assert "other_host" in set(validate_sitemap(bad, base_url=BASE)["check"])


@settings(max_examples=80, deadline=None)
@given(paths=st.lists(st.text(max_size=30), min_size=1, max_size=20),
       split=st.integers(min_value=1, max_value=5))
def test_whatever_is_built_validates(paths: list[str], split: int) -> None:
    """Any URLs in: what comes out is always a valid sitemap (or a clear InputError)."""
    try:
        files = build_sitemaps(["/" + path for path in paths], BASE, max_urls=split)
    except InputError:
        return
    for name, data in files:
        assert validate_sitemap(data, base_url=BASE, name=name).empty, (name, data[:500])


def test_one_lastmod_on_every_url_is_a_warning() -> None:
    urls = [f"/p{i}" for i in range(12)]
    same = build_sitemaps(urls, BASE, lastmod="2026-11-01")[0][1]
    found = validate_sitemap(same, base_url=BASE)
    assert found["check"].tolist() == ["lastmod_uniform"]
    assert found["severity"].tolist() == ["warning"]
    dates = {BASE + f"p{i}": f"2026-10-{i + 1:02d}" for i in range(12)}
    assert validate_sitemap(build_sitemaps(urls, BASE, lastmod=dates)[0][1], base_url=BASE).empty
    few = build_sitemaps(urls[:3], BASE, lastmod="2026-11-01")[0][1]
    assert validate_sitemap(few, base_url=BASE).empty  # three pages may share a date
