"""A module's findings as one table of rules (see docs/architecture.md).

A :class:`Rule` is one way a check can fire: the ``check`` (the findings' ``check`` column),
a ``variant`` when one check says different things in different cases, the ``severity``,
the sources (ids of :mod:`kit.sources`) and two :meth:`str.format` templates, ``business``
for Marketing and ``technical`` for IT.  A module keeps its rules in one
:class:`RuleTable`; its detectors only decide *which* rule applies and pass the facts the
templates name, so wording, severity and sources live in one place per module.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kit.findings import SEVERITIES
from kit.sources import SOURCES, cite

__all__ = ["Rule", "RuleTable"]


@dataclass(frozen=True)
class Rule:
    """One way a check can fire, and what it says in both languages."""

    check: str
    variant: str
    severity: str
    sources: tuple[str, ...]
    business: str
    technical: str

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.check}/{self.variant}: severity {self.severity!r} "
                             f"is not one of {SEVERITIES}")
        missing = [source for source in self.sources if source not in SOURCES]
        if missing or not self.sources:
            raise ValueError(f"rule {self.check}/{self.variant}: unknown sources {missing}; "
                             "add them to kit/sources.py")

    @cached_property
    def source(self) -> str:
        """The citation text the finding's ``source`` column shows."""
        return cite(*self.sources)

    def messages(self, **facts: Any) -> tuple[str, str]:
        """``(business, technical)`` with ``facts`` filled in."""
        return self.business.format(**facts), self.technical.format(**facts)

    def finding(self, subject: object, **facts: Any) -> dict[str, Any]:
        """The shared finding columns for ``subject`` (see :mod:`kit.findings`); the
        templates may name ``subject`` and any of ``facts``."""
        business, technical = self.messages(subject=subject, **facts)
        return {"subject": subject, "check": self.check, "severity": self.severity,
                "business": business, "technical": technical, "source": self.source}


class RuleTable:
    """A module's rules, looked up by ``(check, variant)``, in the order they were given."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self._by_id = {(rule.check, rule.variant): rule for rule in self.rules}
        if len(self._by_id) != len(self.rules):
            raise ValueError("two rules share a check and a variant")

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __call__(self, check: str, variant: str = "") -> Rule:
        """The rule for ``check`` (and ``variant``); ``KeyError`` says where to look."""
        try:
            return self._by_id[check, variant]
        except KeyError:
            raise KeyError(f"no rule {check}/{variant!r} in this table") from None

    @property
    def checks(self) -> tuple[str, ...]:
        """The checks, in table order, each once."""
        return tuple(dict.fromkeys(rule.check for rule in self.rules))
