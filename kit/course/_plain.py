"""Plain data across the sandbox wall: a small JSON format, never pickle.

The grader runs the learner's cells in a sandboxed kernel and the test cells in a separate
interpreter that never ran learner code (:mod:`kit.course._judge`).  Values cross between
the two only in this format, so what the tests see is data, never an object whose
methods the learner wrote:

* ``None``, ``bool``, ``int``, ``float`` (``nan``/``inf`` too), ``str``;
* ``list``, ``tuple``, ``set``, ``frozenset``, ``dict`` of those;
* pandas ``DataFrame`` and ``Series`` (flat index and columns, values of the above,
  timestamps), numpy scalars and 1-D arrays (as lists);
* dataclass instances of the kit's own classes (e.g. ``kit.launch.Campaign``): rebuilt on
  the other side with the genuine class from the fields; a field holding a kit class, a kit
  function or a function a kit factory made is rebuilt from the kit's own code with its
  data (a learner's function never is).

Anything else (a learner-defined class, an object whose ``__eq__`` says yes to everything,
a lambda) raises :class:`NotPlain`.  Exact types only: a ``str`` subclass is not a ``str``.

The file is standard library plus pandas, and runs as a plain script in the kernel too
(the grader sends its text), so it imports nothing from ``kit`` at module level.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import math
import sys
import types
from typing import Any

TRUSTED = ("kit.",)
"""Modules whose classes and functions may be rebuilt by name on the other side."""
MAX_ITEMS = 2_000_000
"""Most values (cells, items) one transfer may carry: a memory bomb is not plain data."""


class NotPlain(TypeError):
    """A value that cannot cross the wall: not plain data."""


def _trusted(module: str | None) -> bool:
    return bool(module) and any(str(module).startswith(prefix) for prefix in TRUSTED)


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def take(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise NotPlain(f"more than {MAX_ITEMS} values")


def _float(value: float) -> Any:
    if math.isnan(value):
        return {"~": "float", "v": "nan"}
    if math.isinf(value):
        return {"~": "float", "v": "inf" if value > 0 else "-inf"}
    return value


def dump(value: Any, where: str = "the value", _budget: _Budget | None = None) -> Any:
    """``value`` as JSON-ready data; :class:`NotPlain` names the first part that is not."""
    budget = _budget or _Budget()
    budget.take()
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return _float(value)
    if kind in (list, tuple, set, frozenset):
        items = [dump(item, f"an item of {where}", budget) for item in value]
        if kind is list:
            return items
        return {"~": kind.__name__, "v": items}
    if kind is dict:
        return {"~": "dict", "v": [[dump(k, f"a key of {where}", budget),
                                    dump(v, f"{where}[{k!r}]", budget)]
                                   for k, v in value.items()]}
    module = getattr(kind, "__module__", "") or ""
    if module.startswith("numpy"):
        import numpy as np

        if isinstance(value, np.ndarray) and value.ndim <= 1:
            return {"~": "list", "v": [dump(item.item() if hasattr(item, "item") else item,
                                            where, budget) for item in value.tolist()]}
        if isinstance(value, np.generic) and not isinstance(value, np.ndarray):
            return dump(value.item(), where, budget)
    if module.startswith("pandas"):
        return _dump_pandas(value, where, budget)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and _trusted(module):
        fields = {f.name: dump(getattr(value, f.name), f"{where}.{f.name}", budget)
                  for f in dataclasses.fields(value)}
        return {"~": "dataclass", "cls": f"{module}:{kind.__qualname__}", "v": fields}
    if isinstance(value, types.FunctionType) and _trusted(value.__module__):
        return _dump_function(value, where, budget)
    if isinstance(value, type) and _trusted(value.__module__) and "<locals>" not in (
            value.__qualname__):
        return {"~": "class", "ref": f"{value.__module__}:{value.__qualname__}"}
    raise NotPlain(f"{where} is a {_type_name(value)}, not plain data")


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "")
    name = getattr(kind, "__qualname__", "object")
    return name if module in ("builtins", "__main__", None) else f"{module}.{name}"


def _dump_function(value: types.FunctionType, where: str, budget: _Budget) -> Any:
    """A kit function: by name, or (made inside a kit factory) by its code's name + data."""
    code = value.__code__
    if value.__closure__ is None and "<locals>" not in value.__qualname__:
        return {"~": "function", "ref": f"{value.__module__}:{value.__qualname__}"}
    cells = {}
    for name, cell in zip(code.co_freevars, value.__closure__ or (), strict=True):
        try:
            cells[name] = dump(cell.cell_contents, f"{where} ({name})", budget)
        except ValueError:  # an empty cell
            raise NotPlain(f"{where} is not complete") from None
    defaults = dump(list(value.__defaults__ or ()), where, budget)
    kwdefaults = dump(dict(value.__kwdefaults__ or {}), where, budget)
    return {"~": "closure", "ref": f"{value.__module__}:{value.__qualname__}", "cells": cells,
            "defaults": defaults, "kwdefaults": kwdefaults}


