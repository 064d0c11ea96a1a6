"""kit.output: what every findings command prints, in each format and to each stream."""

from __future__ import annotations

import json

import pytest

from kit.findings import findings_frame
from kit.output import emit_findings, findings_text


def _findings():
    return findings_frame([{"check": "loop", "severity": "error", "subject": "/b",
                            "marketing": "Visitors go round in circles.",
                            "technical": "Redirect loop from /b.", "where": "map.csv line 3"}])


def test_table_is_the_summary_then_one_block_per_finding() -> None:
    text = findings_text(_findings(), "table", summary="map.csv: 1 finding(s)")
    assert text.startswith("map.csv: 1 finding(s)\n\nERROR    loop")
    assert text.endswith("Redirect loop from /b.\n")
    assert findings_text(_findings().iloc[0:0], "table", summary="clean") == "clean\n"


def test_csv_and_json_carry_the_frame() -> None:
    assert findings_text(_findings(), "csv", summary="x").splitlines()[1].startswith("/b,loop,")
    assert json.loads(findings_text(_findings(), "json", summary="x"))[0]["subject"] == "/b"


@pytest.mark.parametrize(("fmt", "to_file", "stdout_summary", "stderr_summary"), [
    ("table", False, False, False),  # the summary is already in the table
    ("table", True, True, False),
    ("json", False, False, True),  # stdout carries JSON: people read stderr
    ("json", True, True, False),
])
def test_the_summary_goes_where_people_read_it(capsys, tmp_path, fmt, to_file, stdout_summary,
                                               stderr_summary) -> None:
    out = str(tmp_path / "findings.txt") if to_file else None
    emit_findings(_findings(), "SUMMARY", fmt, out)
    captured = capsys.readouterr()
    stdout = captured.out.replace(findings_text(_findings(), fmt, summary="SUMMARY"), "", 1) \
        if not to_file else captured.out
    assert ("SUMMARY" in stdout) is stdout_summary
    assert ("SUMMARY" in captured.err) is stderr_summary
    if to_file:
        assert (tmp_path / "findings.txt").read_text() == findings_text(_findings(), fmt,
                                                                        summary="SUMMARY")
