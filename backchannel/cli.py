"""The ``backchannel`` command line: thin click commands over ``api.py`` and ``output.py``.

Imports are lazy: ``backchannel --help`` loads neither pandas, networkx, pyvis nor Babel.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from .errors import BackchannelError

FORMATS = click.Choice(["table", "csv", "json"])
#: the order of the evening after an interview, for --help
WORKFLOW = ["demo", "import", "interview", "interviews", "people", "rank", "today", "plan", "due", "draft", "done",
            "replied", "skip", "undo", "close", "map", "report", "reconnect"]
#: commands that may create a workspace (everything else needs one to exist)
WRITERS = {"import", "interview", "demo"}


class _Group(click.Group):
    """Lists commands in workflow order; turns user-facing errors into one line on stderr."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: WORKFLOW.index(n) if n in WORKFLOW else len(WORKFLOW))

    def invoke(self, ctx: click.Context) -> Any:
        # Every way a command can fail ends with the workspace as it was: a first command
        # that failed leaves no workspace behind, whatever stopped it
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit as exc:
            if exc.exit_code:
                _forget_new_workspace(ctx)
            raise
        except (click.ClickException, click.Abort):
            _forget_new_workspace(ctx)
            raise
        except BackchannelError as exc:
            _forget_new_workspace(ctx)
            raise click.ClickException(_one_line(str(exc))) from None
        except KeyboardInterrupt:
            _forget_new_workspace(ctx)
            click.echo("Error: interrupted; nothing was changed", err=True)
            ctx.exit(130)
        except BaseException as exc:
            if not _out_of_memory(exc):
                _forget_new_workspace(ctx)
                raise
        # out of memory: handled here, once the error and its frames (the memory) are let go
        _forget_new_workspace(ctx)
        command = " ".join(filter(None, [_command_path(ctx), ctx.invoked_subcommand]))
        raise click.ClickException(f"out of memory while running `backchannel {command}`; nothing was changed: "
                                   "close other programs or raise the memory limit, and try again")


class _SubGroup(_Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def _one_line(text: str) -> str:
    from .output import inert_text

    return inert_text(" ".join(text.split()))


def _out_of_memory(exc: BaseException) -> bool:
    """MemoryError (numpy's and Arrow's included), or a thread that could not start for want
    of memory (Arrow says so in a message of its own)."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc)
    return "can't start new thread" in text or "Failed to launch worker thread" in text


def _command_path(ctx: click.Context | None) -> str:
    """The command's words, without the program's name: ``done``, ``import linkedin``."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def _forget_new_workspace(ctx: click.Context) -> None:
    state = ctx.find_object(_State)
    if state is None:
        return
    import signal

    try:  # a second Ctrl-C must not stop the clean-up half-way
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        previous = None
    try:
        state.forget_new_workspace()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


class _State:
    def __init__(self, db: str | None, config: str | None):
        self.db = db
        self.config_path = config
        self._app: Any = None

    def open(self, *, create: bool) -> Any:
        if self._app is None:
            from .api import Backchannel

            self._app = Backchannel(self.db, config=self.config_path, create=create,
                                    command=_command_path(click.get_current_context(silent=True)))
            for warning in self._app.config.warnings:
                click.echo(f"Warning: {_one_line(warning)}", err=True)
        return self._app

    def forget_new_workspace(self) -> None:
        """Remove the workspace this command created, when the command failed."""
        if self._app is not None:
            self._app.workspace.remove_if_new()

    @property
    def app(self) -> Any:
        return self.open(create=False)

    @property
    def writer(self) -> Any:
        return self.open(create=True)


pass_state = click.make_pass_decorator(_State)


def _terminal() -> bool:
    return sys.stdout.isatty()


def _echo_rows(rows: Sequence[dict[str, Any]] | dict[str, Any], fmt: str, columns: list[str] | None = None, *,
               empty_hint: str | None = None, **table: Any) -> None:
    from .output import colour_wanted, render

    if not rows and fmt == "table":
        click.echo(empty_hint or "(nothing)", err=True)
        return
    # CSV and JSON are data: piped, they carry it exactly (click would strip escape sequences);
    # on a terminal, render has made every control character visible
    click.echo(render(rows, fmt, columns, terminal=_terminal(), colour=fmt == "table" and colour_wanted(sys.stdout),
                      **table), color=True if fmt != "table" else None)


def _names_for_completion(ctx: click.Context, kind: str) -> list[str]:
    """Interview ids or touch handles in the workspace the command line names (read only; any
    trouble completes nothing, quietly: completion never writes and never fails a shell)."""
    try:
        from .api import Backchannel

        root = ctx.find_root().params
        with Backchannel(root.get("db"), config=root.get("config"), create=False) as app:
            if kind == "interview":
                return app.workspace.interview_ids()
            plan = app.plan()
            return sorted(set(plan.handles) | {t.id for t in plan})
    except Exception:  # noqa: BLE001 - a shell's tab key must never see a traceback
        return []


def _complete_interview(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(n) for n in _names_for_completion(ctx, "interview") if n.startswith(incomplete)]


def _complete_touch(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(n) for n in _names_for_completion(ctx, "touch") if n.startswith(incomplete)]


def _columns(name: str) -> tuple[str, ...]:
    """A listing's columns (results.py), so that a CSV has its header even with no rows."""
    from . import results

    return tuple(getattr(results, name))


def _format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
                        help="Output format: a table, CSV (spreadsheet-safe) or JSON (a list of objects).")(f)


