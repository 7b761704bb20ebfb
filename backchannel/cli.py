"""The ``backchannel`` command line: thin click commands over the library.

Imports are lazy: ``backchannel --help`` loads neither pandas, networkx nor pyvis.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys

import click

from .errors import BackchannelError

FORMATS = click.Choice(["table", "csv", "json"])


class _Group(click.Group):
    """Turns user-facing errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BackchannelError as exc:
            raise click.ClickException(_one_line(str(exc))) from None
        except sqlite3.OperationalError as exc:
            raise click.ClickException(f"workspace: {_one_line(str(exc))}") from None
        except KeyboardInterrupt:
            raise click.ClickException("interrupted; the workspace is unchanged") from None


def _one_line(text: str) -> str:
    from .output import inert_text

    return inert_text(" ".join(text.split()))


class _State:
    def __init__(self, db: str | None, config: str | None):
        self.db = db
        self.config_path = config
        self._app = None

    @property
    def app(self):
        if self._app is None:
            from .api import Backchannel

            self._app = Backchannel(self.db, config=self.config_path)
        return self._app


pass_state = click.make_pass_decorator(_State)


def _echo_rows(rows, fmt, columns, title=None, empty_hint=None):
    from .output import render

    if not rows and fmt == "table":
        click.echo(empty_hint or "(nothing)", err=True)
        return
    click.echo(render(rows, fmt, columns, title=title))


def _format_option(f):
    return click.option("--format", "fmt", type=FORMATS, default="table", show_default=True,
                        help="Output format: a table, CSV (spreadsheet-safe) or JSON (a list of objects).")(f)


def _at_option(f):
    return click.option("--at", "at", metavar="DATETIME",
                        help="Evaluate at this time (ISO 8601; default: now).")(f)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="BACKCHANNEL_DB", type=click.Path(dir_okay=False), metavar="PATH",
              help="The workspace, a SQLite file (env BACKCHANNEL_DB; default: your user data directory).")
@click.option("--config", envvar="BACKCHANNEL_CONFIG", type=click.Path(dir_okay=False), metavar="PATH",
              help="Config file (TOML): company aliases, weights, time zone, templates.")
@click.version_option(package_name="backchannel")
@click.pass_context
def cli(ctx, db, config):
    """Plan your follow-up after an interview, and warm up the back channel.

    Import your LinkedIn export and your interviews, then rank who can put in a good
    word, plan every follow-up with its due window, draft the messages and map who
    connects you to whom. Everything stays on your machine.

    Example:

    \b
        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
    """
    ctx.obj = _State(db, config)


@cli.group("import")
def import_group():
    """Import your LinkedIn export or your interviews file."""


@import_group.command("linkedin")
@click.argument("path", type=click.Path(exists=False))
@click.option("--owner", metavar="NAME", help="Import someone else's Connections.csv under their name.")
@pass_state
def import_linkedin(state, path, owner):
    """Import a LinkedIn export: the ZIP, the unpacked folder, or Connections.csv.

    Re-importing the same or a newer export updates people and never duplicates them.

    Example:

    \b
        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
    """
    progress = _progress_printer()
    if progress is not None:
        click.echo(f"Reading {_one_line(path)} ...", err=True)
    summary = state.app.import_linkedin(path, owner=owner, progress=progress)
    who = f"{summary.owner}'s" if owner else "your"
    click.echo(f"Imported {who} export from {_one_line(path)}")
    click.echo(f"  people: {summary.added} added, {summary.updated} updated, {summary.unchanged} unchanged"
               + (f"; {summary.kept_not_in_export} already in the workspace kept" if summary.kept_not_in_export else ""))
    click.echo(f"  interaction histories: {summary.interactions}"
               + (f" ({summary.unmatched_facts} with people who are not connections, not kept)"
                  if summary.unmatched_facts else ""))
    click.echo(f"  files read: {', '.join(map(_one_line, summary.files_read))}")
    if summary.files_ignored:
        click.echo(f"  files ignored (nothing we use): {len(summary.files_ignored)}: "
                   f"{', '.join(map(_one_line, summary.files_ignored[:8]))}"
                   + (" ..." if len(summary.files_ignored) > 8 else ""))
    for reason, count in sorted(summary.skipped.items()):
        click.echo(f"  skipped {count} row{'s' if count != 1 else ''}: {reason}")
    for warning in summary.warnings[:5]:
        click.echo(f"  warning: {_one_line(warning)}", err=True)
    if len(summary.warnings) > 5:
        click.echo(f"  ... and {len(summary.warnings) - 5} more warnings", err=True)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total > 5000:
            click.echo(f"\r  {done:,}/{total:,} connections", err=True, nl=False)
            if done + 5000 >= total:
                click.echo("", err=True)

    return show


