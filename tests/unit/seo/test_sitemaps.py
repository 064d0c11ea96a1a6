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
from kit.seo.sitemaps import (
    MAX_URLS,
    NAMESPACE,
    normalise_lastmod,
    sitemap_location,
    sitemap_urls,
)

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


XSD_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "xsd"


@pytest.fixture(scope="module")
def urlset_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "sitemap.xsd")))


@pytest.fixture(scope="module")
def index_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "siteindex.xsd")))


UTC = dt.UTC
PLUS2 = dt.timezone(dt.timedelta(hours=2))

# The lastmod case table: (value given, does the official XSD accept it as written,
# what the builder writes, or None when it refuses and keeps the URL without lastmod).
# The second column is checked against sitemap.xsd itself below, so the table cannot drift.
LASTMOD_CASES = [
    ("2024-05-01", True, "2024-05-01"),
    ("2024-05-01T10:00:00+02:00", True, "2024-05-01T10:00:00+02:00"),
    ("2024-05-01T10:00:00Z", True, "2024-05-01T10:00:00Z"),
    ("2024-05-01T10:00:00.25-05:30", True, "2024-05-01T10:00:00.25-05:30"),
    ("  2024-05-01  ", True, "2024-05-01"),
    ("2024-05-01T10:00Z", False, "2024-05-01T10:00:00Z"),  # xsd:dateTime needs seconds
    ("2024-05-01T10:00+02:00", False, "2024-05-01T10:00:00+02:00"),
    ("2024-05-01 10:00:00+02:00", False, "2024-05-01T10:00:00+02:00"),
    ("2024-05-01t10:00:00z", False, "2024-05-01T10:00:00Z"),
    ("2024-05-01T10:00:00+0200", False, "2024-05-01T10:00:00+02:00"),
    ("2024-05-01T24:00:00Z", True, "2024-05-02T00:00:00Z"),  # W3C note: hours 00-23
    ("2024-05-01+02:00", True, "2024-05-01"),  # xsd:date with a zone: no W3C Datetime
    ("2024-05-01Z", True, "2024-05-01"),
    ("2024", False, None),  # W3C Datetime, but which day? never invented
    ("2024-05", False, None),
    ("2024-02-30", False, None),
    ("2023-02-29", False, None),
    ("2024-13-01", False, None),
    ("2024-05-01T25:00:00Z", False, None),
    ("2024-05-01T10:60:00Z", False, None),
    ("2024-05-01T10:00:00", True, None),  # no time zone: the XSD takes it, the W3C note not
    ("2024-05-01T10:00:00+15:00", False, None),  # zones stop at +-14:00
    ("2024-05-01T10:00:00+02:75", False, None),
    ("2024-05-01T10Z", False, None),
    ("20240501", False, None),
    ("01/05/2024", False, None),
    ("yesterday", False, None),
    ("May 2024", False, None),
]


def _xsd_accepts(schema: etree.XMLSchema, lastmod: str) -> bool:
    xml = (f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/a</loc>'
           f"<lastmod>{lastmod}</lastmod></url></urlset>")
    return schema.validate(etree.fromstring(xml))


@pytest.mark.parametrize(("value", "xsd_valid", "written"), LASTMOD_CASES)
def test_lastmod_case_table(value: str, xsd_valid: bool, written: str | None,
                            urlset_schema: etree.XMLSchema) -> None:
    assert _xsd_accepts(urlset_schema, value.strip()) is xsd_valid
    assert _xsd_accepts(urlset_schema, written) if written else True
    files = build_sitemaps(["/z", "/a"], BASE, lastmod={"/a": value})
    data = files[0][1]
    got = etree.fromstring(data).xpath("//s:lastmod/text()", namespaces=NS)
    assert urlset_schema.validate(etree.fromstring(data)), urlset_schema.error_log
    checks = list(files.skipped["check"])
    if written is None:
        assert got == [] and checks == ["lastmod_invalid"]
        assert files.skipped.iloc[0]["technical"].startswith("urls item 2: lastmod")
        assert locs(data) == [BASE + "z", BASE + "a"]
    else:
        assert got == [written]
        assert checks == ([] if written == value.strip() else ["lastmod_rewritten"])
        assert validate_sitemap(data, base_url=BASE).empty
    if written is None:
        with pytest.raises(ValueError):
            normalise_lastmod(value)
    else:
        assert normalise_lastmod(value) == written


