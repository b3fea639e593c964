"""The Embeddings page: counting (the course's table, a real corpus), vector sets (neighbours,
analogies, projections, evaluation), the user's own vectors, and word2vec trained live.

A bad query never raises: the answer carries ``{"error": code, …}`` (``empty``, ``not-a-word``,
``unknown`` with the closest words by spelling, ``too-long``, ``no-tokens``, ``format`` with the
file's own ``code``) and the page shows the message for that code in its language. Arguments out
of their declared bounds are refused at the engine's door (:mod:`pizarra.demos.door`).
"""

from __future__ import annotations

import io
import json
import time

import numpy as np

from pizarra import notebooks
from pizarra.data import assets
from pizarra.data.text import Vocab
from pizarra.embeddings import corpus, counts, evaluation, projection, settings, storage
from pizarra.embeddings.vectors import UnknownWord, VectorSet
from pizarra.embeddings.word2vec_training import Word2VecRun
from pizarra.notebooks import embeddings as notebook_recipe

from .door import (
    MAX_CALL_MS,
    NOTEBOOK,
    Choice,
    Flag,
    Items,
    Maybe,
    Number,
    Record,
    Refused,
    Text,
    Whole,
    takes,
)
from .door import settings as declared

__all__ = [
    "embeddings_count_table",
    "embeddings_corpus_counts",
    "embeddings_set_info",
    "embeddings_neighbours",
    "embeddings_analogy",
    "embeddings_projection",
    "embeddings_evaluate",
    "embeddings_upload",
    "embeddings_train_start",
    "embeddings_train_steps",
    "embeddings_train_stop",
    "embeddings_notebook",
]

SETS = ("glove_en", "sgns_en", "cbow_en", "ppmi_en", "sgns_es", "cbow_es", "ppmi_es")
LIVE_SETS = ("trained", "mine")
MAX_TEXT_BYTES = 1_000_000
MAX_UPLOAD_BYTES = 50_000_000
MAX_UPLOAD_WORDS = 200_000
MAX_QUERY_WORDS = 300
MAX_QUERY_TEXT = 600  # characters of a query word: the longest word list a link holds (state.js: proj)
MAX_FILE_NAME = 1024
MAX_WATCHED = 100  # words watched while training (the link's list of 200 characters holds fewer)
COUNT_VOCABULARY = 3000
# The arguments of the functions below, declared once (pizarra.demos.door)
SET = Choice(SETS + LIVE_SETS)
WORD = Text(MAX_QUERY_TEXT)
WORDS = Items(WORD, MAX_QUERY_WORDS)
COUNTING = {
    **declared(settings, "count_source", "count_window", "count_weighting", "count_dim"),
    "words": WORDS,
}
PROJECTION = {
    "words": WORDS,
    "around": WORD,
    "k": Whole(2, 200),
    "method": Choice(("pca", "tsne")),
    "seed": Whole(*settings.RANGES["seed"]),
}
WEIGHTING = Choice(counts.WEIGHTINGS)

_sets: dict[str, VectorSet] = {}
_run: dict = {}


def _vector_set(name: str) -> VectorSet:
    if name not in _sets:
        if name not in SETS:  # a set of this browser's, not made yet (or lost in a restart)
            raise Refused(
                "needs-first", "set", "embeddings_train_stop" if name == "trained" else "embeddings_upload"
            )
        _sets[name] = storage.load(assets.path(f"embeddings_{name}.npz"))[0]
    return _sets[name]


def _query(vectors: VectorSet, text: str) -> tuple[int | None, dict | None]:
    """The row of one query word, or the error to show."""
    word = (text or "").strip()
    if not word:
        return None, {"error": "empty"}
    if not corpus.tokens(word) or len(corpus.tokens(word)) != 1:
        return None, {"error": "not-a-word", "word": word}
    try:
        return vectors.id(word), None
    except UnknownWord as unknown:
        return None, {"error": "unknown", "word": word, "suggestions": unknown.suggestions}