def _at_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--at", "at", metavar="DATETIME",
                        help="As if it were this time (ISO 8601 or 11/24/2026 14:00; default: now).")(f)


def _lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--lang", metavar="en|ru",
                        help="The drafts' language (default: the person's, the config's, then en).")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", envvar="BACKCHANNEL_DB", type=click.Path(dir_okay=False), metavar="PATH",
              help="The workspace, a SQLite file (env BACKCHANNEL_DB; default: your user data directory).")
@click.option("--config", envvar="BACKCHANNEL_CONFIG", type=click.Path(dir_okay=False), metavar="PATH",
              help="Config file (TOML): time zone, language, country, company aliases, templates.")
@click.version_option(package_name="backchannel")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config: str | None) -> None:
    """Plan your follow-up after an interview, and warm up the back channel.

    Start here: backchannel demo (the whole flow on sample data), then import your own
    LinkedIn export and your interview. Everything stays on your machine.

    Example:

    \b
        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
        backchannel interview add --company "Acme Corp." --date "2026-11-24 14:00" --interviewer "Jane Roe"
        backchannel today
    """
    ctx.obj = _State(db, config)


# ---------------------------------------------------------------------- importing


@cli.group("import", cls=_SubGroup)
def import_group() -> None:
    """Import your LinkedIn export or your interviews file."""


@import_group.command("linkedin")
@click.argument("path", type=click.Path(exists=False))
@click.option("--owner", metavar="NAME", help="Import someone else's Connections.csv under their name.")
@pass_state
def import_linkedin(state: _State, path: str, owner: str | None) -> None:
    """Import a LinkedIn export: the ZIP, the unpacked folder, or Connections.csv.

    Re-importing the same or a newer export updates people and never duplicates them; an
    old export (before LinkedIn added profile addresses) merges with a newer one.

    Example:

    \b
        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
    """
    if sys.stderr.isatty():
        click.echo(f"Reading {_one_line(path)} ...", err=True)
    s = state.writer.import_linkedin(path, owner=owner)
    for line in _import_lines(s, path, other_owner=bool(owner)):
        click.echo(line)
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


def _file_name(name: str) -> str:
    return _one_line(name.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1])


def _import_lines(s: Any, path: str, *, other_owner: bool) -> list[str]:
    """What ``import linkedin`` says: people, messages, each kind of file replaced or kept,
    and every row skipped, with its lines."""
    from .readers.text import LINES_LISTED

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


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _report_matches(report: Any, fmt: str) -> None:
    if fmt != "table":
        _echo_rows([m.as_dict() for m in report.matches], fmt, ["interview", "name", "role", "mutual_of", "status",
                                                                "via", "matched", "detail"])
        return
    if report.no_connections:
        click.echo("  no connections yet: people will be matched when you import your LinkedIn export")
    else:
        counts = ", ".join(f"{report.count(s)} {s}" for s in ("matched", "possible", "ambiguous", "unmatched")
                           if report.count(s))
        click.echo(f"  people and mutuals: {counts or 'none'}")
    for m in report.matches:
        if report.no_connections and m.status == "waiting":
            continue
        click.echo(f"    {_one_line(m.sentence())}")


@import_group.command("interviews")
@click.argument("path", type=click.Path())
@click.option("--overwrite", is_flag=True,
              help="Take the file's values over details you set in the terminal after it was saved.")
