"""The house's never-rules for ``kit/``, read from ``architecture.json`` and checked with ``ast``.

The import graph
----------------
Every ``kit/**.py`` file is a node (``kit/seo/__init__.py`` is ``kit.seo``).  An edge is an
``import`` or ``from ... import`` statement anywhere in the file: at module level **and inside
functions**.  A function-level import still makes one module depend on the other (it runs the
first time the function is called, and it was the usual way to hide a cycle), so it counts.

* ``from kit.x import name`` is an edge to ``kit.x.name`` when that is a module, else to ``kit.x``;
  when ``kit.x`` is a lazy package (:mod:`kit._lazy`), ``name`` resolves through the package's
  ``TYPE_CHECKING`` block to the module that defines it, as it does at run time.
* ``import kit.x.y`` is an edge to ``kit.x.y`` (not to its parent packages: the kit's packages
  are lazy or import only their own sub-modules, so parents add no dependency of their own).
* Imports inside ``if TYPE_CHECKING:`` count too, for cycles and never-rules alike: they never
  run, but a module that names another's types knows that module, and a type-only import back
  is how a cycle hides (``course/report`` ↔ ``course/widget``).  A lazy package's
  ``TYPE_CHECKING`` block is its export list (:mod:`kit._lazy`): ``from kit.x import name``
  is an edge to the module that defines ``name``, as at run time, not to the package.
* ``importlib.import_module("...")`` with a string is not seen: :mod:`kit._lazy` (whose targets
  are the ``TYPE_CHECKING`` imports above) and :mod:`kit.cli` (each module's ``commands``, a
  leaf nothing imports back) use it.

Each rule is tested twice: on the real ``kit/`` (it holds) and on a small tree planted in
``tmp_path`` that breaks it (the checker catches it), so no rule can pass by checking nothing.
"""

from __future__ import annotations

