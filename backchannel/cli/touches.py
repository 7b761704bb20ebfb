"""The plan and the log: ``plan``, ``today``, ``due``, ``draft``, ``done``, ``replied``, ``skip``, ``undo``, ``close``."""

from __future__ import annotations

from typing import Any

import click

from .base import (
    _at_option,
    _complete_interview,
    _complete_touch,
    _echo_rows,
    _format_option,
    _lang_option,
    _one_line,
    _State,
    _terminal,
    cli,
    pass_state,
)

# ---------------------------------------------------------------------- the plan


_STATUS_STYLE = {"overdue": "bold red", "due": "yellow", "done": "dim", "skipped": "dim", "cancelled": "dim"}


def _show_touches(app: Any, touches: Any, fmt: str, *, at: Any, empty: str) -> None:
    from ..output import human_touch, terminal_width
    from ..results import PLAN_COLUMNS
    from ..times import zone_label

    if fmt != "table":
        _echo_rows(touches.to_records(), fmt, list(PLAN_COLUMNS))
        return
    across = len({t.interview for t in touches}) > 1
    zone = app.zone()
    rows = [human_touch(t, zone, at, handle=handle, across=across)
            for t, handle in zip(touches, touches.handles, strict=True)]
    columns = ["handle", "person", "when", "state"]
    if terminal_width() >= 110:
        columns.insert(1, "what")
    _echo_rows(rows, fmt, columns, empty_hint=empty, no_wrap={"handle", "when"},
               headers={"state": "status", "when": f"when ({zone_label(zone, at)})"},
               styles={"state": lambda r: _STATUS_STYLE.get(r["status"], "")})


@cli.command("plan")
@click.argument("interview", required=False, shell_complete=_complete_interview)
@_at_option
@click.option("--ics", type=click.Path(dir_okay=False), metavar="FILE", help="Also write the open touches to a calendar file.")
@_lang_option
@_format_option
@pass_state
def plan_cmd(state: _State, interview: str | None, at: str | None, ics: str | None, lang: str | None, fmt: str) -> None:
    """The follow-up plan: every touch with its window and status.

    Example:

    \b
        backchannel plan acme-corp-2026-11-24 --ics follow-ups.ics
    """
    app = state.app
    when = app.parse_time(at, what="--at")
    count = app.write_ics(ics, interview, at=when, lang=lang) if ics else 0  # an unwritable file stops here
    touches = app.plan(interview, at=when)
    _show_touches(app, touches, fmt, at=when, empty="No touches yet: add an interview (backchannel interview add)")
    if ics:
        click.echo(f"Wrote {count} open {'touch' if count == 1 else 'touches'} to {_one_line(ics)}", err=True)


@cli.command("today")
@_at_option
@_format_option
@pass_state
def today_cmd(state: _State, at: str | None, fmt: str) -> None:
    """What to do today, across interviews: overdue, due, and what opens before tonight.

    Each row has its handle; `backchannel draft HANDLE` gives the words.

    Example:

    \b
        backchannel today
    """
    app = state.app
    when = app.parse_time(at, what="--at")
    touches = app.today(at=when)
    _show_touches(app, touches, fmt, at=when, empty="Nothing to do today. Well done.")
    if touches and fmt == "table":
        first = touches.handles[0]
        click.echo(f"\nDraft one: backchannel draft {first}\nLog it:    backchannel done {first}", err=True)


@cli.command("due")
@_at_option
@_format_option
@pass_state
def due_cmd(state: _State, at: str | None, fmt: str) -> None:
    """What is due or overdue now, across all interviews.

    Example:

    \b
        backchannel due --at 2026-11-25T09:00
    """
    app = state.app
    when = app.parse_time(at, what="--at")
    _show_touches(app, app.due(at=when), fmt, at=when, empty="Nothing is due. Well done.")


