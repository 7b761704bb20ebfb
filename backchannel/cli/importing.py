"""``backchannel import``: your LinkedIn export, your interviews file or invitation, your mail."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import BackchannelError
from .base import (
    _echo_rows,
    _file_name,
    _format_option,
    _one_line,
    _plural,
    _report_matches,
    _State,
    _SubGroup,
    cli,
    pass_state,
)
from .interviews import _add_from_invite

# ---------------------------------------------------------------------- importing


@cli.group("import", cls=_SubGroup)
def import_group() -> None:
    """Import your LinkedIn export, your interviews (a file or an invitation), your mail."""


@import_group.command("linkedin")
@click.argument("path", type=click.Path(exists=False))
@click.option("--owner", metavar="NAME", help="Import someone else's Connections.csv under their name.")
@pass_state
def import_linkedin(state: _State, path: str, owner: str | None) -> None:
    """Import a LinkedIn export: the ZIP, the unpacked folder, or Connections.csv.

    Re-importing the same or a newer export updates people and never duplicates them; an
    old export (before LinkedIn added profile addresses) merges with a newer one. Messages
    with your interviews' people after an interview log the touches they fulfil, as
    `import mail` does (listed; `undo` takes one back).

    Example:

    \b
        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
    """
    if sys.stderr.isatty():
        click.echo(f"Reading {_one_line(path)} ...", err=True)
    app = state.writer
    s = app.import_linkedin(path, owner=owner)
    for line in _import_lines(s, path, other_owner=bool(owner)):
        click.echo(line)
    if s.followups is not None and (s.followups.logged or s.followups.left or s.followups.future):
        click.echo("  your messages with your interviews' people:"
                   + ("" if s.followups.logged else " nothing new to log"))
        if s.followups.future:
            click.echo(f"    left as they are: {s.followups.future} dated in the future (read again later)")
        for line in _logged_lines(s.followups, app.zone(), short=len(app.workspace.interview_ids()) == 1,
                                  via="LinkedIn"):
            click.echo("  " + line)
        if s.followups.logged:
            click.echo("  To take one back: backchannel undo HANDLE (it stays undone when you import this export "
                       "again).")
    for warning in s.warnings[:5]:
        click.echo(f"  warning: {_one_line(warning)}", err=True)
    if len(s.warnings) > 5:
        click.echo(f"  ... and {len(s.warnings) - 5} more warnings", err=True)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: how an import names each kind of file it kept
_KIND_WORDS = {"connections": "connections", "messages": "messages", "invitations": "invitations",
               "recommendations_received": "recommendations received", "recommendations_given": "recommendations given",
               "endorsements_received": "endorsements received", "endorsements_given": "endorsements given",
               "positions": "positions", "profile": "profile"}


def _day(d: Any) -> str:
    """``20 Nov 2026`` (English month names whatever the locale)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}" if d is not None else "an unknown day"