import ast
import fnmatch
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RULES = json.loads((Path(__file__).with_name("architecture.json")).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Import:
    """One imported name: ``target`` module (resolved), the ``names`` it was reached by."""

    importer: str
    target: str
    line: int
    type_checking: bool
    dotted: str  # the path as written, resolved to absolute: "kit.duplicates.clusters._key"


@dataclass
class Graph:
    """Modules of one source tree and what each imports."""

    modules: dict[str, Path]
    imports: list[Import] = field(default_factory=list)

    def edges(self) -> dict[str, set[str]]:
        """``{module: {kit modules it imports}}``."""
        edges: dict[str, set[str]] = {name: set() for name in self.modules}
        for item in self.imports:
            if item.target in self.modules and item.target != item.importer:
                edges[item.importer].add(item.target)
        return edges


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, type_checking: bool = False
          ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement under ``node``, with whether it sits in ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_checking
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for statement in child.body:
                yield from _walk(ast.Module(body=[statement], type_ignores=[]), True)
            for statement in child.orelse:
                yield from _walk(ast.Module(body=[statement], type_ignores=[]), type_checking)
        else:
            yield from _walk(child, type_checking)


def _lazy_exports(tree: ast.Module, package: str) -> dict[str, str]:
    """``{name: defining module}`` for a package that ends with ``lazy_exports(...)``."""
    uses_lazy = any(isinstance(node, ast.ImportFrom) and node.module == "kit._lazy"
                    for node in tree.body)
    if not uses_lazy:
        return {}
    exports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    module = _absolute(statement, package, is_package=True)
                    for alias in statement.names:
                        exports[alias.asname or alias.name] = module
    return exports


def _absolute(node: ast.ImportFrom, importer: str, *, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def build_graph(root: Path, package: str = "kit") -> Graph:
    """Parse every ``.py`` file under ``root/package`` into a :class:`Graph`."""
    files = sorted((root / package).rglob("*.py"))
    trees = {module_name(path, root): (path, ast.parse(path.read_text(encoding="utf-8"),
                                                       filename=str(path)))
             for path in files}
    graph = Graph(modules={name: path for name, (path, _) in trees.items()})
    lazy = {name: _lazy_exports(tree, name) for name, (path, tree) in trees.items()
            if path.name == "__init__.py"}
    for importer, (path, tree) in trees.items():
        is_package = path.name == "__init__.py"
        for node, type_checking in _walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    graph.imports.append(Import(importer, alias.name, node.lineno,
                                                type_checking, alias.name))
                continue
            source = _absolute(node, importer, is_package=is_package)
            for alias in node.names:
                dotted = f"{source}.{alias.name}"
                if dotted in graph.modules:
                    target = dotted
                elif alias.name in lazy.get(source, {}) and not (
                        is_package and importer == source):
                    target = lazy[source][alias.name]
                else:
                    target = source
                graph.imports.append(Import(importer, target, node.lineno, type_checking,
                                            dotted))
    return graph


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(cycles)


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def rule_violations(graph: Graph, rule: dict, rules: dict = RULES) -> list[str]:
    """``"importer:line imports target"`` for every import that breaks ``rule``."""
    exempt = rule.get("except", [])
    if isinstance(exempt, str):
        exempt = rules[exempt]
    forbidden = [*rule["import"]]
    if rule.get("except") == "ui_modules":  # a core module may not reach widgets through them
        forbidden += rules["ui_modules"]
    found = []
    for item in graph.imports:
        if not _matches(item.importer, rule["modules"]) or _matches(item.importer, exempt):
            continue
        if _matches(item.target, forbidden) or _matches(item.dotted, forbidden):
            found.append(f"{item.importer}:{item.line} imports {item.dotted}")
    return sorted(set(found))


def private_imports(graph: Graph) -> list[str]:
    """Imports that reach a name private to another module.

    ``_name`` defined in a file belongs to that file.  A private *module* (``kit/_lazy.py``,
    ``kit/course/_plain.py``) belongs to its package: code inside that package may import it
    and its names.  Dunder names (``__version__``) are public.
    """
    found = []
    for item in graph.imports:
        parts = item.dotted.split(".")
        for position, part in enumerate(parts):
            if not part.startswith("_") or (part.startswith("__") and part.endswith("__")):
                continue
            owner = ".".join(parts[:position + 1])
            if owner in graph.modules:  # a private module: private to its package
                package = ".".join(parts[:position])
                allowed = item.importer == package or item.importer.startswith(package + ".")
            else:  # a private name: private to the module that defines it
                allowed = item.importer == ".".join(parts[:position])
            if not allowed:
                found.append(f"{item.importer}:{item.line} imports {item.dotted}")
            break
    return sorted(set(found))


def pending(rules: dict = RULES) -> set[str]:
    """Known breaks being removed elsewhere, as ``"importer imports name"``."""
    return {key for key in rules["pending"] if not key.startswith("_")}


def _without_line(violation: str) -> str:
    module, _, rest = violation.partition(":")
    return f"{module} {rest.split(' ', 1)[1]}"


def known_cycles(rules: dict = RULES) -> list[list[str]]:
    return sorted(sorted(modules) for key, modules in rules["cycle_exceptions"].items()
                  if not key.startswith("_"))


# --- the real kit ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit_graph() -> Graph:
    return build_graph(REPO)


def test_graph_sees_every_module_and_function_level_imports(kit_graph: Graph) -> None:
    assert "kit.findings" in kit_graph.modules
    assert "kit.seo" in kit_graph.modules
    assert len(kit_graph.modules) == len(list((REPO / "kit").rglob("*.py")))
    # kit.hub reads the roster with an import inside a function
    assert any(item.importer == "kit.hub" and item.target == "kit.course.coursedir"
               for item in kit_graph.imports)


def test_no_import_cycles(kit_graph: Graph) -> None:
    cycles = find_cycles(kit_graph.edges())
    unexpected = [cycle for cycle in cycles if cycle not in known_cycles()]
    assert unexpected == [], f"import cycles between kit modules: {unexpected}"


def test_known_cycle_exceptions_are_still_cycles(kit_graph: Graph) -> None:
    """An exception whose cycle is gone must leave the list (the list only shrinks)."""
    cycles = find_cycles(kit_graph.edges())
    stale = [cycle for cycle in known_cycles() if cycle not in cycles]
    assert stale == [], f"remove from architecture.json's cycle_exceptions: {stale}"


@pytest.mark.parametrize("rule", RULES["never"], ids=[rule["name"] for rule in RULES["never"]])
def test_never_rule_holds(kit_graph: Graph, rule: dict) -> None:
    found = [item for item in rule_violations(kit_graph, rule)
             if _without_line(item) not in pending()]
    assert found == [], rule["why"]


def test_pending_breaks_are_still_there(kit_graph: Graph) -> None:
    """A pending break that is gone must leave the list (the list only shrinks)."""
    found = {_without_line(item) for rule in RULES["never"]
             for item in rule_violations(kit_graph, rule)}
    assert pending() - found == set(), "remove from architecture.json's pending"


def test_no_private_cross_module_imports(kit_graph: Graph) -> None:
    assert private_imports(kit_graph) == [], (
        "a name starting with _ is private to its module: make it public where it belongs, "
        "or move the code that needs it")


def test_rules_name_real_modules(kit_graph: Graph) -> None:
    """Every pattern a rule is about matches some module, so a renamed module cannot void it."""
    for rule in RULES["never"]:
        for pattern in rule["modules"]:
            assert any(fnmatch.fnmatchcase(name, pattern) for name in kit_graph.modules), pattern
    for pattern in RULES["ui_modules"]:
        assert any(fnmatch.fnmatchcase(name, pattern) for name in kit_graph.modules), pattern


# --- the checker catches each broken rule ------------------------------------------------

def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    """A small ``kit/`` tree in ``tmp_path``: ``{"kit/seo/audit.py": "import plotly"}``."""
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(tmp_path).parents:
            init = tmp_path / parent / "__init__.py"
            if parent != Path(".") and not init.exists():
                init.write_text("", encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _rule(name: str) -> dict:
    return next(rule for rule in RULES["never"] if rule["name"] == name)


PLANTED = [
    ("core modules import no widgets or charts",
     {"kit/seo/audit.py": "def chart():\n    import plotly.graph_objects as go\n"},
     "kit.seo.audit:2 imports plotly.graph_objects"),
    ("core modules import no widgets or charts",
     {"kit/seo/audit.py": "from kit.seo.widget import explorer\n",
      "kit/seo/widget.py": "import ipywidgets\nexplorer = 1\n"},
     "kit.seo.audit:1 imports kit.seo.widget.explorer"),
    ("the five modules know nothing of grading",
     {"kit/launch/readiness.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                 "    from kit.course.grade import GradeRun\n"},
     "kit.launch.readiness:3 imports kit.course.grade.GradeRun"),
    ("findings depend on no module",
     {"kit/findings.py": "from kit.redirects import audit_map\n"},
     "kit.findings:1 imports kit.redirects.audit_map"),
    ("the contract's shared parts sit below the modules",
     {"kit/sources.py": "def seo():\n    from kit.seo.audit import CHECKS\n"},
     "kit.sources:2 imports kit.seo.audit.CHECKS"),
    ("the seeded sites sit below the modules",
     {"kit/sites/tracking_site.py": "def log():\n    from kit.tracking.simulate import x\n"},
     "kit.sites.tracking_site:2 imports kit.tracking.simulate.x"),
    ("course needs no widgets outside its widget module",
     {"kit/course/report.py": "import ipywidgets as w\n"},
     "kit.course.report:1 imports ipywidgets"),
]


def test_every_never_rule_has_a_planted_break() -> None:
    assert {name for name, _, _ in PLANTED} == {rule["name"] for rule in RULES["never"]}


@pytest.mark.parametrize(("rule_name", "files", "caught"), PLANTED)
def test_checker_catches_a_broken_never_rule(tmp_path: Path, rule_name: str,
                                             files: dict[str, str], caught: str) -> None:
    graph = build_graph(plant(tmp_path, files))
    assert caught in rule_violations(graph, _rule(rule_name))


def test_widget_modules_may_import_widgets(tmp_path: Path) -> None:
    graph = build_graph(plant(tmp_path, {"kit/seo/widget.py": "import ipywidgets\n",
                                         "kit/course/widget.py": "import ipywidgets\n"}))
    for rule in RULES["never"]:
        assert rule_violations(graph, rule) == []


@pytest.mark.parametrize("files", [
    {"kit/a.py": "from kit import b\n", "kit/b.py": "from kit.a import x\nx = 1\n"},
    # the cycle duplicates/clusters ↔ duplicates/findings was hidden in a function
    {"kit/a.py": "import kit.b\n", "kit/b.py": "def f():\n    from kit import a\n"},
    # through a lazy package: `from kit.pkg import thing` runs kit.pkg.mod
    {"kit/pkg/__init__.py": "from typing import TYPE_CHECKING\nfrom kit._lazy import lazy_exports\n"
                            "if TYPE_CHECKING:\n    from kit.pkg.mod import thing\n",
     "kit/pkg/mod.py": "from kit.other import helper\nthing = 1\n",
     "kit/other.py": "from kit.pkg import thing\nhelper = 1\n"},
])
def test_checker_catches_a_cycle(tmp_path: Path, files: dict[str, str]) -> None:
    graph = build_graph(plant(tmp_path, files))
    assert find_cycles(graph.edges()) != []


def test_a_type_checking_import_back_is_a_cycle(tmp_path: Path) -> None:
    files = {"kit/a.py": "def f():\n    import kit.b\n",
             "kit/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from kit.a import A\n"}
    graph = build_graph(plant(tmp_path, files))
    assert find_cycles(graph.edges()) == [["kit.a", "kit.b"]]


@pytest.mark.parametrize(("files", "caught"), [
    ({"kit/a.py": "def f():\n    from kit.b import _helper\n", "kit/b.py": "_helper = 1\n"},
     ["kit.a:2 imports kit.b._helper"]),
    ({"kit/x/a.py": "from kit.x.b import _key\n", "kit/x/b.py": "_key = 1\n"},
     ["kit.x.a:1 imports kit.x.b._key"]),
    ({"kit/a.py": "import kit.x._hidden\n", "kit/x/_hidden.py": ""},
     ["kit.a:1 imports kit.x._hidden"]),
    # allowed: a private module from inside its package, a dunder, kit._lazy from kit.*
    ({"kit/x/a.py": "from kit.x import _hidden\nfrom kit._lazy import lazy_exports\n"
                    "from kit.x.b import __doc__\n",
      "kit/x/_hidden.py": "", "kit/x/b.py": "", "kit/_lazy.py": ""}, []),
])
def test_checker_catches_private_imports(tmp_path: Path, files: dict[str, str],
                                         caught: list[str]) -> None:
    assert private_imports(build_graph(plant(tmp_path, files))) == caught
