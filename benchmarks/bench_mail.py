"""The mail reader against the standard library's mbox: python benchmarks/bench_mail.py [--size 1G]

A Gmail Takeout-like mbox of ``--size`` bytes is generated (deterministic: the same size
always gives the same bytes) in ``--work``, then two commands run in fresh processes,
interleaved (the order alternating from run to run), ``--runs`` times each:

- ``read_mail(PATH)``, every record consumed (counted, not kept), the skip log at the end;
- the baseline, exactly: ``python -c "import mailbox; [m['Date'] for m in mailbox.mbox(PATH)]"``;
- the whole command, ``backchannel import mail PATH --dry-run --format json`` on a workspace
  with the sample export and an interview whose people (and you) have addresses the mailbox
  uses: reading, matching every message to or from them to the plan, and listing it (the
  dry run writes nothing, so every run does the same work).

Each figure is the median wall time of its process (interpreter start and imports included,
as a user waits for them) and the process's peak resident memory, ``ru_maxrss`` from
``os.wait4`` on that very child. The goals: the reader within 2x the baseline's time, and
under 200 MiB. The file is read from the page cache after the first pass (the machine has
far more memory than the file); both commands get the same cache. The big file is deleted
at the end unless ``--keep``.

What the generated mailbox holds, per message (``--mix takeout``, the default): Takeout's
From_ line and X-GM-* headers, two Received lines, a DKIM signature, encoded-word names
(UTF-8, base64 and quoted-printable), one to four recipients and sometimes Cc, a
multipart/alternative body (plain and HTML) with Gmail's unescaped body lines starting with
"From " (which the baseline takes for new messages; the reader does not), and in one message
of ten a base64 attachment (20 KB to 1.2 MB): most of a real mailbox's bytes are attachments.
``--mix small`` writes messages of about 1 KiB instead (about a million per GiB): the worst
case for the work and the memory spent per message.

Not a test: timings on a shared machine are noisy, so nothing here fails a build.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READER = """
import sys
from backchannel.readers.mail import read_mail
archive = read_mail(sys.argv[1])
n = 0
for _message in archive:
    n += 1
print("COUNTS", n, archive.found, sum(archive.skipped.counts.values()), len(archive.warnings))
"""
BASELINE = "import mailbox; [m['Date'] for m in mailbox.mbox({path!r})]"
COMMAND = """
import sys
from backchannel.cli import main
sys.argv = ["backchannel", "--db", sys.argv[1], "import", "mail", sys.argv[2], "--dry-run", "--format", "json"]
main()
"""
SETUP = """
import sys
from collections import Counter
from pathlib import Path
from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.readers.mail import read_mail
from backchannel.sample import generate_export