@pytest.mark.parametrize(("value", "check", "written"), [
    ("2024", "lastmod_invalid", None),
    ("2024-05-01T10:00Z", "lastmod_rewritten", "2024-05-01T10:00:00Z"),
    ("2024-05-01", None, "2024-05-01"),
])
def test_one_lastmod_for_every_url_is_checked_once(value: str, check: str | None,
                                                   written: str | None) -> None:
    files = build_sitemaps(["/a", "/b", "/c"], BASE, lastmod=value)
    assert list(files.skipped["check"]) == ([check] if check else [])
    if check:
        assert files.skipped.iloc[0]["file"] == "lastmod argument"
    got = etree.fromstring(files[0][1]).xpath("//s:lastmod/text()", namespaces=NS)
    assert got == ([written] * 3 if written else [])


def test_lastmod_as_a_series_indexed_by_url() -> None:
    dates = pd.Series({BASE + "a": "2024-01-01", "/b": "2024-02-02"})
    files = build_sitemaps(["/a", "/b"], BASE, lastmod=dates)
    assert etree.fromstring(files[0][1]).xpath("//s:lastmod/text()", namespaces=NS) == [
        "2024-01-01", "2024-02-02"]


@pytest.mark.parametrize(
    ("lastmod", "expected"),
    [
        (dt.date(2024, 5, 1), "2024-05-01"),
        (dt.datetime(2024, 5, 1, 10, 0, tzinfo=UTC), "2024-05-01T10:00:00+00:00"),
        (dt.datetime(2024, 5, 1, 10, 0, 7, 123, tzinfo=PLUS2), "2024-05-01T10:00:07+02:00"),
        (pd.Timestamp("2024-05-01T10:00:00-05:00"), "2024-05-01T10:00:00-05:00"),
        (pd.Timestamp("2024-05-01"), None),  # naive: which zone?
        (dt.datetime(2024, 5, 1, 10, 0), None),
        (dt.datetime(2024, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=15))), None),
    ],
)
def test_lastmod_from_python_values(lastmod: object, expected: str | None,
                                    urlset_schema: etree.XMLSchema) -> None:
    files = build_sitemaps(["/a"], BASE, lastmod=lastmod)
    data = files[0][1]
    assert urlset_schema.validate(etree.fromstring(data)), urlset_schema.error_log
    got = etree.fromstring(data).xpath("//s:lastmod/text()", namespaces=NS)
    assert got == ([] if expected is None else [expected])
    assert list(files.skipped["check"]) == ([] if expected else ["lastmod_invalid"])


def test_refused_lastmod_names_the_row(write_csv) -> None:
    path = write_csv("url,lastmod\n/a,2024-05-01\n/b,2024-02-30\n/c,2024\n", name="urls.csv")
    files = build_sitemaps(path, BASE)
    bad = files.skipped[files.skipped["check"] == "lastmod_invalid"]
    assert len(bad) == 2 and files.left_out == 0
    assert "no such day" in bad.iloc[0]["technical"] and "line 3" in bad.iloc[0]["file"]
    assert "gives no day" in bad.iloc[1]["technical"] and "line 4" in bad.iloc[1]["file"]
    assert all(row["technical"].startswith(row["file"]) for _, row in bad.iterrows())
    assert "0 URL(s) left out" in repr(files)


