"""What the Python API's queries return: one result type per query, with ``to_frame()``.

Each result is a sequence of typed records (``Touch``, ``Candidate``, ...) that every view
renders: the command line turns ``to_records()`` into tables, CSV and JSON; a notebook shows
the result inline as a table, and ``to_frame()`` gives a pandas DataFrame with real types:
times are timezone-aware ``datetime64`` in one zone (the user's: the config's ``timezone``,
else ``$BACKCHANNEL_TZ``, ``$TZ``, the system's), counts are integers, and what is missing is
``NaT`` or ``<NA>``, never a mix of strings and NaN.

>>> from datetime import datetime, timezone
>>> from backchannel.domain import Touch
>>> t = Touch(id="acme/thank-you-email/jane", interview="acme", kind="thank-you-email", person="Jane",
...           person_slug="jane", role="interviewer", due_from=datetime(2026, 11, 24, 21, tzinfo=timezone.utc),
...           due_by=datetime(2026, 11, 26, 19, tzinfo=timezone.utc), status="due")
>>> plan = PlanResult([t], zone=timezone.utc)
>>> plan
<PlanResult: 1 touch>
>>> frame = plan.to_frame()
>>> str(frame["due_from"].dt.tz), bool(frame["done_at"].isna().all())
('UTC', True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from .domain import Candidate, Interview, SkipLog, Touch, TouchEvent

if TYPE_CHECKING:
    import pandas

    from .inbox import MailLog

__all__ = ["LogResult", "CloseResult", "MailResult", "PLAN_COLUMNS", "RANK_COLUMNS", "PEOPLE_COLUMNS", "INTERVIEW_COLUMNS", "RECONNECT_COLUMNS", "Result",
           "PlanResult", "RankResult", "PeopleResult", "InterviewsResult", "ReconnectResult", "plan_row"]

PLAN_COLUMNS = ("id", "handle", "interview", "kind", "person", "role", "due_from", "due_by", "status", "done_at",
                "done_via", "replied_at", "next_contact", "note")
RANK_COLUMNS = ("rank", "name", "profile_url", "company", "position", "score", "reasons", "bridges_to", "action")
PEOPLE_COLUMNS = ("name", "profile_url", "company", "position", "connected_on", "strength", "messages", "email")
INTERVIEW_COLUMNS = ("interview", "company", "date", "position", "people", "discreet", "status")
RECONNECT_COLUMNS = ("rank", "name", "profile_url", "company", "position", "score", "last_message", "reasons",
                     "action")

T = TypeVar("T")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def plan_row(t: Touch) -> dict[str, Any]:
    """A touch as JSON and CSV give it (ISO 8601 with offsets)."""
    return {"id": t.id, "handle": t.handle, "interview": t.interview, "kind": t.kind, "person": t.person,
            "role": t.role, "due_from": _iso(t.due_from), "due_by": _iso(t.due_by), "status": t.status,
            "done_at": _iso(t.done_at), "done_via": t.done_via or None, "replied_at": _iso(t.replied_at), "next_contact": _iso(t.next_contact),
            "note": t.note}


class Result(Sequence[T], Generic[T]):
    """A listing: its records in order, as data (``to_records``) and as a DataFrame."""

    columns: ClassVar[tuple[str, ...]] = ()
    #: columns that hold times (timezone-aware in the frame), and whole numbers
    time_columns: ClassVar[tuple[str, ...]] = ()
    int_columns: ClassVar[tuple[str, ...]] = ()
    noun: ClassVar[tuple[str, str]] = ("row", "rows")

    def __init__(self, items: Sequence[T], *, zone: tzinfo | None = None) -> None:
        self.items = list(items)
        self.zone = zone

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        return self.items[i]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __repr__(self) -> str:
        n = len(self.items)
        return f"<{type(self).__name__}: {n} {self.noun[0] if n == 1 else self.noun[1]}>"

    def record(self, item: T) -> dict[str, Any]:
        """One record as JSON gives it."""
        raise NotImplementedError

    def to_records(self) -> list[dict[str, Any]]:
        """Every record as JSON and CSV give them (ISO 8601 times)."""
        return [self.record(item) for item in self.items]

    def _frame_values(self, item: T) -> dict[str, Any]:
        """One record as the frame takes it (times as datetimes); the JSON record by default."""
        return self.record(item)

    def to_frame(self) -> pandas.DataFrame:
        """The records as a DataFrame: aware times in the user's zone, integer counts, NaT/<NA>."""
        import pandas as pd

        frame = pd.DataFrame([self._frame_values(item) for item in self.items], columns=list(self.columns))
        for name in self.time_columns:
            values = pd.to_datetime(frame[name], utc=True)
            try:
                frame[name] = values.dt.tz_convert(self.zone) if self.zone is not None else values
            except (TypeError, ValueError, AttributeError):  # a zone pandas cannot name: UTC, which it can
                frame[name] = values
        for name in self.int_columns:
            frame[name] = pd.array(frame[name], dtype="Int64")
        return frame

    def _repr_html_(self) -> str:
        return str(self.to_frame()._repr_html_())


class PlanResult(Result[Touch]):
    """Touches (``plan``, ``due``, ``today``): each with its window, status and next contact."""

    columns = PLAN_COLUMNS
    time_columns = ("due_from", "due_by", "done_at", "replied_at", "next_contact")
    noun = ("touch", "touches")

    def __init__(self, items: Sequence[Touch], *, zone: tzinfo | None = None,
                 among: Sequence[Touch] | None = None) -> None:
        super().__init__(items, zone=zone)
        #: the name each touch goes by in commands: its handle, or its interview's id and handle
        #: where another interview's touch (``among`` every touch there is) has the same handle
        count = Counter(t.handle for t in among) if among is not None else Counter()
        self.handles = [t.handle if count[t.handle] <= 1 else f"{t.interview}/{t.handle}" for t in self.items]

    def record(self, item: Touch) -> dict[str, Any]:
        return plan_row(item)

    def _frame_values(self, item: Touch) -> dict[str, Any]:
        row = plan_row(item)
        row.update(due_from=item.due_from, due_by=item.due_by, done_at=item.done_at, replied_at=item.replied_at,
                   next_contact=item.next_contact)
        return row


