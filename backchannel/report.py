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

Printed, or saved as PDF, the page drops its buttons and the map (a note says where it is)
and keeps the timeline and every draft whole on a page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from .maps import BackchannelMap

__all__ = [
    "Report",
    "ReportData",
    "ReportDraft",
    "ReportPerson",
    "ReportTouch",
    "STATUSES",
    "build_report",
    "csp_hash",
    "linkedin_url",
    "mailto_href",
]

_TEMPLATE = Path(__file__).parent / "templates" / "report.html"

#: status -> (label, what it means); the colours live in the template's stylesheet
STATUSES = {
    "overdue": ("Overdue", "its window has closed; send it now or skip it"),
    "due": ("Due", "its window is open"),
    "pending": ("Pending", "its window has not opened yet"),
    "done": ("Done", "logged as done"),
    "skipped": ("Skipped", "you decided against it"),
    "cancelled": ("Cancelled", "no longer needed"),
}
OPEN_STATUSES = ("overdue", "due", "pending")
_MAILTO_COMFORT = 2000
_OUTCOME_CLASSES = ("open", "offer", "rejected", "withdrawn")
_ROLE_LABELS = {"hiring-manager": "hiring manager"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class ReportDraft:
    """A message ready to send. ``subject`` is "" for drafts without one (notes, LinkedIn)."""

    subject: str
    body: str
    to: str
    email: str
    language: str
    next_contact: datetime | None


@dataclass
class ReportTouch:
    """One touch of the plan, as the report shows it (times in the interview's zone)."""

    id: str
    handle: str
    kind: str
    kind_label: str
    person: str
    role: str
    status: str
    due_from: datetime | None
    due_by: datetime | None
    window_text: str
    done_at: datetime | None
    draft: ReportDraft | None
    note: str = ""
    profile_url: str = ""  # optional: where to send a LinkedIn message; found by name when empty


@dataclass
class ReportPerson:
    """Someone met at (or behind) the interview."""

    name: str
    role: str
    title: str
    profile_url: str


@dataclass
class ReportData:
    """Everything the report shows; built by the caller, rendered here without reading anything."""

    interview_id: str
    company: str
    position: str
    at: datetime
    at_text: str
    people: list[ReportPerson]
    outcome: str | None
    discreet: bool
    touches: list[ReportTouch]
    ranking: list[dict]
    map: BackchannelMap | None
    generated_at: datetime
    empty_ranking_hint: dict | None = None
    as_of: datetime | None = None  # when the statuses were evaluated (``--at``); generated_at when None


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


def _when(dt: datetime | None, tz: tzinfo | None, *, year: bool = False) -> str:
    """'Fri 27 Nov, 10:00' in the interview's zone (English names whatever the locale)."""
    if dt is None:
        return ""
    if tz is not None and dt.tzinfo is not None:
        dt = dt.astimezone(tz)
    day = f"{_DAYS[dt.weekday()]} {dt.day} {_MONTHS[dt.month - 1]}" + (f" {dt.year}" if year else "")
    return f"{day}, {dt:%H:%M}"


def _role_label(role: str) -> str:
    return _ROLE_LABELS.get(role, (role or "").replace("-", " "))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _order_key(indexed: tuple[int, ReportTouch]) -> tuple[int, float, int]:
    index, touch = indexed
    # touches still waiting for another one (no window yet) come last, in the order given
    if touch.due_from is None:
        return (1, 0.0, index)
    return (0, touch.due_from.timestamp(), index)


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
        d = self.data
        what = f"{d.company}, {d.position}" if d.position else d.company
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
        for row in self.data.ranking:
            url = linkedin_url(str(row.get("profile_url") or ""))
            if url:
                known.setdefault(str(row.get("name") or ""), url)
        for p in self.data.people:
            url = linkedin_url(p.profile_url)
            if url:
                known[p.name] = url
        return known

    def _context(self) -> dict[str, Any]:
        d = self.data
        tz = d.at.tzinfo
        profiles = self._profiles_by_name()
        ordered = [t for _, t in sorted(enumerate(d.touches), key=_order_key)]
        touches = []
        for n, t in enumerate(ordered, start=1):
            status = t.status if t.status in STATUSES else "pending"
            label, meaning = STATUSES[status]
            touches.append({
                "n": n, "id": t.id, "handle": t.handle, "kind": t.kind, "kind_label": t.kind_label or t.kind,
                "person": t.person, "role": _role_label(t.role), "status": status, "status_label": label,
                "status_meaning": meaning, "window_text": t.window_text, "note": t.note,
                "done_text": _when(t.done_at, tz),
                "draft": _draft_view(t, profiles, tz) if t.draft is not None and status in OPEN_STATUSES else None,
            })
        # a "now" line between what has started and what is still ahead (when both exist)
        as_of = d.as_of or d.generated_at
        now_at = next((i for i, t in enumerate(ordered)
                       if t.due_from is None or t.due_from.timestamp() > as_of.timestamp()), len(ordered))
        counts = {s: sum(1 for t in touches if t["status"] == s) for s in STATUSES}
        rings = sorted(((t.draft.next_contact, t.person) for t in ordered if t.draft is not None
                        and t.draft.next_contact is not None and t.status in OPEN_STATUSES),
                       key=lambda ring: ring[0].timestamp())
        hint = None
        if not d.ranking and d.empty_ranking_hint:
            h = d.empty_ranking_hint
            hint = {"text": str(h.get("text") or ""), "link": linkedin_url(str(h.get("link") or "")),
                    "link_text": str(h.get("link_text") or h.get("link") or "")}
        outcome = d.outcome or "open"
        return {
            "d": d, "outcome": outcome, "outcome_class": outcome if outcome in _OUTCOME_CLASSES else "other",
            "people": [{"name": p.name, "role": _role_label(p.role), "title": p.title,
                        "url": linkedin_url(p.profile_url)} for p in d.people],
            "touches": touches, "now_at": now_at if 0 < now_at < len(ordered) else -1,
            "now_label": "Now" if d.as_of is None else "As of", "as_of_text": _when(as_of, tz, year=True),
            "glance": [(s, f"{counts[s]} {STATUSES[s][0].lower()}") for s in STATUSES if counts[s]],
            "tonight": _plural(counts["overdue"] + counts["due"], "message"),
            "next_ring": f"{_when(rings[0][0], tz)} ({rings[0][1]})" if rings else "",
            "ranking": _ranking_rows(d.ranking), "hint": hint,
            "generated_text": _when(d.generated_at, tz, year=True),
            "has_map": d.map is not None, "map_title": d.map.title if d.map is not None else "",
        }


def _draft_view(t: ReportTouch, profiles: dict[str, str], tz: tzinfo | None) -> dict[str, Any]:
    """A draft as the template shows it: the mailto address built here, or how else to send it."""
    dr = t.draft
    assert dr is not None
    by_hand = t.kind == "handwritten-note"  # written on a card: no mail link
    href = mailto_href(dr.email, dr.subject, dr.body) if dr.email and not by_hand else ""
    profile = linkedin_url(t.profile_url) or profiles.get(dr.to or t.person, "")
    return {
        "subject": dr.subject, "body": dr.body, "to": dr.to, "email": dr.email,
        "language": dr.language if dr.language in ("en", "ru") else "en",
        "mailto": href, "bad_email": bool(dr.email) and not by_hand and not href,
        "ring": _when(dr.next_contact, tz), "by_hand": by_hand,
        "linkedin": "" if by_hand or href else profile,
        # some mail apps (Outlook on Windows) cut a mailto address at about 2,000 characters
        "long_mailto": len(href) > _MAILTO_COMFORT,
    }


def _ranking_rows(rows: list[dict]) -> list[dict[str, Any]]:
    """The ranking as the template shows it: scores clamped to [0, 1], only https LinkedIn links."""
    shown = []
    for i, row in enumerate(rows, start=1):
        try:
            score = min(max(float(row.get("score") or 0.0), 0.0), 1.0)
        except (TypeError, ValueError):
            score = 0.0
        evidence = row.get("evidence") or []
        if isinstance(evidence, str):
            evidence = [evidence]
        shown.append({
            "rank": row.get("rank", i), "name": str(row.get("name") or ""),
            "url": linkedin_url(str(row.get("profile_url") or "")),
            "work": ", ".join(str(x) for x in (row.get("position"), row.get("company")) if x),
            "score": f"{score:.2f}", "score_pct": f"{score * 100:.0f}",
            "reasons": [str(r) for r in row.get("reasons") or []],
            "bridges_to": [str(b) for b in row.get("bridges_to") or []],
            "action": str(row.get("action") or ""), "evidence": [str(e) for e in evidence],
        })
    return shown


def build_report(data: ReportData) -> Report:
    """The report of one interview from its data (nothing is read or written here)."""
    return Report(data)
