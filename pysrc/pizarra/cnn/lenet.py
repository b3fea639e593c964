"""LeNet-5, the convolutional network of the CNN page (course section 5), and its committed weights.

The pattern ``INPUT → [[CONV → RELU]^N → POOL]^M → flatten → [FC → RELU]^K → FC``.
"""

import importlib.resources
import io

import numpy as np

from .. import nn
from ..nn import functional as F
from ..tensor import no_grad, tensor

CLASSES = 10
WEIGHTS = "lenet5_mnist.npz"


class LeNet5(nn.Module):
    """LeNet-5 (LeCun et al. 1998) in its common modern form, for 1×28×28 digits.

    conv 5×5, 6 maps, padding 2 (28×28) → ReLU → max-pool 2 (14×14)
    → conv 5×5, 16 maps (10×10) → ReLU → max-pool 2 (5×5)
    → flatten (400) → FC 120 → ReLU → FC 84 → ReLU → FC 10 = o;  ŷ = softmax(o).
    Differences from the 1998 paper: ReLU instead of scaled tanh, max instead of trainable
    average pooling, full C3 connectivity, and a linear output layer instead of RBF units.
    """

    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def layer_outputs(model, x):
    """Run ``model`` (a ``features`` then a ``classifier`` Sequential) on ``x`` and return every
    layer's output in order: ``[(name, module, output), …]``, names as in ``state_dict``."""
    outputs = []
    for part in ("features", "classifier"):
        for i, module in enumerate(getattr(model, part)):
            x = module(x)
            outputs.append((f"{part}.{i}", module, x))
    return outputs


def receptive_fields(layers):
    """Where each output pixel of a stack of convolution, pooling and element-wise layers looks
    in the input: ``[(jump, size, start), …]``, one per layer, so that output pixel ``(r, c)``
    sees input rows ``start + r·jump … start + r·jump + size - 1`` (same for columns).

    With kernel ``k``, stride ``s`` and padding ``p``, from the input's ``(1, 1, 0)``:
    ``jump ← jump·s``, ``size ← size + (k - 1)·jump``, ``start ← start - p·jump`` (with the
    previous ``jump``; ``"same"`` padding is ``(k - 1) / 2``). Layers without a ``kernel_size`` (ReLU) change nothing.
    """
    jump, size, start, fields = 1, 1, 0, []
    for layer in layers:
        if hasattr(layer, "kernel_size"):
            k, s = (v if isinstance(v, int) else v[0] for v in (layer.kernel_size, layer.stride))
            p = {"valid": 0, "same": (k - 1) // 2}.get(layer.padding, layer.padding)
            p = p if isinstance(p, int) else p[0]
            start, size, jump = start - p * jump, size + (k - 1) * jump, jump * s
        fields.append((jump, size, start))
    return fields


def pretrained() -> LeNet5:
    """LeNet-5 with the committed weights (``pizarra/weights/lenet5_mnist.npz``)."""
    model = LeNet5()
    data = importlib.resources.files("pizarra").joinpath("weights", WEIGHTS).read_bytes()
    with np.load(io.BytesIO(data)) as state:
        model.load_state_dict(dict(state))
    return model.eval()


def predict_proba(model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """``ŷ = softmax(model(x))`` for images ``(N, 28, 28)``, in batches, without the graph."""
    model.eval()
    out = []
    with no_grad():
        for i in range(0, len(images), batch_size):
            x = tensor(images[i : i + batch_size, None].astype(np.float32))
            out.append(F.softmax(model(x), dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, CLASSES), np.float32)
