"""backchannel: follow up after interviews and warm up the back channel, from your LinkedIn export.

The public API is loaded lazily so that ``backchannel --help`` stays fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "Backchannel",
    "BackchannelError",
    "read_export",
    "generate_export",
    "tie_strength",
    "build_graph",
    "BackchannelMap",
]

_LAZY = {
    "Backchannel": ("backchannel.api", "Backchannel"),
    "BackchannelError": ("backchannel.errors", "BackchannelError"),
    "read_export": ("backchannel.readers.export", "read_export"),
    "generate_export": ("backchannel.sample", "generate_export"),
    "tie_strength": ("backchannel.ties", "tie_strength"),
    "build_graph": ("backchannel.graph", "build_graph"),
    "BackchannelMap": ("backchannel.maps", "BackchannelMap"),
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backchannel' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
