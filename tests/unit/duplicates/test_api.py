"""The public surface of kit.duplicates is what __all__ says."""

from __future__ import annotations

import kit.duplicates as duplicates


def test_all_names_exist_and_are_documented() -> None:
    for name in duplicates.__all__:
        value = getattr(duplicates, name)
        if callable(value):
            assert value.__doc__, f"{name} has no docstring"
    assert sorted(duplicates.__all__) == sorted(set(duplicates.__all__))


def test_core_does_not_import_widgets() -> None:
    import subprocess
    import sys

    code = ("import sys, kit.duplicates, kit.duplicates.simulate, kit.duplicates.commands; "
            "print('ipywidgets' in sys.modules or 'plotly' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
