"""``Module`` and ``Parameter``: the containers of every layer and model.

As in PyTorch, assigning a :class:`Parameter` or a :class:`Module` to an
attribute registers it, so ``parameters()`` and ``state_dict()`` find it;
``register_buffer`` registers state that is saved but not trained (batch
norm's running statistics). ``state_dict()`` uses PyTorch's key names
(``"0.weight"``, ``"bn.running_mean"``, ...) with NumPy arrays as values, so
weights move between PyTorch and Pizarra with
``{k: v.numpy() for k, v in torch_model.state_dict().items()}``.
"""

from collections import OrderedDict

import numpy as np

from ..tensor import Tensor


class Parameter(Tensor):
    """A tensor that a module trains: ``requires_grad=True`` by default."""

    def __init__(self, data, requires_grad=True):
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of layers and models: subclasses define ``forward``.

    ``module(x)`` calls ``forward(x)``. ``training`` (``train()`` /
    ``eval()``) switches dropout and batch norm between their training and
    evaluation behaviour.
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    # --- registration ------------------------------------------------------------

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError("call super().__init__() before assigning attributes of a Module")
        if isinstance(value, (Parameter, Module)):
            for registry in (self._parameters, self._buffers, self._modules):
                registry.pop(name, None)
            self.__dict__.pop(name, None)
            (self._parameters if isinstance(value, Parameter) else self._modules)[name] = value
        elif name in self._buffers:
            self.register_buffer(name, value)
        elif name in self._parameters or name in self._modules:
            raise TypeError(
                f"cannot assign {type(value).__name__} to {name!r}: expected a Parameter or a Module"
            )
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        for registry in ("_parameters", "_buffers", "_modules"):
            table = self.__dict__.get(registry, {})
            if name in table:
                return table[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def register_buffer(self, name, value):
        """Saved in ``state_dict`` but not a parameter (e.g. ``running_mean``)."""
        self._buffers[name] = value if value is None or isinstance(value, Tensor) else Tensor(value)

    def register_parameter(self, name, param):
        self._parameters[name] = param

    # --- traversal ---------------------------------------------------------------

    def named_children(self):
        return iter(self._modules.items())

    def children(self):
        return iter(self._modules.values())

    def named_modules(self, prefix=""):
        """This module and every descendant, with dotted names."""
        yield prefix, self
        for name, child in self._modules.items():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def _named_members(self, registry):
        seen = set()
        for prefix, module in self.named_modules():
            for name, value in getattr(module, registry).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{prefix}.{name}" if prefix else name), value

    def named_parameters(self):
        """``(name, parameter)`` pairs; a shared parameter appears once."""
        return self._named_members("_parameters")

    def parameters(self):
        for _, param in self.named_parameters():
            yield param

    def named_buffers(self):
        return self._named_members("_buffers")

    def buffers(self):
        for _, buf in self.named_buffers():
            yield buf

    def apply(self, fn):
        """Call ``fn(m)`` on every submodule and on ``self`` (e.g. to initialise)."""
        for child in self._modules.values():
            child.apply(fn)
        fn(self)
        return self

    # --- modes and gradients --------------------------------------------------------

    def train(self, mode=True):
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        """Forget the gradients (``grad = None``, PyTorch's default)."""
        for param in self.parameters():
            param.grad = None

    def to(self, dtype):
        """Convert parameters and floating-point buffers to ``dtype`` in place."""
        for tensor in list(self.parameters()) + list(self.buffers()):
            if tensor.dtype.kind == "f":
                tensor.data = tensor.data.astype(dtype)
                tensor.grad = None
        return self

    def double(self):
        return self.to(np.float64)

    def float(self):
        return self.to(np.float32)

    # --- saving and loading ------------------------------------------------------------

    def state_dict(self):
        """``{name: array}`` of parameters and buffers, PyTorch's names and order."""
        state = OrderedDict()
        for prefix, module in self.named_modules():
            dot = f"{prefix}." if prefix else ""
            for registry in (module._parameters, module._buffers):
                for name, value in registry.items():
                    if value is not None:
                        state[dot + name] = value.data.copy()
        return state

    def load_state_dict(self, state_dict, strict=True):
        """Copy arrays into the parameters and buffers of the same names.

        With ``strict`` every key must match both ways; shapes must always
        match. Returns ``(missing_keys, unexpected_keys)``.
        """
        own = OrderedDict()
        for prefix, module in self.named_modules():
            dot = f"{prefix}." if prefix else ""
            for registry in (module._parameters, module._buffers):
                own.update((dot + name, value) for name, value in registry.items() if value is not None)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        if strict and (missing or unexpected):
            raise KeyError(f"state_dict mismatch: missing {missing}, unexpected {unexpected}")
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = np.asarray(state_dict[key])
            if value.shape != target.shape:
                raise ValueError(f"{key}: expected shape {target.shape}, got {value.shape}")
            target.data = value.astype(target.dtype, copy=True)
        return missing, unexpected

    # --- calling and printing ---------------------------------------------------------

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"({name}): " + repr(child).replace("\n", "\n  ") for name, child in self._modules.items()]
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not lines:
            return head + ")"
        return head + "\n  " + "\n  ".join(lines) + "\n)"


class Sequential(Module):
    """Modules applied one after another; parameter names ``"0.weight"``, ...

    ``Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1), nn.Sigmoid())``
    """

    def __init__(self, *modules):
        super().__init__()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def forward(self, x):
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, i):
        items = list(self._modules.values())
        return Sequential(*items[i]) if isinstance(i, slice) else items[i]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self._modules[str(len(self._modules))] = module
        return self


class ModuleList(Module):
    """A list of modules whose parameters are registered (``"0.weight"``, ...)."""

    def __init__(self, modules=()):
        super().__init__()
        for module in modules:
            self.append(module)

    def append(self, module):
        self._modules[str(len(self._modules))] = module
        return self

    def __getitem__(self, i):
        items = list(self._modules.values())
        return ModuleList(items[i]) if isinstance(i, slice) else items[i]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())
