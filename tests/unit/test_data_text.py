"""pizarra.data.text (tokens, vocabulary, context windows, padding) and pizarra.data.assets."""

import numpy as np
import pytest

from pizarra.data import assets
from pizarra.data.text import Vocab, context_pairs, context_windows, pad, sentences, words


def test_words_keep_accents_inner_apostrophes_and_split_punctuation():
    assert words("¿Él trabaja con   los DOS? Don't stop.") == [
        "¿",
        "él",
        "trabaja",
        "con",
        "los",
        "dos",
        "?",
        "don't",
        "stop",
        ".",
    ]
    assert words("Niño", lower=False) == ["Niño"]
    # a decomposed accent (n + combining tilde) is the same word as the composed one
    assert words("nin\u0303o") == words("niño") == ["niño"]


def test_sentences_split_after_end_marks():
    assert sentences("I am Sam. Sam I am!  Do you like it?") == ["I am Sam.", "Sam I am!", "Do you like it?"]


def test_vocab_orders_by_count_then_alphabet_after_the_specials():
    tokens = [["b", "a", "c", "a", "b", "a", "d"]]
    vocab = Vocab.build(tokens, specials=("<pad>", "<unk>"))
    assert vocab.itos == ["<pad>", "<unk>", "a", "b", "c", "d"]
    assert vocab.counts.tolist() == [0, 0, 3, 2, 1, 1]
    assert Vocab.build(tokens, min_count=2).itos == ["<unk>", "a", "b"]
    assert Vocab.build(tokens, max_size=3).itos == ["<unk>", "a", "b"]
    np.testing.assert_allclose(vocab.frequencies()[2:], [3 / 7, 2 / 7, 1 / 7, 1 / 7])


def test_vocab_encodes_unknown_tokens_as_unk_and_round_trips():
    vocab = Vocab.build([["el", "perro"]])
    assert vocab.encode(["el", "gato"]).tolist() == [vocab.stoi["el"], vocab.stoi["<unk>"]]
    assert vocab.decode(vocab.encode(["perro", "el"])) == ["perro", "el"]
    assert Vocab.from_dict(vocab.to_dict()).itos == vocab.itos
    strict = Vocab.build([["el"]], specials=())
    with pytest.raises(KeyError, match="gato"):
        strict.encode(["gato"])
    with pytest.raises(ValueError, match="twice"):
        Vocab(["a", "a"])


def test_context_pairs_are_every_word_within_the_window():
    centres, contexts = context_pairs(np.array([10, 11, 12, 13]), window=2)
    expected = [(i, j) for i in range(4) for j in range(4) if 0 < abs(i - j) <= 2]
    expected.sort(key=lambda p: (p[0], p[1] - p[0]))
    assert list(zip(centres.tolist(), contexts.tolist())) == [(10 + i, 10 + j) for i, j in expected]


def test_context_windows_pad_past_the_ends():
    windows = context_windows(np.array([5, 6, 7]), window=1, pad_id=-1)
    assert windows.tolist() == [[-1, 6], [5, 7], [6, -1]]


def test_pad_fills_on_the_right_and_cuts_at_max_length():
    batch, lengths = pad([[1, 2, 3], [4]], value=0)
    assert batch.tolist() == [[1, 2, 3], [4, 0, 0]] and lengths.tolist() == [3, 1]
    batch, lengths = pad([[1, 2, 3], [4]], max_length=2)
    assert batch.tolist() == [[1, 2], [4, 0]] and lengths.tolist() == [2, 1]


def test_assets_are_found_by_file_name_only(tmp_path, monkeypatch):
    assert assets.path("lenet5_mnist.md").read_text().startswith("# Model card")
    (tmp_path / "x.json").write_text("{}")
    monkeypatch.setenv("PIZARRA_ASSETS", str(tmp_path))
    assert assets.path("x.json") == tmp_path / "x.json"
    for bad in ("../x.json", "", "/etc/passwd"):
        with pytest.raises(ValueError):
            assets.path(bad)
    with pytest.raises(FileNotFoundError, match="not loaded"):
        assets.path("nothing.npz")
