"""Turning a trained translator (recurrent or Transformer) into translations.

Both kinds decode through a *session* (``model.session(sources, lengths)``): ``step(previous)``
feeds the last piece of each partial translation and returns the logits of the next one and the
attention over the source; ``reorder(rows)`` keeps the partial translations a beam goes on with.

Greedy decoding picks ``y_i = argmax_y ŷ_i[y]`` at every step and feeds it back. Beam search keeps
the ``k`` best partial translations, extends each by every piece, keeps the ``k`` best again, and
sets a translation aside when it ends with ``</s>``. Candidates are ranked by GNMT's score (Wu et
al. 2016), whose two corrections a student can switch on and off::

    s(Y, X) = log P(Y | X) / lp(Y)  +  cp(X; Y)
    lp(Y)   = (5 + |Y|)^α / (5 + 1)^α                       length normalisation (α = 0: none)
    cp(X;Y) = β Σ_j log(min(Σ_i w_ij, 1))                   coverage penalty (β = 0: none)

``log P(Y | X) = Σ_i log ŷ_i[y_i]`` only falls as a translation grows, so without ``lp`` short
translations win; ``cp`` punishes source pieces that no step has attended to (the sum over the
steps ``i`` of the attention ``w_ij`` on source piece ``j``, capped at 1) — a translation that
forgets half the sentence, or loops on one part of it, leaves others uncovered. A weight below
``1e-12`` counts as ``1e-12`` (the logarithm of an underflowed 0). Without attention there is no
coverage. Decoding stops after ``max_length + 1`` pieces (``</s>`` included): a translation that
has not ended by then is cut there.
"""

from __future__ import annotations

import numpy as np

from ..data.text import pad
from ..tensor import no_grad
from .translator import BOS, EOS, PAD

TINY = 1e-12


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def length_penalty(length: int, alpha: float) -> float:
    """``lp(Y) = (5 + |Y|)^α / 6^α``."""
    return ((5 + length) / 6) ** alpha


def coverage_penalty(coverage: np.ndarray | None, beta: float) -> float:
    """``cp = β Σ_j log(min(Σ_i w_ij, 1))`` from the summed attention ``Σ_i w_ij`` of each source piece."""
    if coverage is None or beta == 0:
        return 0.0
    return beta * float(np.log(np.clip(coverage, TINY, 1.0)).sum())


def gnmt_score(log_p: float, length: int, coverage, alpha: float, beta: float) -> float:
    """``s(Y, X) = log P(Y | X) / lp(Y) + cp(X; Y)``."""
    return log_p / length_penalty(length, alpha) + coverage_penalty(coverage, beta)


def _strip(ids) -> list[int]:
    """Ids up to (not including) the first ``</s>``."""
    ids = list(map(int, ids))
    return ids[: ids.index(EOS)] if EOS in ids else ids


@no_grad()
def greedy(model, sources: list, max_length: int = 40, details: bool = False) -> dict:
    """Translate a batch of id sequences greedily: ``{"tokens": [ids per sentence], "weights":
    [(len(out)+1, len(src)) arrays or None]}``; with ``details``, per step every array the session
    returned (``attention``, and the recurrent ``scores, context, hd`` or the Transformer's
    ``heads``) and the ``probabilities``."""
    model.eval()
    ids, lengths = pad(sources, PAD)
    session = model.session(ids, lengths)
    previous = np.full(len(sources), BOS, dtype=np.int64)
    outputs, steps = [], []
    for _ in range(max_length + 1):
        step = session.step(previous)
        probabilities = np.exp(log_softmax(step["logits"]))
        previous = probabilities.argmax(axis=1)
        outputs.append(previous)
        kept = (
            {k: v for k, v in step.items() if k != "logits"} if details else {"attention": step["attention"]}
        )
        steps.append(kept | ({"probabilities": probabilities} if details else {}))
        if np.all(np.any(np.stack(outputs, axis=1) == EOS, axis=1)):
            break
    produced = np.stack(outputs, axis=1)
    result = {"tokens": [_strip(row) for row in produced], "weights": []}
    for n, (tokens, length) in enumerate(zip(result["tokens"], lengths)):
        rows = min(len(tokens) + 1, len(steps))  # the pieces and </s>
        has = steps[0]["attention"] is not None
        result["weights"].append(
            np.stack([s["attention"][n, :length] for s in steps[:rows]]) if has else None
        )
    if details:
        result["steps"] = steps
    return result


@no_grad()
def beam_search(
    model, source, width: int = 4, max_length: int = 40, alpha: float = 0.0, beta: float = 0.0
) -> dict:
    """Beam search for one sentence, ranked by :func:`gnmt_score`. Returns the best translation
    ``tokens``, its ``score`` and attention ``weights`` (one row per piece and ``</s>``), and per
    step the ``candidates``: each kept partial translation's ids, ``log_p``, ``score`` and whether
    it has finished."""
    model.eval()
    source = np.asarray(source, dtype=np.int64)[None]
    session = model.session(source, [source.shape[1]])
    beams = [{"ids": [], "log_p": 0.0, "weights": [], "coverage": None}]
    finished, history = [], []
    for _ in range(max_length + 1):
        step = session.step(np.array([b["ids"][-1] if b["ids"] else BOS for b in beams], dtype=np.int64))
        log_p = log_softmax(step["logits"].astype(np.float64))
        attention = step["attention"]
        extended = []
        for b, beam in enumerate(beams):
            coverage = (
                None
                if attention is None
                else (beam["coverage"] if beam["coverage"] is not None else 0) + attention[b]
            )
            totals = beam["log_p"] + log_p[b]
            for word in np.argsort(-totals, kind="stable")[:width]:  # the best extensions of this beam
                extended.append(
                    {
                        "ids": beam["ids"] + [int(word)],
                        "log_p": float(totals[word]),
                        "row": b,
                        "weights": beam["weights"] + ([] if attention is None else [attention[b]]),
                        "coverage": coverage,
                    }
                )
        for c in extended:
            c["score"] = gnmt_score(c["log_p"], len(c["ids"]), c["coverage"], alpha, beta)
        extended = sorted(extended, key=lambda c: -c["score"])[:width]
        history.append(
            [
                {"ids": c["ids"], "log_p": c["log_p"], "score": c["score"], "finished": c["ids"][-1] == EOS}
                for c in extended
            ]
        )
        finished += [c for c in extended if c["ids"][-1] == EOS]
        beams = [c for c in extended if c["ids"][-1] != EOS]
        if len(finished) >= width or not beams:
            break
        session.reorder(np.array([c["row"] for c in beams]))
    winner = max(finished or beams, key=lambda c: c["score"])
    return {
        "tokens": _strip(winner["ids"]),
        "score": winner["score"],
        "log_p": winner["log_p"],
        "weights": np.stack(winner["weights"]) if winner["weights"] else None,
        "candidates": history,
    }
