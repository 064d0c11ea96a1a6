"""The module contract of docs/architecture.md, held over the five modules.

Each rule is a small checker that returns the violations it finds (empty = the rule holds);
the tests run it over the real modules and, in ``test_checker_*``, over a planted violation,
so a checker that could never fail would show up here.

The rules: every result class subclasses :class:`kit.results.Result` and neither redefines
``_repr_html_`` nor makes ``findings`` a method; ``summary`` returns a dict; every explorer has
``set``; every ``source`` a module's findings carry resolves in :mod:`kit.sources`; no module
states the severity order but :mod:`kit.findings`; each module exports its verbs.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd
import pytest

from kit.display import ExplorerDisplay
from kit.findings import SEVERITIES
from kit.results import Result
from kit.sources import SOURCES, resolves

KIT = Path(__file__).resolve().parents[2] / "kit"
MODULES = ("redirects", "seo", "duplicates", "tracking", "launch")

NOT_YET: dict[str, str] = {
    "kit.seo.sitemaps.SitemapFiles": "a list of files with a table repr; h-xml owns "
                                     "sitemaps.py: convert it to Result after that merge",
}
"""Classes the contract does not hold yet, and why: a list that only shrinks."""


# -- the checkers ------------------------------------------------------------------------


def submodules(package: str) -> Iterator[ModuleType]:
    """``kit.<package>`` and every module under it."""
    root = importlib.import_module(f"kit.{package}")
    yield root
    for info in pkgutil.walk_packages(root.__path__, prefix=f"kit.{package}."):
        yield importlib.import_module(info.name)


def own_classes(module: ModuleType) -> list[type]:
    return [obj for obj in vars(module).values()
            if inspect.isclass(obj) and obj.__module__ == module.__name__]


def is_explorer(cls: type) -> bool:
    return issubclass(cls, ExplorerDisplay) or "_repr_mimebundle_" in vars(cls)


def result_class_violations(classes: list[type]) -> list[str]:
    """A class that shows itself (``_repr_html_``) or has a ``summary`` is a result: it
    subclasses Result, keeps Result's ``_repr_html_`` and has ``findings`` as a property."""
    problems = []
    for cls in classes:
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name in NOT_YET or is_explorer(cls) or cls.__name__.startswith("_"):
            continue
        shows = hasattr(cls, "_repr_html_") or hasattr(cls, "summary")
        if not shows:
            continue
        if not issubclass(cls, Result):
            problems.append(f"{name}: a result class that does not subclass kit.results.Result")
            continue
        if "_repr_html_" in vars(cls):
            problems.append(f"{name}: redefines _repr_html_ (use the summary_* hooks)")
        if not isinstance(inspect.getattr_static(cls, "summary"), property):
            problems.append(f"{name}: summary is not a property")
        findings = inspect.getattr_static(cls, "findings", None)
        if inspect.isfunction(findings):
            problems.append(f"{name}: findings is a method; make it a property")
    return problems


def explorer_violations(classes: list[type]) -> list[str]:
    """Every explorer is driven by one method, ``set(**controls)``."""
    return [f"{cls.__module__}.{cls.__qualname__}: explorer without set(**controls)"
            for cls in classes if is_explorer(cls) and not callable(getattr(cls, "set", None))]


def summary_violations(results: dict[str, Any]) -> list[str]:
    """``summary`` is a dict of plain values, and the HTML repr is built from it."""
    problems = []
    for name, result in results.items():
        summary = result.summary
        if not isinstance(summary, dict) or not summary:
            problems.append(f"{name}: summary is {type(summary).__name__}, not a non-empty dict")
            continue
        odd = {k: type(v).__name__ for k, v in summary.items()
               if not isinstance(v, (int, float, str, bool))}
        if odd:
            problems.append(f"{name}: summary values that are not int/float/str/bool: {odd}")
        if "<" not in result._repr_html_():
            problems.append(f"{name}: _repr_html_ gives no HTML")
    return problems


