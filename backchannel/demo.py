"""``backchannel demo``: the whole flow on the bundled sample, in a folder of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from .sample import generate_export, write_sample_interviews
from .timeutil import local_zone

__all__ = ["run_demo"]


def run_demo(directory: str | Path, echo: Callable[[str], None] = print, *, now: datetime | None = None) -> dict:
    """Generate the sample, import it into a fresh workspace in ``directory``, rank, plan, map.

    The sample interview is set to yesterday afternoon, so the plan has touches due now.
    Returns the paths written.
    """
    from .api import Backchannel
    from .config import Config
    from .output import render

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "workspace.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    tz = local_zone()
    now = now or datetime.now(tz)
    when = (now - timedelta(days=1)).replace(hour=14, minute=0, second=0, microsecond=0)
    export = generate_export(directory / "Basic_LinkedInDataExport_sample.zip", 400, 4000)
    interviews = write_sample_interviews(directory / "interviews.csv", when.isoformat())
    with Backchannel(db, config=Config()) as app:
        summary = app.import_linkedin(export, now=now)
        echo(f"Imported the sample export: {summary.added} people, {summary.interactions} interaction histories.")
        report = app.import_interviews(interviews, now=now)
        interview_id = report.interviews[0]
        echo(f"Imported the sample interview {interview_id} ({report.people} people).")
        echo("")
        ranking = app.rank_records(interview_id, top=5, now=now)
        echo("Who can put in a good word (backchannel rank):")
        echo(render([{k: r[k] for k in ("rank", "name", "company", "score", "reasons", "action")} for r in ranking],
                    "table", width=150))
        echo("")
        due = app.due_records(at=now)
        echo("Due now (backchannel due):")
        echo(render(due, "table", ["id", "kind", "person", "due_by", "status"], width=150))
        map_path = app.map(interview_id, now=now).write(directory / "map.html")
        full_path = app.map(all=True, now=now).write(directory / "network.html")
        ics_path = directory / "follow-ups.ics"
        app.write_ics(ics_path, interview_id, at=now)
    echo("")
    echo(f"Open the map of this interview:  {map_path}")
    echo(f"Open your whole network:         {full_path}")
    echo(f"Import the plan into a calendar: {ics_path}")
    echo("")
    echo("Try next:")
    echo(f"  export BACKCHANNEL_DB={db}")
    first = due[0]["id"] if due else f"{interview_id}/thank-you-email/jane-roe"
    echo(f"  backchannel draft {first}")
    echo(f"  backchannel done {first} --next {(now + timedelta(days=3)).date().isoformat()}")
    echo(f"  backchannel plan {interview_id}")
    echo("Then import your own export: backchannel import linkedin ~/Downloads/Basic_LinkedInDataExport_*.zip")
    return {"workspace": db, "map": map_path, "network": full_path, "ics": ics_path, "export": export,
            "interviews": interviews, "interview": interview_id}
