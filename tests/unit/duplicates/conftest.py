"""Shared helpers for module 03's tests: the reference shingling in plain Python."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest


def python_shingles(text: str) -> set[tuple[str, ...]]:
    """The kit's tokenisation of simple ASCII text, in plain Python: word 3-shingles."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def python_jaccard(a: str, b: str) -> float:
    """Jaccard resemblance of two texts' word 3-shingle sets."""
    x, y = python_shingles(a), python_shingles(b)
    return len(x & y) / len(x | y) if x | y else 0.0


@pytest.fixture(scope="session")
def reference_jaccard() -> Callable[[str, str], float]:
    return python_jaccard