def source_violations(findings: dict[str, pd.DataFrame]) -> list[str]:
    """Every ``source`` of every finding is made of citations in kit/sources.py."""
    problems = []
    for name, frame in findings.items():
        for text in sorted(set(frame["source"].dropna().astype(str))):
            if not resolves(text):
                problems.append(f"{name}: source {text!r} is not in kit.sources.SOURCES")
    return problems


def severity_order_violations(files: dict[str, str]) -> list[str]:
    """No literal list, tuple, set or dict naming all of the severities outside
    kit/findings.py: the order is stated once (``SEVERITIES``, ``severity_rank``)."""
    wanted = set(SEVERITIES)
    problems = []
    for path, text in files.items():
        for node in ast.walk(ast.parse(text)):
            items: list[ast.expr | None] = []
            if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
                items = list(node.elts)
            elif isinstance(node, ast.Dict):
                items = list(node.keys)
            named = {item.value for item in items
                     if isinstance(item, ast.Constant) and isinstance(item.value, str)}
            if wanted <= named:
                problems.append(f"{path}:{node.lineno}: restates the severity order; use "
                                "kit.findings.SEVERITIES / severity_rank / SEVERITY_DTYPE")
    return problems


def verb_violations(modules: dict[str, list[str]]) -> list[str]:
    """Each module exports its verbs: ``audit*`` or ``find_*``, ``simulate_*`` and ``load_*``
    or a ``*_table``/``plan_*`` builder; the explorers are in ``kit.<module>.widget``."""
    problems = []
    for name, exported in modules.items():
        if not any(n.startswith(("simulate_", "plan_", "capacity_")) for n in exported):
            problems.append(f"kit.{name}: no simulate_* verb exported")
        if not any(n.startswith(("audit", "find_", "lint_", "validate_", "plan_"))
                   for n in exported):
            problems.append(f"kit.{name}: no audit verb exported")
    return problems


# -- the real modules --------------------------------------------------------------------


def classes_of(package: str) -> list[type]:
    return [cls for module in submodules(package) for cls in own_classes(module)]


@cache
def results() -> dict[str, Any]:
    """One of every result class, built small."""
    from kit.duplicates import find_duplicates
    from kit.duplicates.simulate import simulate_crawl
    from kit.launch import capacity_table, mmc, plan_launch
    from kit.redirects import simulate_migration
    from kit.seo import simulate_seo
    from kit.sites import duplicate_site, redesign, seo_site, tracking_site
    from kit.tracking import attribution_report, load_sessions, simulate_campaign

    campaign = simulate_campaign(tracking_site(clicks=200, background=300))
    sessions = load_sessions(next(iter(campaign.sessions.values())))
    return {
        "MigrationResult": simulate_migration(redesign(200, seed=1), "chains"),
        "SeoResult": simulate_seo(seo_site(60), "as_is"),
        "CrawlResult": simulate_crawl(),
        "DuplicateReport": find_duplicates(duplicate_site(seed=1).pages),
        "SessionLog": sessions,
        "AttributionReport": attribution_report(sessions),
        "CampaignSimulation": campaign,
        "CapacityReport": capacity_table(),
        "ReadinessPlan": plan_launch(it_joins="at launch"),
        "QueueState": mmc(10.0, 2.0, 8),
    }


@cache
def module_findings() -> dict[str, pd.DataFrame]:
    """Findings from every module's audits, on data with problems planted."""
    from kit.launch import plan_launch
    from kit.redirects import audit_map, strategy_map
    from kit.sites import redesign
    from kit.tracking import lint_utm

    site = redesign(200, seed=1)
    found = {f"redirects.audit_map({s})": audit_map(strategy_map(site, s))
             for s in ("chains", "homepage_dump", "temporary_302")}
    r = results()
    found["seo.audit_pages"] = r["SeoResult"].findings
    found["duplicates.find_duplicates"] = r["DuplicateReport"].findings
    found["launch.plan_launch"] = plan_launch(it_joins="at launch").findings
    found["tracking.lint_utm"] = lint_utm([
        "https://shop.example/a?utm_source=news&utm_medium=email&utm_campaign=x",
        "https://shop.example/b?utm_source=Facebook&utm_medium=social",
        "https://shop.example/c?gclid=1&utm_source=google&utm_medium=cpc&utm_campaign=y",
        "https://shop.example/d?utm_source=a&utm_medium=banner&utm_campaign=z",
    ], site="shop.example")
    return found


