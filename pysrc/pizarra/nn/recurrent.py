"""Recurrent layers (course, section 3): ``RNN``, ``LSTM``, ``GRU``.

Names, shapes and parameter layouts are PyTorch's, so ``state_dict`` keys and
arrays match ``torch.nn.RNN/LSTM/GRU``. Per layer ``l`` and direction (suffix
``""`` forward, ``"_reverse"`` backward) there are::

    weight_ih_l{l}  (G·H, input of the layer)   the input weights U (all gates stacked)
    weight_hh_l{l}  (G·H, H)                    the recurrent weights W
    bias_ih_l{l}, bias_hh_l{l}  (G·H,)          two biases (PyTorch's layout; their sum is b)

with ``G`` = 1 (RNN), 4 (LSTM, gates i, f, g, o) or 3 (GRU, gates r, z, n).
Layer 0 reads ``input_size`` features; deeper layers read the ``D·H`` outputs
of the layer below (``D`` = 2 when bidirectional).

Shapes (``T`` time steps, ``N`` sequences, ``D·L`` = directions × layers)::

    input   (T, N, input_size), or (N, T, input_size) with batch_first=True,
            or (T, input_size) for a single sequence
    output  (T, N, D·H)  [or (N, T, D·H)]: the top layer's h_t, both directions
            concatenated (the backward direction's h_t has read x_t … x_T)
    h_n     (D·L, N, H): the last state of every layer and direction
            (LSTM: the pair (h_n, c_n); hx is given the same way)

The input projection ``U x_t`` is one matrix product for all time steps;
only the recurrence loops over time. Gradients through the loop are
backpropagation through time, done by autograd.
"""

import math

import numpy as np

from ..ops import cat, stack
from ..tensor import zeros
from . import functional as F
from . import init
from .module import Module, Parameter


class _RecurrentBase(Module):
    """What RNN, LSTM and GRU share: parameters, layers, directions, shapes.

    A subclass sets ``gates`` (blocks stacked in each weight), ``state_size``
    (1 for ``h``, 2 for LSTM's ``(h, c)``) and writes one time step in
    ``cell(x_proj, state, weight_hh_t, bias_hh)`` where ``x_proj = U x_t + b_ih``
    and ``weight_hh_t`` is ``Wᵀ`` (so that ``h @ weight_hh_t`` is ``W h``).
    """

    gates = 1
    state_size = 1

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
    ):
        super().__init__()
        if not 0 <= dropout <= 1:
            raise ValueError(f"dropout must be in [0, 1], got {dropout}")
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, dropout
        self.bidirectional = bidirectional
        self.num_directions = 2 if bidirectional else 1
        # PyTorch's initialisation: every weight and bias ~ U(-1/√H, 1/√H).
        bound = 1 / math.sqrt(hidden_size)

        def uniform(*shape):
            return init.uniform_(Parameter(np.empty(shape, "float32")), -bound, bound)

        rows = self.gates * hidden_size
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * self.num_directions
            for suffix in self._suffixes():
                setattr(self, f"weight_ih_l{layer}{suffix}", uniform(rows, layer_input))
                setattr(self, f"weight_hh_l{layer}{suffix}", uniform(rows, hidden_size))
                if bias:
                    setattr(self, f"bias_ih_l{layer}{suffix}", uniform(rows))
                    setattr(self, f"bias_hh_l{layer}{suffix}", uniform(rows))

    def _suffixes(self):
        return ("", "_reverse")[: self.num_directions]

    def _weights(self, layer, direction):
        suffix = self._suffixes()[direction]
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, f"{name}_l{layer}{suffix}", None) for name in names]

    def cell(self, x_proj, state, weight_hh_t, bias_hh):
        raise NotImplementedError

    def forward(self, input, hx=None):
        batched = input.ndim == 3
        if not batched:  # (T, input_size): a batch of one
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)  # work in (T, N, features)
        if input.shape[0] == 0:
            raise ValueError("the input sequence is empty")
        states = self._initial_states(hx, input.shape[1], input.dtype, batched)

        layer_input, last = input, []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                sequence, state = self._run(layer_input, tuple(s[k] for s in states), layer, direction)
                outputs.append(sequence)
                last.append(state)
            layer_input = outputs[0] if len(outputs) == 1 else cat(outputs, dim=2)
            if layer < self.num_layers - 1 and self.dropout > 0:
                layer_input = F.dropout(layer_input, self.dropout, self.training)

        output = layer_input
        finals = tuple(stack([state[i] for state in last], dim=0) for i in range(self.state_size))
        if not batched:
            output, finals = output.squeeze(1), tuple(f.squeeze(1) for f in finals)
        elif self.batch_first:
            output = output.transpose(0, 1)
        return output, (finals[0] if self.state_size == 1 else finals)

    def _initial_states(self, hx, batch, dtype, batched):
        """``hx`` as a tuple of ``(D·L, N, H)`` tensors (zeros when not given)."""
        shape = (self.num_layers * self.num_directions, batch, self.hidden_size)
        if hx is None:
            return tuple(zeros(*shape, dtype=dtype) for _ in range(self.state_size))
        states = (hx,) if self.state_size == 1 else tuple(hx)
        if not batched:
            states = tuple(s.unsqueeze(1) for s in states)
        for s in states:
            if tuple(s.shape) != shape:
                raise ValueError(f"expected hidden state of shape {shape}, got {tuple(s.shape)}")
        return states

    def _run(self, x, state, layer, direction):
        """One layer in one direction over the whole sequence ``x (T, N, in)``.

        Returns the states ``h_t`` stacked in time order ``(T, N, H)`` and the
        final state (the one after ``x_1`` for the backward direction).
        """
        weight_ih, weight_hh, bias_ih, bias_hh = self._weights(layer, direction)
        x_proj = x @ weight_ih.T  # U x_t for every t at once: (T, N, G·H)
        if bias_ih is not None:
            x_proj = x_proj + bias_ih
        weight_hh_t = weight_hh.T
        inputs = _time_steps(x_proj)
        steps = range(len(inputs))
        hidden = [None] * len(inputs)
        for t in reversed(steps) if direction == 1 else steps:
            state = self.cell(inputs[t], state, weight_hh_t, bias_hh)
            hidden[t] = state[0]
        return stack(hidden, dim=0), state

    def extra_repr(self):
        options = [f"{self.input_size}, {self.hidden_size}"]
        if self.num_layers != 1:
            options.append(f"num_layers={self.num_layers}")
        if not self.bias:
            options.append("bias=False")
        if self.batch_first:
            options.append("batch_first=True")
        if self.dropout:
            options.append(f"dropout={self.dropout}")
        if self.bidirectional:
            options.append("bidirectional=True")
        return ", ".join(options)


