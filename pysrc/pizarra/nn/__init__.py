"""Neural-network layers with PyTorch's names, shapes and parameter layouts.

``pizarra.nn`` mirrors ``torch.nn``: :class:`Module`, :class:`Parameter`,
layers, activations and losses as modules; ``nn.functional`` (``F``) holds
the same computations as functions; ``nn.init`` the initialisations;
``nn.utils.clip_grad_norm_`` gradient clipping.
"""

from . import functional, init, utils
from .activation import ELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .attention import AdditiveAttention, MultiheadAttention
from .conv import Conv2d
from .linear import Dropout, Embedding, Flatten, Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import Module, ModuleList, Parameter, Sequential
from .normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from .pooling import AvgPool2d, MaxPool2d
from .recurrent import GRU, LSTM, RNN
from .transformer import TransformerDecoderLayer, TransformerEncoderLayer, causal_mask