@_format_option
@pass_state
def import_interviews(state: _State, path: str, overwrite: bool, fmt: str) -> None:
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
        _add_from_invite(state, path, me=(), company="", organizer_role="recruiter", details={}, fmt=fmt)
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
@click.option("--dry-run", is_flag=True, help="List what would be logged; write nothing.")
@_format_option
@pass_state
def import_mail(state: _State, path: str, me: tuple[str, ...], dry_run: bool, fmt: str) -> None:
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
    app = state.app  # (a workspace with your interviews: nothing to log into without one)
    if sys.stderr.isatty():
        click.echo(f"Reading {_one_line(path)} ...", err=True)
    result = app.import_mail(path, me=me, dry_run=dry_run)
    if fmt != "table":
        _echo_rows(result.to_records(), fmt, ["interview", "handle", "person", "event", "at", "next_contact", "reason"])
        return
    for line in _mail_lines(result, app.zone(), short=len(app.workspace.interview_ids()) == 1):
        click.echo(line)


def _mail_lines(result: Any, zone: Any, *, short: bool) -> list[str]:
    """What ``import mail`` says: what it logged, what it left and why, and what it skipped."""
    from .times import human_time

    log = result.log
    lines = [f"Read {result.found:,} {_plural(result.found, 'message')} in {_file_name(result.path)}: "
             f"{result.relevant:,} to or from the people of your interviews."]
    verb = {"done": "done", "replied": "replied"}
    if log.logged:
        lines.append("Would log:" if result.dry_run else "Logged:")
        for x in log.logged:
            handle = x.touch.handle if short else f"{x.touch.interview}/{x.touch.handle}"
            line = f"  {handle} {verb[x.event.event]} {human_time(x.event.at, zone, label=True)} (mail)"
            if x.event.next_at is not None:
                line += f"; next contact {human_time(x.event.next_at, zone, label=True)}"
            lines.append("  " + _one_line(line))
    elif result.relevant:
        lines.append("Nothing new to log.")
    for x in log.left:
        lines.append("  " + _one_line(f"not logged: {x.person}, {human_time(x.at, zone, label=True)}: {x.reason}"))
    counts = [(log.seen, "read before"), (log.before, "from before the interview ended"),
              (log.future, "dated after now")]
    quiet = ", ".join(f"{n} {what}" for n, what in counts if n)
    if quiet:
        lines.append(f"  left as they are: {quiet}")
    for reason, count in sorted(result.skipped.counts.items()):
        places = result.skipped.examples.get(reason, [])[:3]
        lines.append("  " + _one_line(f"skipped {count:,} {_plural(count, 'message')}: {reason}"
                               + (f" ({'; '.join(places)}{' ...' if count > len(places) else ''})" if places else "")))
    for warning in result.warnings[:5]:
        lines.append("  " + _one_line(f"warning: {warning}"))
    if log.logged:
        lines.append("Nothing was written (--dry-run)." if result.dry_run else
                     "To take one back: backchannel undo HANDLE (it stays undone when you import this mail again).")
    return lines


def _is_invitation(path: str) -> bool:
    """A calendar invitation (``.ics``, or an ``.eml`` holding one) rather than an interviews CSV."""
    from pathlib import Path

    name = Path(path).name.lower()
    if name.endswith((".ics", ".ical", ".ifb", ".eml")):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(64).lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCALENDAR")
    except OSError:
        return False


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
    from .times import human_time, zone_from_name

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
    from .times import human_time

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
@_format_option
@pass_state
def interview_person(state: _State, interview: str, name: str, role: str | None, fmt: str, **details: Any) -> None:
    """Set a person's details in an interview (or add them with --role).

    Example:

    \b
        backchannel interview person acme-corp-2026-11-24 "Jane Roe" --email jane@acme.example \\
            --interests "trail running; Rust" --mutuals "Dana Whitfield"
    """
    app = state.app
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
    from .times import human_time

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
    from .results import RANK_COLUMNS

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
        from .output import inert_block

        for r in rows:
            click.echo(f"{r['rank']}. {_one_line(r['name'])} ({'; '.join(map(_one_line, r['reasons']))})")
            click.echo(inert_block(r["draft"]))
            click.echo("")
        return
    _echo_rows(rows, fmt, ["rank", "name", "company", "last_message", "reasons"] if fmt == "table"
               else [*_columns("RECONNECT_COLUMNS"), "draft"],
               empty_hint="No dormant strong ties found.")


