"""kit.progress: a bar on a terminal only; nothing in pipes, logs, CI or with --quiet."""

from __future__ import annotations

import io
import sys

import pytest

from kit import progress as progress_module
from kit.progress import QUIET_ENV, enabled, progress, quiet, track


class FakeTTY(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        super().isatty()  # ValueError once closed, as a real stream
        return True


@pytest.fixture
def clean_env(monkeypatch) -> None:
    for name in (QUIET_ENV, "CI", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(progress_module, "DELAY", 0.0)  # draw at once


def _terminal(monkeypatch) -> FakeTTY:
    """Make stderr a terminal for the rest of the test (called in the test body: pytest
    swaps its own capture back in between fixture set-up and the test)."""
    stream = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stream)
    return stream


def test_a_terminal_gets_a_bar(monkeypatch, clean_env) -> None:
    tty = _terminal(monkeypatch)
    assert enabled()
    with progress(desc="sketching pages", total=3, unit="page") as bar:
        for _ in range(3):
            bar.update()
        assert bar.shown
    assert "sketching pages" in tty.getvalue()
    assert "/3 " in tty.getvalue()


def test_track_counts_every_item(monkeypatch, clean_env) -> None:
    tty = _terminal(monkeypatch)
    assert list(track(["a", "b"], desc="reading pages", unit="page")) == ["a", "b"]
    assert "/2 " in tty.getvalue()


def test_capsys_stderr_made_a_terminal_gets_the_bar(monkeypatch, capsys, clean_env) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress(desc="reading access.log", total=2, unit="line") as bar:
        bar.update(2)
    assert "reading access.log" in capsys.readouterr().err


def test_not_a_terminal_prints_nothing(capsys, clean_env) -> None:
    assert not enabled()  # pytest's captured stderr is no terminal
    with progress(desc="sketching pages", total=2) as bar:
        bar.update(2)
        assert not bar.shown
        assert bar.done == 2
    assert list(track(range(3), desc="x")) == [0, 1, 2]
    assert capsys.readouterr() == ("", "")


def test_a_pipe_with_isatty_false_prints_nothing(monkeypatch, clean_env) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    with progress(desc="x", total=1) as bar:
        bar.update()
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("name", "value"), [
    (QUIET_ENV, "1"), (QUIET_ENV, "yes"), ("CI", "true"), ("TERM", "dumb"),
])
def test_environment_turns_bars_off(monkeypatch, clean_env, name: str, value: str) -> None:
    tty = _terminal(monkeypatch)
    monkeypatch.setenv(name, value)
    with progress(desc="x", total=1) as bar:
        bar.update()
    assert tty.getvalue() == ""


@pytest.mark.parametrize("value", ["0", "false", ""])
def test_quiet_env_off_values_keep_the_bar(monkeypatch, clean_env, value: str) -> None:
    _terminal(monkeypatch)
    monkeypatch.setenv(QUIET_ENV, value)
    assert enabled()


def test_quiet_block_turns_bars_off_and_nests(monkeypatch, clean_env) -> None:
    _terminal(monkeypatch)
    with quiet():
        assert not enabled()
        with quiet(False):  # an inner "not quiet" does not undo an outer --quiet
            assert not enabled()
    assert enabled()


def test_write_reaches_stderr_with_or_without_bar(monkeypatch, clean_env) -> None:
    tty = _terminal(monkeypatch)
    with progress(desc="grading", total=1) as bar:
        bar.write("learner 7: failed: timeout")
    assert "learner 7: failed: timeout" in tty.getvalue()
    with quiet(), progress(desc="grading", total=1) as bar:
        bar.write("learner 8: failed: timeout")
    assert "learner 8: failed: timeout\n" in tty.getvalue()


def test_a_closed_stream_is_no_terminal(monkeypatch, clean_env) -> None:
    stream = FakeTTY()
    stream.close()
    monkeypatch.setattr(sys, "stderr", stream)
    assert not enabled()


def test_crosstalk_quiet_flag_silences_a_command(tmp_path, monkeypatch, clean_env) -> None:
    """``crosstalk ... --quiet`` and ``crosstalk --quiet ...`` both reach the bar."""
    _terminal(monkeypatch)
    from kit.cli import main

    seen = []
    monkeypatch.setattr("kit.progress.enabled", lambda stream=None: seen.append(
        progress_module._QUIET.get()) or False)
    old = tmp_path / "old.csv"
    new = tmp_path / "new.csv"
    old.write_text("url\n/a\n", encoding="utf-8")
    new.write_text("url\n/a\n", encoding="utf-8")
    out = str(tmp_path / "map.csv")
    main(["redirects", "suggest", str(old), str(new), "--out", out])
    main(["redirects", "suggest", str(old), str(new), "--out", out, "--quiet"])
    main(["--quiet", "redirects", "suggest", str(old), str(new), "--out", out])
    assert seen == [False, True, True]


def test_a_long_command_prints_no_bar_into_a_pipe(tmp_path, capsys, clean_env) -> None:
    """``crosstalk channels classify`` with stderr captured (not a terminal): no bar text."""
    from kit.cli import main

    log = tmp_path / "access.log"
    log.write_text("".join(
        f'10.0.0.{i % 9} - - [07/Dec/2026:10:{i % 60:02d}:00 +0000] "GET /p{i} HTTP/1.1" 200 '
        f'512 "https://www.google.com/" "Mozilla/5.0"\n' for i in range(300)), encoding="utf-8")
    assert main(["channels", "classify", str(log), "--format", "csv"]) == 0
    err = capsys.readouterr().err
    assert "reading access.log" not in err
    assert "%|" not in err


def test_a_long_command_draws_its_bar_on_a_terminal(tmp_path, monkeypatch, clean_env) -> None:
    from kit.cli import main

    log = tmp_path / "access.log"
    log.write_text('10.0.0.1 - - [07/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "M"\n',
                   encoding="utf-8")
    tty = _terminal(monkeypatch)
    assert main(["channels", "classify", str(log), "--format", "csv"]) == 0
    assert "reading access.log" in tty.getvalue()
    tty.truncate(0)
    assert main(["channels", "classify", str(log), "--format", "csv", "--quiet"]) == 0
    assert "reading access.log" not in tty.getvalue()