def test_builder_output_validates_against_the_official_xsds(
        urlset_schema: etree.XMLSchema, index_schema: etree.XMLSchema) -> None:
    values = [value for value, _, written in LASTMOD_CASES] + [
        dt.date(2024, 5, 1), dt.datetime(2024, 5, 1, 10, tzinfo=PLUS2), None]
    urls = [f"/p/{n}" for n in range(len(values))] + ["/café au lait", "/a?b=1&c='2'"]
    dates = {BASE + f"p/{n}": value for n, value in enumerate(values)}
    files = build_sitemaps(urls, BASE, lastmod=dates, max_urls=7)
    assert len(files) > 2
    index = etree.fromstring(files[0][1])
    assert index_schema.validate(index), index_schema.error_log
    for name, data in files[1:]:
        assert urlset_schema.validate(etree.fromstring(data)), (name, urlset_schema.error_log)
    single = build_sitemaps(urls, BASE, lastmod=dates)
    assert urlset_schema.validate(etree.fromstring(single[0][1])), urlset_schema.error_log


def test_the_schemas_reject_what_they_should(urlset_schema: etree.XMLSchema,
                                             index_schema: etree.XMLSchema) -> None:
    """The committed XSDs are live: a wrong root, a missing loc, a bad value all fail."""
    bad = [f'<urlset xmlns="{NAMESPACE}"/>',
           f'<urlset xmlns="{NAMESPACE}"><url><lastmod>2024-05-01</lastmod></url></urlset>',
           f'<urlset xmlns="{NAMESPACE}"><url><loc>https://x.example/</loc>'
           "<priority>2</priority></url></urlset>",
           f'<sitemapindex xmlns="{NAMESPACE}"><sitemap><loc>https://x.example/s.xml</loc>'
           "</sitemap></sitemapindex>"]
    assert not any(urlset_schema.validate(etree.fromstring(xml)) for xml in bad)
    assert index_schema.validate(etree.fromstring(bad[-1]))
    assert not index_schema.validate(etree.fromstring(
        f'<sitemapindex xmlns="{NAMESPACE}"><sitemap><loc>https://x.example/s.xml</loc>'
        "<lastmod>2024-05</lastmod></sitemap></sitemapindex>"))


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # As strings "2024-05-01T23:30:00-05:00" < "2024-05-02T03:00:00+00:00", but it is
        # 04:30 UTC on 2 May: the later instant.
        (["2024-05-02T03:00:00+00:00", "2024-05-01T23:30:00-05:00"],
         "2024-05-01T23:30:00-05:00"),
        (["2024-05-02T01:00:00+02:00", "2024-05-01T23:30:00Z"], "2024-05-01T23:30:00Z"),
        (["2024-05-01", "2024-04-30T23:00:00-02:00"], "2024-04-30T23:00:00-02:00"),
        (["2024-05-02", "2024-05-01T23:00:00Z"], "2024-05-02"),
        (["2024-05-01T10:00Z", "2024-05-01T09:00:00Z"], "2024-05-01T10:00:00Z"),
        ([None, "2023-01-01"], "2023-01-01"),
        ([None, None], None),
    ],
)
def test_index_lastmod_is_the_latest_instant(dates: list[str | None], expected: str | None,
                                             index_schema: etree.XMLSchema) -> None:
    mapping = {BASE + f"p{n}": value for n, value in enumerate(dates)}
    files = build_sitemaps([*mapping, BASE + "other"], BASE, lastmod=mapping,
                           max_urls=len(dates))
    index = etree.fromstring(files[0][1])
    assert index_schema.validate(index), index_schema.error_log
    first = index.xpath("//s:sitemap[1]/s:lastmod/text()", namespaces=NS)
    assert first == ([] if expected is None else [expected])


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


