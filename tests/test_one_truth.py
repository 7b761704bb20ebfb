"""One truth, many views: whatever was logged and whenever you look, every view names the same
date and time for each touch and the same promised date per person, and looking writes nothing.

A hypothesis state machine logs done / replied (with and without --next) / skip / undo / close on
a real workspace, moves the clock, and at every step compares what the plan (JSON), `today`,
the drafts (text and JSON), the report, the calendar and the map say.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import db_snapshot
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.errors import BackchannelError
from backchannel.sample import generate_export, write_sample_interviews
from backchannel.times import format_day, human_time, human_window

IV = "acme-corp-2026-11-24"
START = datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)  # 15:00 in New York, an hour after the interview
ZONE = "America/Chicago"  # the user's zone: neither UTC nor the interview's


def _calendar_events(path: Path) -> dict[str, dict[str, str]]:
    import icalendar

    cal = icalendar.Calendar.from_ical(path.read_bytes())
    out = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"]).removesuffix("@backchannel.local")
        out[uid] = {"description": str(ev["DESCRIPTION"])}
    return out


@pytest.mark.slow
@settings(max_examples=12, stateful_step_count=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
class OneTruth(RuleBasedStateMachine):
    """Steps a user could take, with every view checked against the plan after each."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START

    @initialize()
    def workspace(self) -> None:
        import tempfile

        self.dir = Path(tempfile.mkdtemp(prefix="one-truth-"))
        export = _export(self.dir.parent)
        interviews = write_sample_interviews(self.dir / "interviews.csv")
        self.app = Backchannel(self.dir / "ws.sqlite", config=Config(timezone=ZONE), clock=lambda: self.now)
        self.app.import_linkedin(export)
        self.app.import_interviews(interviews)
        self.app.edit_interview(IV, discreet=False)  # (a discreet calendar names no touch: see test_calendar)

    def teardown(self) -> None:
        if hasattr(self, "app"):
            self.app.close()

    # ---------------------------------------------------------------- what a user does

    def _pick(self, index: int, *, open_only: bool = True) -> str | None:
        touches = [t for t in self.app.plan(IV) if (t.is_open if open_only else t.status != "cancelled")
                   and t.due_from is not None]
        return touches[index % len(touches)].handle if touches else None

    @rule(hours=st.integers(min_value=1, max_value=24 * 9))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(index=st.integers(min_value=0, max_value=40))
    def done(self, index: int) -> None:
        handle = self._pick(index)
        if handle is not None:
            with contextlib.suppress(BackchannelError):  # a touch that cannot be logged (a note before its email): refused in one line
                self.app.done(handle)

    @rule(index=st.integers(min_value=0, max_value=40), days=st.one_of(st.none(), st.integers(1, 12)))
    def replied(self, index: int, days: int | None) -> None:
        handle = self._pick(index, open_only=False)
        if handle is not None:
            with contextlib.suppress(BackchannelError):
                self.app.replied(handle, next_at=self.now + timedelta(days=days) if days else None)

    @rule(index=st.integers(min_value=0, max_value=40))
    def skip(self, index: int) -> None:
        handle = self._pick(index)
        if handle is not None:
            self.app.skip(handle)

    @rule(index=st.integers(min_value=0, max_value=40))
    def undo(self, index: int) -> None:
        handle = self._pick(index, open_only=False)
        if handle is not None:
            with contextlib.suppress(BackchannelError):  # nothing logged on it, or a check-in it booked was logged since
                self.app.undo(handle)

    @rule(outcome=st.sampled_from(["offer", "rejected", "withdrawn"]))
    def close(self, outcome: str) -> None:
        with contextlib.suppress(BackchannelError):  # already closed with this outcome
            self.app.close_interview(IV, outcome, change=True)

    # ---------------------------------------------------------------- what every view says

    @invariant()
    def every_view_says_the_same_and_looking_writes_nothing(self) -> None:
        if not hasattr(self, "app"):
            return
        app, zone = self.app, self.app.zone()
        before = db_snapshot(app.workspace.path)
        plan = {t.id: t for t in app.plan(IV)}
        records = {r["id"]: r for r in app.plan(IV).to_records()}
        # the plan's JSON is the plan
        for tid, t in plan.items():
            assert records[tid]["due_from"] == (t.due_from.isoformat() if t.due_from else None)
            assert records[tid]["next_contact"] == (t.next_contact.isoformat() if t.next_contact else None)
        # today lists the plan's touches as they are
        for t in app.today():
            assert (t.due_from, t.due_by, t.status, t.next_contact) == (
                plan[t.id].due_from, plan[t.id].due_by, plan[t.id].status, plan[t.id].next_contact)
        open_ids = [tid for tid, t in plan.items() if t.is_open]
        # each open touch's draft names the plan's date, in JSON and in words
        for tid in open_ids:
            draft = app.draft(tid)
            assert draft.next_contact == plan[tid].next_contact
            if draft.next_contact is not None and plan[tid].kind != "referrer-thanks":
                assert format_day(draft.next_contact.astimezone(plan[tid].due_from.tzinfo), "en") in draft.body
        # the report shows each touch's window and each draft's date as the plan has them
        report = app.report(IV)
        context = report._context()
        for row in context["touches"]:
            t = plan[row["id"]]
            if t.due_from and t.due_by:
                assert row["window_text"] == human_window(t.due_from, t.due_by, zone, label=True)
            if row["draft"] is not None:
                assert row["draft"]["ring"] == (human_time(t.next_contact, zone, label=True)
                                                if t.next_contact else "")
        promised = app.plan(IV).items and min(
            (t.due_from for t in plan.values() if t.kind == "check-in" and t.status in ("pending", "due", "overdue")
             and t.due_from), default=None)
        if context["next_ring"]:
            assert promised is not None and context["next_ring"].startswith(human_time(promised, zone, label=True))
        # the calendar: one event per open touch, its window and its draft's date in words
        ics = self.dir / "plan.ics"
        app.write_ics(ics, IV)
        events = _calendar_events(ics)
        assert set(events) == {tid for tid in open_ids if plan[tid].due_from is not None
                               and plan[tid].status != "optional"}
        for tid, ev in events.items():
            t = plan[tid]
            assert human_window(t.due_from, t.due_by, zone, label=True) in ev["description"].replace("\\,", ",")
        # the map's next steps: the same windows
        steps = {s["handle"]: s for s in app.map(IV).steps}
        for t in plan.values():
            if t.due_from and t.due_by:
                assert steps[t.handle]["window"] == human_window(t.due_from, t.due_by, zone, label=True)
        # the referrer hears one day for the people deciding, the same in every view
        thanks = next((tid for tid in open_ids if plan[tid].kind == "referrer-thanks"), None)
        if thanks is not None:
            said = re.findall(r"check in with them (on|by) (\w+, \w+ \d+)", app.draft(thanks).body)
            in_report = [row["draft"]["body"] for row in context["touches"] if row["id"] == thanks]
            assert not in_report or re.findall(r"check in with them (on|by) (\w+, \w+ \d+)", in_report[0]) == said
        # and none of it wrote a thing
        assert db_snapshot(app.workspace.path) == before


def _export(folder: Path) -> Path:
    path = folder / "one-truth-export.zip"
    if not path.exists():
        generate_export(path, 60, 400)
    return path


TestOneTruth = OneTruth.TestCase