db, mbox, work = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
messages = list(read_mail(mbox))
me = Counter(m.sender for m in messages).most_common(1)[0][0]
mine = Counter(a for m in messages if m.sender == me for a in m.recipients)
mine.update(m.sender for m in messages if me in m.recipients)
jane, sam = (address for address, _ in mine.most_common(2))
dates = [m.sent_at for m in messages]
dates.sort()
when = dates[len(dates) // 3]  # a third of the mail is from before the interview
with Backchannel(db, config=Config()) as app:
    app.import_linkedin(generate_export(work / "export.zip", 400, 4000))
    app.add_interview(company="Acme Corp.", date=when.strftime("%Y-%m-%d %H:%M"),
                      people=[("interviewer", "Jane Roe"), ("hiring-manager", "Sam Patel")])
    interview = app.workspace.interview_ids()[0]
    app.set_person(interview, "Jane Roe", email=jane)
    app.set_person(interview, "Sam Patel", email=sam)
    app.workspace.add_own_addresses([me], at=app.clock())
"""


def workspace(work: Path, mbox: Path) -> Path:
    """A workspace with the sample export and one interview whose people are the two most
    frequent correspondents of the mailbox's most frequent sender (you) (made in a process of its own: a child's peak
    memory counts what its parent held when it was forked)."""
    db = work / "bench-mail.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    run([sys.executable, "-c", SETUP, str(db), str(mbox), str(work)], work)
    return db


NAMES = ["Jane Roe", "Sam Patel", "Priya Nair", "Chris Lee", "José Pérez", "Zoë O'Brien", "Ольга Иванова",
         "李 王", "Björn Larsen", "Dana Whitfield"]
DOMAINS = ["acme.example", "globex.example", "initech.example", "gmail.com", "hooli.example"]
WORDS = ["the", "ledger", "team", "plan", "review", "offer", "interview", "thanks", "next", "week", "call",
         "schedule", "notes", "design", "payments", "migration", "onsite", "follow", "up", "great", "meeting", "you",
         "yesterday", "about", "role"]


def _address(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(NAMES)
    local = "".join(ch for ch in name.lower().replace(" ", ".") if ch.isascii() and (ch.isalnum() or ch == "."))
    return name, f"{local or 'person'}{rng.randint(1, 999)}@{rng.choice(DOMAINS)}"


def _encoded(name: str, rng: random.Random) -> str:
    if name.isascii():
        return f'"{name}"' if "'" in name else name
    raw = name.encode("utf-8")
    if rng.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(raw).decode() + "?="
    return "=?UTF-8?Q?" + "".join(f"={b:02X}" if b > 127 or b in b" =?_" else chr(b) for b in raw) + "?="


def _paragraph(rng: random.Random, lines: int) -> str:
    out = []
    for _ in range(lines):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 12))]
        if rng.random() < 0.03:
            words = ["From", *words]  # Gmail does not escape these
        out.append(" ".join(words).capitalize() + ".")
    return "\n".join(out)


def _small_message(i: int, rng: random.Random, when: datetime) -> str:
    """A message of about 1 KiB: the worst case for the time and memory spent per message."""
    sender, to = _address(rng), _address(rng)
    return (f"From {1781234567890123456 + i}@xxx {when.strftime('%a %b %d %H:%M:%S +0000 %Y')}\n"
            f"X-GM-THRID: {1781234567890000000 + i // 3}\nX-Gmail-Labels: Inbox\nMIME-Version: 1.0\n"
            f"From: {_encoded(sender[0], rng)} <{sender[1]}>\nDate: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\n"
            f"Message-ID: <CA+{i:x}{rng.randint(0, 1 << 40):x}@mail.gmail.com>\nSubject: Re: note {i}\n"
            f"To: {_encoded(to[0], rng)} <{to[1]}>\nContent-Type: text/plain; charset=\"UTF-8\"\n\n"
            + _paragraph(rng, rng.randint(3, 12)) + "\n\n")


def _message(i: int, rng: random.Random, blobs: list[str], when: datetime) -> str:
    sender = _address(rng)
    to = [_address(rng) for _ in range(rng.choice([1, 1, 1, 2, 3, 4]))]
    cc = [_address(rng) for _ in range(rng.choice([0, 0, 0, 1, 2]))]
    stamp = when.strftime("%a %b %d %H:%M:%S +0000 %Y")
    date = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    boundary = f"000000000000{i:016x}"
    text = _paragraph(rng, rng.randint(3, 40))
    headers = [
        f"From {1781234567890123456 + i}@xxx {stamp}",
        f"X-GM-THRID: {1781234567890000000 + i // 3}",
        "X-Gmail-Labels: " + rng.choice(["Inbox", "Sent", "Archived,Important", "Inbox,Category Updates"]),
        "Delivered-To: alex.morgan@example.com",
        f"Received: by 2002:a05:6a10:{i % 65536:x}:b0:4a5:6789:abcd with SMTP id x{i}csp{i * 7};",
        f"        {date} (PST)",
        "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])",
        f"        by mx.google.com with SMTPS id {i:x}.2026.11.24; {date}",
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=acme.example; s=20230601;",
        "        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date;",
        "        bh=" + base64.b64encode(rng.randbytes(32)).decode() + ";",
        "        b=" + base64.b64encode(rng.randbytes(180)).decode(),
        "MIME-Version: 1.0",
        f"From: {_encoded(sender[0], rng)} <{sender[1]}>",
        f"Date: {date}",
        f"Message-ID: <CA+{i:x}{rng.randint(0, 1 << 40):x}@mail.gmail.com>",
        "Subject: " + ("=?UTF-8?Q?Re=3A_Thanks_for_today_=E2=80=94_next_steps?=" if rng.random() < 0.3
                       else "Re: " + " ".join(rng.choice(WORDS) for _ in range(5))),
        "To: " + ", ".join(f"{_encoded(n, rng)} <{a}>" for n, a in to),
    ]
    if cc:
        headers.append("Cc: " + ", ".join(a for _n, a in cc))
    attach = blobs[rng.randrange(len(blobs))] if rng.random() < 0.1 else ""
    kind = "mixed" if attach else "alternative"
    headers.append(f'Content-Type: multipart/{kind}; boundary="{boundary}"')
    parts = [f"--{boundary}", 'Content-Type: text/plain; charset="UTF-8"', "", text, "",
             f"--{boundary}", 'Content-Type: text/html; charset="UTF-8"', "",
             "<div dir=\"ltr\">" + text.replace("\n", "<br>\n") + "</div>", ""]
    if attach:
        parts += [f"--{boundary}", 'Content-Type: application/pdf; name="notes.pdf"',
                  'Content-Disposition: attachment; filename="notes.pdf"', "Content-Transfer-Encoding: base64", "",
                  attach, ""]
    parts.append(f"--{boundary}--")
    return "\n".join(headers) + "\n\n" + "\n".join(parts) + "\n\n"


def generate(path: Path, size: int, seed: int = 27, mix: str = "takeout") -> int:
    """Write an mbox of about ``size`` bytes (``mix``: "takeout" or "small" messages);
    returns the number of messages."""
    rng = random.Random(seed)
    blobs = []
    for n in (20_000, 60_000, 150_000, 400_000, 1_200_000):
        data = base64.encodebytes(rng.randbytes(n * 3 // 4)).decode()
        blobs.append(data.rstrip("\n"))
    when = datetime(2020, 1, 1, tzinfo=timezone.utc)
    written = count = 0
    tmp = path.with_suffix(".partial")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        while written < size:
            text = _message(count, rng, blobs, when) if mix == "takeout" else _small_message(count, rng, when)
            fh.write(text)
            written += len(text.encode("utf-8"))
            count += 1
            # a few years of mail either way (a million small messages a few minutes apart)
            when += timedelta(minutes=rng.randint(1, 600)) if mix == "takeout" else timedelta(seconds=rng.randint(1, 300))
    tmp.replace(path)
    return count


def run(argv: list[str], scratch: Path) -> tuple[float, float, str]:
    """Wall time (s), peak resident memory (MiB, the child's ru_maxrss) and stdout of a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out_path, err_path = scratch / "stdout", scratch / "stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=ROOT)
        _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {argv}\n{err_path.read_text(errors='replace')[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, out_path.read_text()


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G", help="size of the generated mbox (1G, 200M, ...)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mix", choices=["takeout", "small"], default="takeout",
                        help="takeout: Gmail-like messages, attachments included; small: 1 KiB messages only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/backchannel-bench-mail"))
    parser.add_argument("--keep", action="store_true", help="keep the generated mbox")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    size = parse_size(args.size)
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / f"{args.mix}-{size}.mbox"
    if not path.exists():
        t = time.perf_counter()
        count = generate(path, size, mix=args.mix)
        print(f"generated {path} ({path.stat().st_size / 2**20:.0f} MiB, {count} messages) in "
              f"{time.perf_counter() - t:.1f} s", file=sys.stderr)
    listed = 0
    try:
        with open(path, "rb") as fh:  # warm the page cache for both
            while fh.read(1 << 24):
                pass
        db = workspace(args.work, path)
        commands = {"reader": [sys.executable, "-c", READER, str(path)],
                    "mailbox": [sys.executable, "-c", BASELINE.format(path=str(path))],
                    "command": [sys.executable, "-c", COMMAND, str(db), str(path)]}
        times: dict[str, list[float]] = {name: [] for name in commands}
        peaks: dict[str, list[float]] = {name: [] for name in commands}
        counts = ""
        for i in range(args.runs):
            order = list(commands) if i % 2 == 0 else list(reversed(commands))
            for name in order:
                elapsed, peak, out = run(commands[name], args.work)
                times[name].append(elapsed)
                peaks[name].append(peak)
                if name == "reader":
                    counts = next(line for line in out.splitlines() if line.startswith("COUNTS"))
                if name == "command":
                    listed = len(json.loads(out))
                print(f"run {i + 1} {name}: {elapsed:.2f} s, {peak:.0f} MiB", file=sys.stderr)
        read, found, skipped, warnings = (int(x) for x in counts.split()[1:])
        result = {
            "file_mib": round(path.stat().st_size / 2**20, 1),
            "messages_read": read, "messages_found": found, "skipped": skipped, "warnings": warnings,
            **{name: {"median_s": round(statistics.median(times[name]), 2),
                      "runs_s": [round(t, 2) for t in times[name]],
                      "peak_mib_median": round(statistics.median(peaks[name]), 1),
                      "peak_mib_max": round(max(peaks[name]), 1)} for name in commands},
        }
        result["ratio"] = round(result["reader"]["median_s"] / result["mailbox"]["median_s"], 3)
        result["command_ratio"] = round(result["command"]["median_s"] / result["mailbox"]["median_s"], 3)
        result["command_listed"] = listed
        result["goals_met"] = {"time_within_2x": max(result["ratio"], result["command_ratio"]) <= 2.0,
                               "peak_under_200_mib": max(result["reader"]["peak_mib_max"],
                                                         result["command"]["peak_mib_max"]) <= 200}
        text = json.dumps(result, indent=2)
        print(text)
        if args.json:
            args.json.write_text(text + "\n")
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
