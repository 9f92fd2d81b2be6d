"""TF-IDF of free-text goals, built with scipy.sparse (no downloads, no external NLP library)."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

_TOKEN = re.compile(r"[a-z][a-z0-9+#]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing about what someone wants to learn, so they neither make two goals similar
# nor appear among the "similar goals" terms of a reason. scikit-learn's ENGLISH_STOP_WORDS would do,
# but scikit-learn is not a dependency: this short list holds the common English function words,
# numbers written as words, spans of time, and the verbs every goal statement uses ("learn", "grow").
FUNCTION_WORDS = _words(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further get
    had has have having he her here hers herself him himself his how i i'd i'm i've if in into is it
    its itself just let like me more most much my myself no nor not now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up us very was we were
    what when where which while who whom why will with within without would you your yours yourself
    yourselves"""
)
NUMBER_WORDS = _words(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million first second third fourth fifth once twice half dozen several many few"""
)
TIME_WORDS = _words("day days week weeks month months year years time times")
GOAL_VERBS = _words(
    """want wants wanted learn learning grow growing help helping getting make making become
    becoming improve improving better someone"""
)
STOPWORDS = FUNCTION_WORDS | NUMBER_WORDS | TIME_WORDS | GOAL_VERBS


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


def tfidf_matrix(texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Rows are L2-normalised sublinear-tf x smoothed-idf vectors; empty texts give empty rows."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for text in texts:
        row: dict[int, int] = {}
        for t in tokenize(text):
            j = vocab.setdefault(t, len(vocab))
            row[j] = row.get(j, 0) + 1
        indices.extend(row.keys())
        counts.extend(row.values())
        indptr.append(len(indices))
    data = np.array(counts, dtype=np.float64)
    n = len(texts)
    m = sp.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(n, max(len(vocab), 1)),
    )
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = sp.csr_matrix(sp.diags(1.0 / norms) @ m)
    words = [""] * len(vocab)
    for w, i in vocab.items():
        words[i] = w
    return m, words


# A block of (distinct rows of a) x (distinct rows of b) products is cheaper than the pairs one by one
# when the pairs fill at least this share of it (a sparse product costs about a tenth of a pair per cell),
# and is only built up to _BLOCK_CELLS cells (memory).
_BLOCK_MIN_FILL = 0.25
_BLOCK_CELLS = 8_000_000
# With b's rows dense, the block costs one multiply-add per stored entry of a's rows per row of b, and a
# pair on its own (two row copies, a merge, a sum) about as much as this many multiply-adds: measured
# 0.16 s for 607,000 pairs one by one against 0.013 s for their 5,000 x 500 block (7.7 words a row).
_PAIR_MULTIPLY_ADDS = 40


def rowwise_cosine(m: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
    """Cosine of rows a[i] and b[i] of an L2-normalised matrix, for many pairs at once."""
    rows_a, at_a = distinct_rows(a, m.shape[0])
    rows_b, at_b = distinct_rows(b, m.shape[0])
    cells = len(rows_a) * len(rows_b)
    dense_b = m.shape[1] * len(rows_b) <= _BLOCK_CELLS
    block_work = int(np.diff(m.indptr)[rows_a].sum()) * len(rows_b)
    if 0 < cells <= _BLOCK_CELLS and (
        len(a) >= _BLOCK_MIN_FILL * cells or (dense_b and block_work <= _PAIR_MULTIPLY_ADDS * len(a))
    ):
        # sparse x dense is several times faster than a sparse product made dense afterwards
        other = m[rows_b].toarray().T if dense_b else m[rows_b].T
        block = m[rows_a] @ other
        block = block.toarray() if sp.issparse(block) else np.asarray(block)
        return np.clip(block[at_a, at_b], 0.0, 1.0)
    out = np.empty(len(a), dtype=np.float64)
    for lo in range(0, len(a), chunk):
        hi = min(lo + chunk, len(a))
        prod = m[a[lo:hi]].multiply(m[b[lo:hi]])
        out[lo:hi] = np.asarray(prod.sum(axis=1)).ravel()
    return np.clip(out, 0.0, 1.0)


def distinct_rows(rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct row numbers, sorted; each entry's position among them), in O(n + len(rows))."""
    seen = np.zeros(n, dtype=bool)
    seen[rows] = True
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[rows]