@dataclass(eq=False, repr=False)
class RankResult(Result[Candidate]):
    """Ranked back-channel candidates, and what to say when there are none."""

    candidates: list[Candidate] = field(default_factory=list)
    company: str = ""
    search_link: str = ""
    message: str = ""

    columns = RANK_COLUMNS
    int_columns = ("rank",)
    noun = ("candidate", "candidates")

    def __post_init__(self) -> None:
        Result.__init__(self, self.candidates)

    @classmethod
    def of(cls, candidates: list[Candidate], *, company: str, has_connections: bool) -> RankResult:
        """A ranking, and when it is empty, what to say and where to look instead."""
        from .rank import people_search_link

        result = cls(candidates, company=company)
        if not candidates:
            if not has_connections:
                result.message = "No connections yet: import your export first (backchannel import linkedin PATH)."
            else:
                result.search_link = people_search_link(company.rstrip("."))
                result.message = (f"No first-degree connections reach {company.rstrip('.')}. Look for second-degree "
                                  f"people there yourself (opens LinkedIn in your browser): {result.search_link}")
        return result

    def record(self, item: Candidate) -> dict[str, Any]:
        return {"rank": item.rank, "name": item.name, "profile_url": item.profile_url, "company": item.company,
                "position": item.position, "score": item.score, "reasons": list(item.reasons),
                "bridges_to": list(item.bridges_to), "action": item.action}


class PeopleResult(Result[dict[str, Any]]):
    """Your connections, strongest tie first."""

    columns = PEOPLE_COLUMNS
    time_columns = ("connected_on",)
    int_columns = ("messages",)
    noun = ("person", "people")

    def record(self, item: dict[str, Any]) -> dict[str, Any]:
        connected = item.get("connected_on")
        return {**item, "connected_on": connected.date().isoformat() if isinstance(connected, datetime)
                else connected}

    def _frame_values(self, item: dict[str, Any]) -> dict[str, Any]:
        return dict(item)


class InterviewsResult(Result[Interview]):
    """Your interviews, in date order."""

    columns = INTERVIEW_COLUMNS
    time_columns = ("date",)
    noun = ("interview", "interviews")

    def record(self, item: Interview) -> dict[str, Any]:
        return {"interview": item.id, "company": item.company, "date": item.at.isoformat(), "position": item.position,
                "people": [f"{p.name or p.profile_url} ({p.role})" for p in item.people], "discreet": item.discreet,
                "status": item.outcome or "open"}

    def _frame_values(self, item: Interview) -> dict[str, Any]:
        return {**self.record(item), "date": item.at}


class ReconnectResult(Result[dict[str, Any]]):
    """Dormant strong ties worth renewing."""

    columns = RECONNECT_COLUMNS
    time_columns = ("last_message",)
    int_columns = ("rank",)
    noun = ("person", "people")

    def record(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if k not in ("node", "shared_employer", "same_employer",
                                                          "worked_together")}


@dataclass
class LogResult:
    """What ``done``, ``replied``, ``skip`` or ``undo`` logged (or removed), and the check-in it booked."""

    touch: Touch
    event: TouchEvent
    checkin: Touch | None = None


@dataclass
class CloseResult:
    """What closing an interview changed."""

    interview: str
    outcome: str
    cancelled: list[Touch] = field(default_factory=list)
    added: list[Touch] = field(default_factory=list)
    kept: list[Touch] = field(default_factory=list)


@dataclass
class MailResult:
    """What ``import mail`` read and logged (or, with ``dry_run``, would log)."""

    path: str
    found: int  # messages in the archive
    relevant: int  # to or from the people of your interviews
    log: MailLog
    skipped: SkipLog
    warnings: list[str]
    dry_run: bool = False
    own: tuple[str, ...] = ()

    def to_records(self) -> list[dict[str, Any]]:
        """One row per message that logged something or was left, in the order sent."""
        rows = [{"interview": x.touch.interview, "handle": x.touch.handle, "person": x.touch.person,
                 "event": x.event.event, "at": x.event.at.isoformat(), "next_contact": _iso(x.event.next_at),
                 "reason": None} for x in self.log.logged]
        rows += [{"interview": x.interview, "handle": None, "person": x.person, "event": None, "at": x.at.isoformat(),
                  "next_contact": None, "reason": x.reason} for x in self.log.left]
        return sorted(rows, key=lambda r: r["at"])

    def to_summary(self) -> dict[str, Any]:
        """What ``--format json`` prints: the rows of :meth:`to_records` with every count the
        table shows (messages read, left as they are, skipped by reason) and whether it was a
        dry run."""
        log = self.log
        return {"path": self.path, "read": self.found, "relevant": self.relevant, "dry_run": self.dry_run,
                "as_you": list(self.own), "logged": len(log.logged),
                "left_as_they_are": {"read_before": log.seen, "automatic": log.automatic,
                                     "before_the_interview_ended": log.before, "dated_in_the_future": log.future},
                "skipped": dict(sorted(self.skipped.counts.items())), "from_addresses_not_yours": dict(log.strangers),
                "warnings": list(self.warnings), "rows": self.to_records()}