def _import_lines(s: Any, path: str, *, other_owner: bool) -> list[str]:
    """What ``import linkedin`` says: people, messages, each kind of file replaced or kept,
    and every row skipped, with its lines."""
    from ..readers.text import LINES_LISTED

    who = f"{_one_line(s.owner)}'s" if other_owner else "your"
    lines = [f"Imported {who} export from {_one_line(path)}" + (f" (as of {_day(s.as_of)})" if s.as_of else "")]
    connections = s.kind("connections")
    if connections is not None and connections.outcome != "absent":
        lines.append(f"  people: {s.added} added, {s.updated} updated, {s.unchanged} unchanged"
                     + (f"; {s.kept_not_in_export} already in the workspace kept" if s.kept_not_in_export else ""))
    if s.merged or s.kept_apart:
        lines.append(f"  older export merged: {s.merged} {_plural(s.merged, 'row')} matched a person already known"
                     + (f"; {s.kept_apart} kept apart (more than one person fits, so no guess was made)"
                        if s.kept_apart else ""))
    messages = s.kind("messages")
    if messages is not None and messages.outcome == "replaced":
        line = (f"  messages: {s.connections_with_messages:,} of your {s.connections:,} "
                f"{_plural(s.connections, 'connection')} {'has' if s.connections_with_messages == 1 else 'have'} "
                "messages")
        if s.conversations_without_connections:
            n, people = s.conversations_without_connections, s.people_without_connection
            line += (f"; {n:,} {_plural(n, 'conversation')} {'was' if n == 1 else 'were'} with {people:,} "
                     + ("person who is not a connection" if people == 1 else "people who are not connections")
                     + " (not kept)")
        lines.append(line)
    lines.append(f"  interaction histories: {s.interactions:,}"
                 + (f" ({s.unmatched_facts:,} more with people who are not connections, not kept)"
                    if s.unmatched_facts else ""))
    lines.append(f"  files read: {', '.join(map(_file_name, s.files_read))}")
    if s.files_ignored:
        lines.append(f"  files ignored (nothing we use): {len(s.files_ignored)}: "
                     f"{', '.join(map(_file_name, s.files_ignored[:8]))}" + (" ..." if len(s.files_ignored) > 8 else ""))
    kept: dict[str, list[str]] = {}  # what stays from an earlier import, by import
    for k in sorted(s.kinds, key=lambda k: list(_KIND_WORDS).index(k.kind) if k.kind in _KIND_WORDS else 99):
        what = _KIND_WORDS.get(k.kind, k.kind)
        since = f"the import of {_day(k.kept_imported_at)}" if k.kept_imported_at else "an earlier import"
        if k.outcome == "older":
            if k.kind == "connections":
                kept_what = ("people it adds are added; the companies and positions you have are kept"
                             + (f" ({s.kept_newer:,} {'person' if s.kept_newer == 1 else 'people'} it names "
                                "differently)" if s.kept_newer else ""))
            else:
                kept_what = f"the {what} you have are kept"
            lines.append(f"  {what}: {_file_name(k.file)} is as of {_day(k.as_of)}, older than the one from {since} "
                         f"(as of {_day(k.kept_as_of)}): {kept_what}")
        elif k.outcome == "absent":
            of = f"{since}" + (f" (as of {_day(k.kept_as_of)})" if k.kept_as_of else "")
            kept.setdefault(of, []).append(what)
    for of, kinds in kept.items():
        lines.append(f"  {', '.join(kinds)}: kept from {of}")
    for reason, count in sorted(s.skipped.items()):
        places = s.skipped_places.get(reason, [])
        lines.append(f"  skipped {count} {_plural(count, 'row')}: {reason}" + _places(places, count, LINES_LISTED))
    if s.rematched:
        lines.append(f"  interview people matched again: {s.rematched} changed (see: backchannel interviews)")
    return lines


def _places(places: list[str], count: int, listed: int) -> str:
    """``: Connections.csv lines 12, 845, 2,031`` from "file, line N" places (every one, up to
    ``listed``; "and N more" for the rest of ``count``)."""
    by_file: dict[str, list[str]] = {}
    for place in places[:listed]:
        name, _, where = place.rpartition(", ")
        by_file.setdefault(_file_name(name), []).append(where)
    if not by_file:
        return ""
    parts = []
    for name, wheres in by_file.items():
        unit = wheres[0].partition(" ")[0]  # "line" or "row"
        numbers = [w.partition(" ")[2] for w in wheres]
        listed_numbers = ", ".join(f"{int(n):,}" if n.isdigit() else n for n in numbers)
        parts.append(f"{name} {unit}{'s' if len(wheres) > 1 else ''} {listed_numbers}")
    more = count - min(len(places), listed)
    return ": " + "; ".join(parts) + (f" and {more:,} more" if more > 0 else "")


@import_group.command("interviews")
@click.argument("path", type=click.Path())
@click.option("--overwrite", is_flag=True,
              help="Take the file's values over details you set in the terminal after it was saved.")
