"""Subword pieces by byte-pair encoding: merges by hand, encoding by rank, words glued back."""

from pizarra.data.subwords import BPE, MARK, UNK, join, word_spans

# Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3.
WORDS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}


def test_merges_by_hand():
    bpe = BPE.learn(WORDS, 4)
    # e s: 6 + 3 = 9 = s t (ties: the pair that sorts first), then es t 9, o w 7 (low, lower), then ▁l ow 7.
    assert bpe.merges == [("e", "s"), ("es", "t"), ("o", "w"), (MARK + "l", "ow")]
    assert bpe.encode_word("newest") == [MARK + "n", "e", "w", "est"]
    assert bpe.encode_word("lowest") == [MARK + "low", "est"]  # a word never seen, from known pieces


def test_encoding_applies_merges_by_rank_and_marks_unknown_characters():
    bpe = BPE.learn(WORDS, 10)
    assert bpe.encode(["low", "widest"]) == [MARK + "low", MARK + "widest"]
    assert bpe.encode_word("lowz") == [MARK + "low", UNK]
    assert bpe.encode_word("zow") == [MARK + UNK, "ow"]


def test_learning_stops_when_no_pair_is_frequent_enough():
    assert len(BPE.learn({"ab": 1, "cd": 1}, 10).merges) == 0
    assert BPE.learn({"ab": 2}, 10).merges == [(MARK + "a", "b")]


def test_pieces_glue_back_into_the_words():
    bpe = BPE.learn({"él": 2, "trabaja": 3, "trabajamos": 2, "con": 9, "los": 8, "dos": 4, "es": 2}, 12)
    words = ["él", "trabaja", "con", "los", "dos", "trabajadores"]
    pieces = bpe.encode(words)
    assert join(pieces) == words
    assert len(word_spans(pieces)) == len(words)
    assert all(pieces[a].startswith(MARK) for a, _ in word_spans(pieces))


def test_a_table_survives_its_dictionary():
    bpe = BPE.learn(WORDS, 6)
    again = BPE.from_dict(bpe.to_dict())
    assert again.merges == bpe.merges and again.vocabulary() == bpe.vocabulary()
    assert again.encode(["lowest", "newer"]) == bpe.encode(["lowest", "newer"])