# ---------------------------------------------------------------------- the plan


_STATUS_STYLE = {"overdue": "bold red", "due": "yellow", "done": "dim", "skipped": "dim", "cancelled": "dim"}


def _show_touches(app: Any, touches: Any, fmt: str, *, at: Any, empty: str) -> None:
    from .output import human_touch, terminal_width
    from .results import PLAN_COLUMNS
    from .times import zone_label

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
    from .output import inert_block, render

    app = state.app
    d = app.draft(touch, at=app.parse_time(at, what="--at") if at else None, lang=lang, templates_dir=templates,
                  force=force)
    if fmt == "json":
        click.echo(render(d.as_dict(), "json", terminal=_terminal()))
    else:
        click.echo(inert_block(d.text()))


def _log_line(app: Any, verb: str, result: Any) -> None:
    from .times import human_time

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


# ---------------------------------------------------------------------- maps, report, demo


def _open_in_browser(path: Any) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        click.echo(f"No browser to open it here; open {_one_line(str(path))} yourself.", err=True)


@cli.command("map")
@click.argument("interview", required=False, shell_complete=_complete_interview)
@click.option("--company", metavar="NAME", help="Map a company (any part of its name) instead of one interview.")
@click.option("--all", "all_", is_flag=True, help="Map your whole network (up to 30,000 connections).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, metavar="FILE",
              help="The HTML file to write.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Candidates on a focused map.")
@click.option("--emails", is_flag=True, help="Show email addresses in the details panel (off by default).")
@click.option("--open", "open_", is_flag=True, help="Open the map in your browser.")
@pass_state
def map_cmd(state: _State, interview: str | None, company: str | None, all_: bool, output: str, top: int,
            emails: bool, open_: bool) -> None:
    """Write an interactive map (one self-contained HTML file that works offline).

    Example:

    \b
        backchannel map acme-corp-2026-11-24 -o acme.html --open
    """
    from pathlib import Path

    from .output import write_atomically

    m = state.app.map(interview, company=company, all=all_, top=top, include_emails=emails)
    path = write_atomically(Path(output), m.html())
    click.echo(f"Wrote {_one_line(str(path))} ({len(m.nodes):,} nodes, {len(m.edges):,} edges)")
    if open_:
        _open_in_browser(path)


@cli.command("report")
@click.argument("interview", shell_complete=_complete_interview)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, metavar="FILE",
              help="The HTML file to write.")
@_at_option
@_lang_option
@click.option("--top", type=click.IntRange(min=0), default=10, show_default=True, metavar="N",
              help="List the next best N of the back channel after the people your plan contacts.")
@click.option("--open", "open_", is_flag=True, help="Open the report in your browser.")
@pass_state
def report_cmd(state: _State, interview: str, output: str, at: str | None, lang: str | None, top: int,
               open_: bool) -> None:
    """One offline page for an interview: the plan with its drafts, the people, the map. Printable.

    Example:

    \b
        backchannel report acme-corp-2026-11-24 -o acme-report.html --open
    """
    from pathlib import Path

    app = state.app
    report = app.report(interview, at=app.parse_time(at, what="--at") if at else None, lang=lang, top=top)
    path = report.write(Path(output))
    click.echo(f"Wrote {_one_line(str(path))}")
    if open_:
        _open_in_browser(path)


@cli.command("demo")
@click.argument("directory", required=False, default="backchannel-demo", type=click.Path(file_okay=False))
def demo_cmd(directory: str) -> None:
    """Run the whole flow on the bundled sample data, in DIRECTORY (default ./backchannel-demo).

    It imports a sample export and interview into a fresh workspace there, prints the
    ranking and what to do today, and writes a map, a report and a calendar file.

    Example:

    \b
        backchannel demo /tmp/backchannel-demo
    """
    from .demo import run_demo
    from .output import inert_block

    run_demo(directory, echo=lambda text: click.echo(inert_block(text)))


def main() -> None:
    """The console script."""
    try:
        cli(prog_name="backchannel")
    except BrokenPipeError:  # a reader that went away (| head): nothing left to say
        sys.stderr.close()
        sys.exit(0)
    except MemoryError:  # before or after a command (one that runs out is answered by _Group.invoke)
        pass
    else:
        return
    sys.stderr.write("Error: out of memory; nothing was changed\n")
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
