"""kit.results.Result: summary as a dict, one _repr_html_ built from hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kit.results import Result


@dataclass(frozen=True)
class _Count(Result):
    n: int
    label: str = "a <b>"

    @property
    def summary(self) -> dict[str, Any]:
        return {"pages_seen": self.n, "label": self.label}


def test_default_html_is_a_table_of_the_summary_escaped() -> None:
    html = _Count(3)._repr_html_()
    assert "<caption>_Count</caption>" in html
    assert "<th style='text-align:left'>pages seen</th><td>3</td>" in html
    assert "a &lt;b&gt;" in html and "a <b>" not in html


def test_hooks_change_the_parts_not_the_method() -> None:
    @dataclass(frozen=True)
    class Sentence(_Count):
        def summary_html(self) -> str:
            return f"<p>{self.n} pages</p>"

        def detail_html(self) -> str:
            return "<table></table>"

    assert Sentence(2)._repr_html_() == "<p>2 pages</p><table></table>"
    assert Sentence(2).summary_text() == "pages_seen=2, label=a <b>"


def test_session_log_keeps_its_sentence() -> None:
    import pandas as pd

    from kit.tracking import SessionLog

    log = SessionLog("x.csv", pd.DataFrame({"session_id": [1, 2]}), lines=3)
    assert log.summary == {"name": "x.csv", "lines": 3, "sessions": 2, "malformed": 0}
    assert log.summary_text() == "x.csv: 2 sessions from 3 lines; 0 malformed."
    assert log._repr_html_().startswith("<p>x.csv: 2 sessions from 3 lines; 0 malformed.</p>")
