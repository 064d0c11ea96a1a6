"""Crosstalk kit.

Every module (``kit.redirects``, ``kit.seo``, ``kit.duplicates``, ``kit.tracking``,
``kit.launch``) is written to one contract: the verbs (``load_*``, ``audit``/``find_*``,
``simulate_*``, ``*_explorer``), results on :class:`kit.results.Result` (``summary`` a
dict), explorers driven by ``set(**controls)``, findings in the shape of
:mod:`kit.findings` built from a table of rules, and sources cited from
:mod:`kit.sources`.  The contract is written out in ``docs/architecture.md`` and held by
``tests/unit/test_module_contract.py``.
"""

# The kit's names live in its sub-packages (kit.redirects, kit.seo, ...); kit itself
# exports none (tests/unit/test_exported_members.py holds every package to its __all__).
__all__: list[str] = []
