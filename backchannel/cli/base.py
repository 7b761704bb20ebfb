"""The command line's frame: the click group, its error handling and workspace, and the
helpers every command shares (options, completion, rendering rows, match reports).

Imports are lazy: ``backchannel --help`` loads neither pandas, networkx, pyvis nor Babel.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from ..errors import BackchannelError

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
            # from now on Ctrl-C changes nothing (pyarrow passes one on to Python again, too); a
            # plain try, not contextlib.suppress: no Python frame that a pending one could stop
            try:  # noqa: SIM105
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            except ValueError:  # not the main thread
                pass
            _forget_new_workspace(ctx)
            _said["interrupted"] = True
            click.echo(INTERRUPTED, err=True)
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
    from ..output import inert_text

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
            from ..api import Backchannel

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
    from ..output import colour_wanted, render

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
        from ..api import Backchannel

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
    from .. import results

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


def _file_name(name: str) -> str:
    return _one_line(name.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1])



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


#: what an interrupted command says
INTERRUPTED = "Error: interrupted; nothing was changed"


_said: dict[str, bool] = {}


def _interrupted_exit() -> NoReturn:
    """Leave at once with 130, the workspace already as it was: not through the interpreter's
    shutdown, which gives Ctrl-C its default action back while pyarrow may still pass on the
    one it caught (the process would then die of the signal after saying it stopped cleanly)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(130)


def main() -> None:
    """The console script."""
    try:
        cli(prog_name="backchannel")
    except SystemExit:
        if _said.get("interrupted"):  # (a command stopped by Ctrl-C, its clean-up done)
            _interrupted_exit()
        raise
    except KeyboardInterrupt:  # outside a command's own handling (as the process stops): the same answer, once
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if not _said.get("interrupted"):
            sys.stderr.write(INTERRUPTED + "\n")
        _interrupted_exit()
    except BrokenPipeError:  # a reader that went away (| head): nothing left to say
        sys.stderr.close()
        sys.exit(0)
    except MemoryError:  # before or after a command (one that runs out is answered by _Group.invoke)
        pass
    else:
        return
    sys.stderr.write("Error: out of memory; nothing was changed\n")
    sys.exit(1)
