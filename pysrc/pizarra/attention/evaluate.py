"""How good the attention page's models are: BLEU overall and by source length, on the everyday
set, loops and unknown words; masked accuracy.

BLEU is :func:`pizarra.metrics.bleu` (corpus BLEU-4, reported ×100 as sacrebleu does) on the
lower-cased word and punctuation tokens of :mod:`.corpus`, against every reference of a sentence.
The test sentences are ranked by source length and cut into thirds at whole lengths (the sentences
of one length stay in one third, so the thirds' length ranges do not overlap); the length bins of
the page's chart are fixed ranges of source tokens.
"""

from __future__ import annotations

import numpy as np

from ..metrics import bleu
from ..tensor import no_grad, tensor
from . import explain
from .decoding import greedy
from .mlm import MASK

LENGTH_BINS = ((1, 4), (5, 6), (7, 8), (9, 10), (11, 13), (14, 20))  # source tokens, both ends included
THIRDS = ("short", "medium", "long")


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
    """(``references[i]``: the reference token lists of sentence ``i``.) BLEU ×100 overall, per third of source length and per bin of :data:`LENGTH_BINS`
    (with each part's sentence count and source-length range)."""
    lengths = np.asarray(source_lengths)

    def score(index):
        return 100 * bleu([references[i] for i in index], [hypotheses[i] for i in index])

    parts = {"overall": score(range(len(references)))}
    for name, index in thirds(lengths).items():
        parts[name] = score(index)
        parts[f"{name}_range"] = [int(lengths[index].min()), int(lengths[index].max())]
    parts["bins"] = [
        {"range": list(bounds), "count": int(len(index)), "bleu": score(index) if len(index) else None}
        for bounds in LENGTH_BINS
        for index in [np.flatnonzero((lengths >= bounds[0]) & (lengths <= bounds[1]))]
    ]
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
        for start in range(0, len(inputs), 256):  # the output layer only where a word is hidden
            hidden = model(tensor(inputs[start : start + 256]))
            here = (rows >= start) & (rows < start + 256)
            logits = model.out(hidden[rows[here] - start, cols[here]])
            guesses[rows[here], cols[here]] = logits.numpy().argmax(axis=-1)
    return float(np.mean(guesses[rows, cols] == np.asarray(ids)[rows, cols]))


def unigram_accuracy(
    train_ids: list, ids: np.ndarray, positions: list, special_count: int
) -> tuple[int, float]:
    """The unigram-frequency guess: always the training text's most frequent word. Returns that
    word's id and its accuracy on the same masked positions."""
    counts = np.bincount(np.concatenate(train_ids).astype(np.intp))
    counts[:special_count] = 0
    guess = int(counts.argmax())
    hidden = np.concatenate([np.asarray(ids)[n, p] for n, p in enumerate(positions)])
    return guess, float(np.mean(hidden == guess))


def translate_all(model, subwords, sentences: list, decoding: dict) -> list[list[str]]:
    """English words for every Spanish sentence (token lists) by ``decoding`` (greedy in batches
    when ``beam`` is 1), each read as the page reads it (:func:`explain.read_source`)."""
    reads = [explain.read_source(" ".join(s), subwords) for s in sentences]
    ids = [subwords.source_ids(r["pieces"]) for r in reads]
    if decoding["beam"] == 1:
        out = []
        for start in range(0, len(ids), 256):
            out += greedy(model, ids[start : start + 256], explain.MAX_OUTPUT)["tokens"]
    else:
        out = [explain.decode(model, i, decoding)["tokens"] for i in ids]
    return [subwords.target_words(o) for o in out]


def measure_translators(models: dict, subwords, test: list, everyday: list, course_example: str) -> dict:
    """Per variant: greedy BLEU by length on the test split (and those translations); greedy and default-decoding
    (:data:`explain.DECODING`) BLEU on the everyday set, how many of its translations repeat a word
    three times in a row, and the course example's translation. Plus the share of the everyday
    set's words read as unknown."""
    greedy_decoding = {**explain.DECODING, "beam": 1}
    lengths = [len(p["es"]) for p in test]
    out = {"variants": {}}
    for variant, model in models.items():
        test_out = translate_all(model, subwords, [p["es"] for p in test], greedy_decoding)
        shown = translate_all(model, subwords, [p["es"] for p in everyday], explain.DECODING)
        first = translate_all(model, subwords, [p["es"] for p in everyday], greedy_decoding)
        course = explain.translations({variant: model}, subwords, course_example)["variants"][variant][
            "words"
        ]
        out["variants"][variant] = {
            "test": bleu_by_length([p["en"] for p in test], test_out, lengths),
            "test_translations": [" ".join(t) for t in test_out],
            "everyday": {
                "default": 100 * bleu([p["en"] for p in everyday], shown),
                "greedy": 100 * bleu([p["en"] for p in everyday], first),
                "loops": sum(explain.repeats(t) for t in shown),
                "translations": [" ".join(t) for t in shown],
            },
            "course_example": " ".join(course),
        }
    reads = [explain.read_source(" ".join(p["es"]), subwords) for p in everyday]
    words = [u for r in reads for w, u in zip(r["words"], r["unknown"]) if w != "."]
    out["everyday_unknown"] = float(np.mean(words))
    return out