def _pairs(items):
    return [{"word": w, "score": round(s, 4)} for w, s in items]


@takes(weighting=WEIGHTING, include_the=Flag(), dim=Whole(1, 4))
def embeddings_count_table(weighting: str = "raw", include_the: bool = True, dim: int = 2) -> dict:
    """The course's 4×6 table weighted, its cosines, and its cosines after SVD."""
    return counts.course_table(weighting, include_the, dim)


def _corpus_documents(source: str) -> list[list[str]]:
    text = assets.path(f"embeddings_corpus_{source}.txt").read_text(encoding="utf-8")
    return [line.split() for line in text.splitlines() if line]


@takes(**COUNTING)
def embeddings_corpus_counts(
    count_source: str = "en",
    count_window: int = 4,
    count_weighting: str = "ppmi",
    count_dim: int = 50,
    words: list[str] = (),
) -> dict:
    """The count pipeline on a corpus slice (its ``COUNT_VOCABULARY`` most frequent words): the
    nearest neighbours of ``words`` after weighting and SVD."""
    start = time.perf_counter()
    vectors, tokens = _corpus_vectors(count_source, count_window, count_weighting, count_dim)
    return {
        "seconds": time.perf_counter() - start,
        "vocabulary": len(vectors),
        "tokens": tokens,
        "neighbours": _neighbour_lists(vectors, words, 8),
    }


def _corpus_vectors(source: str, window: int, weighting: str, dim: int) -> tuple[VectorSet, int]:
    """The count vectors of a corpus slice (its ``COUNT_VOCABULARY`` most frequent words) and its token count."""
    documents = _corpus_documents(source)
    vocab = Vocab.build(documents, max_size=COUNT_VOCABULARY, specials=())
    # Words outside the vocabulary become -1: they keep their place in the windows but count for nothing.
    ids = np.concatenate([np.array([vocab.stoi.get(t, -1) for t in d], np.int64) for d in documents])
    return VectorSet(
        vocab.itos, counts.count_vectors(ids, len(vocab), window=window, weighting=weighting, dim=dim)
    ), len(ids)


def _neighbour_lists(vectors: VectorSet, words, k: int) -> list[dict]:
    out = []
    for word in list(words)[:MAX_QUERY_WORDS]:
        row, error = _query(vectors, word)
        out.append(
            error
            or {"word": vectors.words[row], "neighbours": _pairs(vectors.neighbours(vectors.words[row], k))}
        )
    return out


@takes(set=SET)
def embeddings_set_info(set: str = "glove_en") -> dict:
    """Size of a vector set and its first words (loads it)."""
    vectors = _vector_set(set)
    return {"set": set, "words": len(vectors), "dim": vectors.dim, "sample": vectors.words[:20]}


@takes(set=SET, words=WORDS, k=Whole(1, 50))
def embeddings_neighbours(set: str = "glove_en", words: list[str] = ("king",), k: int = 10) -> dict:
    """The ``k`` nearest words by cosine of each query word (or its error)."""
    return {"set": set, "results": _neighbour_lists(_vector_set(set), words, k)}


@takes(set=SET, a=WORD, b=WORD, c=WORD, k=Whole(1, 50))
def embeddings_analogy(
    set: str = "glove_en", a: str = "man", b: str = "woman", c: str = "king", k: int = 5
) -> dict:
    """``a : b :: c : ?`` by 3CosAdd and 3CosMul side by side."""
    vectors = _vector_set(set)
    errors = {}
    for slot, word in (("a", a), ("b", b), ("c", c)):
        _, error = _query(vectors, word)
        if error:
            errors[slot] = error
    if errors:
        return {"set": set, "errors": errors}
    return {
        "set": set,
        "add": _pairs(vectors.analogy(a, b, c, k, "add")),
        "mul": _pairs(vectors.analogy(a, b, c, k, "mul")),
    }


