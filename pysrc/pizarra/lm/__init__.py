"""Language models (course, section 3): n-grams by counting against character-level RNN, LSTM and GRU.

- :mod:`.ngram` — :class:`NGramModel` with no smoothing, add-k or Kneser–Ney; the bigram table
- :mod:`.recurrent` — :class:`RecurrentLM` (embedding → RNN/LSTM/GRU → linear), truncated BPTT, perplexity
- :mod:`.sampling` — temperature, greedy and top-k
- :mod:`.reading` — either model following a text token by token (generation, the LSTM's gates)
- :mod:`.corpus` — the English and Spanish corpora, their split and character vocabulary
- :mod:`.models` — the committed recurrent models and their model cards
- :mod:`.settings` — the bounds the page's settings must keep
- :mod:`.train` — ``python3 build.py train lm``
"""

from .ngram import NGramModel
from .recurrent import RecurrentLM, TruncatedBPTT
from .sampling import reweight, sample

__all__ = ["NGramModel", "RecurrentLM", "TruncatedBPTT", "reweight", "sample"]
