"""Fast near-duplicate detection over many texts: shingles, MinHash, LSH, exact Jaccard.

Everything runs as vectorised numpy over whole batches of texts; no Python loop
touches a single word.  The steps (Broder 1997, "On the resemblance and containment
of documents"; Shrivastava and Li 2014, one-permutation hashing):

1. **Tokens.**  Each text is lowercased; a token is a run of ASCII letters and
   digits or of other (non-ASCII) letters, cut every :data:`MAX_TOKEN_BYTES`
   bytes.  Punctuation, spaces, and Unicode punctuation (curly quotes, dashes, the
   no-break space) separate tokens.  Each token gets a 64-bit hash computed from its
   UTF-8 bytes read eight at a time.
2. **Shingles.**  Every run of :data:`SHINGLE_WORDS` consecutive tokens (a word
   3-shingle) is hashed to 64 bits; a text of one or two tokens has one shingle.
   A page's shingle *set* is what Jaccard resemblance compares.
3. **Exact duplicates** first: texts with the same token sequence (same words, same
   order, whatever the spacing, case or punctuation) share a fingerprint and are
   grouped without further work.
4. **MinHash sketch** by one-permutation hashing: each shingle hash falls into one of
   :data:`SKETCH_BINS` bins by its top bits, the minimum per bin is kept, and empty
   bins borrow from the next filled bin (densification).  One hash per shingle
   instead of one per shingle *and* permutation is what makes it fast.
5. **LSH banding**: the sketch is cut into ``bands`` of ``rows`` bins; texts whose
   bins agree on a whole band become candidate pairs.  ``rows`` and ``bands`` follow
   from the threshold so that a pair at the threshold is a candidate with
   probability >= 0.995.
6. **Exact verification**: every candidate pair's Jaccard resemblance is computed
   on the two shingle sets (40-bit shingle hashes, sorted per text), and only pairs
   at or above the threshold are kept.  So precision does not depend on the sketch;
   recall does, through step 5.
7. **Edited copies** (a second, looser stage on the same sketch): a copy with 5-15 %
   of its words changed keeps only about 60-85 % of its word 3-shingles, a resemblance
   of 0.44-0.75, below a near-duplicate threshold of 0.8.  :func:`edited_pairs` bands
   the same signature for :data:`EDITED_THRESHOLD` and verifies exactly, so no extra
   hashing is needed.  Unrelated texts share almost no 3-shingles (a resemblance near
   0), so the looser threshold stays precise; :func:`edit_share` turns a resemblance
   into the share of words changed it corresponds to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kit.errors import InputError
from kit.progress import progress

__all__ = [
    "EDITED_THRESHOLD",
    "MAX_TEXTS",
    "MAX_TOKEN_BYTES",
    "SHINGLE_WORDS",
    "SKETCH_BINS",
    "TextSketch",
    "band_layout",
    "candidate_pairs",
    "edit_share",
    "edited_pairs",
    "exact_groups",
    "jaccard",
    "similar_pairs",
    "sketch_texts",
]

SHINGLE_WORDS = 3
EDITED_THRESHOLD = 0.35
"""Lowest 3-shingle resemblance of an edited copy: what about 20 % of words changed
at random leaves (see :func:`edit_share`)."""
SKETCH_BINS = 128
MAX_TOKEN_BYTES = 64
DOC_BITS = 24
MAX_TEXTS = (1 << DOC_BITS) - 1
"""At most this many texts in one sketch (16.7 million): texts share 64-bit keys with
their shingle hashes (24 bits of text number, 40 bits of shingle hash)."""

_HASH_BITS = 64 - DOC_BITS
_BIN_BITS = 7  # log2(SKETCH_BINS)
_HASH_MASK = np.uint64((1 << _HASH_BITS) - 1)
_CHUNK_TEXTS = 8192
_CHUNK_CHARS = 24_000_000
_QUERY_BATCH = 4_000_000
_MAX_BUCKET = 200
_PIVOTS = 8
_ESTIMATE_SLACK = 0.15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xC2B2AE3D27D4EB4F)
_C3 = np.uint64(0x165667B19E3779F9)
_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)
_BYTE_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(8)] + [(1 << 64) - 1],
                       dtype=np.uint64)
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True
_WORD_BYTE[0x80:] = True  # bytes of non-ASCII characters; punctuation is cut out below


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser on a uint64 array (in place; also returned)."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


@dataclass(frozen=True)
class TextSketch:
    """What :func:`sketch_texts` learns about each text, ready for pair finding.

    ``tokens``: number of tokens per text; ``fingerprint``: 64-bit hash of the token
    sequence (equal for exact duplicates; 0 for texts without tokens); ``offsets``
    and ``shingles``: each text's sorted, distinct shingle keys
    (``shingles[offsets[i]:offsets[i + 1]]``, text number in the top 24 bits);
    ``signature``: the MinHash sketch, one row of :data:`SKETCH_BINS` uint32 per text.
    """

    tokens: np.ndarray
    fingerprint: np.ndarray
    offsets: np.ndarray
    shingles: np.ndarray
    signature: np.ndarray

    def __len__(self) -> int:
        return len(self.tokens)

    @property
    def sizes(self) -> np.ndarray:
        """Number of distinct shingles per text."""
        return np.diff(self.offsets)

    def __repr__(self) -> str:
        return (f"TextSketch(texts={len(self)}, shingles={len(self.shingles)}, "
                f"empty={int((self.tokens == 0).sum())})")


# --- step 1-4: one batch of texts ---------------------------------------------------------


def _token_bounds(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end byte of every token in ``data`` (NUL-separated, NUL at both ends)."""
    word = _WORD_BYTE[data]
    if data.max(initial=0) >= 0x80:
        _cut_unicode_punctuation(data, word)
    starts = np.flatnonzero(~word[:-1] & word[1:]) + 1
    ends = np.flatnonzero(word[:-1] & ~word[1:]) + 1
    lengths = ends - starts
    if lengths.size and lengths.max() > MAX_TOKEN_BYTES:
        pieces = (lengths + MAX_TOKEN_BYTES - 1) // MAX_TOKEN_BYTES
        first = np.repeat(np.cumsum(pieces) - pieces, pieces)
        within = np.arange(int(pieces.sum())) - first
        new_starts = np.repeat(starts, pieces) + within * MAX_TOKEN_BYTES
        ends = np.minimum(new_starts + MAX_TOKEN_BYTES, np.repeat(ends, pieces))
        starts = new_starts
    return starts, ends


