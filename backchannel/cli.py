"""The ``backchannel`` command line: thin click commands over the library.

Imports are lazy: ``backchannel --help`` loads neither pandas, networkx nor pyvis.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import datetime, timezone

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


def _now() -> datetime:
    return datetime.now(timezone.utc)


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

        backchannel import linkedin ~/Downloads/Basic_LinkedInDataExport_11-20-2026.zip
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

        backchannel import linkedin Basic_LinkedInDataExport_11-20-2026.zip
    """
    progress = _progress_printer()
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

        backchannel import interviews interviews.csv
    """
    report = state.app.import_interviews(path)
    click.echo(f"Imported {len(report.interviews)} interview(s) with {report.people} people: "
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

        backchannel rank acme-2026-11-24 --top 5
    """
    rows = state.app.rank_records(interview, company=company, top=top)
    if not rows and fmt == "table":
        from .rank import people_search_link

        name = company or state.app.workspace.interview(interview)["company"]
        click.echo(f"No first-degree connections reach {_one_line(name)}. Look for second-degree people "
                   f"there yourself (opens LinkedIn in your browser): {people_search_link(name)}", err=True)
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

        backchannel reconnect --top 5
    """
    rows = state.app.reconnect_records(top=top)
    _echo_rows(rows, fmt, ["rank", "name", "company", "score", "last_message", "reasons", "action"]
               if fmt == "table" else None, empty_hint="No dormant strong ties found.")


def main() -> None:
    cli(prog_name="backchannel")


if __name__ == "__main__":  # pragma: no cover
    main()
