"""The pages and the demo: ``map``, ``report``, ``demo``."""

from __future__ import annotations

from typing import Any

import click

from .base import (
    _at_option,
    _complete_interview,
    _lang_option,
    _one_line,
    _State,
    cli,
    pass_state,
)

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

    from ..output import write_atomically

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
    from ..demo import run_demo
    from ..output import inert_block

    run_demo(directory, echo=lambda text: click.echo(inert_block(text)))
