"""Lazy re-exports for the kit's sub-packages, so ``crosstalk --help`` starts at once.

A sub-package's ``__init__`` keeps its public names as ordinary imports, but inside an
``if TYPE_CHECKING:`` block (type checkers and readers see them as usual), and ends with::

    __getattr__, __dir__ = lazy_exports(__name__, __file__, __all__)

The first time ``kit.redirects.suggest_map`` (or ``from kit.redirects import suggest_map``)
is used, the sub-module that defines it is imported; ``import kit.redirects.commands`` no
longer pulls in pandas, scikit-learn or nbformat through the package.  The import block is
the one source of truth: :func:`lazy_exports` reads it from the file with :mod:`ast`.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, cast

__all__ = ["lazy_exports"]


class _Package(ModuleType):
    """A package whose sub-module import never hides a public name of the same name.

    ``kit.course`` exports the function ``collect`` from its sub-module ``collect``; eager
    imports used to leave the function there, and so does this class: the import system's
    ``setattr(package, "collect", <module>)`` is dropped, and ``__getattr__`` then gives the
    function.
    """

    _shadowed: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._shadowed and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


def _type_checking_imports(file: str, package: str) -> dict[str, tuple[str, str]]:
    """``{public name: (module, attribute)}`` from the ``if TYPE_CHECKING:`` block of ``file``."""
    loader = getattr(sys.modules.get(package), "__loader__", None)
    get_source = getattr(loader, "get_source", None)
    source = get_source(package) if get_source is not None else None
    if source is None:  # the loader's source covers zip imports (a wheel on sys.path) too
        source = Path(file).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=file)
    exports: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
                and node.test.id == "TYPE_CHECKING"):
            continue
        for statement in node.body:
            if isinstance(statement, ast.ImportFrom) and statement.module:
                module = ("." * statement.level + statement.module) if statement.level \
                    else statement.module
                if statement.level:
                    module = importlib.util.resolve_name(module, package)
                for alias in statement.names:
                    exports[alias.asname or alias.name] = (module, alias.name)
    return exports


def lazy_exports(package: str, file: str, public: Sequence[str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Module ``__getattr__`` and ``__dir__`` that import each public name on first use.

    Raises :class:`ImportError` at import time when ``public`` (the package's ``__all__``)
    names something the ``TYPE_CHECKING`` block does not import, so a typo fails at once.
    """
    exports = _type_checking_imports(file, package)
    missing = sorted(set(public) - set(exports))
    if missing:
        raise ImportError(f"{package}.__all__ names {missing}, which its TYPE_CHECKING "
                          "block does not import")

    module_object = sys.modules[package]
    module_object.__class__ = _Package
    cast(_Package, module_object)._shadowed = frozenset(
        name for name, (module, _) in exports.items() if module == f"{package}.{name}")

    def __getattr__(name: str) -> Any:
        try:
            module, attribute = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute)
        setattr(module_object, name, value)  # later look-ups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted(set(public) | set(exports))

    return __getattr__, __dir__
