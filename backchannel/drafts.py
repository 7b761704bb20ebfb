"""Message drafts from Jinja2 templates (``templates/drafts/<kind>.txt.j2``).

A user can override any template by putting a file of the same name in their templates
directory (``templates_dir`` in the config, or ``--templates``). Every draft addressed to an
interviewer, hiring manager or recruiter ends with the candidate's own next-contact
commitment and its date ("I'll check in on Friday, November 27."), never with waiting.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .errors import BackchannelError
from .followup import Touch, next_contact
from .interviews import DECISION_ROLES

__all__ = ["render_draft", "commitment_line", "human_date"]

_BUILTIN = Path(__file__).parent / "templates" / "drafts"


def human_date(dt: datetime) -> str:
    return f"{dt:%A}, {dt:%B} {dt.day}"


def commitment_line(when: datetime) -> str:
    return f"I'll check in on {human_date(when)}."


def _environment(templates_dir: str | None):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    if templates_dir:
        path = Path(templates_dir).expanduser()
        if not path.is_dir():
            raise BackchannelError("templates directory not found", path=path)
        loaders.append(FileSystemLoader(str(path)))
    loaders.append(FileSystemLoader(str(_BUILTIN)))
    return SandboxedEnvironment(loader=ChoiceLoader(loaders), autoescape=False, undefined=StrictUndefined,
                                keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


def render_draft(touch: Touch, *, candidate: str, at: datetime, next_at: datetime | None = None,
                 templates_dir: str | None = None, outcome_note: str = "") -> str:
    """The draft text of a touch. ``at`` is when it will be sent (clamped into the window)."""
    from jinja2 import TemplateError

    send_at = max(at.astimezone(touch.due_from.tzinfo), touch.due_from)
    commitment = next_at or next_contact(send_at)
    needs_ring = touch.role in DECISION_ROLES
    first_name = (touch.person or "there").split()[0]
    context = {
        "touch": touch, "person": touch.person, "first_name": first_name, "company": touch.company.rstrip("."),
        "job": touch.job,
        "title": touch.title, "notes": touch.notes, "interest": touch.interest, "candidate": candidate or "",
        "candidate_first": (candidate or "").split()[0] if candidate else "", "reasons": touch.reasons,
        "bridges_to": touch.bridges_to, "interviewers": ", ".join(touch.bridges_to) or "the team",
        "commitment": commitment_line(commitment) if needs_ring else "", "commitment_date": human_date(commitment),
        "outcome_note": outcome_note,
    }
    try:
        text = _environment(templates_dir).get_template(f"{touch.kind}.txt.j2").render(**context).strip()
    except TemplateError as exc:
        raise BackchannelError(f"draft template for {touch.kind}: {exc}") from None
    if needs_ring and context["commitment"] not in text:
        # a user template forgot the ring: the commitment is not optional
        text += "\n\n" + context["commitment"]
    return text
