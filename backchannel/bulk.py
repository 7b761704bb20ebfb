"""Bulk work: the cycle collector paused while a command builds objects that all live to its end.

Python's cycle collector runs a full collection each time the objects alive have grown by a
quarter since the last one. Importing an export (about a million rows, keys and facts) or
drawing the whole network (100,000 small dicts and lists) makes objects that all stay alive
until the command is done: every full collection walks all of them again and frees nothing.
Pausing it for the build saves what those walks cost (an eighth of an import at 30,000
connections, half of ``map --all``); what the build leaves behind is freed before the
collector is back, so its first collection afterwards does not walk it either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off for the block (as it was after it, even on an error).

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
