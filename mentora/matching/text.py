"""TF-IDF of free-text goals, built with scipy.sparse (no downloads, no external NLP library)."""

from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

_TOKEN = re.compile(r"[a-z][a-z0-9+#]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "do",
        "for",
        "from",
        "get",
        "had",
        "has",
        "have",
        "how",
        "i",
        "i'd",
        "i'm",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "me",
        "more",
        "my",
        "myself",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "up",
        "us",
        "very",
        "want",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "also",
        "about",
        "better",
        "learn",
        "learning",
        "grow",
        "growing",
        "help",
        "getting",
        "make",
        "become",
        "improve",
        "someone",
    ]
)


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


def rowwise_cosine(m: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
    """Cosine of rows a[i] and b[i] of an L2-normalised matrix, for many pairs at once."""
    out = np.empty(len(a), dtype=np.float64)
    for lo in range(0, len(a), chunk):
        hi = min(lo + chunk, len(a))
        prod = m[a[lo:hi]].multiply(m[b[lo:hi]])
        out[lo:hi] = np.asarray(prod.sum(axis=1)).ravel()
    return np.clip(out, 0.0, 1.0)
