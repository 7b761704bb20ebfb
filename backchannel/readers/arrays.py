"""Arrow arrays as numpy and back, at the buffer level, and the memory the readers' Arrow work uses.

pyarrow imports pandas (half a second, 40 MiB) the first time it converts Python or numpy
values (``pa.array``, ``to_numpy``, scalars, Acero group-bys): the readers convert at the
buffer level instead, which is also free of copies. Every Arrow allocation of the readers goes
to one pool (:data:`POOL`), and what a read freed goes back to the system after it
(:func:`hand_back_memory`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import pyarrow as pa

__all__ = ["POOL", "hand_back_memory", "Column", "chunks_of", "ints", "bools", "bool_array", "int_array",
           "string_array", "value_sizes", "measure", "text_breaks", "distinct_sorted"]


# ----------------------------------------------------------------------------- memory


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, which hands the memory malloc holds free back to the system
    (None where the C library has none: macOS, Windows, musl)."""
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def hand_back_memory() -> None:
    """Hand the memory a read freed back to the system, where the pool keeps it (glibc)."""
    if _TRIM is not None:
        _TRIM(0)


def _reader_pool() -> pa.MemoryPool:
    """The memory pool of the readers: the C library's malloc where what it keeps after a
    file can be handed back (glibc: :func:`~backchannel.readers.table.read_csv` does, ``malloc_trim``), else jemalloc set
    to hand freed memory back at once.

    A streaming read allocates and frees a block's worth of memory per block (Arrow's parser
    copies every field of a block, the message bodies too). Arrow's default pool (mimalloc)
    keeps much of what is freed: reading a million messages peaked at 290 MiB with it.
    jemalloc handing each freed block back at once peaked at 200 MiB, but paid a page fault
    for every 4 KiB read again: 0.4 s per million messages, as long as Arrow's parse itself.
    malloc reuses the freed blocks as they are, and what it holds after the file goes back
    in one call: 0.3 s less per million messages, and the same peak or lower.
    """
    if _TRIM is not None:
        return pa.system_memory_pool()
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()
    pa.jemalloc_set_decay_ms(0)  # pyarrow's own jemalloc: nothing else in the process uses it
    return pool


#: every Arrow allocation of the readers goes here
POOL = _reader_pool()

# ----------------------------------------------------------------------------- Arrow <-> numpy


#: one Arrow array, or several side by side (Arrow's functions take either)
Column: TypeAlias = "pa.Array | pa.ChunkedArray"


def chunks_of(values: Column) -> list[pa.Array]:
    """The arrays of a column, one or several."""
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def ints(values: Column) -> np.ndarray:
    """An integer Arrow array without nulls as numpy (a view of its buffer when it is one chunk)."""
    parts = []
    for chunk in chunks_of(values):
        dtype = _NUMPY[chunk.type.id]
        parts.append(np.frombuffer(chunk.buffers()[1], dtype=dtype, count=len(chunk),
                                   offset=chunk.offset * dtype.itemsize))
    return _joined(parts, np.int64)


def bools(values: Column) -> np.ndarray:
    """A boolean Arrow array as numpy; null is False."""
    parts = []
    for chunk in chunks_of(values):
        n, start = len(chunk), chunk.offset
        validity, data = chunk.buffers()[:2]
        out = np.unpackbits(np.frombuffer(data, dtype=np.uint8), bitorder="little")[start:start + n].astype(bool)
        if validity is not None and chunk.null_count:
            out &= np.unpackbits(np.frombuffer(validity, dtype=np.uint8),
                                 bitorder="little")[start:start + n].astype(bool)
        parts.append(out)
    return _joined(parts, bool)


def bool_array(mask: np.ndarray) -> pa.Array:
    """A numpy boolean mask as an Arrow array (for ``pc.filter``)."""
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(np.packbits(mask, bitorder="little"))])


def int_array(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as an Arrow array (for ``pc.take``)."""
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


def string_array(values: list[str]) -> pa.Array:
    """Python strings as an Arrow string array (for ``value_set``)."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    return pa.Array.from_buffers(pa.string(), len(encoded),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


_NUMPY: dict[int, np.dtype] = {pa.int8().id: np.dtype(np.int8), pa.int16().id: np.dtype(np.int16), pa.int32().id: np.dtype(np.int32),
          pa.int64().id: np.dtype(np.int64), pa.uint8().id: np.dtype(np.uint8),
          pa.uint32().id: np.dtype(np.uint32), pa.uint64().id: np.dtype(np.uint64),
          pa.timestamp("s").id: np.dtype(np.int64)}


def value_sizes(values: Column) -> np.ndarray:
    """The size in bytes of each value of a string or binary array."""
    parts = []
    for chunk in chunks_of(values):
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
        parts.append(np.diff(offsets))
    return _joined(parts, np.int32)


def measure(values: Column) -> tuple[np.ndarray, np.ndarray | None]:
    """The size in bytes of each value of a string or binary array, and the line breaks
    inside each (None when there are none), counted as Python counts lines: CR LF once, a
    lone CR or LF once."""
    chunks = chunks_of(values)
    measured = [_measure(chunk) for chunk in chunks]
    sizes = _joined([m[0] for m in measured], np.int32)
    if all(m[1] is None for m in measured):
        return sizes, None
    return sizes, np.concatenate([m[1] if m[1] is not None else np.zeros(len(c), dtype=np.int64)
                                  for m, c in zip(measured, chunks, strict=True)])


def _measure(values: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    n = len(values)
    _validity, offsets_buffer, data = values.buffers()[:3]
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32, count=n + 1, offset=values.offset * 4)
    sizes = np.diff(offsets)
    start, end = int(offsets[0]), int(offsets[-1])
    if data is None or start == end:
        return sizes, None
    raw = data[start:end].to_pybytes()
    if b"\n" not in raw and b"\r" not in raw:  # the common case, at memchr speed
        return sizes, None
    codes = np.frombuffer(raw, dtype=np.uint8)
    feeds = np.flatnonzero(codes == 10) + start
    breaks = np.diff(np.searchsorted(feeds, offsets))
    returns = np.flatnonzero(codes == 13)
    if len(returns):
        # a CR followed by an LF of the same value is one line break with it
        paired = returns[(returns + 1 < len(codes)) & (codes[np.minimum(returns + 1, len(codes) - 1)] == 10)] + start
        paired = paired[~np.isin(paired + 1, offsets)]
        breaks += np.diff(np.searchsorted(returns + start, offsets)) - np.diff(np.searchsorted(paired, offsets))
    return sizes, breaks.astype(np.int64)


def text_breaks(text: str) -> int:
    """Line breaks in a text as Python counts lines: CR LF once, a lone CR or LF once."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def distinct_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for integers, without importing ``numpy.ma`` (6 ms), which
    numpy's own ``unique`` does the first time it is called without a ``return_*`` option.

    >>> distinct_sorted(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]
