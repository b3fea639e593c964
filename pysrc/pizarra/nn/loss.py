"""Loss modules, as ``torch.nn``: ``criterion = nn.CrossEntropyLoss(); loss = criterion(o, y)``.

Formulas in :mod:`pizarra.nn.functional`.
"""

from . import functional as F
from .module import Module


class MSELoss(Module):
    """Mean squared error ``mean (ŷ - y)²``."""

    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class BCELoss(Module):
    """Binary cross-entropy on probabilities ``ŷ = σ(o)``."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__()
        self.weight, self.reduction = weight, reduction

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(Module):
    """Binary (or multi-label) cross-entropy on logits ``o``, stable."""

    def __init__(self, weight=None, reduction="mean"):
        super().__init__()
        self.weight, self.reduction = weight, reduction

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction)


class NLLLoss(Module):
    """Negative log-likelihood on log-probabilities."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__()
        self.weight, self.ignore_index, self.reduction = weight, ignore_index, reduction

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class CrossEntropyLoss(Module):
    """Cross-entropy of ``softmax(o)`` from logits ``o`` (class indices or probabilities)."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__()
        self.weight, self.ignore_index, self.reduction = weight, ignore_index, reduction

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction)