def _cut_unicode_punctuation(data: np.ndarray, word: np.ndarray) -> None:
    """Mark the bytes of Unicode spaces and punctuation as separators."""
    # Unicode punctuation separates words: U+2000-U+206F (E2 80 xx, E2 81 xx),
    # U+00A0-U+00BF (C2 A0-BF: no-break space, guillemets, inverted marks ...),
    # U+3000-U+303F (E3 80 xx: ideographic space and CJK punctuation).
    lead = np.flatnonzero(((data[:-2] == 0xE2) & ((data[1:-1] == 0x80) | (data[1:-1] == 0x81)))
                          | ((data[:-2] == 0xE3) & (data[1:-1] == 0x80)))
    for step in range(3):
        word[lead + step] = False
    latin = np.flatnonzero((data[:-1] == 0xC2) & (data[1:] >= 0xA0) & (data[1:] <= 0xBF))
    word[latin] = False
    word[latin + 1] = False


def _token_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """64-bit hash of each token's bytes, read as little-endian 8-byte blocks."""
    padded = np.concatenate([data, np.zeros(8, dtype=np.uint8)])
    blocks = np.ndarray(shape=(data.size,), dtype=np.uint64, buffer=padded, strides=(1,))
    lengths = ends - starts
    hashes: np.ndarray = blocks[starts] & _BYTE_MASKS[np.minimum(lengths, 8)]
    hashes ^= lengths.astype(np.uint64) * _C3
    _mix(hashes)
    longer = np.flatnonzero(lengths > 8)
    offset = 8
    while longer.size:
        left = lengths[longer] - offset
        block = blocks[starts[longer] + offset] & _BYTE_MASKS[np.minimum(left, 8)]
        hashes[longer] = _mix((hashes[longer] * _C1) ^ block)
        offset += 8
        longer = longer[lengths[longer] > offset]
    return hashes