@pytest.mark.parametrize(
    ("lastmod", "check", "severity", "says"),
    [
        ("2024-02-30", "lastmod_invalid", "error", "no such day"),
        ("2023-02-29", "lastmod_invalid", "error", "no such day"),
        ("2024-05-01T25:00:00+00:00", "lastmod_invalid", "error", "not a real time"),
        ("2024-05-01T10:61:00Z", "lastmod_invalid", "error", "not a real time"),
        ("2024", "lastmod_invalid", "error", "gives no day"),
        ("2024-05", "lastmod_invalid", "error", "gives no day"),
        ("2024-05-01T10:00Z", "lastmod_invalid", "error", "write '2024-05-01T10:00:00Z'"),
        ("2024-05-01 10:00:00Z", "lastmod_invalid", "error", "write '2024-05-01T10:00:00Z'"),
        ("2024-05-01T10:00:00+15:00", "lastmod_invalid", "error", "beyond"),
        ("2024-05-01T10:00:00", "lastmod_no_timezone", "warning", "no time zone"),
    ],
)
def test_validator_rejects_impossible_and_schema_invalid_dates(
        lastmod: str, check: str, severity: str, says: str) -> None:
    xml = URLSET.format("<url><loc>https://www.shop.example/ok</loc></url>\n"
                        "<url>\n<loc>https://www.shop.example/a</loc>\n"
                        f"<lastmod>{lastmod}</lastmod></url>\n")
    found = validate_sitemap(xml, base_url=BASE)
    assert list(found["check"]) == [check]
    row = found.iloc[0]
    assert str(row["severity"]) == severity and says in row["technical"]
    assert row["line"] == 6 and row["subject"] == BASE + "a"  # the lastmod's own line


@pytest.mark.parametrize("lastmod", ["2024-05-01", "2024-05-01T10:00:00+02:00",
                                     "2024-05-01T10:00:00.5Z", "2024-05-01+02:00",
                                     "2024-05-01T24:00:00Z"])
def test_validator_accepts_what_the_xsd_and_w3c_accept(lastmod: str) -> None:
    found = validate_sitemap(URLSET.format(
        f"<url><loc>https://www.shop.example/a</loc><lastmod>{lastmod}</lastmod></url>"))
    assert list(found["check"]) == ([] if "24:00" not in lastmod else ["lastmod_invalid"])


def test_uniform_lastmod_compares_instants_not_strings() -> None:
    zones = ["2026-11-01T10:00:00Z", "2026-11-01T12:00:00+02:00", "2026-11-01T05:00:00-05:00"]
    entries = "".join(f"<url><loc>https://www.shop.example/p{i}</loc>"
                      f"<lastmod>{zones[i % 3]}</lastmod></url>" for i in range(12))
    assert list(validate_sitemap(URLSET.format(entries))["check"]) == ["lastmod_uniform"]


HOSTILE = [
    pytest.param(
        '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY tail "secret">]>\n'
        f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/a&tail;</loc></url>'
        "</urlset>", "DOCTYPE", id="internal-entity"),
    pytest.param(
        '<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/&x;</loc></url>'
        "</urlset>", "DOCTYPE", id="external-entity"),
    pytest.param(
        '<?xml version="1.0"?>\n<!DOCTYPE urlset SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
        f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/a</loc></url>'
        "</urlset>", "DOCTYPE", id="external-dtd"),
    pytest.param(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/&lol3;</loc></url>'
        "</urlset>", "DOCTYPE", id="billion-laughs"),
    pytest.param(
        '<?xml version="1.0"?>\n'
        f'<urlset xmlns="{NAMESPACE}" xmlns:xi="http://www.w3.org/2001/XInclude">'
        '<url><loc>https://www.shop.example/a</loc></url>'
        '<xi:include href="file:///etc/passwd" parse="text"/></urlset>', "XInclude",
        id="xinclude"),
    pytest.param(
        ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE urlset [<!ENTITY t "x">]>\n'
         f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/&t;</loc></url>'
         "</urlset>").encode("utf-16"), "entity", id="utf16-past-the-byte-scan"),
]


