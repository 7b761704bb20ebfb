"""Stored values as Python's and back: times, days, an interview's outcomes and edits, an
interview person; a damaged or hand-edited value reads as none, never a crash."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ..domain import InterviewPerson


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str | None) -> datetime | None:
    """A stored time; None for what cannot be one (a damaged or hand-edited row)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _outcomes(value: str | None) -> list[tuple[str, datetime]]:
    """The stored outcomes of an interview (a damaged entry is left out)."""
    try:
        rows = json.loads(value or "[]")
    except ValueError:
        return []
    out = []
    for entry in rows if isinstance(rows, list) else []:
        when = _when(entry[1]) if isinstance(entry, list) and len(entry) == 2 else None
        if when is not None:
            out.append((str(entry[0]), when))
    return out


def _edits(value: str | None) -> dict[str, str]:
    try:
        found = json.loads(value or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _person_from_row(p: Mapping[str, Any]) -> InterviewPerson:
    return InterviewPerson(
        slug=p["slug"], role=p["role"], name=p["name"], profile_url=p["profile_url"], email=p["email"],
        title=p["title"], works_at=p["works_at"], interests=json.loads(p["interests"] or "[]"),
        mutuals=json.loads(p["mutuals"] or "[]"), notes=p["notes"], topic=p["topic"], language=p["language"],
        extra=json.loads(p["extra"] or "{}"), line=p["line"], person_id=p["person_id"],
        match_status=p["match_status"], match_via=p["match_via"], match_detail=json.loads(p["match_detail"] or "[]"),
        edited=_edits(p.get("edited")))


def _day(value: str | None) -> date | None:
    """A stored day (``YYYY-MM-DD``); None for none or a damaged one."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
