"""``backchannel demo``: the whole flow on the bundled sample, in a folder of its own."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .sample import (
    SAMPLE_USER_EMAIL,
    generate_export,
    write_sample_interviews,
    write_sample_invite,
    write_sample_mbox,
)
from .times import local_zone, zone_label

__all__ = ["run_demo"]


def run_demo(directory: str | os.PathLike[str], echo: Callable[[str], None] = print, *,
             now: datetime | None = None) -> dict[str, Any]:
    """Generate the sample, import it into a fresh workspace in ``directory``, rank, plan, map.

    The sample interview is set to yesterday afternoon, so the plan has touches due now.
    Returns the paths written.
    """
    from .api import Backchannel, system_clock
    from .config import Config
    from .output import human_touch, render, terminal_width, write_atomically
    from .workspace import make_private_folder

    directory = make_private_folder(Path(directory).resolve())  # (mode 700 whatever the umask, when new)
    db = directory / "workspace.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    tz = local_zone()
    now = (now or system_clock()).astimezone(tz)
    when = (now - timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    export = generate_export(_private_file(directory / "Basic_LinkedInDataExport_sample.zip"), 400, 4000)
    interviews = write_sample_interviews(_private_file(directory / "interviews.csv"), when.isoformat())
    with Backchannel(db, config=Config(), command="demo", clock=lambda: now) as app:
        summary = app.import_linkedin(export)
        echo(f"Imported the sample export: {summary.added} people, {summary.interactions} interaction histories.")
        report = app.import_interviews(interviews)
        interview_id = report.interviews[0]
        echo(f"Imported the sample interview {interview_id} ({report.people} people; "
             f"{report.count('matched')} people and mutuals matched to connections).")
        from zoneinfo import ZoneInfo

        eastern = when.astimezone(ZoneInfo("America/New_York")).replace(tzinfo=None).isoformat()
        invite = write_sample_invite(_private_file(directory / "invite.ics"), eastern)
        joined = app.add_from_invite(invite, me=[SAMPLE_USER_EMAIL])
        echo(f"Read its invitation: {', '.join(joined.notes) or 'nothing new'}.")
        mail = app.import_mail(write_sample_mbox(_private_file(directory / "sample.mbox"), when.isoformat()))
        logged = ", ".join(f"{x.touch.handle} {x.event.event}" for x in mail.log.logged)
        echo(f"Read the sample mail ({mail.found} messages): {logged or 'nothing to log'}.")
        echo("")
        ranking = app.rank(interview_id, top=5).to_records()
        echo("Who can put in a good word (backchannel rank):")
        echo(render([{k: r[k] for k in ("rank", "name", "score", "reasons", "action")} for r in ranking],
                    "table", width=terminal_width(), headers={"rank": "#"}))
        echo("")
        today = app.today()
        echo("What to do today (backchannel today):")
        echo(render([human_touch(t, tz, now, handle=t.handle) for t in today], "table",
                    ["handle", "what", "person", "when", "state"], width=terminal_width(), no_wrap={"handle"},
                    headers={"state": "status", "when": f"when ({zone_label(tz, now)})"}))
        map_path = write_atomically(directory / "map.html", app.map(interview_id).html())
        full_path = write_atomically(directory / "network.html", app.map(all=True).html())
        report_path = app.report(interview_id).write(directory / "report.html")
        ics_path = directory / "follow-ups.ics"
        app.write_ics(ics_path, interview_id)
        first = today[0].handle if today else "jane-roe/email"
        sample_draft = app.draft(first)
    echo("")
    echo(f"A draft, ready to send (backchannel draft {first}):")
    echo("")
    echo("    " + sample_draft.text().replace("\n", "\n    "))
    echo("")
    echo(f"Open the plan, drafts and map of this interview: {report_path}")
    echo(f"The back-channel map alone:                      {map_path}")
    echo(f"Your whole network:                              {full_path}")
    echo(f"Import the plan into a calendar:                 {ics_path}")
    echo("")
    echo("Try next:")
    echo(f"  export BACKCHANNEL_DB={db}")
    echo(f"  backchannel draft {first} --lang ru      # drafts in Russian; or language = \"ru\" in the config")
    echo(f"  backchannel done {first}")
    echo(f"  backchannel plan {interview_id}")
    echo("  backchannel undo jane-roe/email          # take back what the mail logged")
    echo("Then your own: backchannel import linkedin ~/Downloads/Basic_LinkedInDataExport_*.zip")
    echo("               backchannel interview add --company \"...\" --date \"YYYY-MM-DD HH:MM\" --interviewer \"...\"")
    echo("               backchannel interview add --from-invite invite.ics --me you@example.com")
    echo("               backchannel import mail ~/mail/sent.mbox")
    return {"workspace": db, "map": map_path, "network": full_path, "report": report_path, "ics": ics_path,
            "export": export, "interviews": interviews, "interview": interview_id, "invite": invite,
            "mail": directory / "sample.mbox"}


def _private_file(path: Path) -> Path:
    """``path`` as an empty file readable by its owner only (mode 600 whatever the umask), for
    the sample to be written into (writing into an existing file keeps its mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return path