@pytest.mark.parametrize(("xml", "reason"), HOSTILE)
def test_hostile_xml_is_invalid_and_never_expanded(xml: str | bytes, reason: str,
                                                   tmp_path: Path) -> None:
    found = validate_sitemap(xml, base_url=BASE)
    assert list(found["check"]) == ["unsafe_xml"]
    assert str(found.iloc[0]["severity"]) == "error"
    technical = found.iloc[0]["technical"]
    assert reason in technical and "Nothing was expanded or fetched" in technical
    assert "secret" not in technical and "root:" not in technical
    path = tmp_path / "sitemap.xml"
    path.write_bytes(xml if isinstance(xml, bytes) else xml.encode())
    with pytest.raises(InputError, match="not a plain sitemap"):
        sitemap_urls(path)


def test_the_utf16_hostile_file_is_caught_after_parsing() -> None:
    """The byte scan cannot see UTF-16; the parsed tree shows the DOCTYPE and entities."""
    xml = HOSTILE[-1].values[0]
    technical = validate_sitemap(xml).iloc[0]["technical"]
    assert "entity declarations: t" in technical and "&t; on line 3" in technical


def test_a_comment_or_stylesheet_is_not_hostile() -> None:
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<?xml-stylesheet type="text/xsl" href="/sitemap.xsl"?>\n<!-- made by hand -->\n'
           f'<urlset xmlns="{NAMESPACE}"><url><loc>https://www.shop.example/a</loc></url>'
           "</urlset>")
    assert validate_sitemap(xml, base_url=BASE).empty
    assert sitemap_urls(xml) == [BASE + "a"]


def test_hostile_reasons_name_the_entities_and_lines() -> None:
    technical = validate_sitemap(HOSTILE[1].values[0]).iloc[0]["technical"]
    assert "entity declarations: x" in technical
    assert 'SYSTEM "file:///etc/passwd"' in technical and "&x; on line 3" in technical


def test_the_parser_itself_reads_no_file(tmp_path: Path) -> None:
    """Past the byte scan (UTF-16), the parser still loads no DTD and expands nothing."""
    from kit.seo.sitemaps import _parser

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "{secret.as_uri()}">')
    xml = (f'<?xml version="1.0"?>\n<!DOCTYPE urlset SYSTEM "{dtd.as_uri()}" '
           f'[<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n<urlset xmlns="{NAMESPACE}"><url>'
           "<loc>https://www.shop.example/&x;&leak;</loc></url></urlset>")
    root = etree.fromstring(xml.encode(), _parser())
    assert b"TOPSECRET" not in etree.tostring(root)
    found = validate_sitemap(xml.encode("utf-16"))
    assert list(found["check"]) == ["unsafe_xml"]
    assert "TOPSECRET" not in found.to_string()


_DATEISH = st.text(alphabet="0123456789-:+TtZz .", max_size=32)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(_DATEISH, st.text(max_size=20),
                       st.from_regex(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?"
                                     r"(Z|[+-]\d{2}:?\d{2})?", fullmatch=True)))
def test_normalised_lastmod_is_always_schema_valid(value: str,
                                                   urlset_schema: etree.XMLSchema) -> None:
    """Whatever comes in, a lastmod is either refused or one the XSD and validator accept."""
    try:
        written = normalise_lastmod(value)
    except ValueError:
        return
    if written is None:
        return
    assert _xsd_accepts(urlset_schema, written), (value, written)
    xml = URLSET.format(f"<url><loc>https://www.shop.example/a</loc>"
                        f"<lastmod>{written}</lastmod></url>")
    assert validate_sitemap(xml).empty, (value, written)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(_DATEISH, st.text(max_size=40)))
def test_validator_never_crashes_on_any_lastmod(value: str) -> None:
    text = value.replace("&", "&amp;").replace("<", "&lt;")
    try:
        xml = URLSET.format(f"<url><loc>https://www.shop.example/a</loc>"
                            f"<lastmod>{text}</lastmod></url>").encode("utf-8")
    except UnicodeEncodeError:
        return
    found = validate_sitemap(xml)
    assert set(found["check"]) <= {"lastmod_invalid", "lastmod_no_timezone", "unreadable"}
