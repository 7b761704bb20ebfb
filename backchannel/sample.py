"""A deterministic generator of realistic LinkedIn exports, for the demo, tests and benchmarks.

The same arguments always give the same bytes. The export has the messiness of real ones:
the ``Notes:`` preamble, percent-encoded non-ASCII slugs in Connections.csv but raw ones in
messages, credentials and emoji in names, stray spaces, empty companies, commas in quoted
positions, duplicate rows, hidden-profile ghost rows, group threads and drafts.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from .identity import slugify

__all__ = ["generate_export", "write_sample_interviews", "SAMPLE_OWNER", "SAMPLE_COMPANY", "sample_interview_rows",
           "SAMPLE_USER_EMAIL", "SAMPLE_ADDRESSES", "sample_mail", "write_sample_mbox", "sample_invite",
           "write_sample_invite"]

SAMPLE_OWNER = ("Alex", "Morgan")
SAMPLE_COMPANY = "Acme Corp."
OWNER_SLUG = "alex-morgan-5b1"
GENERATED_AT = datetime(2026, 11, 20, 9, 0, 0)

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their connections to see "
    "or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    'You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)

FIRST = ["Jane", "Sam", "Priya", "Chris", "Dana", "Omar", "Lena", "Marco", "Aisha", "Tom", "Yuki", "Ana",
         "Kwame", "Sofia", "Liam", "Mei", "Diego", "Fatima", "Noah", "Ingrid", "José", "Zoë", "Björn",
         "Chloé", "Raj", "Elena", "Hiro", "Nadia", "Pavel", "Grace", "Ольга", "李", "Émile", "Siobhán"]
LAST = ["Roe", "Patel", "Nair", "Lee", "Whitfield", "Haddad", "Schmidt", "Rossi", "Okafor", "Brown",
        "Tanaka", "García", "Mensah", "Müller", "Kowalski", "Chen", "Pérez", "Dubois", "Johansson",
        "O'Brien", "Novak", "Silva", "Ivanova", "王", "Nguyen", "Kim", "Larsen", "Costa", "Fischer"]
COMPANIES = ["Acme Corp.", "ACME Corporation", "Acme", "Globex", "Initech", "Umbrella Health",
             "Hooli", "Vandelay Industries", "Stark Industries", "Wayne Enterprises", "Soylent",
             "Tyrell Corporation", "Cyberdyne Systems", "Wonka Industries", "Pied Piper", "Aperture Labs",
             "Massive Dynamic", "Nakatomi Trading", "Oceanic Airlines", "Dunder Mifflin, Inc.", ""]
POSITIONS = ["Software Engineer", "Senior Software Engineer", "Engineering Manager", "Product Manager",
             "Data Scientist", "Recruiter", "Talent Partner", "Designer", "Staff Engineer, Payments",
             "VP, Engineering", "Director of Product", "Founder", "Consultant", "Analyst", "CTO", ""]
CREDENTIALS = [", PhD", ", MBA", ", MBA, PMP", ", CPA"]
EMOJI = [" 🚀", " 🌱", " ✨"]

# The named cast of the sample interview: (first, last, slug, company, position)
CAST = [
    ("Jane", "Roe", "jane-roe-7c1", "Acme Corp.", "Engineering Manager"),
    ("Sam", "Patel", "sam-patel-2f9", "Acme", "Director of Engineering"),
    ("Priya", "Nair", "priya-nair-88", "ACME Corporation", "Technical Recruiter"),
    ("Chris", "Lee", "chris-lee-31", "Acme Corp.", "Staff Engineer, Payments"),
    ("Dana", "Whitfield", "dana-whitfield-4a", "Hooli", "Product Manager"),
    ("Omar", "Haddad", "omar-haddad-12", "Initech", "Senior Software Engineer"),
    ("Lena", "Schmidt", "lena-schmidt-9", "Acme", "Software Engineer"),
    ("José", "Pérez", "josé-pérez-123", "Globex", "Data Scientist"),
    ("Marco", "Rossi, PhD", "marco-rossi-phd", "Initech", "Principal Engineer"),
    ("Aisha", "Okafor", "aisha-okafor-5", "Globex", "Engineering Manager"),
]


def _slug(first: str, last: str, n: int) -> str:
    base = "-".join(w.lower() for w in f"{first} {last.split(',')[0]}".replace("'", "").split())
    return f"{base}-{n:x}"


def _url(slug: str, encoded: bool) -> str:
    return "https://www.linkedin.com/in/" + (quote(slug, safe="-") if encoded else slug)


def _fmt_connected(d: datetime) -> str:
    return d.strftime("%d ") + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                               "Nov", "Dec"][d.month - 1] + d.strftime(" %Y")


def _fmt_us(d: datetime) -> str:
    hour = d.hour % 12 or 12
    return f"{d.month}/{d.day}/{d.year % 100:02d}, {hour}:{d.minute:02d} {'PM' if d.hour >= 12 else 'AM'}"


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _people(n: int, rng: random.Random) -> list[dict]:
    people = []
    for i, (first, last, slug, company, position) in enumerate(CAST):
        days = 200 + i * 170
        people.append({"first": first, "last": last, "slug": slug, "company": company,
                       "position": position, "connected": GENERATED_AT - timedelta(days=days), "email": ""})
    people[3]["email"] = "chris.lee@example.com"
    for i in range(len(CAST), n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        roll = rng.random()
        if roll < 0.01:
            last += rng.choice(CREDENTIALS)
        elif roll < 0.02:
            last += rng.choice(EMOJI)
        elif roll < 0.07:
            first = " " + first + " "
        company = rng.choice(COMPANIES)
        position = rng.choice(POSITIONS)
        people.append({
            "first": first, "last": last, "slug": _slug(first.strip(), last, i * 7919 % 65521 + 4096),
            "company": company, "position": position,
            "connected": GENERATED_AT - timedelta(days=int(rng.paretovariate(1.2) * 60) % 5800 + 1),
            "email": f"{slugify(first)}.{slugify(last)}{i}@example.com" if rng.random() < 0.03 else "",
        })
    return people


def generate_export(dest: str | Path, n_connections: int = 400, n_messages: int = 4000, *,
                    seed: int = 7, as_zip: bool = True) -> Path:
    """Write a sample export to ``dest`` (a .zip file, or a folder when ``as_zip`` is false)."""
    rng = random.Random(seed)
    n_connections = max(n_connections, len(CAST) + 2)
    people = _people(n_connections, rng)
    files: dict[str, str] = {}
    files["Connections.csv"] = _connections_csv(people, n_connections)
    files["messages.csv"] = _messages_csv(people, n_messages, rng)
    files["Invitations.csv"] = _invitations_csv(people, n_connections, rng)
    _add_profile_files(files, people, rng)
    return _write_export(Path(dest), files, as_zip)


def _connections_csv(people: list[dict], n_connections: int) -> str:
    """Connections.csv: the people, a few hidden-profile ghosts and one duplicate row, newest first."""
    rows = []
    for p in people:
        encoded = not p["slug"].isascii()
        rows.append([p["first"], p["last"], _url(p["slug"], encoded), p["email"], p["company"],
                     p["position"], _fmt_connected(p["connected"])])
    # hidden-profile ghosts and an exact duplicate, as real exports have
    for k in range(max(1, n_connections // 150)):
        rows.append(["", "", "", "", "", "", _fmt_connected(GENERATED_AT - timedelta(days=30 + k))])
    rows.append(list(rows[min(20, len(rows) - 1)]))
    rows.sort(key=lambda r: datetime.strptime(r[6], "%d %b %Y"), reverse=True)
    return PREAMBLE + _csv_text(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"], rows
    ).rstrip("\n")


def _messages_csv(people: list[dict], n_messages: int, rng: random.Random) -> str:
    """messages.csv: about ``n_messages`` messages in threads, the cast's histories set by hand."""
    owner_url = _url(OWNER_SLUG, False)
    owner_name = " ".join(SAMPLE_OWNER)
    # messages: a heavy-tailed number per person; the cast gets hand-set histories
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(people))]
    scripted = {0: (6, 400), 1: (2, 300), 3: (30, 20), 4: (24, 15), 5: (24, 40), 6: (4, 700), 7: (60, 1100),
                8: (40, 900), 9: (2, 30)}
    messages: list[list[str]] = []
    conv_counter = 0

    def add_thread(members: list[dict], count: int, last: datetime) -> None:
        nonlocal conv_counter
        conv_counter += 1
        conv = f"2-{conv_counter:056x}"[:58]
        when = last
        for k in range(count):
            sender_is_owner = k % 2 == 0 if rng.random() < 0.8 else rng.random() < 0.5
            if sender_is_owner:
                s_name, s_url = owner_name, owner_url
                r = members
            else:
                sender = rng.choice(members)
                s_name, s_url = f"{sender['first'].strip()} {sender['last']}", _url(sender["slug"], False)
                r = [{"first": SAMPLE_OWNER[0], "last": SAMPLE_OWNER[1], "slug": OWNER_SLUG}] + [
                    m for m in members if m is not sender]
            messages.append([
                conv, "Team chat" if len(members) > 1 else "", s_name, s_url,
                ",".join(f"{m['first'].strip()} {m['last']}" for m in r),
                ",".join(_url(m["slug"], False) for m in r),
                when.strftime("%Y-%m-%d %H:%M:%S UTC"), "", rng.choice(["Thanks!", "Sounds good", "Coffee next week?",
                                                                     "<p>Great to catch up</p>", ""]),
                "INBOX", "No", "No",
            ])
            when -= timedelta(hours=rng.randint(1, 24 * 20))

    for idx, (count, days_ago) in scripted.items():
        add_thread([people[idx]], count, GENERATED_AT - timedelta(days=days_ago))
    # a group thread where Dana (a mutual) talks with Jane the interviewer and Omar
    add_thread([people[4], people[0], people[5]], 8, GENERATED_AT - timedelta(days=60))
    remaining = max(0, n_messages - len(messages))
    while remaining > 0:
        person = rng.choices(people[len(CAST):], weights=weights[len(CAST):])[0]
        count = min(remaining, rng.randint(1, 12))
        members = [person]
        if rng.random() < 0.03:
            members += rng.sample(people[len(CAST):], 2)
        add_thread(members, count, GENERATED_AT - timedelta(days=rng.randint(1, 2500)))
        remaining -= count
    # one unsent draft, as the Dec 2024 format has
    messages.append(["", "", owner_name, owner_url, "Jane Roe", _url("jane-roe-7c1", False),
                     GENERATED_AT.strftime("%Y-%m-%d %H:%M:%S UTC"), "", "draft", "", "Yes", "Yes"])
    return _csv_text(
        ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
         "DATE", "SUBJECT", "CONTENT", "FOLDER", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"], messages)


def _invitations_csv(people: list[dict], n_connections: int, rng: random.Random) -> str:
    """Invitations.csv: invitations to and from the first third of the people (the cast at least)."""
    owner_url = _url(OWNER_SLUG, False)
    owner_name = " ".join(SAMPLE_OWNER)
    inv = []
    for i, p in enumerate(people[: max(len(CAST), n_connections // 3)]):
        outgoing = i % 3 != 1
        name = f"{p['first'].strip()} {p['last']}"
        note = "Great meeting you at the meetup!" if i in (3, 4) or rng.random() < 0.1 else ""
        url = _url(p["slug"], False)
        inv.append([owner_name if outgoing else name, name if outgoing else owner_name,
                    _fmt_us(p["connected"] + timedelta(hours=9, minutes=5)), note,
                    "OUTGOING" if outgoing else "INCOMING", owner_url if outgoing else url,
                    url if outgoing else owner_url])
    return _csv_text(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"], inv)


def _add_profile_files(files: dict[str, str], people: list[dict], rng: random.Random) -> None:
    """The rest of the export: recommendations, endorsements, the owner's profile and positions,
    skills and rich media."""
    files["Recommendations_Received.csv"] = _csv_text(
        ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"],
        [["Dana", "Whitfield", "Hooli", "Product Manager", "Alex is a joy to work with.", "10/12/23, 11:04 AM", "VISIBLE"],
         ["Omar", "Haddad", "Initech", "Senior Software Engineer", "Great engineer.", "3/2/22, 9:15 AM", "VISIBLE"]])
    files["Recommendations_Given.csv"] = _csv_text(
        ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"],
        [["José", "Pérez", "Globex", "Data Scientist", "José is brilliant.", "1/5/24, 4:30 PM", ""]])
    endorse = []
    for i, p in enumerate(people[3:40]):
        endorse.append([f"{2020 + i % 6}/0{1 + i % 9}/1{i % 10} 10:00:00 UTC", rng.choice(["Python", "SQL", "Leadership"]),
                        p["first"].strip(), p["last"], "www.linkedin.com/in/" + p["slug"], "ACCEPTED"])
    files["Endorsement_Received_Info.csv"] = _csv_text(
        ["Endorsement Date", "Skill Name", "Endorser First Name", "Endorser Last Name", "Endorser Public Url",
         "Endorsement Status"], endorse)
    files["Endorsement_Given_Info.csv"] = _csv_text(
        ["Endorsement Date", "Skill Name", "Endorsee First Name", "Endorsee Last Name", "Endorsee Public Url",
         "Endorsement Status"], endorse[: len(endorse) // 2])
    files["Profile.csv"] = _csv_text(
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary", "Industry",
         "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers"],
        [[SAMPLE_OWNER[0], SAMPLE_OWNER[1], "", "", "Apr 12", "Backend engineer", "", "Software", "", "Berlin", "", "", ""]])
    files["Positions.csv"] = _csv_text(
        ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
        [["Globex", "Senior Backend Engineer", "Payments platform", "Berlin", "Mar 2022", ""],
         ["Initech", "Software Engineer", "", "Berlin", "Jan 2018", "Feb 2022"]])
    files["Skills.csv"] = "Name\nPython\nSQL\n"
    files["Rich_Media.csv"] = "Date/Time,Media Description,Media Link\n"


def _write_export(dest: Path, files: dict[str, str], as_zip: bool) -> Path:
    """The files written as a ZIP at ``dest`` (dated as an export is), or into the folder ``dest``."""
    if as_zip:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 9, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, text.encode("utf-8"))
    else:
        dest.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (dest / name).write_bytes(text.encode("utf-8"))
    return dest


def sample_interview_rows(when: str = "2026-11-24T14:00:00-05:00") -> list[dict[str, str]]:
    """The sample interview at Acme: an interviewer, a hiring manager, a recruiter, a referrer."""
    base = {"interview": "", "company": SAMPLE_COMPANY, "date": when, "email": "", "title": "",
            "interests": "", "mutuals": "", "discreet": "yes", "notes": "", "topic": "", "profile_url": "",
            "position": "Senior Backend Engineer"}
    return [
        {**base, "role": "interviewer", "name": "Jane Roe", "title": "Engineering Manager",
         "email": "jane.roe@acme.example", "interests": "trail running; Rust; the Chicago Cubs",
         "mutuals": "Dana Whitfield; https://www.linkedin.com/in/omar-haddad-12",
         "topic": "the plan to move the payments ledger to event sourcing",
         "notes": "seemed unconvinced by my answer on testing"},
        {**base, "role": "hiring-manager", "name": "Sam Patel", "title": "Director of Engineering",
         "profile_url": "linkedin.com/in/sam-patel-2f9/", "interests": "jazz", "mutuals": "Marco Rossi",
         "topic": "how the team will own on-call end to end",
         "notes": "asked twice about my notice period"},
        {**base, "role": "recruiter", "name": "Priya Nair", "title": "Technical Recruiter"},
        {**base, "role": "referrer", "name": "Chris Lee", "email": "chris.lee@example.com"},
    ]


def write_sample_interviews(path: str | Path, when: str = "2026-11-24T14:00:00-05:00") -> Path:
    rows = sample_interview_rows(when)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ["company", "date", "role", "name", "profile_url", "email", "title", "interests", "mutuals",
              "discreet", "topic", "notes", "position"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


# --------------------------------------------------------------------------- mail and an invitation

#: the sample user's own address (the user is Alex Morgan)
SAMPLE_USER_EMAIL = "alex.morgan@example.com"
#: the sample interviewers' addresses at the hiring company
SAMPLE_ADDRESSES = {"Jane Roe": "jane.roe@acme.example", "Sam Patel": "sam.patel@acme.example",
                    "Priya Nair": "priya.nair@acme.example", "Chris Lee": "chris.lee@example.com"}
SAMPLE_INVITE_UID = "040000008200E00074C5B7101A82E008000000005A1C3B2D9F4BD901000000000000000010000000"


def sample_mail(when: str = "2026-11-24T14:00:00-05:00") -> bytes:
    """A small Gmail Takeout-style mbox around the sample interview held at ``when``: the
    thank-you emails, Jane's reply, a note to the referrer and one unrelated newsletter,
    with Takeout's quirks (its From_ lines, a body line starting "From " left unescaped,
    encoded-word names, a message to several people at once). The same ``when`` always gives
    the same bytes."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    at = datetime.fromisoformat(when)
    me = f"Alex Morgan <{SAMPLE_USER_EMAIL}>"
    jane, sam, priya, chris = (f"{n} <{a}>" for n, a in SAMPLE_ADDRESSES.items())
    messages = [
        # (minutes after the interview, From, To, Cc, subject, body)
        (330, me, [jane], [], "Thank you: Senior Backend Engineer interview",
         "Dear Jane,\n\nThank you for taking the time to talk with me.\n\nFrom our discussion of the ledger, "
         "I took away a lot.\n\nBest regards,\nAlex Morgan\n"),
        (335, me, [sam], [priya], "Thank you for today",
         "Dear Sam,\n\nThank you for the conversation about on-call.\n\nBest regards,\nAlex\n"),
        (360, me, [chris], [], "Thanks for the referral",
         "Hi Chris,\n\nI just had the interview at Acme. Thank you for referring me!\n\nAlex\n"),
        (1085, "=?UTF-8?B?SmFuZSBSb2U=?= <jane.roe@acme.example>", [me], [sam], "Re: Thank you",
         "Hi Alex,\n\nThanks for the note; it was a pleasure.\n\nJane\n"),
        (1200, "=?UTF-8?Q?Acme_Corp_Newsletter_=E2=80=94_Weekly?= <news@newsletter.example>", [me], [],
         "This week at Acme", "From the desk of the editor: nothing to do with your interview.\n"),
    ]
    out = []
    for n, (minutes, sender, to, cc, subject, body) in enumerate(messages, start=1):
        sent = at + timedelta(minutes=minutes)
        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(to)
        if cc:
            message["Cc"] = ", ".join(cc)
        message["Date"] = format_datetime(sent)
        message["Message-ID"] = f"<sample-{n}-{sent:%Y%m%d%H%M}@mail.example>"
        message["Subject"] = subject
        message.set_content(body)
        stamp = sent.astimezone(timezone.utc).strftime("%a %b %d %H:%M:%S +0000 %Y")
        labels = "Sent" if sender == me else "Inbox"
        text = message.as_bytes()  # the default policy does not escape "From " in bodies: Takeout does not
        out.append(f"From 17812345678901234{n:02d}@xxx {stamp}\nX-GM-THRID: 178123456789012340{n // 4}\n"
                   f"X-Gmail-Labels: {labels}\n".encode() + text + b"\n")
    return b"".join(out)


def write_sample_mbox(path: str | Path, when: str = "2026-11-24T14:00:00-05:00") -> Path:
    """Write :func:`sample_mail` to ``path`` (``data/sample/mail/sample.mbox`` in the repository)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sample_mail(when))
    return path


def sample_invite(when: str = "2026-11-24T14:00:00-05:00", *, sequence: int = 0, cancelled: bool = False) -> str:
    """The invitation to the sample interview as Outlook sends it: a Windows zone name with
    its VTIMEZONE, ``METHOD:REQUEST`` (``CANCEL`` when ``cancelled``), the recruiter as
    organizer, the interviewers and the user as attendees, CRLF line ends. ``when`` is read
    as a wall time in US Eastern time."""
    at = datetime.fromisoformat(when).replace(tzinfo=None)
    stamp = (GENERATED_AT + timedelta(days=1)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "PRODID:Microsoft Exchange Server 2010",
        "VERSION:2.0",
        "BEGIN:VTIMEZONE",
        "TZID:Eastern Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:-0400",
        "TZOFFSETTO:-0500",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0400",
        "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        'ORGANIZER;CN="Nair, Priya":mailto:priya.nair@acme.example',
        'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="Roe, Jane":m',
        " ailto:jane.roe@acme.example",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Sam Patel:mai",
        " lto:sam.patel@acme.example",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=alex.morgan@e",
        " xample.com:mailto:alex.morgan@example.com",
        "DESCRIPTION;LANGUAGE=en-US:Hi Alex\\, looking forward to the onsite. Jane Roe a",
        " nd Sam Patel will join.\\n",
        f"UID:{SAMPLE_INVITE_UID}",
        "SUMMARY;LANGUAGE=en-US:" + ("Canceled: " if cancelled else "") + "Interview with Acme Corp.",
        f"DTSTART;TZID=Eastern Standard Time:{at:%Y%m%dT%H%M%S}",
        f"DTEND;TZID=Eastern Standard Time:{at + timedelta(hours=1):%Y%m%dT%H%M%S}",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        f"DTSTAMP:{stamp}",
        "TRANSP:OPAQUE",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        f"SEQUENCE:{sequence}",
        "LOCATION;LANGUAGE=en-US:Acme HQ\\, 5th floor",
        "X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE",
        "X-MICROSOFT-CDO-IMPORTANCE:1",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def write_sample_invite(path: str | Path, when: str = "2026-11-24T14:00:00-05:00") -> Path:
    """Write :func:`sample_invite` to ``path`` (``data/sample/invite.ics`` in the repository)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sample_invite(when).encode("utf-8"))
    return path
