"""The CNN digits page's models (course section 5): LeNet-5 reading a digit drawn on the page.

- :mod:`.lenet`: the network, its committed weights, each layer's output and receptive field;
- :mod:`.drawing`: a drawing normalised as MNIST normalised its scans;
- :mod:`.mnist`: the digits prepared from their registry archive (``build.py`` runs it once);
- :mod:`.train`: the training run (the page's and ``build.py train cnn``'s) and the model card.
"""

from .drawing import normalize_drawing
from .lenet import CLASSES, LeNet5, layer_outputs, predict_proba, pretrained, receptive_fields

__all__ = [
    "CLASSES",
    "LeNet5",
    "layer_outputs",
    "normalize_drawing",
    "predict_proba",
    "pretrained",
    "receptive_fields",
]
