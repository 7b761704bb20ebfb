"""The company an invitation is for: as its summary writes it, or as the attendees' mail
domains name a company the export knows (:func:`company_from_summary`, :func:`_company`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...identity import normalise_company, normalise_name
from .records import InvitePerson

__all__ = ["company_from_summary"]

#: words that make a summary (or an event among several) read as an interview's
_INTERVIEW = re.compile(r"\b(?:interview\w*|on-?site|screen(?:ing)?|loop|panel|super ?day|hiring manager|"
                        r"technical|final round|recruiter call)\b", re.IGNORECASE)

_PREFIX = re.compile(r"^\s*(?:updated\s+invitation(?:\s+with\s+note)?|invitation(?:\s+with\s+note)?|"
                     r"invitation\s+from\s+google\s+calendar|updated|cancel+ed(?:\s+event)?(?:\s+with\s+note)?|"
                     r"accepted|declined|tentative(?:ly\s+accepted)?|fwd?|re|aw|wg)\s*:\s*", re.IGNORECASE)
_GOOGLE_WHEN = re.compile(r"\s@\s(?:mon|tue|wed|thu|fri|sat|sun|daily|weekly|monthly|every)\b.*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[-–—:|/·•x]\s+|\s*[|/·•–—()\[\]<>,;]\s*|:\s+|\s+<>\s+|\s+&\s+")
_CONNECTORS = re.compile(r"\s+(?:with|at|for|@)\s+", re.IGNORECASE)
#: words a summary wraps the company in
_GENERIC_WORDS = """
interview interviews interviewing onsite on-site on site virtual video phone screen screening call chat technical
tech coding code system systems design behavioral behavioural cultural culture fit values final round rounds
first second third fourth 1st 2nd 3rd 4th initial intro introduction introductory meeting meet conversation session
panel loop super superday hiring manager recruiter recruiting talent acquisition team zoom teams google microsoft
webex hangout hangouts with at for and the a an of to your you our my candidate follow-up followup follow up
debrief sync catch-up min mins minute minutes hour hours hr hrs part stage step next steps invitation invite
discussion deep dive pairing pair programming take-home review presentation case study lunch dinner coffee tour
office remote in-person in person sr jr senior staff principal lead position role job opening opportunity
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_TITLE = re.compile(r"\b(?:engineer|developer|manager|designer|scientist|analyst|director|architect|recruiter|"
                    r"consultant|specialist|administrator|product owner)s?\b", re.IGNORECASE)
_WHEN = re.compile(r"^(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|\d{1,4}[-./]\d{1,2}(?:[-./]\d{1,4})?|"
                   r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d{1,2}|"
                   r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|[a-z]{2,5}t|utc|gmt)$", re.IGNORECASE)
_FREE_MAIL = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de",
    "gmx.net", "web.de", "yandex.ru", "yandex.com", "ya.ru", "mail.ru", "fastmail.com", "zoho.com", "hey.com",
    "qq.com", "163.com", "example.com", "example.org", "example.net",
}
#: scheduling and recruiting services that send invitations for companies
_SERVICES = ("calendar.google.com", "greenhouse.io", "lever.co", "ashbyhq.com", "goodtime.io", "calendly.com",
             "workday.com", "myworkday.com", "smartrecruiters.com", "icims.com", "gem.com", "modernloop.io",
             "zoom.us", "microsoft.com", "teams.microsoft.com", "linkedin.com")
_GENERIC_LABELS = {"mail", "email", "e-mail", "corp", "co", "com", "net", "org", "inc", "ltd", "gmbh", "us", "eu",
                   "uk", "de", "app", "apps", "hq", "careers", "jobs", "talent", "team", "recruiting", "people", "hr",
                   "www", "smtp", "mx", "exchange", "outlook", "example", "internal", "int", "global", "group"}


#: legal forms written with a dot, which stays ("Acme Corp.")
_ABBREVIATIONS = {"corp", "inc", "ltd", "co", "llc", "plc", "gmbh", "ag", "sa", "bv", "nv", "pty", "pvt"}


def _strip_generic(words: list[str]) -> list[str]:
    while words and words[0].lower().strip(".,!?'\"") in _GENERIC:
        words = words[1:]
    while words and words[-1].lower().strip(".,!?'\"") in _GENERIC:
        words = words[:-1]
    return words


