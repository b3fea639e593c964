"""The GPU kernels' parameters, read from the one declaration that the kernels are written from too
(``web/js/gpu/kernel-params.json``, handed over by the GPU module): a dispatch's words by name.

A layout lists a kernel family's parameters in order, each ``u32`` or ``f32``, one word or
``TYPE[count]`` / ``TYPE[rows][count]``; ``dims`` stands for the largest rank a kernel takes.
Python never spells a word's index::

    layout = params.layout("reduce:sum")          # the family's layout: "reduce"
    words = layout.pack({"rows": 3, "outer_shape": (3,), ...})

A field of ``dims`` words (a shape, or strides) takes a shorter sequence padded on the left with 1
(a dimension of size 1, whose stride is never read); other fields missing words keep 0.
"""

from __future__ import annotations

import json
import re
from collections import namedtuple

import numpy as np

_TYPE = re.compile(r"^(u32|f32)(?:\[(\w+)\])?(?:\[(\w+)\])?$")


class KernelParams:
    """The declaration: ``words`` per dispatch, ``dims``, ``threads``, ``tile``, and the layouts."""

    def __init__(self, declaration):
        self.words, self.dims = declaration["words"], declaration["dims"]
        self.threads, self.tile = declaration["threads"], declaration["tile"]
        self._layouts = {}
        for name, spec in declaration["layouts"].items():
            layout = Layout(name, spec["fields"], self.dims)
            if layout.size > self.words:
                raise ValueError(f"layout {name}: {layout.size} words, above {self.words}")
            for kernel in spec["kernels"]:
                self._layouts[kernel] = layout

    @classmethod
    def from_json(cls, text):
        return cls(json.loads(text))

    def layout(self, kernel):
        """The layout of a kernel by its name (``"ew:add:10"`` → the family ``ew``'s)."""
        family = kernel.split(":")[0]
        if family not in self._layouts:
            raise ValueError(f"no parameter layout for kernel {kernel!r}")
        return self._layouts[family]


# Where a field's words start, how many (rows × columns), f32 or u32, and whether it holds a rank.
Field = namedtuple("Field", "start rows columns is_float is_rank")


class Layout:
    """One kernel family's parameter words."""

    def __init__(self, name, fields, dims):
        self.name = name
        self.fields = {}
        count = lambda word: dims if word == "dims" else int(word)
        start = 0
        for field, type_ in fields.items():
            match = _TYPE.match(type_)
            if match is None:
                raise ValueError(f"layout {name}: field {field} has an unknown type {type_}")
            kind, first, second = match.groups()
            rows, columns = (count(first), count(second)) if second else (1, count(first) if first else 1)
            self.fields[field] = Field(start, rows, columns, kind == "f32", (second or first) == "dims")
            start += rows * columns
        self.size = start

    def pack(self, values):
        """The words of one dispatch: ``values`` maps field names to numbers, sequences (a field of
        several words) or sequences of rows (``None`` for a row left at 0)."""
        words = [0] * self.size
        for name, value in values.items():
            field = self.fields.get(name)
            if field is None:
                raise ValueError(f"layout {self.name} has no field {name!r}")
            if field.rows > 1:
                for row, entries in enumerate(value):
                    if entries is not None:
                        self._put(words, field, field.start + row * field.columns, entries)
            elif field.columns > 1:
                self._put(words, field, field.start, value)
            else:
                words[field.start] = _word(value, field.is_float)
        return words

    def _put(self, words, field, start, entries):
        entries = tuple(entries)
        if len(entries) > field.columns:
            raise ValueError(f"layout {self.name}: {len(entries)} values for {field.columns} words")
        if field.is_rank:
            entries = (1,) * (field.columns - len(entries)) + entries
        for i, value in enumerate(entries):
            words[start + i] = _word(value, field.is_float)


def _word(value, is_float):
    """A u32 word: an integer as it is, a float32 by its bits."""
    return int(np.float32(value).view(np.uint32)) if is_float else int(value)