@click.option("--me", multiple=True, metavar="ADDRESS", help="For an invitation: an address of yours (repeatable).")
@_format_option
@pass_state
def import_interviews(state: _State, path: str, overwrite: bool, me: tuple[str, ...], fmt: str) -> None:
    """Import your interviews file (CSV, one row per person per interview).

    Columns: company, date, role and name are required; interview, profile_url, email,
    title, interests, mutuals, discreet, notes (private), topic, position, language,
    country and works_at are optional. Re-importing updates the same interviews and keeps
    every touch you logged. Each person's match is listed (--format json for programs).
    A calendar invitation (.ics) is read as `interview add --from-invite` reads it.

    Example:

    \b
        backchannel import interviews interviews.csv
    """
    if _is_invitation(path):
        _add_from_invite(state, path, me=me, company="", organizer_role="recruiter", details={}, fmt=fmt)
        return
    report = state.writer.import_interviews(path, overwrite=overwrite)
    for note in report.notes:
        click.echo(f"  {_one_line(note)}", err=True)
    if fmt == "table":
        count = len(report.interviews)
        click.echo(f"Imported {count} {_plural(count, 'interview')} with {report.people} "
                   f"{'person' if report.people == 1 else 'people'}: {', '.join(map(_one_line, report.interviews))}")
        if report.unknown_columns:
            click.echo(f"  kept unknown columns: {', '.join(map(_one_line, report.unknown_columns))}")
        for d in report.duplicates:
            click.echo(f"  duplicate: {_one_line(d)}")
    _report_matches(report, fmt)


@import_group.command("mail")
@click.argument("path", type=click.Path())
@click.option("--me", multiple=True, metavar="ADDRESS",
              help="An address of yours (repeat for several; default: the config's email, your export's).")
@click.option("--not-me", multiple=True, metavar="ADDRESS",
              help="An address that is not yours after all (a typo given to --me before): forgotten.")
@click.option("--dry-run", is_flag=True, help="List what would be logged; write nothing.")
@_format_option
@pass_state
def import_mail(state: _State, path: str, me: tuple[str, ...], not_me: tuple[str, ...], dry_run: bool,
                fmt: str) -> None:
    """Tell the plan what you sent and what they answered, from your mail (mbox, Maildir or .eml).

    A message you sent to someone of an interview logs the touch it fulfils (the thank-you
    email, a check-in, the news) at its time, booking your next contact as `done --at`
    would; their answer notes `replied`. Only who and when is read, never a subject or a
    body; what you logged by hand stays; reading the same mail again changes nothing; any
    one of them can be taken back with `undo`.

    Example:

    \b
        backchannel import mail "Takeout/Mail/All mail Including Spam and Trash.mbox" --me me@example.com
    """
    if not path.strip():
        raise BackchannelError("give the path of your mail: an mbox file, a Maildir or a folder of .eml files")
    if _is_calendar_file(path):
        raise BackchannelError(f"{path} is a calendar invitation, not mail: backchannel interview add --from-invite "
                               f"{path}")
    app = state.app  # (a workspace with your interviews: nothing to log into without one)
    if sys.stderr.isatty():
        click.echo(f"Reading {_one_line(path)} ...", err=True)
    result = app.import_mail(path, me=me, not_me=not_me, dry_run=dry_run)
    if fmt == "json":  # (the rows and every count the table shows)
        _echo_rows(result.to_summary(), fmt)
        return
    if fmt != "table":
        _echo_rows(result.to_records(), fmt, ["interview", "handle", "person", "event", "at", "next_contact", "reason"])
        return
    count = len(app.workspace.interview_ids())
    for line in _mail_lines(result, app.zone(), short=count == 1, interviews=count):
        click.echo(line)


def _logged_lines(log: Any, zone: Any, *, short: bool, via: str) -> list[str]:
    """Each touch a pass over messages logged (``  jane-roe/email done Tue 24 Nov 20:02 (mail)``),
    then each message it left, and why."""
    from ..times import human_time

    lines = []
    for x in log.logged:
        handle = x.touch.handle if short else f"{x.touch.interview}/{x.touch.handle}"
        line = f"  {handle} {x.event.event} {human_time(x.event.at, zone, label=True)} ({via})"
        if x.reread:
            line += " (read again, in order with an earlier message)"
        if x.event.next_at is not None:
            line += f"; next contact {human_time(x.event.next_at, zone, label=True)}"
        lines.append("  " + _one_line(line))
    for x in log.left[:LEFT_LISTED]:
        lines.append("  " + _one_line(f"not logged: {x.person}, {human_time(x.at, zone, label=True)}: {x.reason}"))
    if len(log.left) > LEFT_LISTED:
        lines.append(f"    ... and {len(log.left) - LEFT_LISTED:,} more not logged (all of them: --format json)"
                     if via == "mail" else f"    ... and {len(log.left) - LEFT_LISTED:,} more not logged")
    return lines