@cli.command("people")
@click.argument("query", required=False, default="")
@click.option("--company", metavar="NAME", help="Only people at this company (any spelling).")
@click.option("--top", type=click.IntRange(1), help="At most this many rows.")
@_format_option
@pass_state
def people_cmd(state, query, company, top, fmt):
    """Search your first-degree connections by name, company or position.

    Rows come strongest tie first.

    Example:

    \b
        backchannel people --company "Acme Corp" --format json
    """
    rows = state.app.people_records(query, company=company or "", limit=top)
    _echo_rows(rows, fmt, ["name", "company", "position", "connected_on", "strength", "messages",
                           "profile_url"] if fmt == "table" else None,
               empty_hint="No one matches. Import your export first: backchannel import linkedin PATH")


@import_group.command("interviews")
@click.argument("path", type=click.Path())
@pass_state
def import_interviews(state, path):
    """Import your interviews file (CSV, one row per person per interview).

    Columns: company, date, role and name are required; interview, profile_url, email,
    title, interests, mutuals, discreet and notes are optional. Re-importing updates the
    same interviews and keeps every touch you logged.

    Example:

    \b
        backchannel import interviews interviews.csv
    """
    report = state.app.import_interviews(path)
    count = len(report.interviews)
    click.echo(f"Imported {count} interview{'s' if count != 1 else ''} with {report.people} "
               f"{'person' if report.people == 1 else 'people'}: "
               f"{', '.join(map(_one_line, report.interviews))}")
    if report.unknown_columns:
        click.echo(f"  kept unknown columns: {', '.join(map(_one_line, report.unknown_columns))}")
    click.echo(f"  matched to your connections: {len(report.matched)}")
    for ref, candidates in report.ambiguous:
        click.echo(f"  ambiguous: {_one_line(ref)} could be {'; '.join(map(_one_line, candidates))} "
                   "(add profile_url or email to choose)")
    for ref, closest in report.unmatched:
        hint = f" (closest: {', '.join(map(_one_line, closest))})" if closest else ""
        click.echo(f"  not a connection: {_one_line(ref)}{hint}")


@cli.command("interviews")
@_format_option
@pass_state
def interviews_cmd(state, fmt):
    """List your interviews.

    Example:

    \b
        backchannel interviews --format json
    """
    _echo_rows(state.app.interview_records(), fmt, None,
               empty_hint="No interviews yet: backchannel import interviews FILE")


RANK_COLUMNS = ["rank", "name", "profile_url", "company", "position", "score", "reasons", "bridges_to", "action"]


@cli.command("rank")
@click.argument("interview", required=False)
@click.option("--company", metavar="NAME", help="Rank for a company instead of one interview.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many rows.")
@_format_option
@pass_state
def rank_cmd(state, interview, company, top, fmt):
    """Rank who can carry a good word to the people deciding, with reasons.

    Example:

    \b
        backchannel rank acme-2026-11-24 --top 5
    """
    rows = state.app.rank_records(interview, company=company, top=top)
    if not rows and fmt == "table":
        from .rank import people_search_link

        if state.app.workspace.self_owner() is None:
            click.echo("No connections yet: import your export first (backchannel import linkedin PATH).", err=True)
            return
        name = company or state.app.workspace.interview(interview)["company"]
        click.echo(f"No first-degree connections reach {_one_line(name).rstrip('.')}. Look for second-degree "
                   f"people there yourself (opens LinkedIn in your browser): {people_search_link(name)}", err=True)
        return
    columns = ["rank", "name", "company", "score", "bridges_to", "reasons", "action"] if fmt == "table" else RANK_COLUMNS
    _echo_rows([{k: r[k] for k in RANK_COLUMNS} for r in rows], fmt, columns)


@cli.command("reconnect")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="How many rows.")
@_format_option
@pass_state
def reconnect_cmd(state, top, fmt):
    """Dormant strong ties worth renewing: a strong history, then a long silence.

    Example:

    \b
        backchannel reconnect --top 5
    """
    rows = state.app.reconnect_records(top=top)
    _echo_rows(rows, fmt, ["rank", "name", "company", "score", "last_message", "reasons", "action"]
               if fmt == "table" else None, empty_hint="No dormant strong ties found.")


PLAN_TABLE = ["id", "kind", "person", "due_from", "due_by", "status", "done_at"]


@cli.command("plan")
@click.argument("interview", required=False)
@_at_option
@click.option("--ics", type=click.Path(dir_okay=False), metavar="FILE", help="Also write the open touches to a calendar file.")
@_format_option
@pass_state
def plan_cmd(state, interview, at, ics, fmt):
    """The follow-up plan: every touch with its due window and status.

    Example:

    \b
        backchannel plan acme-corp-2026-11-24 --ics follow-ups.ics
    """
    from .api import plan_row

    app = state.app
    when = app.parse_time(at)
    touches = app.plan_touches(interview, at=when)
    _echo_rows([plan_row(t) for t in touches], fmt, PLAN_TABLE if fmt == "table" else None,
               empty_hint="No touches: import your interviews first (backchannel import interviews FILE)")
    if ics:
        count = app.write_ics(ics, interview, at=when, touches=touches)
        click.echo(f"Wrote {count} open touch(es) to {_one_line(ics)}", err=True)


