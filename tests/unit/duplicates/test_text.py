"""HTML to text: main content only, tolerant of broken markup, never raises."""

from __future__ import annotations

import pytest

from kit.duplicates import html_text

CASES = [
    ("<html><body><p>Hello <b>world</b></p></body></html>", "Hello world"),
    ("<body><nav>Menu</nav><header>Logo</header><p>Body</p><footer>Foot</footer></body>",
     "Body"),
    ("<main>Main part</main><div>Sidebar</div>", "Main part"),
    ("<p>Text<script>var x = 1;</script> after<style>p{}</style></p>", "Text after"),
    ("<p>unclosed <div><span>tags", "unclosed tags"),
    ("<?xml version='1.0' encoding='utf-8'?><p>declared</p>", "declared"),
    ("<p>a</p><!-- comment --><p>b</p>", "a b"),
    ("plain text, no tags", "plain text, no tags"),
]


@pytest.mark.parametrize(("markup", "text"), CASES)
def test_main_text(markup: str, text: str) -> None:
    assert html_text(markup).text == text


@pytest.mark.parametrize(("markup", "problem"), [
    ("", "empty HTML"),
    ("   \n ", "empty HTML"),
    (None, "no HTML"),
    (b"<p>caf\xe9</p>", "not valid UTF-8"),
    ("<script>only()</script>", "no visible text"),
    (12, "not text"),
])
def test_problems_are_named(markup: object, problem: str) -> None:
    page = html_text(markup)  # type: ignore[arg-type]
    assert page.problem is not None and problem in page.problem


def test_non_utf8_text_is_kept() -> None:
    assert html_text(b"<p>caf\xe9 cr\xe8me</p>").text == "café crème"


def test_utf16_with_a_byte_order_mark_is_declared() -> None:
    page = html_text("<p>hi</p>".encode("utf-16"))
    assert page.text == "hi" and page.problem is None


def test_canonical_in_body_is_not_the_canonical() -> None:
    page = html_text("<head><svg></svg><link rel=canonical href=/a></head><p>x</p>")
    assert page.canonical is None


def test_canonical_and_noindex() -> None:
    page = html_text("<head><link rel='Canonical' href=' /a '><meta name='ROBOTS' "
                     "content='noindex, follow'></head><p>x</p>")
    assert page.canonical == "/a" and page.noindex
    assert not html_text("<meta name='description' content='noindex'><p>x</p>").noindex


def test_ten_megabyte_page() -> None:
    page = html_text("<html><body><p>" + "word " * 2_000_000 + "</p></body></html>")
    assert page.problem is None and len(page.text) > 9_000_000


def test_pathological_nesting_does_not_crash() -> None:
    page = html_text("<div>" * 50_000 + "deep")
    assert isinstance(page.text, str)
