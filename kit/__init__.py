"""Crosstalk kit."""

# The kit's names live in its sub-packages (kit.redirects, kit.seo, ...); kit itself
# exports none (tests/unit/test_exported_members.py holds every package to its __all__).
__all__: list[str] = []
