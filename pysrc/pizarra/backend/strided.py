"""Shape and stride arithmetic for arrays that live in flat GPU buffers (pure Python, no GPU).

A device array is ``(offset, shape, strides)`` over a flat buffer of elements, like a NumPy view
but with strides counted in elements. Transposes, basic slices, broadcasts and most reshapes
are new views of the same buffer; kernels read views in place. The GPU kernels take shapes of a
bounded rank (``dims`` in ``web/js/gpu/kernel-params.json``); :func:`compress` merges dimensions
so that higher ranks fit when the layout allows it.
"""

from __future__ import annotations

import math


def contiguous_strides(shape):
    """Row-major strides (in elements) of ``shape``."""
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def is_contiguous(shape, strides):
    """True when the view reads its elements in row-major order without gaps."""
    return all(s == c for s, c, n in zip(strides, contiguous_strides(shape), shape) if n != 1)


def broadcast_shapes(*shapes):
    """NumPy's broadcast of shapes; ValueError when they do not fit."""
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for axis in range(ndim):
        sizes = {s[axis - ndim + len(s)] for s in shapes if axis - ndim + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise ValueError(
                f"operands could not be broadcast together with shapes {' '.join(map(str, shapes))}"
            )
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def broadcast_strides(shape, strides, out_shape):
    """Strides that read a view of ``shape`` as if it had ``out_shape`` (0 where it repeats)."""
    extra = len(out_shape) - len(shape)
    if extra < 0:
        raise ValueError(f"cannot broadcast {shape} to {out_shape}")
    result = [0] * extra
    for size, stride, target in zip(shape, strides, out_shape[extra:]):
        if size == target:
            result.append(stride if size != 1 else 0)
        elif size == 1:
            result.append(0)
        else:
            raise ValueError(f"cannot broadcast {shape} to {out_shape}")
    return tuple(result)


def compress(shape, *strides_list):
    """Merge adjacent dimensions that every operand walks contiguously (and drop size-1 ones).

    Returns ``(shape, [strides, …])`` of lower or equal rank describing the same element order.
    """
    dims = [(n, [s[i] for s in strides_list]) for i, n in enumerate(shape) if n != 1]
    merged = []
    for n, st in dims:
        if merged:
            pn, pst = merged[-1]
            if all(p == s * n for p, s in zip(pst, st)):
                merged[-1] = (pn * n, st)
                continue
        merged.append((n, st))
    new_shape = tuple(n for n, _ in merged)
    return new_shape, [tuple(st[k] for _, st in merged) for k in range(len(strides_list))]


def reshape_view(shape, strides, new_shape):
    """Strides of ``new_shape`` over the same elements, or None when a copy is needed."""
    size = math.prod(shape)
    new_shape = list(new_shape)
    if new_shape.count(-1) > 1:
        raise ValueError("can only specify one unknown dimension")
    if -1 in new_shape:
        known = math.prod(n for n in new_shape if n != -1)
        if known == 0 or size % known:
            raise ValueError(f"cannot reshape array of size {size} into shape {tuple(new_shape)}")
        new_shape[new_shape.index(-1)] = size // known
    new_shape = tuple(new_shape)
    if math.prod(new_shape) != size:
        raise ValueError(f"cannot reshape array of size {size} into shape {new_shape}")
    if size == 0 or is_contiguous(shape, strides):
        return new_shape, contiguous_strides(new_shape)
    return new_shape, None


def basic_index(shape, strides, offset, index):
    """Apply a basic index (ints, slices with positive steps, None, Ellipsis) to a view.

    Returns ``(shape, strides, offset)``, or None when the index is advanced (arrays, lists,
    booleans) or has a negative step, which need a gather.
    """
    if not isinstance(index, tuple):
        index = (index,)
    if any(not isinstance(i, (int, slice, type(None), type(Ellipsis))) or isinstance(i, bool) for i in index):
        return None
    if sum(i is Ellipsis for i in index) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(1 for i in index if i is not None and i is not Ellipsis)
    if used > len(shape):
        raise IndexError(
            f"too many indices for array: array is {len(shape)}-dimensional, but {used} were indexed"
        )
    if Ellipsis in index:
        at = index.index(Ellipsis)
        index = index[:at] + (slice(None),) * (len(shape) - used) + index[at + 1 :]
    else:
        index = index + (slice(None),) * (len(shape) - used)
    out_shape, out_strides, axis = [], [], 0
    for item in index:
        if item is None:
            out_shape.append(1)
            out_strides.append(0)
            continue
        size, stride = shape[axis], strides[axis]
        if isinstance(item, int):
            position = item + size if item < 0 else item
            if not 0 <= position < size:
                raise IndexError(f"index {item} is out of bounds for axis {axis} with size {size}")
            offset += position * stride
        else:
            start, stop, step = item.indices(size)
            if step < 0:
                return None
            count = max(0, (stop - start + step - 1) // step)
            if count:
                offset += start * stride
            out_shape.append(count)
            out_strides.append(stride * step)
        axis += 1
    return tuple(out_shape), tuple(out_strides), offset


def chunks(total, limit):
    """Split ``total`` workgroups into dispatches of at most ``limit``: ``[(base, count), …]``."""
    return [(base, min(limit, total - base)) for base in range(0, total, limit)]


def collapse_batch(shape, strides):
    """One stride that walks the batch dimensions ``shape`` in row-major order, or None."""
    dims = [(n, s) for n, s in zip(shape, strides) if n != 1]
    if not dims:
        return 0
    for (_, s0), (n1, s1) in zip(dims, dims[1:]):
        if s0 != s1 * n1:
            return None
    return dims[-1][1]
