"""The Python API, and the one orchestrator: it opens the workspace, reads the clock once per
call, and calls the rest (readers, ingest, graph, ranking, plan, drafts, calendar, maps,
report). DataFrames come out; the graph and the maps are at hand for Jupyter.

>>> from backchannel import Backchannel               # doctest: +SKIP
>>> bc = Backchannel("workspace.sqlite")               # doctest: +SKIP
>>> bc.import_linkedin("Basic_LinkedInDataExport.zip") # doctest: +SKIP
>>> bc.rank("acme-2026-11-24")                         # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .domain import DECISION_ROLES, OUTCOMES, RING_KINDS, Interview, InterviewPerson, TouchEvent
from .errors import BackchannelError, NotFoundError
from .followup import (
    RING_RESTS_AFTER,
    Touch,
    build_plan,
    decide_done,
    decide_replied,
    decide_skip,
    decide_undo,
    find_touch,
    promised_next,
    ring_states,
)
from .workspace import ImportSummary, Workspace

__all__ = ["Backchannel", "PLAN_COLUMNS", "RANK_COLUMNS", "PersonMatch", "InterviewsImport", "LogResult",
           "RankResult", "plan_row"]

PLAN_COLUMNS = ["id", "handle", "interview", "kind", "person", "role", "due_from", "due_by", "status", "done_at",
                "replied_at", "next_contact", "note"]
RANK_COLUMNS = ["rank", "name", "profile_url", "company", "position", "score", "reasons", "bridges_to", "action"]


def plan_row(t: Touch) -> dict[str, Any]:
    """A touch as JSON and CSV give it (ISO 8601 with offsets)."""
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {"id": t.id, "handle": t.handle, "interview": t.interview, "kind": t.kind, "person": t.person,
            "role": t.role, "due_from": iso(t.due_from), "due_by": iso(t.due_by), "status": t.status,
            "done_at": iso(t.done_at), "replied_at": iso(t.replied_at), "next_contact": iso(t.next_contact),
            "note": t.note}


@dataclass
class PersonMatch:
    """How one interview person (or a mutual) was matched, for the import's report."""

    interview: str
    name: str
    role: str
    status: str  # matched, ambiguous, possible, unmatched, waiting
    via: str = ""
    detail: list[str] = field(default_factory=list)
    mutual_of: str = ""
    matched_name: str = ""

    def sentence(self) -> str:
        who = f"{self.name} (mutual of {self.mutual_of})" if self.mutual_of else f"{self.name} ({self.role})"
        if self.status == "matched":
            return f"{who}: matched by {self.via}" + (f" to {self.matched_name}" if self.matched_name
                                                        and self.matched_name != self.name else "") + \
                "".join(f"; {d}" for d in self.detail)
        if self.status == "ambiguous":
            return f"{who}: could be {'; '.join(self.detail)}; add profile_url or email to choose"
        if self.status == "possible":
            places = "; ".join(self.detail)
            where = ("connections of that name are at another company or one your export does not name"
                     if any(d.endswith("(company unknown)") for d in self.detail)
                     else "a connection of that name is at another company")
            return f"{who}: not matched; {where} ({places}); add profile_url or email to confirm"
        if self.status == "waiting":
            return f"{who}: waiting for your LinkedIn export"
        hint = f" (closest: {', '.join(self.detail)})" if self.detail else ""
        return f"{who}: not one of your connections{hint}"

    def as_dict(self) -> dict[str, Any]:
        return {"interview": self.interview, "name": self.name, "role": self.role, "mutual_of": self.mutual_of or None,
                "status": self.status, "via": self.via or None, "matched": self.matched_name or None,
                "detail": self.detail}


@dataclass
class InterviewsImport:
    interviews: list[str]
    people: int
    matches: list[PersonMatch]
    unknown_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    no_connections: bool = False

    def count(self, status: str) -> int:
        return sum(1 for m in self.matches if m.status == status)


@dataclass
class LogResult:
    touch: Touch
    event: TouchEvent
    checkin: Touch | None = None
    message: str = ""


@dataclass
class RankResult:
    rows: list[dict[str, Any]]
    company: str = ""
    search_link: str = ""
    message: str = ""


def system_clock() -> datetime:
    """Now, in UTC; ``$BACKCHANNEL_NOW`` (ISO 8601 with an offset) stands in for the clock, so a
    demo or a test can run as if it were then."""
    fixed = os.environ.get("BACKCHANNEL_NOW", "").strip()
    if fixed:
        try:
            when = datetime.fromisoformat(fixed)
        except ValueError:
            raise BackchannelError(f"BACKCHANNEL_NOW: {fixed!r} is not an ISO 8601 time") from None
        if when.tzinfo is None:
            raise BackchannelError(f"BACKCHANNEL_NOW: {fixed!r} needs a UTC offset")
        return when.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


