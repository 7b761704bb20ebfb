"""One page per interview: the plan, the drafts, the people and the map; offline and printable.

The report is one self-contained HTML file, rendered by Jinja2 with autoescape on, so every
string from the user's data reaches the page as text. Its only script (the copy buttons)
carries no data: it reads a draft from the page with ``textContent``. Links are built here,
not in the template: ``mailto:`` addresses are percent-encoded as RFC 6068 asks, and profile
links are kept only when they are ``https`` LinkedIn addresses.

The Content-Security-Policy forbids every network request (``default-src 'none'``) and lets
only the page's own scripts run, by their SHA-256 hashes rather than ``'unsafe-inline'``: even
markup that slipped past escaping could not run a script. The interactive map is the map's
own page in a sandboxed ``<iframe srcdoc>``. A srcdoc frame inherits its parent's policy, so
the hashes of the map's inline scripts are added to ours; the map's scripts run in an opaque
origin and cannot reach the report, and the report depends on nothing but
``BackchannelMap.html()`` and ``.title``. (Chromium does not render an off-screen
cross-origin frame, so the map draws when the reader scrolls to it.)

The back channel lists the people the plan uses (each back-channel touch's candidate and the
referrer) and the next best ``top`` of the ranking, then says how many more there are and where
to see them: at LinkedIn's cap of 30,000 connections a ranking can run to thousands of people,
which would make a page of megabytes and a PDF of a thousand pages.

Printed, or saved as PDF, the page is one document on A4 or Letter: its buttons and the map go
(a note says where the map is), cards follow one another without gaps, a short card is never cut
and a long letter breaks only between its lines, its heading kept with its first lines and its
closing with its last. On a phone nothing is wider than the screen: long words break, and a
web address is a link with words, never shown as text.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .domain import Candidate, Touch
from .times import human_time, human_window, zone_name

if TYPE_CHECKING:
    from .drafts import Draft
    from .followup import InterviewPlan
    from .maps import BackchannelMap
    from .results import RankResult

__all__ = [
    "Report",
    "ReportData",
    "STATUSES",
    "build_report",
    "csp_hash",
    "linkedin_url",
    "mailto_href",
    "people_to_show",
]

_TEMPLATE = Path(__file__).parent / "templates" / "report.html"

#: status -> (label, what it means); the colours live in the template's stylesheet
STATUSES = {
    "overdue": ("Overdue", "its window has closed; send it now or skip it"),
    "due": ("Due", "its window is open"),
    "pending": ("Pending", "its window has not opened yet"),
    "optional": ("Optional", "the company hears one check-in per round, from whoever owns the decision; "
                             "this one is yours to send or leave"),
    "done": ("Done", "logged as done"),
    "skipped": ("Skipped", "you decided against it"),
    "cancelled": ("Cancelled", "no longer needed"),
}
OPEN_STATUSES = ("overdue", "due", "pending", "optional")
_MAILTO_COMFORT = 2000
_OUTCOME_CLASSES = ("open", "offer", "rejected", "withdrawn")
_ROLE_LABELS = {"hiring-manager": "hiring manager"}


@dataclass
class ReportData:
    """Everything the report shows, computed elsewhere; rendered here without reading anything.

    ``plan`` is the interview's plan at the moment asked about (``as_of``), ``drafts`` the
    drafts of its open touches, ``ranking`` its whole back channel, of which the page lists the
    people the plan uses and the next best ``top`` (None: everyone; see :func:`people_to_show`),
    ``profiles`` each interview person's profile address by slug; times are shown in ``zone``
    (the user's), with its label.
    """

    plan: InterviewPlan
    drafts: Mapping[str, Draft]
    ranking: RankResult
    profiles: Mapping[str, str]
    map: BackchannelMap | None
    zone: tzinfo
    generated_at: datetime
    as_of: datetime | None = None
    top: int | None = 10


# ---------------------------------------------------------------------------- links


_EMAIL = re.compile(r"^[^\s@<>()\[\]\\,;:\"]+@[^\s@<>()\[\]\\,;:\"]+$")
# RFC 6068 section 2: an addr-spec may keep unreserved characters and these delimiters
_ADDRESS_SAFE = "!$'()*+,;:@"


def mailto_href(email: str, subject: str = "", body: str = "") -> str:
    """A ``mailto:`` address for ``email`` with the subject and body filled in (RFC 6068).

    Every byte that is not unreserved is percent-encoded as UTF-8, spaces as ``%20`` (never
    ``+``) and line breaks as ``%0D%0A``; a subject is kept on one line. Returns "" when
    ``email`` does not look like an address, so no link is made from it.

    >>> mailto_href("jane@acme.example", "Thank you & more?", "Hi Jane,\\nthanks #1")
    'mailto:jane@acme.example?subject=Thank%20you%20%26%20more%3F&body=Hi%20Jane%2C%0D%0Athanks%20%231'
    >>> mailto_href("not an address")
    ''
    """
    email = email.strip()
    if not _EMAIL.match(email) or any(ord(c) < 32 or ord(c) == 127 for c in email):
        return ""
    local, domain = email.rsplit("@", 1)
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return ""
    href = "mailto:" + quote(local, safe=_ADDRESS_SAFE) + "@" + quote(domain, safe=_ADDRESS_SAFE)
    fields = []
    subject = " ".join(subject.split())
    if subject:
        fields.append("subject=" + quote(subject, safe=""))
    if body:
        body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        fields.append("body=" + quote(body, safe=""))
    return href + ("?" + "&".join(fields) if fields else "")


def linkedin_url(url: str) -> str:
    r"""``url`` when it is an https address on linkedin.com, else "" (no link is made).

    >>> linkedin_url("https://www.linkedin.com/in/jane-roe")
    'https://www.linkedin.com/in/jane-roe'
    >>> linkedin_url("javascript:alert(1)"), linkedin_url("https://linkedin.com.evil.example/in/x")
    ('', '')
    >>> linkedin_url("https://evil.example\\.linkedin.com/in/nina")  # a browser opens evil.example
    ''
    """
    from .identity import browser_host, is_linkedin_host

    url = (url or "").strip()
    if not is_linkedin_host(browser_host(url)):  # the host a browser would open (identity.profile_key's check)
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or parts.username or parts.password or any(c.isspace() for c in url):
        return ""
    return url if host == "linkedin.com" or host.endswith(".linkedin.com") else ""


# ---------------------------------------------------------------------------- times and words


def _role_label(role: str) -> str:
    return _ROLE_LABELS.get(role, (role or "").replace("-", " "))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _order_key(indexed: tuple[int, Touch]) -> tuple[int, float, int]:
    index, touch = indexed
    # touches still waiting for another one (no window yet) come last, in the order given
    if touch.due_from is None:
        return (1, 0.0, index)
    return (0, touch.due_from.timestamp(), index)


# ---------------------------------------------------------------------------- who is listed


def _plan_people(plan: InterviewPlan, ranking: Sequence[Candidate]) -> dict[str, Candidate]:
    """The people the plan uses, by node: each back-channel touch's candidate, and the referrer."""
    used = {t.candidate.node: t.candidate for t in plan.touches if t.kind == "back-channel" and t.candidate}
    used.update((c.node, c) for c in ranking if c.role == "referrer")
    return used


def people_to_show(plan: InterviewPlan, ranking: Sequence[Candidate], top: int | None = 10) -> list[Candidate]:
    """Who the report lists, in rank order: the people the plan uses (each back-channel touch's
    candidate and the referrer), then the next best ``top`` of ``ranking`` (``None``: all of it).

    >>> from datetime import datetime, timezone
    >>> from backchannel.domain import Interview
    >>> from backchannel.followup import InterviewPlan
    >>> at = datetime(2026, 11, 24, 19, tzinfo=timezone.utc)
    >>> ranked = [Candidate(rank=n, node=f"person:{n}", name=f"P{n}", role="mutual", evidence="mutual",
    ...                     score=1 / n) for n in range(1, 8)]
    >>> plan = InterviewPlan(Interview(id="acme", company="Acme", at=at, tz="UTC"), at, (
    ...     Touch(id="acme/back-channel/p5", interview="acme", kind="back-channel", person="P5",
    ...           person_slug="p5", role="connection", due_from=at, due_by=at, candidate=ranked[4]),))
    >>> [c.name for c in people_to_show(plan, ranked, top=2)]
    ['P1', 'P2', 'P5']
    """
    used = _plan_people(plan, ranking)
    others = [c for c in ranking if c.node not in used]
    picked = {c.node for c in ranking if c.node in used}
    picked.update(c.node for c in (others if top is None else others[:max(top, 0)]))
    return [c for c in ranking if c.node in picked]


# ---------------------------------------------------------------------------- CSP


_SCRIPT_TYPES = ("", "text/javascript", "application/javascript", "module")


class _InlineScripts(HTMLParser):
    """The text of every inline ``<script>`` of a page, as a browser hashes it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        kind = (dict(attrs).get("type") or "").strip().lower()
        # a data block (application/json) never runs: it needs no hash
        if not any(name == "src" for name, _ in attrs) and kind in _SCRIPT_TYPES:
            self._current = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def csp_hash(script: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _inline_script_hashes(page: str) -> list[str]:
    # a browser turns CR LF and CR into LF before it parses, and hashes what it parsed
    parser = _InlineScripts()
    parser.feed(page.replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    return list(dict.fromkeys(csp_hash(s) for s in parser.scripts))


# ---------------------------------------------------------------------------- the report


class Report:
    """The report of one interview: ``html()``, ``write(path)``, and inline display in Jupyter."""

    def __init__(self, data: ReportData) -> None:
        self.data = data

    @property
    def title(self) -> str:
        iv = self.data.plan.interview
        what = f"{iv.company}, {iv.position}" if iv.position else iv.company
        return f"Follow-up: {what}"

    def html(self) -> str:
        """The whole page, one self-contained HTML document."""
        from jinja2 import Environment, FileSystemLoader, StrictUndefined
        from markupsafe import Markup

        env = Environment(loader=FileSystemLoader(str(_TEMPLATE.parent)), autoescape=True,
                          undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        # hashes are base64 of static text: safe to write into the policy as they are
        env.filters["csp_hash"] = lambda script: Markup(csp_hash(script))
        map_html = self.data.map.html() if self.data.map is not None else ""
        map_hashes = Markup(" ".join(_inline_script_hashes(map_html)))
        return env.get_template("report.html").render(
            page_title=self.title, map_html=map_html, map_hashes=map_hashes, **self._context())

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` atomically (a temporary file beside it, then a rename).

        Nothing else is written. A new file is readable by its owner only (the page holds
        personal data); an existing file keeps its permissions.
        """
        from .output import write_atomically

        return write_atomically(Path(path), self.html(), what="the report")

    def _repr_html_(self) -> str:
        # like the map: a srcdoc iframe shows in classic Notebook, JupyterLab and VS Code, writes
        # no file and keeps the page's script away from the notebook's page; the mail client and
        # LinkedIn links need to leave the sandbox, the copy button needs the clipboard
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox '
                'allow-top-navigation-to-custom-protocols" allow="clipboard-write" '
                'style="width: 100%; height: 900px; border: 1px solid #e2e8f0;" '
                f'title="{html.escape(self.title)}"></iframe>')

    # -------------------------------------------------------------------- what the template sees

    def _profiles_by_name(self) -> dict[str, str]:
        known: dict[str, str] = {}
        for c in self.data.ranking:
            url = linkedin_url(c.profile_url)
            if url:
                known.setdefault(c.name, url)
        for p in self.data.plan.interview.people:
            url = linkedin_url(self.data.profiles.get(p.slug, ""))
            if url:
                known[p.name or p.profile_url] = url
        return known

    def _when(self, dt: datetime | None) -> str:
        return human_time(dt, self.data.zone, label=True) if dt is not None else ""

    def _context(self) -> dict[str, Any]:
        d, plan = self.data, self.data.plan
        iv = plan.interview
        profiles = self._profiles_by_name()
        ordered = [t for _, t in sorted(enumerate(plan.touches), key=_order_key)]
        touches = []
        for n, t in enumerate(ordered, start=1):
            status = t.status if t.status in STATUSES else "pending"
            label, meaning = STATUSES[status]
            draft = d.drafts.get(t.id)
            window = (human_window(t.due_from, t.due_by, d.zone, label=True) if t.due_from and t.due_by
                      else t.note)
            touches.append({
                "n": n, "id": t.id, "handle": t.handle, "kind": t.kind, "kind_label": t.label, "person": t.person,
                "role": _role_label(t.role), "status": status, "status_label": label, "status_meaning": meaning,
                "window_text": window, "note": t.note if t.due_from else "", "done_text": self._when(t.done_at),
                "draft": self._draft_view(t, draft, profiles) if draft is not None and status in OPEN_STATUSES
                else None,
            })
        # a "now" line between what has started and what is still ahead (when both exist)
        as_of = d.as_of or d.generated_at
        now_at = next((i for i, t in enumerate(ordered)
                       if t.due_from is None or t.due_from.timestamp() > as_of.timestamp()), len(ordered))
        counts = {s: sum(1 for t in touches if t["status"] == s) for s in STATUSES}
        promised = sorted(plan.promised.items(), key=lambda kv: kv[1].timestamp())
        names = {p.slug: p.name or p.profile_url for p in iv.people}
        outcome = iv.outcome or "open"
        return {
            "d": {"discreet": iv.discreet, "company": iv.company, "position": iv.position,
                  "at_text": self._when(iv.at), "interview_id": iv.id},
            "outcome": outcome, "outcome_class": outcome if outcome in _OUTCOME_CLASSES else "other",
            "people": [{"name": p.name or p.profile_url, "role": _role_label(p.role), "title": p.title,
                        "url": linkedin_url(d.profiles.get(p.slug, ""))} for p in iv.people],
            "touches": touches, "now_at": now_at if 0 < now_at < len(ordered) else -1,
            "now_label": "Now" if d.as_of is None else "As of", "as_of_text": self._when(as_of),
            "glance": [(s, f"{counts[s]} {STATUSES[s][0].lower()}") for s in STATUSES if counts[s]],
            "tonight": _plural(counts["overdue"] + counts["due"], "message"),
            "next_ring": f"{self._when(promised[0][1])} ({names.get(promised[0][0], promised[0][0])})"
            if promised else "",
            "zone_name": zone_name(d.zone, d.generated_at), **self._back_channel(),
            "generated_text": self._when(d.generated_at),
            "has_map": d.map is not None, "map_title": d.map.title if d.map is not None else "",
        }

    def _back_channel(self) -> dict[str, Any]:
        """The people listed, how many more there are, or what to do when nobody reaches the company."""
        d = self.data
        iv = d.plan.interview
        company = d.ranking.company or iv.company
        shown = people_to_show(d.plan, d.ranking, d.top)
        in_plan = _plan_people(d.plan, d.ranking)
        listed = {c.node for c in shown}
        rest = [c for c in d.ranking if c.node not in listed]
        more = None
        if rest:
            scores = [_clamped(c.score) for c in rest]
            high, low = f"{max(scores):.2f}", f"{min(scores):.2f}"
            more = {"count": f"{len(rest):,}", "people": "person reaches" if len(rest) == 1 else "people reach",
                    "company": company, "scores": high if high == low else f"{high} down to {low}",
                    "interview_id": iv.id, "total": len(d.ranking)}
        hint = None
        if not d.ranking:
            link = linkedin_url(d.ranking.search_link)
            # the ranking's message names the search address as text, for a terminal: the page says
            # it in its own words and makes the address a link
            hint = ({"text": f"Nobody in your network reaches {company} yet: look for second-degree people "
                             "there yourself.",
                     "link": link, "link_text": f"Search LinkedIn for people at {company}"} if link
                    else {"text": d.ranking.message or f"Nobody in your network reaches {company} yet.",
                          "link": "", "link_text": ""})
        return {"ranking": _ranking_rows(shown, in_plan), "more": more, "hint": hint}

    def _draft_view(self, t: Touch, dr: Draft, profiles: dict[str, str]) -> dict[str, Any]:
        """A draft as the template shows it: the mailto address built here, or how else to send it."""
        by_hand = t.kind == "handwritten-note"  # written on a card: no mail link
        href = mailto_href(dr.email, dr.subject, dr.body) if dr.email and not by_hand else ""
        profile = linkedin_url(t.candidate.profile_url if t.candidate else "") or profiles.get(dr.to or t.person, "")
        return {
            "subject": dr.subject, "body": dr.body, "to": dr.to, "email": dr.email,
            "language": dr.language if dr.language in ("en", "ru") else "en",
            "mailto": href, "bad_email": bool(dr.email) and not by_hand and not href,
            "ring": self._when(dr.next_contact), "by_hand": by_hand,
            "linkedin": "" if by_hand or href else profile,
            # some mail apps (Outlook on Windows) cut a mailto address at about 2,000 characters
            "long_mailto": len(href) > _MAILTO_COMFORT,
        }


def _clamped(score: float) -> float:
    return min(max(score, 0.0), 1.0) if score == score else 0.0


def _ranking_rows(rows: Sequence[Candidate], in_plan: Mapping[str, Candidate]) -> list[dict[str, Any]]:
    """The ranking as the template shows it: scores clamped to [0, 1], only https LinkedIn links."""
    shown = []
    for c in rows:
        score = _clamped(c.score)
        shown.append({
            "rank": c.rank, "name": c.name, "url": linkedin_url(c.profile_url), "in_plan": c.node in in_plan,
            "work": ", ".join(x for x in (c.position, c.company) if x),
            "score": f"{score:.2f}", "score_pct": f"{score * 100:.0f}", "reasons": list(c.reasons),
            "bridges_to": list(c.bridges_to), "action": c.action, "evidence": [c.evidence] if c.evidence else [],
        })
    return shown


def build_report(data: ReportData) -> Report:
    """The report of one interview from its data (nothing is read or written here)."""
    return Report(data)
