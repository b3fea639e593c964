"""Convolutional networks for images (course section 5).

The pattern ``INPUT → [[CONV → RELU]^N → POOL]^M → flatten → [FC → RELU]^K → FC``.
"""

from . import nn


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
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))
