"""kit.rules: a module's findings as one table of rules."""

from __future__ import annotations

import pytest

from kit.rules import Rule, RuleTable
from kit.sources import cite


def _rule(**changes: object) -> Rule:
    fields: dict[str, object] = {
        "check": "chain", "variant": "", "severity": "warning",
        "sources": ("google-redirects",), "business": "{hops} hops for {subject}",
        "technical": "Redirect {subject} straight to {end}."}
    return Rule(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_rule_fills_both_languages_and_cites_by_id() -> None:
    found = _rule().finding("/old", hops=3, end="/new")
    assert found == {"subject": "/old", "check": "chain", "severity": "warning",
                     "business": "3 hops for /old",
                     "technical": "Redirect /old straight to /new.",
                     "source": cite("google-redirects")}


def test_facts_are_never_read_as_templates() -> None:
    business, _ = _rule().messages(hops="{end}", subject="{0}", end="x")
    assert business == "{end} hops for {0}"


@pytest.mark.parametrize(("changes", "message"), [
    ({"severity": "fatal"}, "severity 'fatal'"),
    ({"sources": ("no-such-source",)}, "unknown sources"),
    ({"sources": ()}, "unknown sources"),
])
def test_a_bad_rule_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _rule(**changes)


def test_a_table_looks_rules_up_and_keeps_their_order() -> None:
    table = RuleTable([_rule(), _rule(variant="long", severity="error"), _rule(check="loop")])
    assert table.checks == ("chain", "loop")
    assert table("chain", "long").severity == "error"
    with pytest.raises(KeyError, match="no rule chain/'short'"):
        table("chain", "short")
    with pytest.raises(ValueError, match="share a check"):
        RuleTable([_rule(), _rule()])