class Backchannel:
    """A workspace with its config: everything the CLI does, as methods.

    ``create=False`` refuses a missing workspace (the CLI's read-only commands); ``command``
    names the command for anyone waiting on the workspace's lock.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, *, config: str | os.PathLike[str] | Config | None = None,
                 create: bool = True, command: str = "", clock: Callable[[], datetime] | None = None):
        self.clock = clock or system_clock
        self.config = config if isinstance(config, Config) else load_config(config)
        self.workspace = Workspace(db, create=create, command=command)
        self._rankings: dict[str, list[dict[str, Any]]] = {}

    def close(self) -> None:
        self.workspace.close()

    def __enter__(self) -> Backchannel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        c = self.workspace.counts()
        return (f"<Backchannel {self.workspace.path}: {c['connections']} connections, "
                f"{c['interviews']} interviews>")

    # ------------------------------------------------------------------ time

    def _now(self, now: datetime | None) -> datetime:
        return now if now is not None else self.clock()

    def zone(self) -> tzinfo:
        from .times import local_zone

        return local_zone(self.config.timezone)

    def parse_time(self, text: str | None, *, default_time: time = time(9, 0), what: str = "date",
                   now: datetime | None = None) -> datetime:
        """A time the user typed (ISO 8601 or a spreadsheet's form; a date alone is at
        ``default_time``), in their zone; None or "" means now."""
        from .times import parse_user_time

        if not text:
            return self._now(now).astimezone(self.zone())
        try:
            return parse_user_time(text, self.zone(), default_time=default_time)
        except ValueError as exc:
            raise BackchannelError(f"{what}: {exc}") from None

    def _calendar(self, iv: Interview) -> Any:
        """Business days for an interview: its country's public holidays, else the config's,
        else those of the interview's or your own time zone's country."""
        from .times import country_of_zone, work_calendar

        if iv.country or self.config.country:
            return work_calendar(iv.country or self.config.country)
        try:
            return work_calendar(country_of_zone(iv.tz) or country_of_zone(self.zone()))
        except BackchannelError:  # a zone whose country the holidays package does not know
            return work_calendar("")

    # ------------------------------------------------------------------ importing

    def import_linkedin(self, path: str | os.PathLike[str], *, owner: str | None = None, progress: Any = None,
                        now: datetime | None = None) -> ImportSummary:
        """Import an export (ZIP, folder or Connections.csv); returns what changed."""
        from .bulk import gc_paused
        from .readers.export import read_export

        me = self.workspace.self_owner() if owner is None else None
        known = {"owner_name": me["name"] if me["name"] != "me" else "", "owner_profile_url": me["profile_url"]} \
            if me else {}
        with gc_paused():  # a million rows, keys and facts, all alive until the transaction ends
            export = read_export(path, **known)  # what is known of you tells your messages from theirs
            summary = self.workspace.import_export(export, owner=owner, aliases=self.config.aliases,
                                                   now=self._now(now), progress=progress)
            del export  # (freed before the collector is back: its next collection need not walk it)
        self._refresh_rankings()
        return summary

    def import_interviews(self, path: str | os.PathLike[str], *, now: datetime | None = None) -> InterviewsImport:
        """Import the interviews file; returns how each person was matched, or why not."""
        from .readers.interviews import read_interviews

        parsed = read_interviews(path, zone=self.zone(), default_language="",
                                 default_country="")
        for iv in parsed.interviews:
            iv.company_key = _company_key(iv.company, self.config.aliases)
            old = self._existing(iv.id)
            if old is not None:
                iv.outcome, iv.closed_at = old.outcome, old.closed_at
        self.workspace.save_interviews(parsed.interviews, now=self._now(now), aliases=self.config.aliases)
        ids = [iv.id for iv in parsed.interviews]
        self._refresh_rankings(ids)
        return InterviewsImport(ids, sum(len(iv.people) for iv in parsed.interviews), self._matches(ids),
                                parsed.unknown_columns, parsed.duplicates,
                                no_connections=self.workspace.self_owner() is None)

    def _existing(self, interview_id: str) -> Interview | None:
        try:
            return self.workspace.interview(interview_id)
        except NotFoundError:
            return None

    def match_report(self, interview_id: str) -> InterviewsImport:
        """How an interview's people and mutuals match your connections now."""
        iv = self.workspace.interview(interview_id)
        return InterviewsImport([iv.id], len(iv.people), self._matches([iv.id]),
                                no_connections=self.workspace.self_owner() is None)

    def _matches(self, interview_ids: Sequence[str]) -> list[PersonMatch]:
        out = []
        interviews = self.workspace.interviews(interview_ids)
        mutuals_of = {iv.id: self.workspace.interview_mutuals(iv.id) for iv in interviews}
        matched_ids = {p.person_id for iv in interviews for p in iv.people if p.person_id}
        matched_ids |= {m["person_id"] for rows in mutuals_of.values() for m in rows if m["person_id"]}
        names = {pid: row["name"] for pid, row in self.workspace.people_by_id(matched_ids).items()}
        for iv in interviews:
            mutuals = mutuals_of[iv.id]
            for p in iv.people:
                out.append(PersonMatch(iv.id, p.name or p.profile_url, p.role, p.match_status or "waiting",
                                       p.match_via, list(p.match_detail), matched_name=names.get(p.person_id or -1, "")))
                for m in (m for m in mutuals if m["slug"] == p.slug):
                    out.append(PersonMatch(iv.id, m["reference"], "mutual", m["match_status"] or "waiting",
                                           m["match_via"], list(m["match_detail"]), mutual_of=p.name or p.profile_url,
                                           matched_name=names.get(m["person_id"] or -1, "")))
        return out

    # ------------------------------------------------------------------ interviews by hand

    def add_interview(self, *, company: str, date: str, people: Sequence[tuple[str, str]], interview_id: str = "",
                      position: str = "", topic: str = "", discreet: bool = False, language: str = "",
                      country: str = "", now: datetime | None = None) -> InterviewsImport:
        """Record an interview without a CSV. ``people`` are (role, name or profile address)."""
        from .readers.interviews import check_language, check_topic, interview_id_for, parse_role
        from .times import work_calendar, zone_name

        now = self._now(now)
        if not company.strip():
            raise BackchannelError("--company is required")
        topic = _checked(check_topic, topic, "--topic")
        at = self.parse_time(date, default_time=time(17, 0), what="--date")
        language = _checked(check_language, language)
        if country:
            work_calendar(country.upper())
        iv_id = interview_id or interview_id_for(company, at.date().isoformat())
        if self._existing(iv_id) is not None:
            raise BackchannelError(f"interview {iv_id} already exists; change it with: backchannel interview edit "
                                   f"{iv_id} (or give --id)")
        iv = Interview(id=iv_id, company=company.strip(), at=at, tz=zone_name(at.tzinfo, at),
                       company_key=_company_key(company, self.config.aliases), discreet=discreet,
                       position=position.strip(), topic=topic.strip(), language=language,
                       country=country.strip().upper(), source="backchannel interview add")
        for role, reference in people:
            _add_person(iv, _checked(parse_role, role), reference)
        self.workspace.save_interviews([iv], now=now, aliases=self.config.aliases)
        self._refresh_rankings([iv_id])
        return InterviewsImport([iv_id], len(iv.people), self._matches([iv_id]),
                                no_connections=self.workspace.self_owner() is None)

    def edit_interview(self, interview_id: str, *, now: datetime | None = None, **changes: Any) -> Interview:
        """Change an interview's details: company, date, position, topic, discreet, language, country."""
        from .readers.interviews import check_language, check_topic
        from .times import work_calendar, zone_name

        iv = self.workspace.interview(interview_id)
        for key, value in changes.items():
            if value is None:
                continue
            if key == "date":
                at = self.parse_time(value, default_time=time(17, 0), what="--date")
                iv.at, iv.tz = at, zone_name(at.tzinfo, at)
            elif key == "company":
                iv.company, iv.company_key = value.strip(), _company_key(value, self.config.aliases)
            elif key == "language":
                iv.language = _checked(check_language, value)
            elif key == "country":
                if value:
                    work_calendar(value.upper())
                iv.country = value.strip().upper()
            elif key == "topic":
                iv.topic = _checked(check_topic, str(value), "--topic")
            elif key == "position":
                iv.position = str(value).strip()
            elif key == "discreet":
                iv.discreet = bool(value)
            else:
                raise BackchannelError(f"unknown detail {key!r}")
        self.workspace.update_interview(iv, now=self._now(now), aliases=self.config.aliases)
        self._refresh_rankings([iv.id])
        return iv

    def set_person(self, interview_id: str, person: str, *, role: str | None = None, now: datetime | None = None,
                   **details: Any) -> InterviewsImport:
        """Set a person's details in an interview (email, title, interests, mutuals, notes, topic,
        language, profile_url, works_at); with ``role``, a new person is added."""
        from .readers.interviews import (
            check_email,
            check_language,
            check_profile_url,
            check_topic,
            parse_role,
            split_list,
        )

        iv = self.workspace.interview(interview_id)
        found = _find_person(iv, person)
        if found is None:
            if not role:
                names = ", ".join(p.name or p.profile_url for p in iv.people) or "nobody yet"
                raise NotFoundError(f"{person!r} is not in {interview_id} ({names}); to add them, give --role")
            found = _add_person(iv, _checked(parse_role, role), person)
        elif role:
            found.role = _checked(parse_role, role)
        for key, value in details.items():
            if value is None:
                continue
            if key in ("interests", "mutuals"):
                setattr(found, key, split_list(value) if isinstance(value, str) else list(value))
            elif key == "language":
                found.language = _checked(check_language, value)
            elif key == "topic":
                found.topic = _checked(check_topic, str(value), "--topic")
            elif key == "email":
                found.email = _checked(check_email, str(value), "--email")
            elif key == "profile_url":
                found.profile_url = _checked(check_profile_url, str(value), "--profile-url")
            elif key in ("title", "notes", "works_at"):
                setattr(found, key, str(value).strip())
            else:
                raise BackchannelError(f"unknown detail {key!r}")
        self.workspace.update_interview(iv, now=self._now(now), aliases=self.config.aliases)
        self._refresh_rankings([iv.id])
        return InterviewsImport([iv.id], len(iv.people), [m for m in self._matches([iv.id])
                                                          if m.name in (found.name, found.profile_url)
                                                          or m.mutual_of in (found.name, found.profile_url)])

    def interview_records(self) -> list[dict[str, Any]]:
        out = []
        for iv in self.workspace.interviews():
            out.append({"interview": iv.id, "company": iv.company, "date": iv.at.isoformat(),
                        "position": iv.position, "people": [f"{p.name or p.profile_url} ({p.role})" for p in iv.people],
                        "discreet": iv.discreet, "status": iv.outcome or "open"})
        return out

    def interviews(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.interview_records(),
                            columns=["interview", "company", "date", "position", "people", "discreet", "status"])

    # ------------------------------------------------------------------ people

    def companies_for(self, query: str, *, pick: bool = False) -> list[str]:
        """Company keys a partial name fits (see ``identity.company_search``); with ``pick``,
        a whole name of one company is that company alone (``identity.company_pick``)."""
        from .identity import company_pick, company_search

        find = company_pick if pick else company_search
        return find(query, self.workspace.company_names(), self.config.aliases)

    def people_records(self, query: str = "", *, company: str = "", limit: int | None = None,
                       now: datetime | None = None) -> list[dict[str, Any]]:
        """Your first-degree connections matching a query (name, company or position), strongest first."""
        from .graph import owner_employers
        from .identity import normalise_name
        from .ties import parse_stamp, tie_strengths

        now_naive = parse_stamp(self._now(now))
        assert now_naive is not None
        keys = None
        if company:
            keys = self.companies_for(company)
            if not keys:
                return []
        rows = self.workspace.connections(company_keys=keys)
        if query:
            needle = normalise_name(query)
            lowered = query.strip().lower()
            rows = [r for r in rows if needle and (needle in r["name_key"] or needle in r["company_key"])
                    or lowered in (r["position"] or "").lower()]
        _, employers = owner_employers(self.workspace, self.config.aliases)
        shared = [bool(employers) and _company_key(r["company"], self.config.aliases) in employers for r in rows]
        strengths = tie_strengths(rows, now_naive, shared, weights=self.config.tie_weights)
        out = []
        for r, (value, _history) in zip(rows, strengths, strict=True):
            connected = parse_stamp(r["connected_on"])
            out.append({
                "name": r["name"], "profile_url": r["profile_url"], "company": r["company"], "position": r["position"],
                "connected_on": connected.date().isoformat() if connected else None, "strength": value,
                "messages": int(r["messages_sent"] or 0) + int(r["messages_received"] or 0), "email": r["email"],
            })
        out.sort(key=lambda d: (-d["strength"], d["name"]))
        return out[:limit] if limit else out

    def people(self, query: str = "", *, company: str = "", limit: int | None = None) -> Any:
        """Your first-degree connections as a DataFrame, strongest tie first."""
        import pandas as pd

        rows = self.people_records(query, company=company, limit=limit)
        return pd.DataFrame(rows, columns=["name", "profile_url", "company", "position", "connected_on",
                                           "strength", "messages", "email"])

    # ------------------------------------------------------------------ graph and ranking

    def graph(self, *, interview: str | None = None, company: str | None = None, now: datetime | None = None) -> Any:
        """The networkx graph: the whole network, or the focus on one interview or company."""
        from .graph import build_graph, focus_graph

        now = self._now(now)
        if interview:
            return focus_graph(self.workspace, self.config, now=now, interview_id=interview)
        if company:
            key, name = self._one_company(company)
            return focus_graph(self.workspace, self.config, now=now, company_key=key, company_name=name)
        return build_graph(self.workspace, self.config, now=now)

    def _one_company(self, company: str) -> tuple[str, str]:
        """The one company a name fits (its key and how it is written), or a one-line error."""
        names = self.workspace.company_names()
        keys = self.companies_for(company, pick=True)
        if len(keys) > 1:
            described = ", ".join(f"{_usual_name(names[k])} ({sum(names[k].values())} "
                                  f"{'person' if sum(names[k].values()) == 1 else 'people'})"
                                  for k in sorted(keys, key=lambda k: -sum(names[k].values()))[:8])
            raise BackchannelError(f"{company!r} fits {described}; say which")
        if not keys:
            return _company_key(company, self.config.aliases), company.strip()
        return keys[0], _usual_name(names[keys[0]])

    def rank_result(self, interview: str | None = None, *, company: str | None = None, top: int | None = None,
                    now: datetime | None = None) -> RankResult:
        """Ranked back-channel candidates, with what to say when there are none."""
        from .rank import people_search_link, rank_candidates

        if not interview and not company:
            raise BackchannelError("name an interview, or a company with --company")
        now = self._now(now)
        if interview:
            g = self.graph(interview=interview, now=now)
            name = self.workspace.interview(interview).company
        else:
            assert company is not None
            key, name = self._one_company(company)
            from .graph import focus_graph

            g = focus_graph(self.workspace, self.config, now=now, company_key=key, company_name=name)
        rows = rank_candidates(g, now, weights=self.config.rank_weights, top=top)
        result = RankResult(rows, company=name)
        if not rows:
            if self.workspace.self_owner() is None:
                result.message = "No connections yet: import your export first (backchannel import linkedin PATH)."
            else:
                result.search_link = people_search_link(name.rstrip("."))
                result.message = (f"No first-degree connections reach {name.rstrip('.')}. Look for second-degree "
                                  f"people there yourself (opens LinkedIn in your browser): {result.search_link}")
        return result

    def rank_records(self, interview: str | None = None, *, company: str | None = None, top: int | None = None,
                     now: datetime | None = None) -> list[dict[str, Any]]:
        return self.rank_result(interview, company=company, top=top, now=now).rows

    def rank(self, interview: str | None = None, *, company: str | None = None, top: int | None = None,
             now: datetime | None = None) -> Any:
        """Ranked back-channel candidates as a DataFrame (reasons and bridges as lists)."""
        import pandas as pd

        rows = self.rank_records(interview, company=company, top=top, now=now)
        return pd.DataFrame(rows, columns=RANK_COLUMNS)

    def _ranking_as_of(self, iv: Interview) -> list[dict[str, Any]]:
        """The ranking as of the interview: the back-channel touches (and their ids) stay put
        whenever the plan is asked for. Worked out by the command that changed the people or
        the interview (:meth:`_refresh_rankings`); a read never writes."""
        if iv.id in self._rankings:
            return self._rankings[iv.id]
        cached = self.workspace.cached_ranking(iv.id)
        if cached is None:
            cached = self._compute_ranking(iv)
        self._rankings[iv.id] = cached
        return cached

    def _compute_ranking(self, iv: Interview) -> list[dict[str, Any]]:
        """The top of the ranking as of the interview: what its back-channel touches need."""
        from .rank import rank_candidates

        if self.workspace.self_owner() is None:
            return []
        g = self.graph(interview=iv.id, now=iv.at)
        keep = self.config.back_channel_count + 10  # the referrers ride at the top
        return rank_candidates(g, iv.at, weights=self.config.rank_weights, top=keep)

    def _refresh_rankings(self, interview_ids: Sequence[str] | None = None) -> None:
        """After a change: rank again, as of each interview, the open interviews it touched."""
        self._rankings.clear()
        interviews = self.workspace.interviews(interview_ids) if interview_ids is not None else \
            self.workspace.interviews()
        fresh = {iv.id: self._compute_ranking(iv) for iv in interviews if not iv.outcome}
        if fresh:
            self.workspace.store_rankings(fresh)

    def reconnect_records(self, *, top: int = 10, now: datetime | None = None, drafts: bool = False,
                          lang: str | None = None) -> list[dict[str, Any]]:
        from .graph import build_graph, owner_employers
        from .identity import normalise_company
        from .rank import reconnect_candidates

        now = self._now(now)
        me = self.workspace.self_owner()
        past = {}
        if me is not None:
            current, _ = owner_employers(self.workspace, self.config.aliases)
            for p in self.workspace.owner_positions(me["id"]):
                key = normalise_company(p["company"], self.config.aliases)
                if key not in current:
                    past[key] = p["company"]
        rows = reconnect_candidates(build_graph(self.workspace, self.config, now=now), now, top=top,
                                    past_employers=past)
        if drafts:
            for r in rows:
                r["draft"] = self._reconnect_draft(r, now, lang).text()
        for r in rows:
            r.pop("node", None)
        return rows

    def _reconnect_draft(self, row: dict[str, Any], now: datetime, lang: str | None) -> Any:
        from .drafts import clean_company, display_name, duration_words, greeting_name, render_draft

        language = self._language(lang)
        last = datetime.fromisoformat(row["last_message"]).replace(tzinfo=timezone.utc)
        name = display_name(row["name"])
        context = {"name": name, "first_name": greeting_name(name, "en"), "greeting_name": greeting_name(name, language),
                   "company": clean_company(row["company"]), "ago": duration_words((now - last).days, language),
                   "shared_employer": clean_company(row["shared_employer"]),
                   "same_employer": bool(row.get("same_employer")), **self._candidate()}
        return render_draft("reconnect", context, touch_id=f"reconnect/{row['name']}", to=row["name"], email="",
                            language=language, templates_dir=self.config.templates_dir or None)

    def reconnect(self, *, top: int = 10, now: datetime | None = None) -> Any:
        import pandas as pd

        return pd.DataFrame(self.reconnect_records(top=top, now=now),
                            columns=["rank", "name", "profile_url", "company", "position", "score",
                                     "last_message", "reasons", "action"])

    # ------------------------------------------------------------------ the follow-up plan

    def _plan_for(self, iv: Interview, at: datetime, events: list[TouchEvent] | None = None,
                  proposals: list[Any] | None = None, *, rank_closed: bool = True) -> list[Touch]:
        ws = self.workspace
        # a closed interview's back-channel touches are cancelled (those done come from the log)
        ranking = self._ranking_as_of(iv) if rank_closed or not iv.outcome else []
        return build_plan(iv, ws.events(iv.id) if events is None else events, at=at,
                          ranking=ranking, proposals=ws.proposals(iv.id) if proposals is None
                          else proposals, back_channel_count=self.config.back_channel_count,
                          calendar=self._calendar(iv))

    def plans(self, interview: str | None = None, *, at: datetime | None = None,
              rank_closed: bool = True) -> dict[str, list[Touch]]:
        """Each interview's touches with their status at ``at`` (default now). With
        ``rank_closed=False`` a closed interview's suggestions are left out (for what is due)."""
        at = self._now(at)
        ws = self.workspace
        interviews = [ws.interview(interview)] if interview else ws.interviews()
        events = ws.events() if not interview else ws.events(interview)
        proposals = ws.proposals() if not interview else ws.proposals(interview)
        by_iv: dict[str, list[TouchEvent]] = {}
        for ev in events:
            by_iv.setdefault(ev.interview_id, []).append(ev)
        proposals_by: dict[str, list[Any]] = {}
        for p in proposals:
            proposals_by.setdefault(p.interview_id, []).append(p)
        return {iv.id: self._plan_for(iv, at, by_iv.get(iv.id, []), proposals_by.get(iv.id, []),
                                      rank_closed=rank_closed) for iv in interviews}

    def plan_touches(self, interview: str | None = None, *, at: datetime | None = None,
                     rank_closed: bool = True) -> list[Touch]:
        return [t for plan in self.plans(interview, at=at, rank_closed=rank_closed).values() for t in plan]

    def plan_records(self, interview: str | None = None, *, at: datetime | None = None) -> list[dict[str, Any]]:
        return [plan_row(t) for t in self.plan_touches(interview, at=at)]

    def plan(self, interview: str | None = None, *, at: datetime | None = None) -> Any:
        """The follow-up plan as a DataFrame (one row per touch)."""
        import pandas as pd

        return pd.DataFrame(self.plan_records(interview, at=at), columns=PLAN_COLUMNS)

    def due_touches(self, *, at: datetime | None = None) -> list[Touch]:
        return [t for t in self.plan_touches(at=at, rank_closed=False) if t.status in ("due", "overdue")]

    def due_records(self, *, at: datetime | None = None) -> list[dict[str, Any]]:
        return [plan_row(t) for t in self.due_touches(at=at)]

    def due(self, *, at: datetime | None = None) -> Any:
        import pandas as pd

        return pd.DataFrame(self.due_records(at=at), columns=PLAN_COLUMNS)

    def today(self, *, at: datetime | None = None) -> list[Touch]:
        """What to do today: overdue, due, and what opens before the day ends (your zone)."""
        at = self._now(at)
        local = at.astimezone(self.zone())
        end = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)
        out = []
        for t in self.plan_touches(at=at, rank_closed=False):
            if t.status in ("due", "overdue") or (t.status == "pending" and t.due_from is not None
                                                    and t.due_from < end):
                out.append(t)
        order = {"overdue": 0, "due": 1, "pending": 2}
        out.sort(key=lambda t: (order[t.status], t.due_by or at))
        return out

    def find_touch(self, reference: str, *, at: datetime | None = None) -> Touch:
        return find_touch(reference, self.plans(at=at))

    def short_handles(self, touches: Sequence[Touch], plans: dict[str, list[Touch]] | None = None, *,
                      at: datetime | None = None) -> list[str]:
        """Each touch's handle when it names one touch across all interviews (what ``draft``
        and ``done`` accept), else interview/handle; the handles are counted once."""
        if len(self.workspace.interview_ids()) <= 1:
            return [t.handle for t in touches]
        plans = plans if plans is not None else self.plans(at=at)
        count = Counter(t.handle for plan in plans.values() for t in plan)
        return [t.handle if count[t.handle] <= 1 else f"{t.interview}/{t.handle}" for t in touches]

    # ------------------------------------------------------------------ logging

    def _log(self, reference: str, decide: Any, *, at: datetime, now: datetime) -> tuple[Touch, TouchEvent, list[Touch]]:
        """Find the touch, then decide and write inside one write transaction (fresh state)."""
        touch = self.find_touch(reference, at=at)
        ws = self.workspace
        iv = ws.interview(touch.interview)
        self._ranking_as_of(iv)  # outside the lock: it may take a moment
        with ws.transaction():
            iv = ws.interview(touch.interview)
            events = ws.events(iv.id)
            proposals = ws.proposals(iv.id)
            plan = self._plan_for(iv, at, events, proposals)
            current = next((t for t in plan if t.id == touch.id), touch)
            states = ring_states(iv, events)
            event = decide(current, states.get(current.person_slug), proposals, plan, events, iv)
            if event.seq:  # undo: an existing event to remove
                ws.delete_event(event.seq)
                after = [e for e in events if e.seq != event.seq]
            else:
                seq = ws.add_event(event)
                after = [*events, TouchEvent(seq, event.interview_id, event.touch_id, event.person_slug, event.event,
                                             event.at, event.next_at, event.checkin_id, event.logged_at, event.person)]
            new_plan = self._plan_for(iv, at, after, proposals)
        return current, event, new_plan

    def parse_next(self, text: str, *, what: str = "--next") -> datetime | date:
        """A next contact the user typed: a datetime, or a date alone (a day, whose hour is the
        ring's 10:00 on the interview's clock once the touch is known)."""
        at_ten = self.parse_time(text, default_time=time(10, 0), what=what)
        if self.parse_time(text, default_time=time(11, 0), what=what) != at_ten:
            return at_ten.date()
        return at_ten

    def done(self, touch: str, *, at: datetime | None = None, next_at: datetime | date | None = None,
             now: datetime | None = None) -> LogResult:
        """Log a touch as done, and the next contact you committed to (default: the date its
        drafts named; a date alone is at 10:00 on the interview's clock). Returns the check-in
        booked, if any."""
        now = self._now(now)
        at = at or now
        cal_of = self._calendar

        def decide(t: Touch, state: Any, proposals: Any, plan: Any, events: Any, iv: Interview) -> TouchEvent:
            return decide_done(t, state, proposals, at=at, next_at=_on_ring_clock(next_at, t, iv),
                               calendar=cal_of(iv), plan=plan, logged_at=now)

        current, event, plan = self._log(touch, decide, at=at, now=now)
        checkin = next((t for t in plan if t.id == event.checkin_id), None) if event.checkin_id else None
        return LogResult(current, event, checkin)

    def replied(self, touch: str, *, at: datetime | None = None, next_at: datetime | date | None = None,
                now: datetime | None = None) -> LogResult:
        """They answered: the back-off resets; with ``next_at`` your next contact follows what they
        said (a date alone is at 10:00 on the interview's clock)."""
        now = self._now(now)
        at = at or now

        def decide(t: Touch, state: Any, proposals: Any, plan: Any, events: Any, iv: Interview) -> TouchEvent:
            return decide_replied(t, state, at=at, next_at=_on_ring_clock(next_at, t, iv), plan=plan, logged_at=now)

        current, event, plan = self._log(touch, decide, at=at, now=now)
        checkin = next((t for t in plan if t.id == event.checkin_id), None) if event.checkin_id else None
        return LogResult(current, event, checkin)

    def skip(self, touch: str, *, at: datetime | None = None, now: datetime | None = None) -> LogResult:
        """Drop a touch: status ``skipped``, not due, not in the calendar."""
        now = self._now(now)
        at = at or now

        def decide(t: Touch, state: Any, proposals: Any, plan: Any, events: Any, iv: Interview) -> TouchEvent:
            return decide_skip(t, at=at, logged_at=now)

        current, event, _ = self._log(touch, decide, at=at, now=now)
        return LogResult(current, event)

    def undo(self, touch: str, *, now: datetime | None = None) -> LogResult:
        """Revert the last thing logged on a touch."""
        now = self._now(now)

        def decide(t: Touch, state: Any, proposals: Any, plan: Any, events: Any, iv: Interview) -> TouchEvent:
            return decide_undo(t, events)

        current, event, _ = self._log(touch, decide, at=now, now=now)
        return LogResult(current, event)

    # ------------------------------------------------------------------ drafts

    def _candidate(self) -> dict[str, str]:
        me = self.workspace.self_owner()
        name = me["name"] if me is not None and me["name"] != "me" else ""
        return {"candidate": name, "candidate_first": name.split()[0] if name else ""}

    def _language(self, lang: str | None, *sources: str) -> str:
        from .drafts import check_language

        for value in (lang, *sources, self.config.language):
            if value:
                return check_language(value)
        return "en"

    def draft(self, touch: str, *, at: datetime | None = None, lang: str | None = None,
              templates_dir: str | None = None, now: datetime | None = None) -> Any:
        """The message draft for a touch (a :class:`~backchannel.drafts.Draft`). A message to
        the people deciding names your next contact; the first draft that needs one proposes
        it, and every later draft (and ``done``) uses the same date."""
        now = self._now(now)
        at = at or now
        if lang:
            self._language(lang)
        plans = self.plans(at=at)
        found = find_touch(touch, plans)
        return self._drafts([found], plans, at=at, lang=lang, templates_dir=templates_dir, now=now)[found.id]

    def _drafts(self, touches: Sequence[Touch], plans: dict[str, list[Touch]], *, at: datetime, lang: str | None,
                templates_dir: str | None, now: datetime) -> dict[str, Any]:
        """Drafts for several touches, with the ring dates they need fixed in one transaction.

        A date a draft proposes is kept (so every later draft and ``done`` name it) only when
        the draft is for now or the past: previewing the future with ``--at`` commits nothing.
        """
        from .drafts import render_draft

        ws = self.workspace
        persist = at <= now + timedelta(minutes=5)
        interviews = {iv.id: iv for iv in ws.interviews({t.interview for t in touches})}
        promised: dict[str, datetime | None] = {}
        flags: dict[str, dict[str, bool]] = {}
        team: dict[str, tuple[datetime, datetime] | None] = {}  # (first, last) next contact with the team
        needs_ring = [t for t in touches if t.is_open and t.role in DECISION_ROLES and t.kind in RING_KINDS]
        referrer_thanks = {t.interview: t for t in touches if t.is_open and t.kind == "referrer-thanks"}
        ring_by_interview: dict[str, list[Touch]] = {}
        for t in needs_ring:
            ring_by_interview.setdefault(t.interview, []).append(t)
        if needs_ring or referrer_thanks:
            with ws.transaction():
                for iv_id in set(ring_by_interview) | set(referrer_thanks):
                    iv = interviews[iv_id]
                    events, proposals = ws.events(iv_id), ws.proposals(iv_id)
                    states = ring_states(iv, events)
                    last_event = {}
                    for ev in events:
                        last_event[ev.person_slug] = ev
                    cal = self._calendar(iv)
                    ring_touches = list(ring_by_interview.get(iv_id, []))
                    if iv_id in referrer_thanks:  # the referrer hears when you will next contact the team
                        ring_touches += [t for t in plans[iv_id] if t.kind == "thank-you-email" and t.is_open
                                         and t.id not in {x.id for x in ring_touches}]
                    dates = []
                    for t in ring_touches:
                        state = states.get(t.person_slug)
                        assert state is not None
                        send_at = _send_time(t, at)
                        when, proposal = promised_next(t, state, proposals, send_at=send_at, calendar=cal)
                        if proposal is not None:
                            if persist:
                                ws.save_proposal(proposal)
                            proposals.append(proposal)
                        promised[t.id] = when
                        previous = last_event.get(t.person_slug)
                        flags[t.id] = {
                            "last": t.kind == "check-in" and state.unanswered + 1 >= RING_RESTS_AFTER,
                            "late": t.due_by is not None and send_at > t.due_by,
                            "replied": t.kind == "check-in" and previous is not None and previous.event == "replied",
                        }
                        if when is not None:
                            dates.append(when)
                    dates += [c.due_from for c in plans[iv_id] if c.kind == "check-in" and c.is_open and c.due_from]
                    thanks = referrer_thanks.get(iv_id)
                    after = _send_time(thanks, at) if thanks is not None else at
                    future = [d for d in dates if d > after]  # never a date that has gone by
                    team[iv_id] = (min(future), max(future)) if future else None
        out = {}
        for t in touches:
            iv = interviews[t.interview]
            person = iv.person(t.person_slug)
            # the people deciding speak the interview's language; your own connections, yours
            language = self._language(lang, person.language if person else "", iv.language if person else "")
            if t.id in promised:
                next_contact = promised[t.id]
            elif t.kind in RING_KINDS and t.role in DECISION_ROLES:
                next_contact = t.next_contact
            else:
                next_contact = None
            context = self._draft_context(t, iv, person, plans[iv.id], language=language, at=at,
                                          next_contact=next_contact, flags=flags.get(t.id, {}),
                                          team_next=team.get(iv.id))
            out[t.id] = render_draft(t.kind, context, touch_id=t.id, to=t.person,
                                     email=(person.email if person else "") or self._email_of(t),
                                     language=language, templates_dir=templates_dir or self.config.templates_dir or None)
        return out

    def _email_of(self, t: Touch) -> str:
        if not t.node.startswith("person:") or "/" in t.node:
            return ""
        try:
            pid = int(t.node.split(":", 1)[1])
        except ValueError:
            return ""
        row = self.workspace.people_by_id([pid]).get(pid)
        return str(row["email"]) if row else ""

    def _draft_context(self, t: Touch, iv: Interview, person: InterviewPerson | None, plan: list[Touch], *,
                       language: str, at: datetime, next_contact: datetime | None, flags: dict[str, bool],
                       team_next: tuple[datetime, datetime] | None) -> dict[str, Any]:
        from .drafts import (
            clean_company,
            clean_phrase,
            display_name,
            format_day,
            greeting_name,
            join_names,
        )
        from .ties import parse_stamp

        tz = (t.due_from or iv.at).tzinfo
        deciding = [p for p in iv.people if p.role in DECISION_ROLES]
        met = [display_name(p.name or p.profile_url) for p in deciding]
        same_role = [p.slug for p in iv.people if person and p.role == person.role]
        bridges = [display_name(b) for b in t.bridges_to]
        name = display_name(t.person)
        history, connected_year = "recent", ""
        if t.kind == "back-channel":
            facts = self._facts_of(t)
            messages = int(facts.get("messages_sent") or 0) + int(facts.get("messages_received") or 0)
            connected = parse_stamp(facts.get("connected_on"))
            connected_year = str(connected.year) if connected else ""
            history = "never" if not messages else "dormant" if t.weak_tie else "recent"
        send_at = _send_time(t, at)
        happened = send_at >= iv.at
        # a recruiter organised the day; the interview's topic is what others discussed with you
        topic = (person.topic if person else "") if t.role == "recruiter" else ((person.topic if person else "")
                                                                                 or iv.topic)
        context: dict[str, Any] = {
            **self._candidate(),
            "name": name, "first_name": greeting_name(name, "en"),
            "greeting_name": greeting_name(name, language),
            "role": t.role, "company": clean_company(iv.company, language), "position": clean_phrase(iv.position),
            "topic": clean_phrase(topic),
            "title": clean_phrase(person.title if person else ""), "interest": clean_phrase(t.interest),
            "number": t.number, "last": flags.get("last", False), "late": flags.get("late", False),
            "replied": flags.get("replied", False),
            "met": met, "met_text": join_names(met, language),
            "met_others_text": join_names([m for m, p in zip(met, deciding, strict=True)
                                           if not person or p.slug != person.slug], language),
            "bridges_to": bridges, "bridge_text": join_names(bridges, language),
            "bridge_first": greeting_name(bridges[0], language) if bridges else "",
            "evidence": t.evidence, "history": history, "connected_year": connected_year,
            "discreet": iv.discreet, "next_contact": next_contact,
            "next_contact_text": format_day(next_contact.astimezone(tz), language) if next_contact else "",
            "team_next_contact_text": _team_day_text(team_next, tz, language),
            "interview_day_text": format_day(iv.at.astimezone(tz), language),
            "interview_past": happened, "interview_recent": happened and send_at - iv.at <= timedelta(hours=36),
            "outcome": iv.outcome or "", "variant": same_role.index(person.slug) if person and person.slug in same_role
            else 0, "email": person.email if person else "",
        }
        if next_contact is not None:
            context["commitment"] = (f"Я свяжусь с Вами {context['next_contact_text']}." if language == "ru"
                                     else f"I'll check in {context['next_contact_text']}.")
        return context

    def _facts_of(self, t: Touch) -> dict[str, Any]:
        if not t.node.startswith("person:") or "/" in t.node:
            return {}
        try:
            pid = int(t.node.split(":", 1)[1])
        except ValueError:
            return {}
        rows = self.workspace.connections(person_ids=[pid])
        return rows[0] if rows else {}

    # ------------------------------------------------------------------ closing

    def close_interview(self, interview: str, outcome: str, *, change: bool = False, at: datetime | None = None,
                        now: datetime | None = None) -> dict[str, Any]:
        """Close an interview: its open touches to the people deciding are cancelled; whatever
        the outcome, the referrer (and back channels you told) hear it from you, and a
        rejection adds a keep-in-touch with the hiring manager. Returns what changed."""
        if outcome not in OUTCOMES:
            raise BackchannelError(f"outcome must be one of {', '.join(OUTCOMES)}")
        now = self._now(now)
        at = at or now
        iv = self.workspace.interview(interview)
        if iv.outcome == outcome:
            raise BackchannelError(f"{interview} is already closed ({outcome}); nothing changed")
        if iv.outcome and not change:
            raise BackchannelError(f"{interview} is already closed ({iv.outcome}); to change the outcome, add --change")
        plan_before = self._plan_for(iv, at)
        before = {t.id: t.status for t in plan_before}
        self.workspace.close_interview(interview, outcome, at)
        after = self._plan_for(self.workspace.interview(interview), at)
        after_ids = {t.id for t in after}
        cancelled = [t for t in after if t.status == "cancelled" and before.get(t.id) in ("pending", "due", "overdue")]
        # a changed outcome takes back what the first one planned (its news, its keep-in-touch)
        cancelled += [t for t in plan_before if t.is_open and t.id not in after_ids]
        added = [t for t in after if t.id not in before]
        kept = [t for t in after if t.is_open and t.id in before]
        return {"interview": interview, "outcome": outcome, "cancelled": cancelled, "added": added, "kept": kept}

    # ------------------------------------------------------------------ calendar, maps, report

    def write_ics(self, path: str | os.PathLike[str], interview: str | None = None, *, at: datetime | None = None,
                  lang: str | None = None, now: datetime | None = None) -> int:
        """Write the open touches as an iCalendar file; returns the number of events."""
        from .calendar import plan_to_ics
        from .output import write_atomically

        now = self._now(now)
        at = at or now
        plans = self.plans(interview, at=at)
        touches = [t for plan in plans.values() for t in plan if t.is_open and t.due_from is not None]
        drafts = self._drafts(touches, plans, at=at, lang=lang, templates_dir=None, now=now)
        interviews = {iv.id: iv for iv in self.workspace.interviews(plans)}
        data = plan_to_ics(touches, drafts, interviews, stamp=now, calendars={k: self._calendar(iv)
                                                                            for k, iv in interviews.items()})
        write_atomically(Path(path), data)
        return len(touches)

    def map(self, interview: str | None = None, *, company: str | None = None, all: bool = False, top: int = 10,
            include_emails: bool = False, now: datetime | None = None) -> Any:
        """The interactive map (a :class:`~backchannel.maps.BackchannelMap`; shows inline in Jupyter).

        Focused on one interview or company by default; ``all=True`` draws the whole network.
        """
        from .maps import focused_map, full_map
        from .rank import people_search_link, rank_candidates
        from .times import human_window

        now = self._now(now)
        me = self.workspace.self_owner()
        who = me["name"] if me is not None and me["name"] != "me" else "Your"
        if all:
            from .bulk import gc_paused
            from .graph import network_view

            # one batch of about a million objects that all live until the map is made: the
            # cycle collector would go through them again and again and free nothing
            with gc_paused():
                network = network_view(self.workspace, self.config, now=now)
                rankings = {iid: self._ranking_now(iid, now, network) for iid in self.workspace.interview_ids()}
                title = f"{who}'s network" if who != "Your" else "Your network"
                whole = full_map(network, rankings=rankings, title=title,
                                 subtitle=f"{len(network.people):,} people; other companies collapsed (click to "
                                          "open)", include_emails=include_emails)
                # freed while the collector still sleeps: the first collection after the pause looks
                # through everything made during it that is still alive (30 ms for the view's rows)
                del network, rankings
            return whole
        if not interview and not company:
            raise BackchannelError("name an interview, a company with --company, or use --all")
        steps: list[dict[str, Any]] = []
        if interview:
            iv = self.workspace.interview(interview)
            g = self.graph(interview=interview, now=now)
            tz = self.zone()
            title = f"Back channel: {iv.company}"
            subtitle = f"Interview {iv.id}, {iv.at.astimezone(tz):%a %d %b %Y %H:%M}"
            name = iv.company
            for t in self._plan_for(iv, now):
                steps.append({"handle": t.handle, "kind": t.kind, "label": t.label, "person": t.person,
                              "node": t.node or _node_of(g, t, iv), "status": t.status,
                              "window": human_window(t.due_from, t.due_by, tz) if t.due_from and t.due_by
                              else (t.note or "waiting")})
        else:
            assert company is not None
            key, name = self._one_company(company)
            from .graph import focus_graph

            g = focus_graph(self.workspace, self.config, now=now, company_key=key, company_name=name)
            title, subtitle = f"Back channel: {name}", "Who can put in a good word"
        ranking = rank_candidates(g, now, weights=self.config.rank_weights)
        empty = None
        if not ranking:
            empty = {"text": f"Nobody in your network reaches {name.rstrip('.')} yet.",
                     "link": people_search_link(name.rstrip(".")),
                     "link_text": "Search LinkedIn for second-degree people there (opens in your browser)"}
        return focused_map(g, ranking, title=title, subtitle=subtitle, steps=steps, top=top,
                           include_emails=include_emails, empty_hint=empty)

    def _ranking_now(self, interview_id: str, now: datetime, network: Any = None) -> list[dict[str, Any]]:
        """Everyone who reaches an interview now (for the whole map's colours), the top explained.
        ``network``: the whole network's view, whose connection rows and ties the focus reuses."""
        from .graph import focus_graph
        from .rank import rank_candidates

        g = focus_graph(self.workspace, self.config, now=now, interview_id=interview_id, network=network)
        return rank_candidates(g, now, weights=self.config.rank_weights, explain=25)

    def report(self, interview: str, *, at: datetime | None = None, lang: str | None = None,
               now: datetime | None = None) -> Any:
        """One offline page for an interview: the plan with its drafts, the people, the map."""
        from .report import ReportData, ReportDraft, ReportPerson, ReportTouch, build_report
        from .times import human_window, zone_from_name

        now = self._now(now)
        at = at or now
        iv = self.workspace.interview(interview)
        tz = zone_from_name(iv.tz)  # the page speaks the interview's time
        plans = self.plans(interview, at=at)
        plan = plans[interview]
        open_touches = [t for t in plan if t.is_open]
        drafts = self._drafts(open_touches, plans, at=at, lang=lang, templates_dir=None, now=now)
        touches = []
        for t in plan:
            d = drafts.get(t.id)
            window = human_window(t.due_from, t.due_by, tz) if t.due_from and t.due_by else (t.note or "")
            touches.append(ReportTouch(
                id=t.id, handle=t.handle, kind=t.kind, kind_label=t.label, person=t.person, role=t.role,
                status=t.status, due_from=t.due_from, due_by=t.due_by, window_text=window, done_at=t.done_at,
                draft=ReportDraft(subject=d.subject, body=d.body, to=d.to, email=d.email, language=d.language,
                                  next_contact=d.next_contact) if d else None,
                note=t.note if t.due_from else ""))
        result = self.rank_result(interview, now=now)
        people = []
        matched = self.workspace.people_by_id([p.person_id for p in iv.people if p.person_id])
        for p in iv.people:
            url = p.profile_url or (matched[p.person_id]["profile_url"] if p.person_id in matched else "")
            people.append(ReportPerson(name=p.name or p.profile_url, role=p.role, title=p.title, profile_url=url))
        data = ReportData(
            interview_id=iv.id, company=iv.company, position=iv.position, at=iv.at.astimezone(tz),
            at_text=f"{iv.at.astimezone(tz):%a %d %b %Y, %H:%M} ({_zone_label(tz)})", people=people,
            outcome=iv.outcome, discreet=iv.discreet, touches=touches, ranking=result.rows,
            map=self.map(interview, now=now), generated_at=now.astimezone(tz), as_of=at.astimezone(tz),
            empty_ranking_hint={"text": result.message, "link": result.search_link,
                                "link_text": "Search LinkedIn for second-degree people there"}
            if result.search_link else None)
        return build_report(data)


