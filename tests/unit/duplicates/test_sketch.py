"""The vectorised sketch: tokens, exact groups, candidates, and exact Jaccard."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.duplicates.sketch import (
    MAX_TOKEN_BYTES,
    band_layout,
    candidate_pairs,
    exact_groups,
    jaccard,
    similar_pairs,
    sketch_texts,
)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Hello, World!", "hello world", True),
    ("one  two\tthree\nfour", "one two three four", True),
    ("don’t stop — now", "don t stop now", True),  # Unicode punctuation separates words
    ("caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", "CAF\u00c9 CR\u00c8ME BR\u00dbL\u00c9E", True),
    ("caf\u00e9", "cafe", False),
    ("a\u00a0b\u00a0c", "a b c", True),  # no-break spaces
    ("alpha beta gamma", "alpha gamma beta", False),
    ("x", "x", True),
    ("x" * (MAX_TOKEN_BYTES * 2), ("x" * MAX_TOKEN_BYTES + " ") * 2, True),
])
def test_tokenisation(a: str, b: str, same: bool) -> None:
    sketch = sketch_texts([a, b])
    assert bool(sketch.fingerprint[0] == sketch.fingerprint[1]) is same
    if same:
        assert jaccard(sketch, [0], [1])[0] == 1.0


def test_exact_groups_and_empty_texts() -> None:
    texts = ["a b c d", "", "A B, C D!", None, 3.5, "a b c e", "   "]
    sketch = sketch_texts(texts)
    assert sketch.tokens.tolist() == [4, 0, 4, 0, 0, 4, 0]
    assert exact_groups(sketch).tolist() == [0, -1, 0, -1, -1, 5, -1]
    assert jaccard(sketch, [1], [3])[0] == 0.0  # two empty pages are nobody's copies
    assert "empty=4" in repr(sketch)


def test_short_texts_have_one_shingle() -> None:
    sketch = sketch_texts(["one", "one two", "one two", "two one"])
    assert sketch.sizes.tolist() == [1, 1, 1, 1]
    assert jaccard(sketch, [1, 1, 0], [2, 3, 1]).tolist() == [1.0, 0.0, 0.0]


def test_nul_and_odd_characters_do_not_break_documents_apart() -> None:
    sketch = sketch_texts(["a\x00b c", "\ud800 lone surrogate", "\U0001f600 emoji only"])
    assert len(sketch) == 3
    assert sketch.tokens.tolist()[0] == 3


def test_batches_give_the_same_result_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(50)]
    texts = [" ".join(rng.choice(words, size=int(rng.integers(0, 40)))) for _ in range(60)]
    whole = sketch_texts(texts)
    monkeypatch.setattr("kit.duplicates.sketch._CHUNK_TEXTS", 7)
    pieces = sketch_texts(texts)
    for field in ("tokens", "fingerprint", "offsets", "shingles", "signature"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(pieces, field))


texts_strategy = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e", "the", "of", "and"]), max_size=25)
    .map(" ".join),
    min_size=2, max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(texts=texts_strategy)
def test_jaccard_is_exact(texts: list[str], reference_jaccard) -> None:
    sketch = sketch_texts(texts)
    n = len(texts)
    a, b = np.triu_indices(n, 1)
    got = jaccard(sketch, a, b)
    want = [reference_jaccard(texts[i], texts[j]) for i, j in zip(a, b, strict=True)]
    np.testing.assert_allclose(got, want)


@settings(max_examples=100, deadline=None)
@given(texts=texts_strategy, threshold=st.sampled_from([0.5, 0.8, 1.0]))
def test_similar_pairs_are_verified(texts: list[str], threshold: float, reference_jaccard
                                    ) -> None:
    a, b, sim = similar_pairs(texts, threshold=threshold)
    for i, j, s in zip(a, b, sim, strict=True):
        assert i < j
        assert s >= threshold
        assert s == pytest.approx(reference_jaccard(texts[i], texts[j]))


def test_planted_near_duplicates_are_found(reference_jaccard) -> None:
    rng = np.random.default_rng(7)
    vocabulary = [f"word{i}" for i in range(3000)]
    texts = [" ".join(rng.choice(vocabulary, size=300)) for _ in range(400)]
    planted = []
    for source in range(0, 100, 2):
        words = texts[source].split()
        for position in rng.choice(300, size=6, replace=False):
            words[position] = "changed"
        texts[source + 200] = " ".join(words)
        planted.append((source, source + 200))
    texts[399] = texts[5]  # an exact copy
    a, b, _sim = similar_pairs(texts, threshold=0.8)
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    assert set(planted) <= found
    assert (5, 399) in found
    assert all(reference_jaccard(texts[i], texts[j]) >= 0.8 for i, j in found)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8, 0.9, 1.0])
def test_band_layout_keeps_recall_at_the_threshold(threshold: float) -> None:
    bands, rows = band_layout(threshold)
    assert bands * rows <= 128
    assert 1 - (1 - threshold**rows) ** bands >= 0.995


def test_huge_buckets_stay_linear() -> None:
    template = " ".join(f"w{i}" for i in range(200))
    texts = [template + f" tail{i}" for i in range(600)]
    a, b = candidate_pairs(sketch_texts(texts), 0.8)
    assert 0 < len(a) < 600 * 599 // 2
    assert len(set(a.tolist()) | set(b.tolist())) == 600


def test_empty_input() -> None:
    sketch = sketch_texts([])
    assert len(sketch) == 0
    a, b, sim = similar_pairs(sketch)
    assert len(a) == len(b) == len(sim) == 0


# --- the second, looser stage: edited copies ------------------------------------------------


def _page(rng: np.random.Generator, words: int = 300, vocabulary: int = 5000) -> list[str]:
    weights = 1.0 / np.arange(1, vocabulary + 1)
    ids = rng.choice(vocabulary, size=words, p=weights / weights.sum())
    return [f"w{i}" for i in ids]


def _edited(words: list[str], share: float, rng: np.random.Generator) -> list[str]:
    out = list(words)
    for at in rng.choice(len(out), size=round(share * len(out)), replace=False):
        out[at] = f"new{int(at)}"
    return out


@pytest.mark.parametrize(
    ("share", "found"),
    [(0.0, False), (0.05, True), (0.10, True), (0.15, True), (0.40, False)],
    ids=["exact-is-not-edited", "5%", "10%", "15%", "40%-is-another-page"],
)
def test_edited_pairs_find_copies_with_some_words_changed(share: float, found: bool) -> None:
    from kit.duplicates.sketch import edited_pairs

    rng = np.random.default_rng(int(share * 100))
    source = _page(rng)
    texts = [" ".join(source), " ".join(_edited(source, share, rng))]
    texts += [" ".join(_page(rng)) for _ in range(30)]  # unrelated pages, same vocabulary
    a, b, sim = edited_pairs(sketch_texts(texts), low=0.35, high=0.8)
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    assert ((0, 1) in pairs) is found
    assert pairs <= {(0, 1)}  # nothing unrelated: precision
    assert ((sim >= 0.35) & (sim < 0.8)).all()


@pytest.mark.parametrize("share", [0.0, 0.05, 0.1, 0.15, 0.2])
def test_edit_share_inverts_the_resemblance_of_random_edits(share: float) -> None:
    from kit.duplicates.sketch import edit_share

    kept = (1 - share) ** 3
    assert edit_share(kept / (2 - kept)) == pytest.approx(share, abs=1e-9)


@pytest.mark.parametrize(("low", "high"), [(0.0, 0.8), (0.9, 0.8), (0.5, 1.2)])
def test_edited_pairs_bad_bounds(low: float, high: float) -> None:
    from kit.duplicates.sketch import edited_pairs
    from kit.errors import InputError

    with pytest.raises(InputError, match="edited copies"):
        edited_pairs(sketch_texts(["a b c", "a b d"]), low=low, high=high)