def _batch(texts: Sequence[object], first: int) -> tuple[np.ndarray, ...]:
    """Tokens, fingerprints, shingle offsets and keys, and sketch rows of one batch."""
    n = len(texts)
    parts = [t if isinstance(t, str) else "" for t in texts]
    parts = [t.replace("\x00", " ") if "\x00" in t else t for t in parts]
    joined = ("\x00" + "\x00".join(parts) + "\x00").lower()
    data = np.frombuffer(joined.encode("utf-8", "replace"), dtype=np.uint8)
    separators = np.flatnonzero(data == 0)
    starts, ends = _token_bounds(data)
    hashes = _token_hashes(data, starts, ends)
    token_start = np.searchsorted(starts, separators[:-1])
    tokens = np.diff(np.append(token_start, starts.size))
    doc = np.repeat(np.arange(n), tokens)

    # Word 3-shingles; texts of one or two tokens get one shingle of what they have.
    shingle: np.ndarray
    if hashes.size >= SHINGLE_WORDS:
        shingle = hashes[:-2] + hashes[1:-1] * _C1 + hashes[2:] * _C2
        same = doc[:-2] == doc[2:]
        shingle, shingle_doc = _mix(shingle[same]), doc[:-2][same]
    else:
        shingle, shingle_doc = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    short = np.flatnonzero((tokens > 0) & (tokens < SHINGLE_WORDS))
    if short.size:
        head = token_start[short]
        second = np.where(tokens[short] > 1, hashes[np.minimum(head + 1, hashes.size - 1)], 0)
        extra = _mix(hashes[head] + second.astype(np.uint64) * _C1 + _C3)
        order = np.argsort(np.concatenate([shingle_doc, short]), kind="stable")
        shingle = np.concatenate([shingle, extra])[order]
        shingle_doc = np.concatenate([shingle_doc, short])[order]

    # Fingerprint of the token sequence: its shingles (in order), first token and length.
    fingerprint = np.zeros(n, dtype=np.uint64)
    has = np.flatnonzero(tokens)
    if has.size:
        shingle_start = np.searchsorted(shingle_doc, has)
        fingerprint[has] = np.add.reduceat(_mix(shingle * _C3), shingle_start)
        fingerprint[has] = _mix(fingerprint[has] ^ hashes[token_start[has]]
                                ^ (tokens[has].view(np.uint64) * _C1)) | np.uint64(1)

    keys = ((shingle_doc + first).view(np.uint64) << np.uint64(_HASH_BITS)) | (
        shingle >> np.uint64(DOC_BITS))
    keys.sort()
    if keys.size:
        keep = np.empty(keys.size, dtype=bool)
        keep[0] = True
        np.not_equal(keys[1:], keys[:-1], out=keep[1:])
        keys = keys[keep]
    bounds = (np.arange(n + 1, dtype=np.uint64) + np.uint64(first)) << np.uint64(_HASH_BITS)
    offsets = np.searchsorted(keys, bounds)

    # One-permutation MinHash: the first key of each (text, bin) run is its minimum.
    signature = np.zeros((n, SKETCH_BINS), dtype=np.uint32)
    if keys.size:
        cell = keys >> np.uint64(_HASH_BITS - _BIN_BITS)
        head = np.empty(keys.size, dtype=bool)
        head[0] = True
        np.not_equal(cell[1:], cell[:-1], out=head[1:])
        firsts = keys[head]
        flat = (cell[head] - np.uint64(first * SKETCH_BINS)).view(np.int64)
        values = (firsts >> np.uint64(_HASH_BITS - _BIN_BITS - 32)).astype(np.uint32)
        signature.ravel()[flat] = values
        filled = np.zeros(n * SKETCH_BINS, dtype=bool)
        filled[flat] = True
        _densify(signature, filled.reshape(n, SKETCH_BINS))
    return tokens, fingerprint, offsets, keys, signature