def company_from_summary(summary: str, people: Iterable[str] = ()) -> tuple[list[str], bool]:
    """The names a summary may give as the company, in order, and whether the summary reads
    as an interview's. People's names (and their first names) are not companies.

    >>> company_from_summary("Interview with Acme Corp")
    (['Acme Corp'], True)
    >>> company_from_summary("Acme Corp – onsite")
    (['Acme Corp'], True)
    >>> company_from_summary("Invitation: Jane Roe / Alex Morgan - Technical Interview @ Tue Nov 24, 2026 2pm - 3pm (EST)",
    ...                      ["Jane Roe", "Alex Morgan"])
    ([], True)
    """
    text = summary
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _GOOGLE_WHEN.sub("", text)
    names: set[str] = set()
    for person in people:
        key = normalise_name(person)
        if key:
            names.add(key)
            names.update(key.split())
    out: list[str] = []
    for segment in _SEPARATORS.split(text):
        for part in _CONNECTORS.split(f" {segment} "):
            words = _strip_generic(part.split())
            candidate = " ".join(words).strip(" ,!?'\"")
            if candidate.endswith(".") and candidate[:-1].rsplit(" ", 1)[-1].lower() not in _ABBREVIATIONS:
                candidate = candidate.rstrip(".")
            if not candidate or not any(ch.isalpha() for ch in candidate) or "@" in candidate:
                continue
            if _TITLE.search(candidate) or _WHEN.match(candidate):
                continue
            key = normalise_name(candidate)
            if key in names or all(w in names for w in key.split()):
                continue
            if candidate not in out:
                out.append(candidate)
    return out, bool(_INTERVIEW.search(text))


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _domain_labels(address: str) -> list[str]:
    """The labels of an address's domain that may name a company, the registrable one
    (``acme`` in ``eng.acme.co.uk``) first; none for free mail and scheduling services."""
    domain = address.rsplit("@", 1)[-1].strip(".").lower()
    if not domain or domain in _FREE_MAIL or any(domain == s or domain.endswith("." + s) for s in _SERVICES):
        return []
    labels = [label for label in domain.split(".")[:-1]  # not the top-level domain
              if label and label not in _GENERIC_LABELS and not label.isdigit()]
    return labels[::-1]


def _company(summary: str, people: list[str], organizer: InvitePerson | None, attendees: tuple[InvitePerson, ...],
             companies: Iterable[str], own: set[str],
             summary_at: str) -> tuple[str, str, tuple[str, ...], str]:
    """The company, where it came from, the candidates considered, and the line it came from."""
    known: dict[str, str] = {}  # company key -> the name as first written
    compact: dict[str, str] = {}  # a squeezed form of a name (as a mail domain writes it) -> company key
    for name in companies:
        key = normalise_company(name)
        if not key:
            continue
        known.setdefault(key, name.strip())
        compact.setdefault(_compact(key), key)
        compact.setdefault(_compact(name), key)
    candidates, interview_like = company_from_summary(summary, people)
    matched = list(dict.fromkeys(normalise_company(c) for c in candidates if normalise_company(c) in known))
    if len(matched) == 1:
        written = next(c for c in candidates if normalise_company(c) == matched[0])
        return written, "summary", tuple(candidates), summary_at
    if not matched and interview_like and len(candidates) == 1:
        return candidates[0], "summary", tuple(candidates), summary_at
    # the attendees' mail domains: interviewers first, the organizer (perhaps an agency) after
    own_domains = {a.rsplit("@", 1)[-1] for a in own}
    by_domain: dict[str, InvitePerson] = {}
    guesses: list[str] = []
    for person in (*attendees, *([organizer] if organizer is not None else [])):
        if not person.email or person.email.rsplit("@", 1)[-1] in own_domains:
            continue
        labels = _domain_labels(person.email)
        matches = [m for m in (compact.get(_compact(label)) for label in labels) if m is not None]
        if matches:
            by_domain.setdefault(matches[0], person)
        elif labels and labels[0].capitalize() not in guesses:
            guesses.append(labels[0].capitalize())
    all_candidates = tuple(dict.fromkeys([*candidates, *(known[k] for k in by_domain), *guesses]))
    from_attendees = [k for k, p in by_domain.items() if p is not organizer]
    chosen = from_attendees if from_attendees else list(by_domain)
    if len(set(chosen)) == 1:
        key = chosen[0]
        return known[key], "domain", all_candidates, by_domain[key].where
    return "", "", all_candidates, ""