def _time_steps(x):
    """``[x[0], …, x[T-1]]``, cut by halving ``x`` rather than indexing it ``T`` times.

    The gradient of a slice is as large as the tensor it was cut from, so ``T``
    direct slices would cost ``O(T²)`` in the backward pass; halving costs
    ``O(T log T)``.
    """
    if x.shape[0] == 1:
        return [x[0]]
    half = x.shape[0] // 2
    return _time_steps(x[:half]) + _time_steps(x[half:])


def _plus(tensor, bias):
    return tensor if bias is None else tensor + bias


class RNN(_RecurrentBase):
    """Elman recurrent network, as ``torch.nn.RNN``::

        h_t = tanh(b + W h_{t-1} + U x_t)

    with ``U = weight_ih_l0``, ``W = weight_hh_l0``, ``b = bias_ih_l0 + bias_hh_l0``
    (``nonlinearity="relu"`` uses ReLU instead of tanh). The output layer
    ``o_t = c + V h_t`` of the course is a separate ``nn.Linear``.
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        num_layers=1,
        nonlinearity="tanh",
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
    ):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)
        self.nonlinearity = nonlinearity

    def cell(self, x_proj, state, weight_hh_t, bias_hh):
        (h,) = state
        pre = _plus(x_proj + h @ weight_hh_t, bias_hh)
        return (pre.tanh() if self.nonlinearity == "tanh" else pre.relu(),)


class LSTM(_RecurrentBase):
    """Long short-term memory, as ``torch.nn.LSTM``. The course writes it with
    ``[h_{t-1}, x_t]`` concatenated (so ``W_f [h_{t-1}, x_t] = W_hf h_{t-1} + W_if x_t``)::

        f_t = σ(W_f [h_{t-1}, x_t] + b_f)              forget gate
        i_t = σ(W_i [h_{t-1}, x_t] + b_i)              input gate
        C̃_t = tanh(W_C [h_{t-1}, x_t] + b_C)           candidate (PyTorch's g)
        o_t = σ(W_o [h_{t-1}, x_t] + b_o)              output gate
        C_t = f_t * C_{t-1} + i_t * C̃_t                cell state
        h_t = o_t * tanh(C_t)

    PyTorch stacks the gates in the order i, f, g, o: rows ``0:H`` of
    ``weight_ih_l0`` are ``W_ii``, rows ``H:2H`` are ``W_if``, and so on.

    Parameters per layer and direction: ``4 (d_h + d_x + 1) d_h`` as in the
    course, plus ``4 d_h`` for PyTorch's second bias (``b = b_ih + b_hh``).
    """

    gates = 4
    state_size = 2

    def cell(self, x_proj, state, weight_hh_t, bias_hh):
        h, c = state
        gates = _plus(x_proj + h @ weight_hh_t, bias_hh)
        size = self.hidden_size
        i = gates[:, 0 * size : 1 * size].sigmoid()
        f = gates[:, 1 * size : 2 * size].sigmoid()
        g = gates[:, 2 * size : 3 * size].tanh()
        o = gates[:, 3 * size : 4 * size].sigmoid()
        c = f * c + i * g
        return o * c.tanh(), c


class GRU(_RecurrentBase):
    """Gated recurrent unit (the lighter LSTM), as ``torch.nn.GRU``; gates in
    PyTorch's order r, z, n::

        r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)          reset gate
        z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)          update gate
        n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))   candidate
        h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    Note ``r_t`` multiplies ``W_hn h_{t-1} + b_hn`` (PyTorch's exact form),
    which is why the two biases are not interchangeable here.
    """

    gates = 3

    def cell(self, x_proj, state, weight_hh_t, bias_hh):
        (h,) = state
        h_proj = _plus(h @ weight_hh_t, bias_hh)
        size = self.hidden_size
        r = (x_proj[:, :size] + h_proj[:, :size]).sigmoid()
        z = (x_proj[:, size : 2 * size] + h_proj[:, size : 2 * size]).sigmoid()
        n = (x_proj[:, 2 * size :] + r * h_proj[:, 2 * size :]).tanh()
        return ((1 - z) * n + z * h,)


__all__ = ["RNN", "LSTM", "GRU"]