def _densify(signature: np.ndarray, filled: np.ndarray) -> None:
    """Empty bins take the value of the next filled bin to the right (circularly),
    shifted by the distance, so two texts still agree on a bin only by agreeing on
    the donor (Shrivastava and Li 2014, densified one-permutation hashing).

    Rows without any filled bin (texts without shingles) stay as they are.
    """
    k = signature.shape[1]
    flat_filled = filled.ravel()
    full = np.flatnonzero(flat_filled)
    if full.size == flat_filled.size or not full.size:
        return
    empty = np.flatnonzero(~flat_filled)
    row = empty // k
    row_first = np.searchsorted(full, row * k)  # first filled bin at or after the row start
    has_any = (row_first < full.size) & (full[np.minimum(row_first, full.size - 1)] // k == row)
    empty, row, row_first = empty[has_any], row[has_any], row_first[has_any]
    after = np.searchsorted(full, empty)
    same_row = (after < full.size) & (full[np.minimum(after, full.size - 1)] // k == row)
    donor = np.where(same_row, full[np.minimum(after, full.size - 1)], full[row_first])
    distance = ((donor - empty) % k).astype(np.uint32)
    values = signature.ravel()
    values[empty] = values[donor] + distance * np.uint32(0x9E3779B1)


def _chunks(texts: Sequence[object]) -> list[tuple[int, int]]:
    """Batches of at most _CHUNK_TEXTS texts and about _CHUNK_CHARS characters."""
    bounds: list[tuple[int, int]] = []
    start, chars = 0, 0
    for index, text in enumerate(texts):
        size = len(text) if isinstance(text, str) else 0
        if index > start and (index - start >= _CHUNK_TEXTS or chars + size > _CHUNK_CHARS):
            bounds.append((start, index))
            start, chars = index, 0
        chars += size
    if start < len(texts):
        bounds.append((start, len(texts)))
    return bounds


def sketch_texts(texts: Sequence[object]) -> TextSketch:
    """Tokenise, shingle and sketch ``texts`` (non-strings count as empty texts)."""
    texts = list(texts)
    if len(texts) > MAX_TEXTS:
        raise InputError(f"at most {MAX_TEXTS:,} pages per call; got {len(texts):,}.",
                         hint="Split the pages by site section and check each part.")
    tokens, prints, offsets, keys, sigs = [], [], [np.zeros(1, dtype=np.int64)], [], []
    done = 0
    with np.errstate(over="ignore"), progress(desc="sketching pages", total=len(texts),
                                              unit="page") as bar:
        for start, stop in _chunks(texts):
            t, f, o, k, s = _batch(texts[start:stop], start)
            tokens.append(t)
            prints.append(f)
            offsets.append(o[1:] + done)
            done += len(k)
            keys.append(k)
            sigs.append(s)
            bar.update(stop - start)
    return TextSketch(
        tokens=np.concatenate(tokens) if tokens else np.zeros(0, dtype=np.int64),
        fingerprint=np.concatenate(prints) if prints else np.zeros(0, dtype=np.uint64),
        offsets=np.concatenate(offsets).astype(np.int64),
        shingles=np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64),
        signature=np.concatenate(sigs) if sigs else np.zeros((0, SKETCH_BINS), np.uint32),
    )


# --- step 3: exact duplicates ------------------------------------------------------------------


def exact_groups(sketch: TextSketch) -> np.ndarray:
    """For each text, the index of the first text with the same token sequence.

    A text is its own representative when it has no earlier exact duplicate; texts
    without tokens get ``-1`` (empty pages are not duplicates of each other).
    """
    n = len(sketch)
    rep = np.full(n, -1, dtype=np.int64)
    has = np.flatnonzero(sketch.tokens > 0)
    if not has.size:
        return rep
    prints = sketch.fingerprint[has]
    order = np.argsort(prints, kind="stable")
    sorted_prints = prints[order]
    head = np.empty(len(order), dtype=bool)
    head[0] = True
    np.not_equal(sorted_prints[1:], sorted_prints[:-1], out=head[1:])
    group_first = has[order][head]
    group_of = np.cumsum(head) - 1
    rep[has[order]] = group_first[group_of]
    return rep


# --- step 5: LSH candidates ----------------------------------------------------------------------


def band_layout(threshold: float, *, bins: int = SKETCH_BINS, recall: float = 0.995
                ) -> tuple[int, int]:
    """``(bands, rows)``: the most selective banding that still makes a pair whose
    resemblance equals ``threshold`` a candidate with probability >= ``recall``."""
    best = (bins, 1)
    for rows in range(1, bins + 1):
        bands = bins // rows
        if 1 - (1 - threshold**rows) ** bands >= recall:
            best = (bands, rows)
    return best


def _pairs_in_runs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """All pairs inside each run of ``order`` (runs given by start and size).

    A run longer than _MAX_BUCKET (texts that agree on a whole band are nearly always
    near-duplicates; a huge run is a template) pairs each member with its first
    _PIVOTS members only, which keeps the work linear and the cluster connected.
    """
    lefts, rights = [], []
    small = sizes <= _MAX_BUCKET
    if small.any():
        left, right = _all_pairs(order, starts[small], sizes[small])
        lefts.append(left)
        rights.append(right)
    for start, size in zip(starts[~small], sizes[~small], strict=True):
        members = order[start:start + size]
        for pivot in members[:_PIVOTS]:
            others = members[members != pivot]
            lefts.append(np.full(len(others), pivot))
            rights.append(others)
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(lefts).astype(np.int64), np.concatenate(rights).astype(np.int64)


def candidate_pairs(sketch: TextSketch, threshold: float, *, among: np.ndarray | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(a, b)`` with ``a < b`` from LSH banding of the sketch.

    ``among`` restricts the search to these text indices (by default every text
    with at least one token).
    """
    if among is None:
        among = np.flatnonzero(sketch.tokens > 0)
    among = np.asarray(among, dtype=np.int64)
    if among.size < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bands, rows = band_layout(threshold)
    signature = sketch.signature[among].astype(np.uint64)
    found = []
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.full(among.size, np.uint64(band + 1) * _C3, dtype=np.uint64)
            for column in range(band * rows, (band + 1) * rows):
                key = _mix(key ^ signature[:, column])
            order = np.argsort(key, kind="stable")
            ordered = key[order]
            head = np.empty(len(order), dtype=bool)
            head[0] = True
            np.not_equal(ordered[1:], ordered[:-1], out=head[1:])
            starts = np.flatnonzero(head)
            sizes = np.diff(np.append(starts, len(order)))
            keep = sizes > 1
            if keep.any():
                left, right = _pairs_in_runs(order, starts[keep], sizes[keep])
                a, b = among[left], among[right]
                found.append(np.minimum(a, b) * len(sketch) + np.maximum(a, b))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.unique(np.concatenate(found))
    return codes // len(sketch), codes % len(sketch)


# --- step 6: exact resemblance ---------------------------------------------------------------


def jaccard(sketch: TextSketch, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact Jaccard resemblance of the shingle sets of texts ``a[i]`` and ``b[i]``.

    Two texts without shingles have resemblance 0 (an empty page is nobody's copy).
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    sizes = sketch.sizes
    small = np.where(sizes[a] <= sizes[b], a, b)
    large = np.where(sizes[a] <= sizes[b], b, a)
    order = np.lexsort((small, large))
    inter = np.zeros(len(a), dtype=np.int64)
    lengths = sizes[small[order]]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    start = 0
    while start < len(order):
        stop = int(np.searchsorted(bounds, bounds[start] + _QUERY_BATCH, side="right")) - 1
        stop = max(stop, start + 1)
        pick = order[start:stop]
        n_q = lengths[start:stop]
        total = int(n_q.sum())
        if total:
            first = np.repeat(sketch.offsets[small[pick]] - (bounds[start:stop] - bounds[start]),
                              n_q)
            positions = first + np.arange(total)
            query = (np.repeat(large[pick], n_q).astype(np.uint64) << np.uint64(_HASH_BITS)) | (
                sketch.shingles[positions] & _HASH_MASK)
            at = np.searchsorted(sketch.shingles, query)
            hit = sketch.shingles[np.minimum(at, len(sketch.shingles) - 1)] == query
            owner = np.repeat(np.arange(stop - start), n_q)
            inter[pick] = np.bincount(owner, weights=hit, minlength=stop - start).astype(np.int64)
        start = stop
    union = sizes[a] + sizes[b] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def similar_pairs(
    texts: Sequence[object] | TextSketch, *, threshold: float = 0.8
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of texts whose shingle-set resemblance is at least ``threshold``.

    Returns ``(a, b, similarity)`` with ``a < b``, sorted.  Exact duplicates come out
    with similarity 1.0; near-duplicates of an exact duplicate are paired with every
    member of its group.
    """
    sketch = texts if isinstance(texts, TextSketch) else sketch_texts(texts)
    rep = exact_groups(sketch)
    reps = np.flatnonzero(rep == np.arange(len(sketch)))
    a, b = candidate_pairs(sketch, threshold, among=reps)
    sim = jaccard(sketch, a, b)
    keep = sim >= threshold
    a, b, sim = a[keep], b[keep], sim[keep]
    # Expand representatives to their exact-duplicate groups.
    members = np.flatnonzero(rep >= 0)
    group = rep[members]
    order = np.argsort(group, kind="stable")
    members, group = members[order], group[order]
    starts = np.searchsorted(group, np.arange(len(sketch)))
    counts = np.searchsorted(group, np.arange(len(sketch)), side="right") - starts
    out_a, out_b, out_s = [], [], []
    # pairs inside exact groups
    multi = np.flatnonzero(counts > 1)
    if multi.size:
        left, right = _all_pairs(members, starts[multi], counts[multi])
        out_a.append(left)
        out_b.append(right)
        out_s.append(np.ones(len(left)))
    if a.size:
        ca, cb = counts[a], counts[b]
        repeat = ca * cb
        ia = np.repeat(np.arange(len(a)), repeat)
        within = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
        left = members[starts[a][ia] + within // cb[ia]]
        right = members[starts[b][ia] + within % cb[ia]]
        out_a.append(left)
        out_b.append(right)
        out_s.append(sim[ia])
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    left, right, s = np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_s)
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    order = np.lexsort((hi, lo))
    return lo[order], hi[order], s[order]


def _all_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Every pair inside each run (no bucket cap): for exact-duplicate groups."""
    positions = np.repeat(starts, sizes) + (
        np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    ends = np.repeat(starts + sizes, sizes)
    partners = ends - positions - 1
    left = np.repeat(positions, partners)
    base = np.repeat(np.cumsum(partners) - partners, partners)
    right = left + 1 + (np.arange(int(partners.sum())) - base)
    return order[left], order[right]


def edit_share(similarity: np.ndarray | float) -> np.ndarray:
    """The share of words changed at random that leaves this 3-shingle resemblance.

    A word changed at random breaks the (up to) three shingles it belongs to, so a
    share ``e`` of changed words keeps about ``(1 - e)**3`` of each text's shingles,
    a resemblance ``J = k / (2 - k)`` with ``k = (1 - e)**3``; this inverts it.  An
    estimate for random edits: one rewritten paragraph changes fewer shingles.
    """
    j = np.clip(np.asarray(similarity, dtype=float), 0.0, 1.0)
    kept = 2 * j / (1 + j)
    share: np.ndarray = 1 - kept ** (1 / SHINGLE_WORDS)
    return share


def edited_pairs(
    sketch: TextSketch, *, low: float = EDITED_THRESHOLD, high: float = 1.0,
    among: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of texts whose resemblance is at least ``low`` and below ``high``.

    The looser second stage: the same sketch banded for ``low`` (a pair at ``low`` is a
    candidate with probability >= 0.995), then verified exactly.  ``among`` restricts
    it to these texts (e.g. one representative per exact-duplicate group).
    Returns ``(a, b, similarity)`` with ``a < b``.
    """
    if not 0 < low <= high <= 1:
        raise InputError(f"edited copies need 0 < low <= high <= 1; got low={low}, high={high}.")
    a, b = candidate_pairs(sketch, low, among=among)
    # The sketch's estimate (share of agreeing bins; standard error <= 0.045 with 128
    # bins) drops pairs far below ``low`` before the exact, costlier verification.
    estimate = np.zeros(len(a))
    for start in range(0, len(a), 100_000):
        part = slice(start, start + 100_000)
        estimate[part] = (sketch.signature[a[part]] == sketch.signature[b[part]]).mean(axis=1)
    likely = estimate >= low - _ESTIMATE_SLACK
    a, b = a[likely], b[likely]
    sim = jaccard(sketch, a, b)
    keep = (sim >= low) & (sim < high)
    return a[keep], b[keep], sim[keep]