#: the messages that logged nothing listed one by one (the rest are counted)
LEFT_LISTED = 20


def _mail_lines(result: Any, zone: Any, *, short: bool, interviews: int = 1) -> list[str]:
    """What ``import mail`` says: what it logged, what it left and why, and what it skipped."""

    log = result.log
    from pathlib import Path

    lines = [f"Read {result.found:,} {_plural(result.found, 'message')} in {_one_line(Path(result.path).name)}: "
             f"{result.relevant:,} to or from the people of your interviews (as you: "
             f"{_one_line(', '.join(result.own[:3]))}{' ...' if len(result.own) > 3 else ''})."]
    if log.logged:
        lines.append("Would log:" if result.dry_run else "Logged:")
    elif result.relevant:
        lines.append("Nothing new to log.")
    lines += _logged_lines(log, zone, short=short, via="mail")
    counts = [(log.seen, "read before"), (log.automatic, "automatic (out-of-office replies, bounces)"),
              (log.before, "from before the interview ended"), (log.future, "dated in the future (read again later)")]
    quiet = ", ".join(f"{n} {what}" for n, what in counts if n)
    if quiet:
        lines.append(f"  left as they are: {quiet}")
    for reason, count in sorted(result.skipped.counts.items()):
        places = result.skipped.examples.get(reason, [])[:3]
        lines.append("  " + _one_line(f"skipped {count:,} {_plural(count, 'message')}: {reason}"
                               + (f" ({'; '.join(places)}{' ...' if count > len(places) else ''})" if places else "")))
    for sender, count in sorted(log.strangers.items(), key=lambda x: -x[1])[:3]:
        lines.append("  " + _one_line(f"{count} {_plural(count, 'message')} from {sender} to the people of your "
                                      f"interviews: if that address is yours, import again with --me {sender}"))
    if not result.relevant and not interviews:
        lines.append("  (you have no interviews yet: add one with backchannel interview add --from-invite FILE.ics, "
                     "interview add or import interviews, then read your mail again)")
    elif not result.relevant:
        lines.append("  (no message was to or from anyone of your interviews at an address backchannel knows: "
                     "give their addresses with backchannel interview person ... --email, or read their "
                     "invitation)")
    for warning in result.warnings[:5]:
        lines.append("  " + _one_line(f"warning: {warning}"))
    if len(result.warnings) > 5:
        lines.append(f"  ... and {len(result.warnings) - 5} more warnings (all of them: --format json)")
    if log.logged:
        lines.append("Nothing was written (--dry-run)." if result.dry_run else
                     "To take one back: backchannel undo HANDLE (it stays undone when you import this mail again).")
    return lines


def _is_calendar_file(path: str) -> bool:
    """An iCalendar file (an invitation), by its name or its first line."""
    from pathlib import Path

    if Path(path).suffix.lower() in (".ics", ".ical", ".ifb"):
        return True
    return _starts_a_calendar(path)


def _starts_a_calendar(path: str) -> bool:
    """Whether a regular file's first line is BEGIN:VCALENDAR (a pipe or a device is never
    opened here: its reader would wait for ever)."""
    from pathlib import Path

    try:
        if not Path(path).is_file():
            return False
        with open(path, "rb") as f:
            return f.read(64).lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR")
    except OSError:
        return False


def _is_invitation(path: str) -> bool:
    """A calendar invitation (``.ics``, or an ``.eml`` holding one) rather than an interviews CSV."""
    from pathlib import Path

    name = Path(path).name.lower()
    if name.endswith((".ics", ".ical", ".ifb", ".eml")):
        return True
    return _starts_a_calendar(path)