@takes(set=SET, **PROJECTION)
def embeddings_projection(
    set: str = "glove_en",
    words: list[str] = (),
    around: str = "",
    k: int = 30,
    method: str = "pca",
    seed: int = 0,
) -> dict:
    """2-D coordinates of a word list, or of ``around`` and its ``k`` nearest neighbours."""
    vectors = _vector_set(set)
    rows, errors = _projection_rows(vectors, words, around, k)
    if len(rows) < 3:
        return {"set": set, "points": [], "errors": errors or [{"error": "too-few"}]}
    xy = projection.project(vectors.vectors[rows], method, seed)
    return {
        "set": set,
        "method": method,
        "errors": errors,
        "points": [
            {"word": vectors.words[r], "x": round(float(x), 4), "y": round(float(y), 4)}
            for r, (x, y) in zip(rows, xy)
        ],
    }


def _projection_rows(vectors: VectorSet, words, around: str, k: int) -> tuple[list[int], list[dict]]:
    """The rows a projection draws (``around`` and its ``k`` nearest neighbours, then ``words``) and
    the errors of the queries that could not be drawn (``around``'s alone, if it has one)."""
    errors, rows = [], []
    if around:
        row, error = _query(vectors, around)
        if error:
            return [], [error]
        rows = [row] + [vectors.index[w] for w, _ in vectors.neighbours(vectors.words[row], k)]
    for word in list(words)[:MAX_QUERY_WORDS]:
        row, error = _query(vectors, word)
        if error:
            errors.append(error)
        elif row not in rows:
            rows.append(row)
    return rows, errors


@takes(set=SET, language=Choice(("en", "es")))
def embeddings_evaluate(set: str = "trained", language: str = "en") -> dict:
    """Every benchmark of ``language`` on a set (the committed sets' scores are precomputed in
    ``embeddings_page.json``)."""
    benchmarks = json.loads(assets.path("embeddings_benchmarks.json").read_text(encoding="utf-8"))
    return {"set": set, "scores": evaluation.evaluate(_vector_set(set), benchmarks, language)}


@takes(text=Text(MAX_UPLOAD_BYTES), name=Text(MAX_FILE_NAME))
def embeddings_upload(text: str, name: str = "mine") -> dict:
    """The user's vectors (word2vec/GloVe text), kept in this browser as set ``mine``: its size, and
    how many ``repeated`` words kept their first vector. A file that cannot be read answers
    ``{"error": "format", "code", "line", …}`` (:class:`pizarra.embeddings.storage.FormatError`)."""
    if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
        return {"error": "too-long", "limit": MAX_UPLOAD_BYTES}
    try:
        vectors, repeated = storage.parse_text(text, MAX_UPLOAD_WORDS)
    except storage.FormatError as error:
        return {"error": "format", "code": error.code, "line": error.line, **error.details}
    _sets["mine"] = vectors
    return {"set": "mine", "name": name[:80], "words": len(vectors), "dim": vectors.dim, "repeated": repeated}


