"""How good the attention page's models are: BLEU overall and by source length, masked accuracy.

BLEU is :func:`pizarra.metrics.bleu` (corpus BLEU-4, reported ×100 as sacrebleu does) on the
lower-cased word and punctuation tokens of :mod:`.corpus`. The test sentences are ranked by
source length and cut into thirds at whole lengths (the sentences of one length stay in one
third, so the thirds' length ranges do not overlap); the length bins of the page's chart are
fixed ranges of source tokens.
"""

from __future__ import annotations

import numpy as np

from ..metrics import bleu
from .decoding import beam_search, greedy
from ..tensor import no_grad, tensor
from .mlm import MASK

LENGTH_BINS = ((3, 6), (7, 9), (10, 12), (13, 15), (16, 18), (19, 20))   # source tokens, both ends included
THIRDS = ("short", "medium", "long")


def translate(model, sources: list, beam: int = 1, batch_size: int = 256, max_length: int = 25) -> list[list[int]]:
    """Target ids for every source (greedy in batches, or beam search of width ``beam`` one by one)."""
    if beam > 1:
        return [beam_search(model, s, beam, max_length)["tokens"] for s in sources]
    out = []
    for i in range(0, len(sources), batch_size):
        out += greedy(model, sources[i:i + batch_size], max_length)["tokens"]
    return out


def thirds(source_lengths) -> dict[str, np.ndarray]:
    """The indices of the shortest, middle and longest third of the sentences by source length.
    The sentences of one length stay together, in the third where the middle of their run in the
    ranking falls: the thirds are as equal as whole lengths allow, and never share a length."""
    lengths = np.asarray(source_lengths)
    order = np.argsort(lengths, kind="stable")
    values, first, counts = np.unique(lengths[order], return_index=True, return_counts=True)
    third_of_length = np.minimum(3 * (first + (counts - 1) / 2) // len(lengths), 2)
    third = third_of_length[np.searchsorted(values, lengths[order])]
    return {name: order[third == k] for k, name in enumerate(THIRDS)}


def bleu_by_length(references: list, hypotheses: list, source_lengths) -> dict:
    """BLEU ×100 overall, per third of source length and per bin of :data:`LENGTH_BINS`
    (with each part's sentence count and source-length range)."""
    lengths = np.asarray(source_lengths)

    def score(index):
        return 100 * bleu([[references[i]] for i in index], [hypotheses[i] for i in index])

    parts = {"overall": score(range(len(references)))}
    for name, index in thirds(lengths).items():
        parts[name] = score(index)
        parts[f"{name}_range"] = [int(lengths[index].min()), int(lengths[index].max())]
    parts["bins"] = [{"range": list(bounds), "count": int(len(index)), "bleu": score(index) if len(index) else None}
                     for bounds in LENGTH_BINS
                     for index in [np.flatnonzero((lengths >= bounds[0]) & (lengths <= bounds[1]))]]
    return parts


def masked_accuracy(model, ids: np.ndarray, positions: list) -> float:
    """Share of the masked positions where ``argmax ŷ_t`` is the hidden word. ``ids (N, T)`` are
    the sentences (padded), ``positions[n]`` the positions of sentence ``n`` replaced by ``[MASK]``."""
    inputs = np.array(ids, copy=True)
    rows = np.concatenate([np.full(len(p), n) for n, p in enumerate(positions)])
    cols = np.concatenate([np.asarray(p, dtype=np.int64) for p in positions])
    inputs[rows, cols] = MASK
    model.eval()
    guesses = np.zeros(inputs.shape, dtype=np.int64)
    with no_grad():
        for start in range(0, len(inputs), 256):          # the output layer only where a word is hidden
            hidden = model(tensor(inputs[start:start + 256]))
            here = (rows >= start) & (rows < start + 256)
            logits = model.out(hidden[rows[here] - start, cols[here]])
            guesses[rows[here], cols[here]] = logits.numpy().argmax(axis=-1)
    return float(np.mean(guesses[rows, cols] == np.asarray(ids)[rows, cols]))


def unigram_accuracy(train_ids: list, ids: np.ndarray, positions: list, special_count: int) -> tuple[int, float]:
    """The unigram-frequency guess: always the training text's most frequent word. Returns that
    word's id and its accuracy on the same masked positions."""
    counts = np.bincount(np.concatenate(train_ids).astype(np.intp))
    counts[:special_count] = 0
    guess = int(counts.argmax())
    hidden = np.concatenate([np.asarray(ids)[n, p] for n, p in enumerate(positions)])
    return guess, float(np.mean(hidden == guess))