@pytest.mark.parametrize("package", MODULES)
def test_result_classes_follow_the_contract(package: str) -> None:
    assert result_class_violations(classes_of(package)) == []


@pytest.mark.parametrize("package", MODULES)
def test_every_explorer_has_set(package: str) -> None:
    classes = classes_of(package)
    assert [c for c in classes if is_explorer(c)], f"kit.{package} has no explorer"
    assert explorer_violations(classes) == []


def test_every_result_class_is_built_here() -> None:
    """The summary test below covers every result class of the five modules."""
    found = {cls.__name__ for package in MODULES for cls in classes_of(package)
             if issubclass(cls, Result) and cls is not Result}
    assert found == set(results())


def test_summary_is_a_dict_everywhere() -> None:
    assert summary_violations(results()) == []


def test_every_finding_source_is_registered() -> None:
    findings = module_findings()
    assert all(not frame.empty for frame in findings.values()), "plant problems in the data"
    assert source_violations(findings) == []


def test_every_module_source_constant_is_registered() -> None:
    constants = {f"{module.__name__}.{name}": value
                 for package in MODULES for module in submodules(package)
                 for name, value in vars(module).items()
                 if name.lstrip("_").startswith(("SRC_", "SOURCE_")) and isinstance(value, str)}
    assert constants
    assert [name for name, text in constants.items() if not resolves(text)] == []


def test_registry_entries_are_complete() -> None:
    for source in SOURCES.values():
        assert source.text and source.title and source.checked == "2026-12-07", source.id
        assert source.url is None or source.url.startswith(("https://", "http://")), source.id
        assert source.url is not None or source.kind in ("data", "seed"), source.id


def test_severity_order_is_stated_only_in_findings() -> None:
    files = {str(path.relative_to(KIT.parent)): path.read_text(encoding="utf-8")
             for path in KIT.rglob("*.py") if path != KIT / "findings.py"}
    assert severity_order_violations(files) == []


def test_modules_export_their_verbs() -> None:
    exported = {name: list(importlib.import_module(f"kit.{name}").__all__) for name in MODULES}
    assert verb_violations(exported) == []


def test_modules_that_follow_the_rules_table_derive_their_checks_from_it() -> None:
    """docs/architecture.md lists which modules build findings from a table of rules."""
    from kit.redirects.audit import AUDIT_CHECKS
    from kit.redirects.rules import AUDIT_RULES
    from kit.rules import RuleTable
    from kit.seo.audit import CHECKS
    from kit.seo.rules import RULES

    assert isinstance(RULES, RuleTable) and isinstance(AUDIT_RULES, RuleTable)
    assert tuple(CHECKS) == RULES.checks
    assert AUDIT_RULES.checks == AUDIT_CHECKS
    findings = module_findings()
    seo = findings["seo.audit_pages"]
    assert set(seo["check"]) <= set(RULES.checks)
    redirects = pd.concat([f for n, f in findings.items() if n.startswith("redirects")])
    assert set(redirects["check"]) <= set(AUDIT_RULES.checks)


def test_explorer_factories_exist() -> None:
    for name in MODULES:
        widget = importlib.import_module(f"kit.{name}.widget")
        assert any(n.endswith("_explorer") for n in widget.__all__), name


# -- the checkers fail on a planted violation ---------------------------------------------


