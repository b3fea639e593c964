"""The random number generator shared by the whole engine.

``manual_seed(s)`` makes every random draw in ``pizarra`` reproducible
(initialisation, dropout masks, ``randn``), as ``torch.manual_seed`` does.
Always ask ``generator()`` for the current generator: ``manual_seed``
replaces it.
"""

import numpy as np

_generator = np.random.default_rng()


def manual_seed(seed):
    """Restart the shared generator from ``seed``; returns it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def generator():
    """The shared ``numpy.random.Generator``."""
    return _generator