def _index(index: Any, where: str, budget: _Budget) -> Any:
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        raise NotPlain(f"{where} has a multi-level index; use reset_index()")
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step],
                "name": dump(index.name, where, budget)}
    return {"values": [dump(_scalar(v), where, budget) for v in index.tolist()],
            "dtype": str(index.dtype), "name": dump(index.name, where, budget)}


def _scalar(value: Any) -> Any:
    """A cell of a table as a plain value (timestamps tagged, numpy scalars unwrapped)."""
    import pandas as pd

    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return {"~": "timestamp", "v": value.isoformat()}
    if isinstance(value, pd.Timedelta):
        return {"~": "timedelta", "v": value.value}
    if hasattr(value, "item") and type(value).__module__.startswith("numpy"):
        return value.item()
    return value


def _column(values: list[Any], where: str, budget: _Budget) -> list[Any]:
    budget.take(len(values))
    out = []
    for value in values:
        value = _scalar(value)
        if isinstance(value, dict) and value.get("~") in ("timestamp", "timedelta"):
            out.append(value)
        else:
            out.append(dump(value, where, budget))
    return out


def _dump_pandas(value: Any, where: str, budget: _Budget) -> Any:
    import pandas as pd

    if type(value) is pd.DataFrame:
        if isinstance(value.columns, pd.MultiIndex):
            raise NotPlain(f"{where} has multi-level columns")
        columns = [dump(c, f"a column name of {where}", budget) for c in value.columns]
        data = [_column(value.iloc[:, i].tolist(), f"a cell of {where}", budget)
                for i in range(value.shape[1])]
        return {"~": "frame", "columns": columns, "data": data,
                "dtypes": [str(t) for t in value.dtypes], "index": _index(value.index, where,
                                                                          budget)}
    if type(value) is pd.Series:
        return {"~": "series", "data": _column(value.tolist(), f"a value of {where}", budget),
                "dtype": str(value.dtype), "name": dump(value.name, where, budget),
                "index": _index(value.index, where, budget)}
    if type(value) is pd.Timestamp:
        return {"~": "timestamp", "v": value.isoformat()}
    raise NotPlain(f"{where} is a {_type_name(value)}, not plain data")


# --- loading ------------------------------------------------------------------------------


def _resolve(ref: str) -> Any:
    module_name, _, qualname = ref.partition(":")
    if not _trusted(module_name):
        raise NotPlain(f"{ref} is not part of the kit")
    target: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _nested_code(ref: str) -> tuple[types.CodeType, dict[str, Any]]:
    """The code object of ``module:outer.<locals>.inner`` from the kit's own source."""
    module_name, _, qualname = ref.partition(":")
    if not _trusted(module_name):
        raise NotPlain(f"{ref} is not part of the kit")
    module = importlib.import_module(module_name)
    parts = qualname.split(".<locals>.")
    target: Any = module
    for part in parts[0].split("."):
        target = getattr(target, part)
    code = target.__code__
    for inner in parts[1:]:
        found = [c for c in code.co_consts if isinstance(c, types.CodeType)
                 and c.co_name == inner.split(".")[0]]
        if len(found) != 1:
            raise NotPlain(f"{ref} is not a function of the kit")
        code = found[0]
    return code, module.__dict__