def run_demo(directory: str | os.PathLike[str], echo: Any = print) -> dict[str, Any]:
    """The whole flow on the bundled sample, in a folder of its own (``backchannel demo``)."""
    from .demo import run_demo as demo

    return demo(directory, echo=echo)


def _checked(check: Any, value: Any, label: str = "") -> Any:
    """A reader's check of a value the user gave, its ValueError as the one-line error."""
    try:
        return check(value)
    except ValueError as exc:
        raise BackchannelError(f"{label}: {exc}" if label else str(exc)) from None


def _usual_name(written: dict[str, int]) -> str:
    """The way a company is written most often among your connections."""
    return max(written, key=lambda name: (written[name], name))


def _zone_label(tz: tzinfo) -> str:
    from .times import zone_name

    return zone_name(tz, datetime.now(timezone.utc))


def _on_ring_clock(when: datetime | date | None, t: Touch, iv: Interview) -> datetime | None:
    """A next contact given as a day: at the ring's hour on the interview's clock."""
    from .times import RING_TIME

    if when is None or isinstance(when, datetime):
        return when
    return datetime.combine(when, RING_TIME, tzinfo=(t.due_from or iv.at).tzinfo)


def _team_day_text(team: tuple[datetime, datetime] | None, tz: Any, language: str) -> str:
    """When you next contact the people deciding, for the referrer: one day, or the last of them
    when their dates differ (the referrer is never told a day that is wrong for some of them)."""
    from .drafts import format_by_day, format_day

    if team is None:
        return ""
    first, last = (d.astimezone(tz) for d in team)
    return format_day(first, language) if first.date() == last.date() else format_by_day(last, language)


