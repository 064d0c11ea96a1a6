"""kit.redirects.verify against a tiny loopback server whose answers the test chooses."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from kit.errors import InputError
from kit.redirects.verify import TAGS, verify_map

# request path -> (status, Location)
ANSWERS: dict[str, tuple[int, str | None]] = {}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, location = ANSWERS.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


MAP = pd.DataFrame([("/a", "/x", 301), ("/b", "/y#f", 301), ("/c?id=1", "/z", 302),
                    ("/g", "", 410)], columns=["source", "target", "status"])


def test_a_server_that_follows_the_map_has_no_findings(base: str) -> None:
    ANSWERS.clear()
    ANSWERS.update({
        "/a": (301, "https://www.canonical.example/x"), f"/a?{TAGS}": (301, f"/x?{TAGS}"),
        "/b": (301, "/y#f"), f"/b?{TAGS}": (301, f"/y?{TAGS}#f"),
        "/c?id=1": (302, "/z"), f"/c?id=1&{TAGS}": (302, f"/z?{TAGS}"),
        "/g": (410, None)})
    assert verify_map(MAP, base, jobs=2).empty


def test_each_kind_of_mismatch_is_named(base: str) -> None:
    ANSWERS.clear()
    ANSWERS.update({
        "/a": (301, "/x"), f"/a?{TAGS}": (301, "/x"),  # tags dropped
        "/b": (301, "/y#f"), f"/b?{TAGS}": (301, f"/y#f?{TAGS}"),  # tags after the fragment
        "/c?id=1": (301, "/z"),  # wrong status
        f"/c?id=1&{TAGS}": (302, f"/z/?{TAGS}"),  # wrong target
    })  # /g answers 200: wrong status
    findings = verify_map(MAP, base, jobs=3)
    got = dict(zip(findings["subject"], findings["check"], strict=True))
    assert got == {f"/a?{TAGS}": "tags_dropped", f"/b?{TAGS}": "wrong_location",
                   "/c?id=1": "wrong_status", f"/c?id=1&{TAGS}": "wrong_location",
                   "/g": "wrong_status"}
    assert (findings["severity"].astype(str) == "error").all()
    row = findings[findings["check"] == "tags_dropped"].iloc[0]
    assert "utm_" in row["business"] and "$is_args$args" in row["technical"]
    assert row["source"].startswith("GA4 help 10917952")


def test_untagged_only(base: str) -> None:
    ANSWERS.clear()
    ANSWERS.update({"/a": (301, "/x"), "/b": (301, "/y#f"), "/c?id=1": (302, "/z"),
                    "/g": (410, None)})
    assert verify_map(MAP, base, tagged=False).empty


@pytest.mark.parametrize(("options", "message"), [
    ({"jobs": 0}, "1 to 16"), ({"jobs": 17}, "1 to 16"), ({"timeout": 0}, "positive"),
])
def test_bad_options(options: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        verify_map(MAP, "http://127.0.0.1:9", **options)