def _planted(source: str) -> ModuleType:
    module = ModuleType("kit.planted")
    exec(textwrap.dedent(source), module.__dict__)
    return module


def test_checker_catches_a_result_outside_the_base() -> None:
    module = _planted("""
        from dataclasses import dataclass
        from kit.results import Result

        @dataclass
        class Loose:
            def summary(self):
                return "a sentence"
            def _repr_html_(self):
                return "<p>x</p>"

        @dataclass
        class Stale(Result):
            @property
            def summary(self):
                return {"n": 1}
            def findings(self):
                return None
            def _repr_html_(self):
                return "<p>own</p>"
    """)
    problems = result_class_violations(own_classes(module))
    assert any("Loose: a result class that does not subclass" in p for p in problems)
    assert any("Stale: redefines _repr_html_" in p for p in problems)
    assert any("Stale: findings is a method" in p for p in problems)


def test_checker_catches_an_explorer_without_set() -> None:
    module = _planted("""
        from kit.display import ExplorerDisplay

        class Explorer(ExplorerDisplay):
            def show_strategy(self, name):
                pass
    """)
    assert explorer_violations(own_classes(module)) == [
        "kit.planted.Explorer: explorer without set(**controls)"]


def test_checker_catches_a_string_summary() -> None:
    class Sentence(Result):
        @property
        def summary(self) -> Any:
            return "3 sessions"

    assert summary_violations({"Sentence": Sentence()}) == [
        "Sentence: summary is str, not a non-empty dict"]


def test_checker_catches_an_unregistered_source() -> None:
    frame = pd.DataFrame({"source": [SOURCES["google-redirects"].text,
                                     "Google Search Central, 'Redirects' (misspelt)"]})
    assert source_violations({"planted": frame}) == [
        "planted: source \"Google Search Central, 'Redirects' (misspelt)\" is not in "
        "kit.sources.SOURCES"]


def test_checker_catches_a_restated_severity_order() -> None:
    planted = {"kit/planted.py": 'rank = {"error": 0, "warning": 1, "info": 2}\n'
                                 'ok = ("error", "warning")\n'
                                 'order = ["info", "warning", "error"]\n'}
    problems = severity_order_violations(planted)
    assert [p.split(":")[1] for p in problems] == ["1", "3"]


def test_checker_catches_a_module_without_verbs() -> None:
    assert verb_violations({"planted": ["Thing", "helper"]}) == [
        "kit.planted: no simulate_* verb exported", "kit.planted: no audit verb exported"]


# -- set(**controls) does what the clicks do ----------------------------------------------


def test_set_drives_the_explorers() -> None:
    from kit.launch.widget import launch_explorer, readiness_explorer
    from kit.redirects.widget import migration_explorer
    from kit.seo.widget import seo_explorer
    from kit.sites import tracking_site
    from kit.tracking.widget import campaign_explorer, link_builder

    migration = migration_explorer(n_pages=200)
    migration.set(strategy="chains")
    assert migration.strategy == "chains" and migration.buttons.value == "chains"

    seo = seo_explorer(n_pages=60)
    seo.set(plan="both")
    assert set(seo.changes) and seo.plans.value == "both"
    seo.set(changes=["titles"])
    assert seo.changes == ("titles",) and seo.plans.value is None
    with pytest.raises(ValueError, match="exactly one"):
        seo.set(plan="both", changes=["titles"])

    campaign = campaign_explorer(tracking_site(clicks=200, background=300))
    campaign.set(scenario="mistakes")
    assert campaign.scenario == "mistakes"

    builder = link_builder()
    builder.set(source="newsletter", medium="email", campaign="spring")
    assert "utm_medium=email" in builder.output.value
    with pytest.raises(ValueError, match="unknown control"):
        builder.set(colour="red")

    launch = launch_explorer()
    launch.set(servers=40)
    assert launch.controls["servers"].value == 40
    readiness = readiness_explorer()
    readiness.set(it_joins="at launch")
    assert readiness.plan.label == "at launch"
