"""The one exception family users see.

Every error that bad input can cause is a :class:`BackchannelError`. Its message names
the file and line where there is one and says what to do; the CLI prints it as
``Error: ...`` on one line and exits non-zero, without a traceback.
"""

from __future__ import annotations

__all__ = ["BackchannelError", "InputError", "NotFoundError"]


class BackchannelError(Exception):
    """A problem the user can fix; ``str()`` is a single line."""

    def __init__(self, message: str, *, path: object | None = None, line: int | None = None):
        self.message = " ".join(str(message).split())
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        return where + self.message


class InputError(BackchannelError):
    """A file that cannot be read as what it claims to be."""


class NotFoundError(BackchannelError):
    """An interview, touch or company that is not in the workspace."""
