"""Where each property of each event is, by the physical line it starts on.

icalendar keeps no line numbers, so the text is scanned on its own (folded lines, nesting,
a component never ended, a line that is no content line) for messages that name the line:
``invite.ics, line 12`` (:class:`_EventPlace`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class _Lines:
    """Where each property of each event is: the physical line its content line starts on."""

    events: list[dict[str, list[int]]]  # per VEVENT in document order: property name -> lines
    event_lines: list[int]  # the BEGIN:VEVENT line of each
    bad_line: int | None  # the first line that is not a content line
    unclosed: tuple[str, int] | None  # a component never ended: (its name, its BEGIN line)
    cut_short: bool = False  # the text ends inside a component


_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+[;:]")
_PHYSICAL = re.compile(r"\r\n|\n|\r")


def _scan_lines(text: str) -> _Lines:
    events: list[dict[str, list[int]]] = []
    event_lines: list[int] = []
    bad: int | None = None
    unclosed: tuple[str, int] | None = None
    stack: list[tuple[str, int]] = []
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(_PHYSICAL.split(text), start=1):
        if line[:1] in (" ", "\t") and logical:
            continue  # a folded continuation: part of the line before
        if line.strip():
            logical.append((number, line))
    for number, line in logical:
        if not _CONTENT_LINE.match(line):
            bad = bad or number
            continue
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        value = line.split(":", 1)[1].strip().upper() if ":" in line else ""
        if name == "BEGIN":
            stack.append((value, number))
            if value == "VEVENT":
                events.append({})
                event_lines.append(number)
            continue
        if name == "END":
            if any(open_name == value for open_name, _ in stack):
                while stack:
                    open_name, open_line = stack.pop()
                    if open_name == value:
                        break
                    unclosed = unclosed or (open_name, open_line)  # ended by its parent's END
            else:
                bad = bad or number  # an END without its BEGIN
            continue
        if stack and stack[-1][0] == "VEVENT" and events:
            events[-1].setdefault(name, []).append(number)
    return _Lines(events, event_lines, bad, stack[0] if stack else unclosed, bool(stack))


@dataclass(frozen=True)
class _EventPlace:
    """Where one event's properties are, for messages: ``invite.ics, line 12``; a property
    the scan did not place is at the event's BEGIN:VEVENT line."""

    display: str
    lines: dict[str, list[int]]  # property name -> the lines it is on
    event_line: int | None

    def line(self, name: str, k: int = 0) -> int | None:
        """The line of the ``k``-th ``name`` property."""
        found = self.lines.get(name, [])
        return found[k] if k < len(found) else self.event_line

    def where(self, name: str, k: int = 0) -> str:
        """``invite.ics, line 12`` for the ``k``-th ``name`` property (the file alone when no line is known)."""
        line = self.line(name, k)
        return f"{self.display}, line {line}" if line else self.display