@takes(
    **declared(
        settings,
        "source",
        "model",
        "dim",
        "window",
        "negatives",
        "alpha",
        "sample",
        "lr",
        "epochs",
        "seed",
        "min_count",
    ),
    text=Text(MAX_TEXT_BYTES),
    watch=Items(WORD, MAX_WATCHED),
)
def embeddings_train_start(
    source: str = "en",
    text: str = "",
    model: str = "sgns",
    dim: int = 50,
    window: int = 5,
    negatives: int = 5,
    alpha: float = 0.75,
    sample: float = 1e-3,
    lr: float = 0.025,
    epochs: int = 3,
    seed: int = 0,
    min_count: int = 3,
    watch: list[str] = (),
) -> dict:
    """Start a run on a corpus slice (``source``) or on pasted ``text`` (``source="text"``)."""
    chosen = {
        "dim": dim,
        "window": window,
        "negatives": negatives,
        "alpha": alpha,
        "sample": sample,
        "lr": lr,
        "epochs": epochs,
        "seed": seed,
        "min_count": min_count,
    }
    if source == "text":
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            return {"error": "too-long", "limit": MAX_TEXT_BYTES}
        documents = [corpus.tokens(line) for line in text.splitlines()]
    else:
        documents = _corpus_documents(source)
    vocab = Vocab.build(documents, min_count=min_count, max_size=20_000, specials=())
    ids = np.concatenate(
        [np.array([vocab.stoi[t] for t in d if t in vocab.stoi], np.int64) for d in documents] or [[]]
    )
    if len(vocab) < 2 or len(ids) < 2:
        return {"error": "no-tokens"}
    run = Word2VecRun(
        ids,
        vocab.counts,
        model=model,
        **{k: v for k, v in chosen.items() if k != "min_count"},
        batch_size=min(1024, max(16, len(vocab) // 4)),
        chunk_words=5000,
    )
    _run.update(
        run=run,
        vocab=vocab,
        watch=[w for w in watch][:8],
        seconds=0.0,
        config={
            "source": source,
            "model": model,
            **chosen,
            "batch_size": run.batch_size,
            "chunk_words": run.chunk_words,
        },
    )
    _sets.pop("trained", None)
    return {"vocabulary": len(vocab), "tokens": len(ids), "chunks": run.total_chunks}


@takes(seconds=Number(0, MAX_CALL_MS / 1000), k=Whole(1, 50))
def embeddings_train_steps(seconds: float = 0.25, k: int = 5) -> dict:
    """Train for about ``seconds`` (whole chunks): the chunks' losses, words per second so far, and
    the current nearest neighbours of the watched words."""
    if "run" not in _run:
        raise Refused("needs-first", None, "embeddings_train_start")
    run = _run["run"]
    start, results = time.perf_counter(), []
    while not run.done and (not results or time.perf_counter() - start < seconds):
        results.append(run.step())
    _run["seconds"] += time.perf_counter() - start
    vectors = VectorSet(_run["vocab"].itos, run.model.vectors)
    return {
        "losses": [r["loss"] for r in results],
        "progress": run.progress,
        "done": run.done,
        "words_per_second": run.words_done / _run["seconds"] if _run["seconds"] else 0.0,
        "neighbours": _neighbour_lists(vectors, _run["watch"], k),
    }


@takes()
def embeddings_train_stop() -> dict:
    """Keep the vectors trained so far as the set ``trained``."""
    if "run" not in _run:
        raise Refused("needs-first", None, "embeddings_train_start")
    _sets["trained"] = VectorSet(_run["vocab"].itos, _run["run"].model.vectors.copy())
    return {"set": "trained", "words": len(_sets["trained"]), "progress": _run["run"].progress}


# --- the notebook ---------------------------------------------------------------------------

NOTEBOOK_MAX_BYTES = (
    20_000_000  # vectors a notebook carries: more would make a file Jupyter struggles to open
)


def _weights(vectors: VectorSet) -> bytes:
    """A set's words (UTF-8, one a line) and its float32 vectors as they are, as an .npz file."""
    if vectors.vectors.nbytes > NOTEBOOK_MAX_BYTES:
        raise ValueError(
            f"this set's vectors take {vectors.vectors.nbytes / 1e6:.0f} MB: too large to carry in a "
            f"notebook (at most {NOTEBOOK_MAX_BYTES / 1e6:.0f} MB); use fewer words or dimensions"
        )
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        words=np.frombuffer("\n".join(vectors.words).encode("utf-8"), np.uint8),
        vectors=vectors.vectors,
    )
    return buffer.getvalue()


def _neighbours_shown(vectors: VectorSet, words, k: int) -> dict:
    """Each query's ``k`` nearest words and their cosines, every digit (None: the page showed a message)."""
    shown = {}
    for word in list(words)[:MAX_QUERY_WORDS]:
        row, error = _query(vectors, word)
        shown[word] = None if error else [[w, s] for w, s in vectors.neighbours(vectors.words[row], k)]
    return shown


@takes(
    **NOTEBOOK,
    set=SET,
    words=WORDS,
    a=WORD,
    b=WORD,
    c=WORD,
    projection_args=Maybe(Record(PROJECTION, partial=True)),
    weighting=WEIGHTING,
    include_the=Flag(),
    corpus_counts=Maybe(Record(COUNTING, partial=True)),
)
def embeddings_notebook(
    language: str,
    link: str,
    site: dict,
    set: str = "glove_en",
    words: list[str] = (),
    a: str = "man",
    b: str = "woman",
    c: str = "king",
    projection_args: dict | None = None,
    weighting: str = "raw",
    include_the: bool = True,
    corpus_counts: dict | None = None,
) -> dict:
    """The page as a Jupyter notebook (:mod:`pizarra.notebooks.embeddings`): on vector set ``set``, the
    neighbours of ``words``, the analogy ``a : b :: c : ?``, the projection (``projection_args``:
    :func:`embeddings_projection`'s arguments but ``set``), the course table under ``weighting``, and
    ``corpus_counts`` (:func:`embeddings_corpus_counts`' arguments) if the page counted one. A set trained or
    loaded here goes into the notebook as its vectors. Its ``result`` is what the page shows, every digit."""
    vectors = _vector_set(set)
    if set in SETS:
        source = {"kind": "committed", "asset": f"embeddings_{set}.npz"}
    elif set == "trained":
        source = {
            "kind": "trained",
            "weights": _weights(vectors),
            "config": _run["config"],
            "progress": _run["run"].progress,
        }
    else:
        source = {"kind": "mine", "weights": _weights(vectors)}
    neighbours = _neighbours_shown(vectors, words, 10)
    known = not any(_query(vectors, word)[1] for word in (a, b, c))
    analogy = (
        {m: [[w, s] for w, s in vectors.analogy(a, b, c, 5, m)] for m in ("add", "mul")} if known else None
    )
    drawn = {"words": [], "around": "", "k": 30, "method": "pca", "seed": 0, **(projection_args or {})}
    rows, _ = _projection_rows(vectors, drawn["words"], drawn["around"], drawn["k"])
    picture = None
    if len(rows) >= 3 and drawn["method"] == "pca":
        picture = {
            "method": "pca",
            "points": [
                [vectors.words[r], float(x), float(y)]
                for r, (x, y) in zip(rows, projection.pca(vectors.vectors[rows]))
            ],
        }
    elif len(rows) >= 3:
        picture = {"method": "tsne", "words": [vectors.words[r] for r in rows]}
    table = counts.course_table(weighting, bool(include_the), digits=None)
    result = {
        "set": set,
        "neighbours": neighbours,
        "analogy": analogy,
        "projection": picture,
        "count_table": {key: table[key].tolist() for key in ("weighted", "cosine", "svd_cosine")},
        "corpus": None,
    }
    counted = None
    if corpus_counts is not None:
        counted = {
            "count_source": "en",
            "count_window": 4,
            "count_weighting": "ppmi",
            "count_dim": 50,
            "words": [],
            **corpus_counts,
        }
        corpus_vectors, tokens = _corpus_vectors(
            counted["count_source"], counted["count_window"], counted["count_weighting"], counted["count_dim"]
        )
        result["corpus"] = {
            "vocabulary": len(corpus_vectors),
            "tokens": tokens,
            "neighbours": _neighbours_shown(corpus_vectors, counted["words"], 8),
        }
    found = next(((word, shown[0][0]) for word, shown in neighbours.items() if shown), None)
    return notebooks.page_notebook(
        "embeddings",
        language,
        ("Embeddings: el significado de las palabras", "Embeddings: the meaning of words"),
        link,
        site,
        ([source["asset"]] if set in SETS else [])
        + ([f"embeddings_corpus_{counted['count_source']}.txt"] if counted else []),
        lambda notebook: notebook_recipe.build(
            notebook,
            set,
            source,
            list(words)[:MAX_QUERY_WORDS],
            (a, b, c),
            drawn,
            weighting,
            bool(include_the),
            counted,
            found,
        ),
        result,
    )
