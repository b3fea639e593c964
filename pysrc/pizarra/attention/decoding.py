"""Turning a trained :class:`~pizarra.attention.translator.Translator` into translations.

Greedy decoding picks ``y_i = argmax_y ŷ_i[y]`` at every step and feeds it back; beam search
keeps the ``k`` best partial translations by their total log-probability ``Σ_i log ŷ_i[y_i]``,
extends each by every word, keeps the ``k`` best again, and sets a translation aside when it
ends with ``</s>``. Among the finished ones the best by mean log-probability per word wins (the
plain sum would always prefer short translations). Both stop after ``max_length + 1`` words
(``</s>`` included): a translation that has not ended by then is cut there.
"""

from __future__ import annotations

import numpy as np

from ..data.text import pad
from ..tensor import no_grad, tensor
from .translator import BOS, EOS, PAD


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _strip(ids) -> list[int]:
    """Ids up to (not including) the first ``</s>``."""
    ids = list(map(int, ids))
    return ids[:ids.index(EOS)] if EOS in ids else ids


@no_grad()
def greedy(model, sources: list, max_length: int = 25, details: bool = False) -> dict:
    """Translate a batch of id sequences greedily: ``{"tokens": [ids per sentence], "weights":
    [(len(out)+1, len(src)) arrays or None]}``; with ``details``, per step and sentence the
    ``scores, weights, context, hd, probabilities`` arrays as well (the page's step-through)."""
    model.eval()
    ids, lengths = pad(sources, PAD)
    memory, summary, padding, state = model.encode(tensor(ids), lengths)
    previous = np.full((len(sources), 1), BOS, dtype=np.int64)
    outputs, steps = [], []
    for _ in range(max_length + 1):
        step = model.decoder(previous, state, memory, summary, padding)
        state = step["state"]
        probabilities = np.exp(_log_softmax(step["logits"].numpy()[:, 0]))
        previous = probabilities.argmax(axis=1)[:, None]
        outputs.append(previous[:, 0])
        if details:
            steps.append({key: None if step[key] is None else step[key].numpy()[:, 0]
                          for key in ("scores", "weights", "context", "hd")} | {"probabilities": probabilities})
        elif step["weights"] is not None:
            steps.append({"weights": step["weights"].numpy()[:, 0]})
        if np.all(np.any(np.stack(outputs, axis=1) == EOS, axis=1)):
            break
    produced = np.stack(outputs, axis=1)
    result = {"tokens": [_strip(row) for row in produced], "weights": []}
    has_weights = model.decoder.kind != "none"
    for n, (tokens, length) in enumerate(zip(result["tokens"], lengths)):
        rows = min(len(tokens) + 1, len(steps))             # the words and </s>
        result["weights"].append(np.stack([s["weights"][n, :length] for s in steps[:rows]]) if has_weights else None)
    if details:
        result["steps"] = steps
    return result


@no_grad()
def beam_search(model, source, width: int = 4, max_length: int = 25) -> dict:
    """Beam search for one sentence. Returns the best translation ``tokens``, its attention
    ``weights`` (one row per word and ``</s>``), and per step the ``candidates``: for each kept
    partial translation its ids, total log-probability and whether it has finished."""
    model.eval()
    source = np.asarray(source, dtype=np.int64)[None]
    memory, summary, padding, state = model.encode(tensor(source), [source.shape[1]])
    beams = [{"ids": [], "score": 0.0, "weights": [], "state": state}]
    finished, history = [], []
    for _ in range(max_length + 1):
        count = len(beams)                                  # the source, once per partial translation
        state = tensor(np.concatenate([b["state"].numpy() for b in beams], axis=1))
        previous = np.array([[b["ids"][-1] if b["ids"] else BOS] for b in beams], dtype=np.int64)
        step = model.decoder(previous, state, tensor(np.repeat(memory.numpy(), count, axis=0)),
                             tensor(np.repeat(summary.numpy(), count, axis=0)), np.repeat(padding, count, axis=0))
        log_p = _log_softmax(step["logits"].numpy()[:, 0])
        weights = None if step["weights"] is None else step["weights"].numpy()[:, 0]
        totals = np.array([b["score"] for b in beams])[:, None] + log_p
        best = np.argsort(totals, axis=None, kind="stable")[::-1][:width]
        extended = []
        for flat in best:
            b, word = divmod(int(flat), log_p.shape[1])
            beam = beams[b]
            extended.append({"ids": beam["ids"] + [word], "score": float(totals[b, word]),
                             "weights": beam["weights"] + ([] if weights is None else [weights[b]]),
                             "state": tensor(step["state"].numpy()[:, b:b + 1])})
        history.append([{"ids": c["ids"], "score": c["score"], "finished": c["ids"][-1] == EOS} for c in extended])
        finished += [c for c in extended if c["ids"][-1] == EOS]
        beams = [c for c in extended if c["ids"][-1] != EOS]
        if len(finished) >= width or not beams:
            break
    pool = finished or beams
    winner = max(pool, key=lambda c: c["score"] / len(c["ids"]))
    return {"tokens": _strip(winner["ids"]), "score": winner["score"],
            "weights": np.stack(winner["weights"]) if winner["weights"] else None, "candidates": history}
