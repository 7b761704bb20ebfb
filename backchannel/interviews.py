"""Reading and validating the interviews file, and resolving its people against the workspace."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .identity import Match, PeopleIndex, normalise_company, slugify
from .textfiles import read_all_rows
from .timeutil import local_zone, parse_when, zone_name

__all__ = ["ROLES", "InterviewsReport", "read_interviews", "resolve_interviews", "DECISION_ROLES"]

ROLES = ("interviewer", "referrer", "recruiter", "hiring-manager")
DECISION_ROLES = ("interviewer", "hiring-manager", "recruiter")
KNOWN_COLUMNS = ("interview", "company", "date", "role", "name", "profile_url", "email", "title", "interests",
                 "mutuals", "discreet", "notes", "position")
_ROLE_ALIASES = {"hiring manager": "hiring-manager", "hiring_manager": "hiring-manager", "hm": "hiring-manager",
                 "referral": "referrer", "referer": "referrer", "recruiter": "recruiter"}


@dataclass
class InterviewsReport:
    interviews: list[str] = field(default_factory=list)
    people: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    matched: list[tuple[str, str, str]] = field(default_factory=list)  # (name, matched name, via)
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    unmatched: list[tuple[str, list[str]]] = field(default_factory=list)


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("\n", ";").split(";") if v.strip()]


def read_interviews(path: str | os.PathLike, *, timezone_name: str = "") -> tuple[list[dict], list[str]]:
    """Parse and validate the file; returns (interviews, unknown columns). Nothing is resolved yet.

    Any invalid row raises :class:`InputError` naming the line, so nothing is imported.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file", path=path)
    tz = local_zone(timezone_name)

    def is_header(cells: list[str]) -> bool:
        low = {c.strip().lower() for c in cells}
        return "company" in low and "role" in low

    try:
        table, rows = read_all_rows(lambda: open(path, "rb"), str(path), is_header,  # noqa: SIM115
                                    what="interviews (company, date, role, name, ...)")
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None
    header = [h.strip().lower().replace(" ", "_") for h in table.header]
    for required in ("company", "date", "role"):
        if required not in header:
            raise InputError(f"missing required column {required!r}", path=path, line=table.header_line)
    if "name" not in header and "profile_url" not in header:
        raise InputError("missing required column 'name' (or 'profile_url')", path=path, line=table.header_line)
    unknown = [h for h in header if h and h not in KNOWN_COLUMNS]
    index = {h: i for i, h in reversed(list(enumerate(header)))}

    def get(cells, key):
        i = index.get(key)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    interviews: dict[str, dict] = {}
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        company = get(cells, "company")
        if not company:
            raise InputError("the company is empty", path=path, line=line)
        try:
            at = parse_when(get(cells, "date"), tz)
        except ValueError as exc:
            raise InputError(f"date: {exc}", path=path, line=line) from None
        role_text = get(cells, "role").lower()
        role = _ROLE_ALIASES.get(role_text, role_text)
        if role not in ROLES:
            raise InputError(f"unknown role {get(cells, 'role')!r}; use one of {', '.join(ROLES)}", path=path, line=line)
        name, url = get(cells, "name"), get(cells, "profile_url")
        if not name and not url:
            raise InputError("a person needs a name or a profile_url", path=path, line=line)
        discreet_text = get(cells, "discreet").lower()
        if discreet_text not in {"", "yes", "no", "y", "n", "true", "false", "1", "0"}:
            raise InputError(f"discreet must be yes or no, not {get(cells, 'discreet')!r}", path=path, line=line)
        interview_id = get(cells, "interview") or f"{slugify(company)}-{at.date().isoformat()}"
        if not all(ch.isalnum() or ch in "-_." for ch in interview_id):
            raise InputError(f"interview id {interview_id!r} may hold only letters, digits, '-', '_' and '.'",
                             path=path, line=line)
        iv = interviews.setdefault(interview_id, {
            "id": interview_id, "company": company, "at_dt": at, "tz": zone_name(at.tzinfo),
            "discreet": False, "source": str(path), "people": [], "line": line, "position": "",
        })
        iv["discreet"] = iv["discreet"] or discreet_text in {"yes", "y", "true", "1"}
        extra = {h: get(cells, h) for h in unknown if get(cells, h)}
        iv["people"].append({
            "role": role, "name": name, "profile_url": url, "email": get(cells, "email"),
            "title": get(cells, "title"), "interests": _split(get(cells, "interests")),
            "mutuals": _split(get(cells, "mutuals")), "notes": get(cells, "notes"), "extra": extra,
            "line": line, "company": company,
        })
        if get(cells, "position"):
            iv["position"] = get(cells, "position")
    if not interviews:
        raise InputError("the file has a header but no interviews", path=path)
    out = []
    for iv in interviews.values():
        iv["at"] = iv.pop("at_dt").isoformat()
        out.append(iv)
    return out, unknown


def resolve_interviews(interviews: list[dict], index: PeopleIndex, aliases=None) -> InterviewsReport:
    """Match each person and mutual to the workspace's people, in place; report what happened."""
    report = InterviewsReport()
    for iv in interviews:
        iv["company_key"] = normalise_company(iv["company"], aliases)
        report.interviews.append(iv["id"])
        slugs: dict[str, int] = {}
        for p in iv["people"]:
            report.people += 1
            match = index.match(name=p["name"], profile_url=p["profile_url"], email=p["email"], company=p["company"])
            _note(report, match, p["name"] or p["profile_url"], iv["id"])
            p["person_id"] = match.person.id if match.person else None
            if not p["name"] and match.person:
                p["name"] = match.person.name
            base = slugify(p["name"] or p["profile_url"].rstrip("/").rsplit("/", 1)[-1])
            slugs[base] = slugs.get(base, 0) + 1
            p["slug"] = base if slugs[base] == 1 else f"{base}-{slugs[base]}"
            p["mutual_ids"] = []
            for ref in p["mutuals"]:
                is_url = "linkedin.com/" in ref.lower()
                m = index.match(name="" if is_url else ref, profile_url=ref if is_url else "")
                _note(report, m, ref, iv["id"], mutual_of=p["name"])
                p["mutual_ids"].append((ref, m.person.id if m.person else None))
    return report


def _note(report: InterviewsReport, match: Match, reference: str, interview: str, mutual_of: str = "") -> None:
    label = f"{reference} (mutual of {mutual_of})" if mutual_of else reference
    if match.person:
        report.matched.append((label, match.person.name, match.via))
    elif match.ambiguous:
        report.ambiguous.append((label, [f"{c.name} ({c.company or 'no company'})" for c in match.candidates]))
    else:
        report.unmatched.append((label, match.closest))
