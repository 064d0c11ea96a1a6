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


# --- issue 19: CSV that opens safely and right in Excel ---------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+cmd|x", "'+1+cmd|x"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("-3", "-3"), ("+1.5", "+1.5"), ("-20%", "-20%"), ("google", "google"), ("", ""),
    (-3, -3), (2.5, 2.5), (None, None),
])
def test_neutralise_cell(value, expected) -> None:
    from kit.output import neutralise_cell

    assert neutralise_cell(value) == expected


def test_csv_text_keeps_numbers_and_neutralises_text() -> None:
    import pandas as pd

    from kit.output import csv_text

    frame = pd.DataFrame({"source": ["=1+1", "news"], "delta": [-5, 3], "share": [-0.5, 0.25]})
    assert csv_text(frame) == "source,delta,share\n'=1+1,-5,-0.5\nnews,3,0.25\n"


def test_channels_classify_csv_is_safe_for_spreadsheets(tmp_path, capsys) -> None:
    import csv

    from kit.cli import main

    log = tmp_path / "sessions.csv"
    log.write_text('source,medium,campaign\n"=HYPERLINK(""http://evil.example"",""x"")",'
                   'cpc,café\n@SUM(1+1),email,-spring\n', encoding="utf-8")
    assert main(["channels", "classify", str(log), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows[0]["source"].startswith("'=HYPERLINK(")
    assert rows[1]["source"] == "'@SUM(1+1)" and rows[1]["campaign"] == "'-spring"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
    out = tmp_path / "channels.csv"
    assert main(["channels", "classify", str(log), "--format", "csv", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "café".encode() in data
    assert main(["channels", "classify", str(log), "--format", "json",
                 "--out", str(tmp_path / "channels.json")]) == 0
    assert not (tmp_path / "channels.json").read_bytes().startswith(b"\xef\xbb\xbf")
