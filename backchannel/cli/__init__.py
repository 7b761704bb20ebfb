"""The ``backchannel`` command line: thin click commands over ``backchannel.api`` and ``output.py``
(the only package that imports click).

``base`` is the frame (the group, errors, the workspace, shared options and renderers); the
commands live by topic: ``importing`` (``import linkedin|interviews|mail``), ``interviews``
(recording interviews and their people, ``people``, ``rank``, ``reconnect``), ``touches``
(the plan and the log), ``views`` (``map``, ``report``, ``demo``).

Imports are lazy: ``backchannel --help`` loads neither pandas, networkx, pyvis nor Babel.
"""

from __future__ import annotations

from . import importing, interviews, touches, views  # noqa: F401  (each registers its commands)
from .base import cli, main

__all__ = ["cli", "main"]