@cli.command("due")
@_at_option
@_format_option
@pass_state
def due_cmd(state, at, fmt):
    """What is due or overdue now, across all interviews.

    Example:

    \b
        backchannel due --at 2026-11-25T09:00
    """
    app = state.app
    rows = app.due_records(at=app.parse_time(at))
    _echo_rows(rows, fmt, PLAN_TABLE if fmt == "table" else None, empty_hint="Nothing is due. Well done.")


@cli.command("done")
@click.argument("touch")
@_at_option
@click.option("--next", "next_", metavar="DATETIME",
              help="When you said you will make the next contact (default: two business days later).")
@pass_state
def done_cmd(state, touch, at, next_):
    """Log a touch as done, and the next contact you committed to.

    Example:

    \b
        backchannel done acme-corp-2026-11-24/thank-you-email/jane-roe --next 2026-11-27
    """
    app = state.app
    when = app.parse_time(at)
    next_at = app.parse_time(next_) if next_ else None
    checkin = app.done(touch, at=when, next_at=next_at)
    click.echo(f"Logged {_one_line(touch)} as done at {when.isoformat(timespec='minutes')}.")
    if checkin:
        click.echo(f"Next contact: {checkin['id']} on {checkin['due_at'].isoformat(timespec='minutes')}")


@cli.command("draft")
@click.argument("touch")
@_at_option
@click.option("--next", "next_", metavar="DATETIME", help="The next-contact date to commit to in the draft.")
@click.option("--templates", type=click.Path(file_okay=False), help="A directory of your own draft templates.")
@pass_state
def draft_cmd(state, touch, at, next_, templates):
    """Print the message draft for a touch.

    Example:

    \b
        backchannel draft acme-corp-2026-11-24/thank-you-email/jane-roe
    """
    app = state.app
    text = app.draft(touch, at=app.parse_time(at), next_at=app.parse_time(next_) if next_ else None,
                     templates_dir=templates)
    click.echo(_inert_block(text))


def _inert_block(text: str) -> str:
    """Multi-line text for the terminal: each line inert, the line breaks kept."""
    from .output import inert_text

    return "\n".join(inert_text(line) for line in text.split("\n"))


@cli.command("close")
@click.argument("interview")
@click.option("--outcome", type=click.Choice(["offer", "rejected", "withdrawn"]), required=True)
@_at_option
@pass_state
def close_cmd(state, interview, outcome, at):
    """Close an interview (offer, rejected, withdrawn): its open touches are cancelled.

    Example:

    \b
        backchannel close acme-corp-2026-11-24 --outcome offer
    """
    app = state.app
    cancelled = app.close_interview(interview, outcome, at=app.parse_time(at))
    click.echo(f"Closed {_one_line(interview)} ({outcome}); cancelled {cancelled} open touch(es).")


@cli.command("map")
@click.argument("interview", required=False)
@click.option("--company", metavar="NAME", help="Map a company instead of one interview.")
@click.option("--all", "all_", is_flag=True, help="Map your whole network (up to 30,000 connections).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, metavar="FILE",
              help="The HTML file to write.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Candidates on a focused map.")
@click.option("--emails", is_flag=True, help="Show email addresses in the details panel (off by default).")
@click.option("--open", "open_", is_flag=True, help="Open the map in your browser.")
@pass_state
def map_cmd(state, interview, company, all_, output, top, emails, open_):
    """Write an interactive map (one self-contained HTML file that works offline).

    Example:

    \b
        backchannel map acme-corp-2026-11-24 -o acme.html --open
    """
    m = state.app.map(interview, company=company, all=all_, top=top, include_emails=emails)
    path = m.write(output)
    click.echo(f"Wrote {_one_line(str(path))} ({len(m.nodes):,} nodes, {len(m.edges):,} edges)")
    if open_:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


@cli.command("demo")
@click.argument("directory", required=False, default="backchannel-demo", type=click.Path(file_okay=False))
def demo_cmd(directory):
    """Run the whole flow on the bundled sample data, in DIRECTORY (default ./backchannel-demo).

    It generates a sample export and interview, imports them into a fresh workspace there,
    prints the ranking and what is due, and writes a map and a calendar file.

    Example:

    \b
        backchannel demo /tmp/backchannel-demo
    """
    from .demo import run_demo

    run_demo(directory, echo=lambda text: click.echo(_inert_block(text)))


def main() -> None:
    """The console script. Once a command has finished (its workspace closed, its files
    written), the process ends at once: tearing down a heap of a few hundred thousand objects
    would add about a twentieth of a second to every command and change nothing."""
    try:
        cli(prog_name="backchannel")
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        # a reader that went away (| head) or a closed stream: nothing left to say
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