@cli.command("draft")
@click.argument("touch", shell_complete=_complete_touch)
@_at_option
@_lang_option
@click.option("--templates", type=click.Path(file_okay=False), help="A folder of your own draft templates (en/, ru/).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="The draft as text, or as JSON (id, to, email, subject, body, next_contact, language).")
@click.option("--force", is_flag=True, help="Show the draft of a cancelled or skipped touch anyway.")
@pass_state
def draft_cmd(state: _State, touch: str, at: str | None, lang: str | None, templates: str | None, fmt: str,
              force: bool) -> None:
    """Print the message draft for a touch (its id, handle, or any unique end of its id).

    A message to the people deciding names your next contact; every draft and `done` use
    the same date.

    Example:

    \b
        backchannel draft jane-roe/email
        backchannel draft jane-roe/email --lang ru --format json
    """
    from ..output import inert_block, render

    app = state.app
    d = app.draft(touch, at=app.parse_time(at, what="--at") if at else None, lang=lang, templates_dir=templates,
                  force=force)
    if fmt == "json":
        click.echo(render(d.as_dict(), "json", terminal=_terminal()))
    else:
        click.echo(inert_block(d.text()))


def _log_line(app: Any, verb: str, result: Any) -> None:
    from ..times import human_time

    t, at, zone = result.touch, result.event.at, app.zone()  # (a year is shown when it is not that of --at)
    click.echo(f"{verb} {t.interview}/{t.handle} ({_one_line(t.person)}) at {human_time(at, zone, now=at, label=True)}.")
    if result.checkin is not None:
        click.echo(f"Next contact: {human_time(result.checkin.due_from, zone, now=at, label=True)} "
                   f"(check-in: {result.checkin.handle})")
    elif result.event.next_at is not None:
        click.echo(f"Next contact stays {human_time(result.event.next_at, zone, now=at, label=True)}.")


@cli.command("done")
@click.argument("touch", shell_complete=_complete_touch)
@_at_option
@click.option("--next", "next_", metavar="DATETIME",
              help="The next contact you committed to (default: the date your drafts named; a date alone: 10:00).")
@pass_state
def done_cmd(state: _State, touch: str, at: str | None, next_: str | None) -> None:
    """Log a touch as done; a message to the people deciding books your next contact.

    Example:

    \b
        backchannel done jane-roe/email
        backchannel done jane-roe/check-in-1 --next 2026-12-07
    """
    app = state.app
    result = app.done(touch, at=app.parse_time(at, what="--at") if at else None,
                      next_at=app.parse_next(next_) if next_ else None)
    _log_line(app, "Done:", result)
    if result.touch.kind == "check-in" and result.event.next_at is None and result.checkin is None:
        click.echo("That was the third check-in without a reply: the ring rests. A casual touch is the way back in.")


@cli.command("replied")
@click.argument("touch", shell_complete=_complete_touch)
@_at_option
@click.option("--next", "next_", metavar="DATETIME", help="Your next contact, following what they said.")
@pass_state
def replied_cmd(state: _State, touch: str, at: str | None, next_: str | None) -> None:
    """They answered: the back-off resets (with --next, your next contact follows what they said).

    Example:

    \b
        backchannel replied jane-roe/check-in-1 --next 2026-12-10
    """
    app = state.app
    result = app.replied(touch, at=app.parse_time(at, what="--at") if at else None,
                         next_at=app.parse_next(next_) if next_ else None)
    _log_line(app, "Reply noted on", result)


@cli.command("skip")
@click.argument("touch", shell_complete=_complete_touch)
@pass_state
def skip_cmd(state: _State, touch: str) -> None:
    """Drop a touch: it is no longer due and leaves the calendar.

    Example:

    \b
        backchannel skip jane-roe/casual-2
    """
    result = state.app.skip(touch)
    click.echo(f"Skipped {result.touch.interview}/{result.touch.handle}. (Changed your mind? backchannel undo "
               f"{result.touch.handle})")


@cli.command("undo")
@click.argument("touch", shell_complete=_complete_touch)
@pass_state
def undo_cmd(state: _State, touch: str) -> None:
    """Revert the last thing logged on a touch (done, replied or skipped).

    Example:

    \b
        backchannel undo jane-roe/email
    """
    result = state.app.undo(touch)
    click.echo(f"Undid '{result.event.event}' on {result.touch.interview}/{result.touch.handle}.")


@cli.command("close")
@click.argument("interview", shell_complete=_complete_interview)
@click.option("--outcome", type=click.Choice(["offer", "rejected", "withdrawn"]), required=True)
@click.option("--change", is_flag=True, help="Change the outcome of an interview already closed.")
@_at_option
@pass_state
def close_cmd(state: _State, interview: str, outcome: str, change: bool, at: str | None) -> None:
    """Close an interview: follow-ups to the people deciding are cancelled; the referrer
    (and back channels you told) get the news, and a rejection keeps in touch.

    Example:

    \b
        backchannel close acme-corp-2026-11-24 --outcome offer
    """
    app = state.app
    result = app.close_interview(interview, outcome, change=change,
                                 at=app.parse_time(at, what="--at") if at else None)
    cancelled, added = result.cancelled, result.added
    click.echo(f"Closed {interview} ({outcome}); cancelled {len(cancelled)} open "
               f"{'touch' if len(cancelled) == 1 else 'touches'}.")
    for t in added:
        click.echo(f"  new: {t.handle} ({t.label}: {_one_line(t.person)})")
    for t in result.kept:
        news = " (its draft now gives them the news)" if t.kind == "referrer-thanks" else ""
        click.echo(f"  still to do: {t.handle} ({t.label}: {_one_line(t.person)}){news}")