def _send_time(t: Touch, at: datetime) -> datetime:
    """When a draft will be sent: now, or its window's start if that is later (a note waiting
    for the email goes a day after now)."""
    if t.due_from is None:
        return at + timedelta(days=1)
    return max(at.astimezone(t.due_from.tzinfo), t.due_from)


def _company_key(company: str, aliases: Any) -> str:
    from .identity import normalise_company

    return normalise_company(company, aliases)


def _node_of(g: Any, t: Touch, iv: Interview) -> str | None:
    person = iv.person(t.person_slug)
    if person is not None:
        if person.person_id:
            return f"person:{person.person_id}"
        return f"person:{iv.id}/{person.slug}"
    return t.node or None


def _find_person(iv: Interview, reference: str) -> InterviewPerson | None:
    from .identity import normalise_name, normalise_profile_url, slugify

    text = reference.strip()
    url = normalise_profile_url(text) if "linkedin.com/" in text.lower() else ""
    for p in iv.people:
        if url and normalise_profile_url(p.profile_url) == url:
            return p
        if not url and (normalise_name(p.name) == normalise_name(text) or p.slug == slugify(text) == text):
            return p
    return None


def _add_person(iv: Interview, role: str, reference: str) -> InterviewPerson:
    from .readers.interviews import check_profile_url, person_slug

    text = reference.strip()
    if not text:
        raise BackchannelError(f"a {role} needs a name or a profile address")
    if len(text) > 200:
        raise BackchannelError(f"{role}: a name is at most 200 characters")
    is_url = "linkedin.com/" in text.lower()
    if is_url:
        text = _checked(check_profile_url, text, role)
    person = InterviewPerson(slug="", role=role, name="" if is_url else text, profile_url=text if is_url else "")
    if _find_person(iv, text) is not None:
        raise BackchannelError(f"{text} is already in {iv.id}")
    base = person_slug(person.name, person.profile_url)
    taken = {p.slug for p in iv.people}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    person.slug = slug
    iv.people.append(person)
    return person