def load(data: Any) -> Any:
    """The value :func:`dump` wrote."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [load(item) for item in data]
    if type(data) is not dict:
        raise NotPlain(f"unexpected {type(data).__name__} in plain data")
    tag = data.get("~")
    if tag == "float":
        return float(data["v"])
    if tag in ("tuple", "set", "frozenset", "list"):
        items = [load(item) for item in data["v"]]
        return {"tuple": tuple, "set": set, "frozenset": frozenset, "list": list}[tag](items)
    if tag == "dict":
        return {load(k): load(v) for k, v in data["v"]}
    if tag in ("frame", "series", "timestamp", "timedelta"):
        return _load_pandas(data)
    if tag == "dataclass":
        cls = _resolve(data["cls"])
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
            raise NotPlain(f"{data['cls']} is not a dataclass of the kit")
        values = {name: load(value) for name, value in data["v"].items()}
        init = {f.name: values[f.name] for f in dataclasses.fields(cls)
                if f.init and f.name in values}
        made = cls(**init)
        for f in dataclasses.fields(cls):
            if not f.init and f.name in values:
                object.__setattr__(made, f.name, values[f.name])
        return made
    if tag == "class":
        found = _resolve(data["ref"])
        if not isinstance(found, type):
            raise NotPlain(f"{data['ref']} is not a class of the kit")
        return found
    if tag == "function":
        found = _resolve(data["ref"])
        if not callable(found):
            raise NotPlain(f"{data['ref']} is not a function")
        return found
    if tag == "closure":
        code, namespace = _nested_code(data["ref"])
        cells = tuple(types.CellType(load(data["cells"][name])) for name in code.co_freevars)
        function = types.FunctionType(code, namespace, code.co_name,
                                      tuple(load(data["defaults"])), cells)
        function.__kwdefaults__ = load(data["kwdefaults"]) or None
        function.__qualname__ = data["ref"].partition(":")[2]
        return function
    raise NotPlain(f"unknown plain-data tag {tag!r}")


def _load_index(data: dict[str, Any]) -> Any:
    import pandas as pd

    name = load(data.get("name"))
    if "range" in data:
        return pd.RangeIndex(*data["range"], name=name)
    values = [load(v) for v in data["values"]]
    try:
        return pd.Index(values, dtype=data["dtype"], name=name)
    except (TypeError, ValueError):
        return pd.Index(values, name=name)


def _load_cell(value: Any) -> Any:
    import pandas as pd

    if isinstance(value, dict) and value.get("~") == "timestamp":
        return pd.Timestamp(value["v"])
    if isinstance(value, dict) and value.get("~") == "timedelta":
        return pd.Timedelta(value["v"])
    return load(value)


def _typed(values: list[Any], dtype: str) -> Any:
    import pandas as pd

    try:
        return pd.Series(values, dtype=dtype) if dtype != "object" else pd.Series(
            values, dtype=object)
    except (TypeError, ValueError):
        return pd.Series(values)


def _load_pandas(data: dict[str, Any]) -> Any:
    import pandas as pd

    tag = data["~"]
    if tag == "timestamp":
        return pd.Timestamp(data["v"])
    if tag == "timedelta":
        return pd.Timedelta(data["v"])
    index = _load_index(data["index"])
    if tag == "series":
        series = _typed([_load_cell(v) for v in data["data"]], data["dtype"])
        series.index = index
        series.name = load(data["name"])
        return series
    columns = [load(c) for c in data["columns"]]
    parts = [_typed([_load_cell(v) for v in values], dtype)
             for values, dtype in zip(data["data"], data["dtypes"], strict=True)]
    frame = pd.concat(parts, axis=1, ignore_index=True) if parts else pd.DataFrame(
        index=range(len(index)))
    frame.columns = pd.Index(columns) if columns else frame.columns
    frame.index = index
    return frame


def dumps(value: Any, where: str = "the value") -> str:
    return json.dumps(dump(value, where), allow_nan=False, separators=(",", ":"))


def loads(text: str) -> Any:
    return load(json.loads(text))


# --- the kernel's side ----------------------------------------------------------------------


def _describe(namespace: dict[str, Any], name: str) -> dict[str, Any]:
    if name not in namespace:
        return {"missing": True}
    value = namespace[name]
    if isinstance(value, types.ModuleType):
        return {"module": value.__name__}
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type)) or (
            callable(value) and not dataclasses.is_dataclass(value)
            and not type(value).__module__.startswith(("pandas", "numpy"))):
        if isinstance(value, types.FunctionType) and _trusted(value.__module__):
            try:
                return {"value": _dump_function(value, name, _Budget())}
            except NotPlain:
                pass
        return {"function": True}
    try:
        return {"value": dump(value, f"`{name}`")}
    except NotPlain as error:
        return {"bad": str(error)}
    except RecursionError:
        return {"bad": f"`{name}` is nested too deeply to be plain data"}


def fetch(namespace: dict[str, Any], names: list[str]) -> str:
    """``{name: description}`` for the grader: a plain value, a function, a module, or why not."""
    return json.dumps({name: _describe(namespace, name) for name in names}, allow_nan=False)


def call(namespace: dict[str, Any], name: str, payload: str) -> str:
    """Call the learner's function ``name`` with plain arguments; a plain result, or why not."""
    try:
        args, kwargs = loads(payload)
    except Exception as error:  # the arguments did not arrive: not the learner's fault
        return json.dumps({"error": "grader", "detail": str(error)[:200]})
    function = namespace.get(name)
    if function is None or not callable(function):
        return json.dumps({"error": "missing"})
    try:
        result = function(*args, **kwargs)
    except BaseException as error:  # the learner's code failed: the check fails
        builtin = type(error).__module__ == "builtins"
        return json.dumps({"error": "raised", "ename": type(error).__name__ if builtin
                           else "Exception"})
    try:
        return json.dumps({"value": dump(result, f"what {name}() returned")}, allow_nan=False)
    except (NotPlain, RecursionError) as error:
        return json.dumps({"error": "bad", "detail": str(error)[:300]})


if __name__ == "__main__":  # pragma: no cover - a round trip from the command line
    print(loads(dumps(json.loads(sys.argv[1]))))
