"""``crosstalk duplicates find`` through kit.cli.main: exit codes, formats, files, bad input."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kit.cli import main

TEXT = "our waterproof trail boot keeps feet dry on long wet hikes with a grippy rubber sole"
DUPLICATES = (f"url,text,status\nhttps://x.com/a,{TEXT},200\nhttps://x.com/a?utm_source=x,{TEXT},200"
              f"\nhttps://x.com/copy,{TEXT.upper()},200\nhttps://x.com/b,tents and stoves,200\n")
CLEAN = "url,text\n/a,one page about boots\n/b,another page about tents\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("content", "code"), [(DUPLICATES, 1), (CLEAN, 0)])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_exit_code(capsys, write_csv, content: str, code: int, fmt: str) -> None:
    assert run(capsys, "duplicates", "find", write_csv(content), "--format", fmt)[0] == code


def test_table_shows_headline_and_clusters(capsys, write_csv) -> None:
    code, out, err = run(capsys, "duplicates", "find", write_csv(DUPLICATES, name="crawl.csv"))
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("crawl.csv: 4 URLs are 2 real pages; 2 duplicate URLs "
                               "(1 exact copies, 0 near-duplicates, 1 URL variants)")
    assert "cluster 1 (3 URLs)  canonical: https://x.com/a" in out
    assert "url_variant  1.00  https://x.com/a?utm_source=x" in out
    assert "https://x.com/b" not in out  # unique pages only with --all


def test_csv_and_json_carry_the_clusters(capsys, write_csv) -> None:
    _, out, err = run(capsys, "duplicates", "find", write_csv(DUPLICATES), "--format", "csv",
                      "--all")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns[:4]) == ["url", "cluster", "canonical", "similarity"]
    assert len(frame) == 4 and "4 URLs are 2 real pages" in err
    _code, out, _ = run(capsys, "duplicates", "find", write_csv(DUPLICATES), "--format", "json")
    records = json.loads(out)
    assert {r["kind"] for r in records} == {"canonical", "url_variant", "exact"}


def test_findings_and_out_file(capsys, write_csv, tmp_path: Path) -> None:
    target = tmp_path / "findings.json"
    code, out, err = run(capsys, "duplicates", "find", write_csv(DUPLICATES), "--findings",
                         "--format", "json", "--out", target)
    assert code == 1 and "4 URLs are 2 real pages" in out and err == ""
    findings = json.loads(target.read_text(encoding="utf-8"))
    assert {f["check"] for f in findings} == {"url_variant", "exact_duplicate"}
    code, out, _ = run(capsys, "duplicates", "find", write_csv(DUPLICATES), "--findings")
    assert re.search(r"^WARNING  exact_duplicate +https://x.com/copy", out, re.MULTILINE)


@pytest.mark.parametrize(("policy", "real"), [("strict", 3), ("typical", 2), ("aggressive", 2)])
def test_policy_option(capsys, write_csv, policy: str, real: int) -> None:
    content = "url,text\nhttps://x.com/a,one\nhttp://x.com/a,two\nhttps://x.com/b,three\n"
    _, out, _ = run(capsys, "duplicates", "find", write_csv(content), "--policy", policy)
    assert f"3 URLs are {real} real pages" in out


def test_folder_of_html(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(f"<main>{TEXT}</main>", encoding="utf-8")
    (tmp_path / "b.html").write_text(f"<nav>menu</nav><main>{TEXT}</main>", encoding="utf-8")
    code, out, _ = run(capsys, "duplicates", "find", tmp_path)
    assert code == 1 and "2 URLs are 1 real pages" in out


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv"], "missing.csv: no such file or folder"),
    (["{csv}", "--threshold", "0.1"], "threshold 0.1 is outside"),
    (["{csv}", "--base-url", "example.com"], "--base-url"),
    (["{bad}"], "needs the column(s) url"),
    (["{csv}", "--out", "/no/such/dir/out.txt"], "cannot write"),
])
def test_bad_input_exits_2_with_a_message(capsys, write_csv, args: list[str], message: str) -> None:
    csv_path = write_csv(DUPLICATES)
    bad = write_csv("address_of_page,words\nx,y\n", name="bad.csv")
    argv = [a.format(csv=csv_path, bad=bad) for a in args]
    code, _out, err = run(capsys, "duplicates", "find", *argv)
    assert code == 2 and message in err and "Traceback" not in err
