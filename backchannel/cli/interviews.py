"""Interviews and people: ``interview add|edit|person``, ``interviews``, ``people``, ``rank``, ``reconnect``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from ..errors import BackchannelError
from .base import (
    _columns,
    _complete_interview,
    _echo_rows,
    _format_option,
    _lang_option,
    _one_line,
    _report_matches,
    _State,
    _SubGroup,
    cli,
    pass_state,
)

# ---------------------------------------------------------------------- interviews by hand


@cli.group("interview", cls=_SubGroup)
def interview_group() -> None:
    """Record an interview without a CSV, and set its details."""


def _prompt_people(app: Any) -> list[tuple[str, str]]:
    names = [r["name"] for r in app.people()] if app.workspace.self_owner() else []
    people = []
    with _completion(names):
        while True:
            name = click.prompt("Interviewer (name or profile address; empty when done)", default="",
                                show_default=False).strip()
            if not name:
                break
            role = click.prompt("  role", type=click.Choice(["interviewer", "hiring-manager", "recruiter",
                                                              "referrer"]), default="interviewer")
            people.append((role, name))
    return people


class _completion:
    """Tab completion of names at a prompt (readline), when the terminal has it."""

    def __init__(self, names: Sequence[str]):
        self.names = sorted(set(names))
        self.old: Any = None

    def __enter__(self) -> _completion:
        try:
            import readline
        except ImportError:  # pragma: no cover - Windows without pyreadline
            return self
        self.old = readline.get_completer()
        names = self.names

        def complete(text: str, index: int) -> str | None:
            hits = [n for n in names if n.lower().startswith(text.lower())]
            return hits[index] if index < len(hits) else None

        readline.set_completer(complete)
        readline.set_completer_delims("")
        readline.parse_and_bind("tab: complete")
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            import readline
        except ImportError:  # pragma: no cover
            return
        readline.set_completer(self.old)


@interview_group.command("add")
@click.option("--company", metavar="NAME", help="The hiring company.")
@click.option("--date", "date", metavar="DATETIME", help="When it took place (2026-11-24 14:00; a date alone: 17:00).")
@click.option("--interviewer", multiple=True, metavar="NAME|URL", help="An interviewer (repeat for several).")
@click.option("--hiring-manager", multiple=True, metavar="NAME|URL", help="The hiring manager.")
@click.option("--recruiter", multiple=True, metavar="NAME|URL", help="The recruiter.")
@click.option("--referrer", multiple=True, metavar="NAME|URL", help="Who referred you.")
@click.option("--id", "interview_id", metavar="ID", help="A short id (default: <company>-<YYYY-MM-DD>).")
@click.option("--position", metavar="TEXT", help="The job you interviewed for; drafts name it.")
@click.option("--topic", metavar="TEXT", help="What you discussed, as a phrase; drafts mention it.")
@click.option("--discreet", is_flag=True, help="Keep this search quiet (your current employer must not hear).")
@click.option("--language", metavar="en|ru", default="", help="The drafts' language for this interview.")
@click.option("--country", metavar="CODE", default="", help="Public holidays to skip (US, GB, DE, RU...).")
@click.option("--from-invite", "invite", metavar="FILE.ics", type=click.Path(),
              help="Read it from the calendar invitation (.ics, or the invitation email).")
@click.option("--me", multiple=True, metavar="ADDRESS", help="With --from-invite: an address of yours (repeatable).")
@click.option("--organizer-role", default="recruiter", show_default=True, metavar="ROLE",
              help="With --from-invite: the role of whoever sent the invitation.")
@_format_option
@pass_state
def interview_add(state: _State, company: str | None, date: str | None, interviewer: tuple[str, ...],
                  hiring_manager: tuple[str, ...], recruiter: tuple[str, ...], referrer: tuple[str, ...],
                  interview_id: str | None, position: str | None, topic: str | None, discreet: bool, language: str,
                  country: str, invite: str | None, me: tuple[str, ...], organizer_role: str, fmt: str) -> None:
    """Record an interview; missing values are asked for on a terminal.

    People are matched to your connections exactly as in the interviews file, and the
    result is shown. With --from-invite the invitation a recruiter sent gives the time and
    zone, the recruiter (who sent it) and the interviewers with their addresses; the same
    invitation updated later moves the interview.

    Example:

    \b
        backchannel interview add --company "Acme Corp." --date "2026-11-24 14:00" \\
            --interviewer "Jane Roe" --hiring-manager "Sam Patel" --referrer "Chris Lee" \\
            --position "Senior Backend Engineer" --topic "the ledger migration"
        backchannel interview add --from-invite ~/Downloads/invite.ics --me me@example.com
    """
    if invite:
        if date or interviewer or hiring_manager or recruiter or referrer or interview_id:
            raise BackchannelError("with --from-invite the date and the people come from the invitation; add "
                                   "people afterwards with: backchannel interview person")
        details = {"position": position, "topic": topic, "discreet": discreet or None, "language": language or None,
                   "country": country or None}
        _add_from_invite(state, invite, me=me, company=company or "", organizer_role=organizer_role,
                         details=details, fmt=fmt)
        return
    app = state.writer
    people = ([("interviewer", n) for n in interviewer] + [("hiring-manager", n) for n in hiring_manager]
              + [("recruiter", n) for n in recruiter] + [("referrer", n) for n in referrer])
    interactive = sys.stdin.isatty()
    if not company:
        if not interactive:
            raise BackchannelError("--company is required")
        companies = [max(v, key=v.get) for v in app.workspace.company_names().values() if v]
        with _completion(companies):
            company = click.prompt("Company")
    if not date:
        if not interactive:
            raise BackchannelError("--date is required (for example 2026-11-24 14:00)")
        while True:  # checked as typed: an unreadable date never costs the people typed after it
            date = click.prompt("Date and time (2026-11-24 14:00)")
            try:
                app.parse_time(date, what="date")
                break
            except BackchannelError as exc:
                click.echo(f"  {exc}", err=True)
    if not people:
        if not interactive:
            raise BackchannelError("name at least one person (--interviewer, --hiring-manager, --recruiter or "
                                   "--referrer)")
        people = _prompt_people(app)
        if not people:
            raise BackchannelError("an interview needs at least one person")
    assert company is not None and date is not None
    report = app.add_interview(company=company, date=date, people=people, interview_id=interview_id or "",
                               position=position or "", topic=topic or "", discreet=discreet, language=language,
                               country=country)
    if fmt == "table":
        click.echo(f"Added {report.interviews[0]} with {report.people} "
                   f"{'person' if report.people == 1 else 'people'}.")
    _report_matches(report, fmt)
    if fmt == "table":
        click.echo(f"Next: backchannel plan {report.interviews[0]}")


def _add_from_invite(state: _State, path: str, *, me: Sequence[str], company: str, organizer_role: str,
                     details: dict[str, Any], fmt: str) -> None:
    """``interview add --from-invite`` and ``import interviews FILE.ics``."""
    from ..times import human_time, zone_from_name

    app = state.writer

    def ask(invite: Any) -> str:
        if not sys.stdin.isatty():
            return ""
        click.echo(f"The invitation ({_one_line(invite.summary) or 'no title'}) does not say which company it is for.",
                   err=True)
        guess = invite.company_candidates[0] if invite.company_candidates else None
        return str(click.prompt("Company", default=guess))

    change = app.add_from_invite(path, me=me, company=company, organizer_role=organizer_role, ask_company=ask)
    if change.action in ("added", "joined", "updated") and any(v is not None for v in details.values()):
        app.edit_interview(change.interview, **details)
    iv = app.workspace.interview(change.interview)
    when = human_time(iv.at, zone_from_name(iv.tz), label=True)
    headline = {
        "added": f"Added {iv.id} from the invitation: {when}, {len(iv.people)} "
                 f"{'person' if len(iv.people) == 1 else 'people'}.",
        "joined": f"The invitation is for {iv.id}, the interview you recorded ({when}):",
        "updated": f"Updated {iv.id} from a newer version of its invitation ({when}):",
        "unchanged": f"{iv.id} is as this invitation says ({when}); nothing changed.",
        "older": f"{iv.id}: nothing changed.",
        "cancelled": f"{iv.id}: the invitation is cancelled.",
    }[change.action]
    if fmt == "table":
        click.echo(_one_line(headline))
        for note in change.notes:
            click.echo(f"  {_one_line(note)}")
    if change.action in ("added", "joined", "updated"):
        _report_matches(app.match_report(iv.id), fmt)
        if fmt == "table":
            click.echo(f"Next: backchannel plan {iv.id}")


@interview_group.command("edit")
@click.argument("interview", shell_complete=_complete_interview)
@click.option("--company", metavar="NAME")
@click.option("--date", "date", metavar="DATETIME")
@click.option("--position", metavar="TEXT")
@click.option("--topic", metavar="TEXT", help="What you discussed (drafts mention it).")
@click.option("--discreet/--not-discreet", default=None, help="Keep this search quiet, or not.")
@click.option("--language", metavar="en|ru")
@click.option("--country", metavar="CODE")
@pass_state
def interview_edit(state: _State, interview: str, **changes: Any) -> None:
    """Change an interview's details.

    Example:

    \b
        backchannel interview edit acme-corp-2026-11-24 --position "Staff Engineer" --discreet
    """
    from ..times import human_time

    app = state.app
    iv = app.edit_interview(interview, **changes)
    click.echo(f"Updated {iv.id}: {_one_line(iv.company)}, {human_time(iv.at, app.zone(), now=app.clock(), label=True)}"
               + (f", {_one_line(iv.position)}" if iv.position else "") + (", discreet" if iv.discreet else ""))
    if changes.get("company"):  # a name matches only at the same company: the matches may have changed
        _report_matches(app.match_report(iv.id), "table")


@interview_group.command("person")
@click.argument("interview", shell_complete=_complete_interview)
@click.argument("name")
@click.option("--role", metavar="ROLE", help="Add them (or change their role): interviewer, hiring-manager, "
              "recruiter, referrer.")
@click.option("--email", metavar="ADDRESS")
@click.option("--title", metavar="TEXT", help="Their job title.")
@click.option("--profile-url", metavar="URL", help="Their LinkedIn profile address (confirms a match).")
@click.option("--works-at", metavar="COMPANY", help="Their company, when it is not the hiring company.")
@click.option("--interests", metavar="A;B", help="Topics they care about, ;-separated (casual touches).")
@click.option("--mutuals", metavar="A;B", help="Mutual connections LinkedIn shows, ;-separated.")
@click.option("--notes", metavar="TEXT", help="Private notes: never in any message.")
@click.option("--topic", metavar="TEXT", help="What you discussed with them; drafts mention it.")
@click.option("--language", metavar="en|ru", help="The language of their drafts.")
@click.option("--name", "new_name", metavar="TEXT", help="Correct their name (their touches keep their handles).")
@click.option("--remove", is_flag=True, help="Take them off the interview (what you logged with them stays).")
@_format_option
@pass_state
def interview_person(state: _State, interview: str, name: str, role: str | None, new_name: str | None, remove: bool,
                     fmt: str, **details: Any) -> None:
    """Set a person's details in an interview (or add them with --role, or take them off with --remove).

    Example:

    \b
        backchannel interview person acme-corp-2026-11-24 "Jane Roe" --email jane@acme.example \\
            --interests "trail running; Rust" --mutuals "Dana Whitfield"
        backchannel interview person acme-corp-2026-11-24 "Talent Team" --remove
    """
    app = state.app
    if remove:
        if role or new_name or any(v is not None for v in details.values()):
            raise BackchannelError("--remove takes them off the interview: give it alone")
        removed = app.remove_person(interview, name)
        click.echo(f"Removed {_one_line(removed.name or removed.profile_url)} from {interview} (what you logged with "
                   "them stays in the log).")
        return
    details["name"] = new_name
    before = len(app.workspace.interview(interview).people)
    report = app.set_person(interview, name, role=role, **details)
    new = len(app.workspace.interview(interview).people) > before
    if fmt == "table":
        click.echo(f"Added {_one_line(name)} ({role}) to {interview}." if new else
                   f"Updated {_one_line(name)} in {interview}.")
    _report_matches(report, fmt)


@cli.command("interviews")
@_format_option
@pass_state
def interviews_cmd(state: _State, fmt: str) -> None:
    """List your interviews.

    Example:

    \b
        backchannel interviews --format json
    """
    from ..times import human_time

    app = state.app
    result = app.interviews()
    rows = result.to_records()
    if fmt == "table":  # times in words, in your zone, as every table gives them
        zone, now = app.zone(), app.clock()
        rows = [{**r, "date": human_time(iv.at, zone, now=now, label=True)} for r, iv in zip(rows, result, strict=True)]
    _echo_rows(rows, fmt, ["interview", "company", "date", "people", "status"] if fmt == "table"
               else list(_columns("INTERVIEW_COLUMNS")),
               empty_hint="No interviews yet: backchannel interview add (or import interviews FILE)",
               no_wrap={"interview", "date"})


# ---------------------------------------------------------------------- people and ranking


@cli.command("people")
@click.argument("query", required=False, default="")
@click.option("--company", metavar="NAME", help="Only people at this company (any part of its name).")
@click.option("--top", type=click.IntRange(1), help="At most this many rows.")
@_format_option
@pass_state
def people_cmd(state: _State, query: str, company: str | None, top: int | None, fmt: str) -> None:
    """Search your first-degree connections by name, company or position, strongest tie first.

    Example:

    \b
        backchannel people --company umbrella --format json
    """
    rows = state.app.people(query, company=company or "", limit=top).to_records()
    _echo_rows(rows, fmt, ["name", "company", "position", "connected_on", "strength", "messages"]
               if fmt == "table" else list(_columns("PEOPLE_COLUMNS")),
               empty_hint="No one matches." if state.app.workspace.self_owner() else
               "No connections yet: import your export first (backchannel import linkedin PATH)")


@cli.command("rank")
@click.argument("interview", required=False, shell_complete=_complete_interview)
@click.option("--company", metavar="NAME", help="Rank for a company (any part of its name) instead of an interview.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many rows.")
@_format_option
@pass_state
def rank_cmd(state: _State, interview: str | None, company: str | None, top: int, fmt: str) -> None:
    """Rank who can carry a good word to the people deciding, with reasons.

    The score is the strength of the path you → them → the interviewers: their tie to you
    (willing to speak up) times their reach (a stated mutual, a shared group conversation,
    or working at the company).

    Example:

    \b
        backchannel rank acme-corp-2026-11-24 --top 5
    """
    from ..results import RANK_COLUMNS

    result = state.app.rank(interview, company=company, top=top)
    if not result.candidates:
        if result.message:
            click.echo(_one_line(result.message), err=True)
        if fmt == "json":
            _echo_rows({"company": result.company, "candidates": [], "message": result.message,
                        "second_degree_search": result.search_link or None}, fmt)
        elif fmt == "csv":
            _echo_rows([], fmt, list(RANK_COLUMNS))
        return
    rows = result.to_records()
    if fmt == "table":
        _echo_rows(rows, fmt, ["rank", "name", "score", "reasons", "action"], no_wrap={"name"},
                   headers={"rank": "#"})
    else:
        _echo_rows(rows, fmt, list(RANK_COLUMNS))


@cli.command("reconnect")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many rows.")
@click.option("--drafts", is_flag=True, help="Print a draft to send each of them.")
@_lang_option
@_format_option
@pass_state
def reconnect_cmd(state: _State, top: int, drafts: bool, lang: str | None, fmt: str) -> None:
    """Dormant strong ties worth renewing: a strong history, then a long silence.

    Example:

    \b
        backchannel reconnect --top 5 --drafts
    """
    rows = state.app.reconnect(top=top, drafts=drafts or fmt != "table", lang=lang).to_records()
    if drafts and fmt == "table":
        from ..output import inert_block

        for r in rows:
            click.echo(f"{r['rank']}. {_one_line(r['name'])} ({'; '.join(map(_one_line, r['reasons']))})")
            click.echo(inert_block(r["draft"]))
            click.echo("")
        return
    _echo_rows(rows, fmt, ["rank", "name", "company", "last_message", "reasons"] if fmt == "table"
               else [*_columns("RECONNECT_COLUMNS"), "draft"],
               empty_hint="No dormant strong ties found.")
