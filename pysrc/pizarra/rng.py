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


class using:
    """Context manager: draw from ``generator`` inside the block, then restore
    the previous shared generator, so that one computation (a training run
    advanced in chunks) has its own reproducible stream whatever runs in between::

        run_generator = np.random.default_rng(7)
        with rng.using(run_generator):
            model = build_model()       # initialisation draws from run_generator
    """

    def __init__(self, generator):
        self.generator = generator

    def __enter__(self):
        global _generator
        self._previous, _generator = _generator, self.generator
        return self.generator

    def __exit__(self, *exc):
        global _generator
        _generator = self._previous
