"""Shared helpers for the unit tests: tiny CSV files written on demand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

WriteCsv = Callable[..., Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """``write_csv("source,target\\n/a,/b\\n", name="map.csv")`` → the file's path."""

    def write(text: str, name: str = "map.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return path

    return write
