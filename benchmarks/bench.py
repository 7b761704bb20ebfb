"""Speed and memory of the commands, each against its baseline, interleaved in one run.

    python benchmarks/bench.py [--runs 5] [--quick]

Every figure is the median of ``--runs`` fresh processes; each run of a command is followed by
a run of its baseline, so both see the same moment of a shared machine. Peaks are the
process's own VmHWM (nothing is forked). Not a test: timings here are noisy, so nothing fails
a build; the README quotes the output.

- ``import linkedin`` at 30,000 connections and 200,000 (and 1,000,000) messages, against the
  bare call a data person types for the same two files: ``pd.read_csv("Connections.csv",
  skiprows=3)`` (the least it takes to parse at all: the file opens with a three-line
  ``Notes:`` preamble) and ``pd.read_csv("messages.csv")``, pandas' defaults otherwise;
- ``rank`` and ``map --all`` at 30,000, against ``python -c "import pandas, networkx"`` (only these
  with ``--map``);
- ``backchannel --help`` against ``python -c "import click"``;
- the slow paths once found: ``due`` over 10,000 interview rows, a calendar of about 20,000
  events, and matching a 100,000-character name against 30,000 people.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

RUN_CLI = str(HERE.parent / "run_cli.py")


def once(cmd: list[str], env: dict | None = None) -> tuple[float, float | None]:
    """Wall time of one fresh process, and its peak MiB when it reports one."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    peak = None
    for line in proc.stderr.splitlines():
        if line.startswith('{"peak_mib"'):
            peak = json.loads(line)["peak_mib"]
    return elapsed, peak


def interleaved(pairs: dict[str, list[str] | object], runs: int) -> dict[str, dict]:
    """Run each command in turn, ``runs`` times round; medians (and the worst run) per name."""
    times: dict[str, list[float]] = {name: [] for name in pairs}
    peaks: dict[str, list[float]] = {name: [] for name in pairs}
    for _ in range(runs):
        for name, cmd in pairs.items():
            command = cmd() if callable(cmd) else cmd
            t, p = once(command)
            times[name].append(t)
            if p is not None:
                peaks[name].append(p)
    return {name: {"median": statistics.median(v), "worst": max(v), "peak": max(peaks[name]) if peaks[name] else None}
            for name, v in times.items()}


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def pandas_parse(folder: Path) -> list[str]:
    """The bare read a data person would type: pandas' defaults, and only the ``skiprows``
    without which Connections.csv does not parse (its ``Notes:`` preamble is one column wide)."""
    return py("import pandas as pd; "
              f"pd.read_csv({str(folder / 'Connections.csv')!r}, skiprows=3); "
              f"pd.read_csv({str(folder / 'messages.csv')!r}); " + REPORT_PEAK)


# the peak of a `python -c` baseline, reported as run_cli.py reports the command's (after the timed work)
REPORT_PEAK = ("import json, sys; print(json.dumps({'peak_mib': [int(l.split()[1]) / 1024 for l in "
               "open('/proc/self/status') if l.startswith('VmHWM:')][0]}), file=sys.stderr)")


def bench_import(work: Path, n: int, messages: int, runs: int) -> dict:
    from backchannel.sample import generate_export

    folder = generate_export(work / f"export-{n}-{messages}", n, messages, seed=n, as_zip=False)
    counter = iter(range(10**6))

    def import_cmd() -> list[str]:
        return [sys.executable, RUN_CLI, "--db", str(work / f"ws-{n}-{messages}-{next(counter)}.sqlite"), "import",
                "linkedin", str(folder)]

    result = interleaved({"pandas": pandas_parse(folder), "import": import_cmd}, runs)
    result["folder"] = folder
    return result


def interviews_file(path: Path, interviews: int) -> Path:
    rng = random.Random(1)
    companies = ["Acme Corp.", "Globex", "Initech", "Umbrella Health", "Hooli", "Stark Industries", "Soylent"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["interview", "company", "date", "role", "name", "interests"])
        for i in range(interviews):
            company = rng.choice(companies)
            when = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T14:00:00-05:00"
            for role in ("interviewer", "hiring-manager", "recruiter", "referrer"):
                writer.writerow([f"iv-{i}", company, when, role, f"Person {i} {role}",
                                 "chess; jazz" if role == "interviewer" else ""])
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="skip the 1,000,000-message import")
    parser.add_argument("--map", action="store_true", help="only `rank` and `map --all` at 30,000 (a minute or two)")
    parser.add_argument("--import-only", action="store_true", help="only the `import linkedin` rows")
    args = parser.parse_args()
    runs = args.runs
    import backchannel

    # time the package as an installed copy runs it: compiled to bytecode, as pip does
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(backchannel.__file__).parent)], check=True,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    env_tz = {**os.environ, "BACKCHANNEL_TZ": "UTC"}
    os.environ.update(env_tz)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; medians of {runs} interleaved runs (worst in brackets)\n")
    with tempfile.TemporaryDirectory(prefix="backchannel-bench-") as tmp:
        work = Path(tmp)
        sizes = [(30_000, 200_000)] + ([] if args.quick else [(30_000, 1_000_000)])
        folder = None
        if args.map:  # the export the import would have timed, without timing it
            from backchannel.sample import generate_export

            folder = generate_export(work / "export-30000-200000", 30_000, 200_000, seed=30_000, as_zip=False)
            sizes = []
        else:
            print("| connections / messages | bare pd.read_csv (s) | import linkedin (s) | ratio | import peak (MiB) "
                  "| pd.read_csv peak (MiB) |")
            print("|---|---|---|---|---|---|")
        for n, m in sizes:
            r = bench_import(work, n, m, runs)
            folder = folder or r["folder"]
            print(f"| {n:,} / {m:,} | {r['pandas']['median']:.2f} ({r['pandas']['worst']:.2f}) | "
                  f"{r['import']['median']:.2f} ({r['import']['worst']:.2f}) | "
                  f"{r['import']['median'] / r['pandas']['median']:.2f}x | {r['import']['peak']:.0f} | "
                  f"{r['pandas']['peak']:.0f} |")
        if args.import_only:
            return

        from backchannel.sample import generate_export, write_sample_interviews

        db = work / "ws.sqlite"
        subprocess.run([sys.executable, RUN_CLI, "--db", str(db), "import", "linkedin", str(folder)], check=True,
                       capture_output=True)
        subprocess.run([sys.executable, RUN_CLI, "--db", str(db), "import", "interviews",
                        str(write_sample_interviews(work / "interviews.csv"))], check=True, capture_output=True)
        out = work / "network.html"
        r = interleaved({
            "bare": py("import pandas, networkx"),
            "rank": [sys.executable, RUN_CLI, "--db", str(db), "rank", "acme-corp-2026-11-24", "--format", "json"],
            "map": [sys.executable, RUN_CLI, "--db", str(db), "map", "--all", "-o", str(out)],
        }, runs)
        bare = r["bare"]["median"]
        print(f"\n`python -c \"import pandas, networkx\"`: {bare:.2f} s")
        print(f"`rank` at 30,000: {r['rank']['median']:.2f} s ({r['rank']['median'] / bare:.2f}x), "
              f"peak {r['rank']['peak']:.0f} MiB")
        print(f"`map --all` at 30,000: {r['map']['median']:.2f} s ({r['map']['median'] / bare:.2f}x; worst "
              f"{r['map']['worst']:.2f} s), peak {r['map']['peak']:.0f} MiB, {out.stat().st_size / 2**20:.1f} MiB")
        if args.map:
            return
        r = interleaved({"click": py("import click"), "help": [sys.executable, "-m", "backchannel", "--help"]},
                        max(runs, 9))
        print(f"`backchannel --help`: {r['help']['median']:.3f} s against `import click` "
              f"{r['click']['median']:.3f} s ({r['help']['median'] / r['click']['median']:.2f}x)")

        # the slow paths once found, at the size they were found: 10,000 interview rows against the sample
        sample = generate_export(work / "sample.zip", 400, 4000)
        many = work / "many.sqlite"
        subprocess.run([sys.executable, RUN_CLI, "--db", str(many), "import", "linkedin", str(sample)], check=True,
                       capture_output=True)
        t_import, _ = once([sys.executable, RUN_CLI, "--db", str(many), "import", "interviews",
                            str(interviews_file(work / "many.csv", 2500))])
        r = interleaved({
            "due": [sys.executable, RUN_CLI, "--db", str(many), "due", "--at", "2026-12-31"],
            "ics": [sys.executable, RUN_CLI, "--db", str(many), "plan", "--ics", str(work / "all.ics"), "--at",
                    "2026-06-15", "--format", "json"],
        }, max(1, runs // 2))
        events = (work / "all.ics").read_text(encoding="utf-8").count("BEGIN:VEVENT")
        print(f"\n10,000 interview rows (2,500 interviews): import {t_import:.1f} s (each interview ranked as of its "
              f"date); `due` as a table {r['due']['median']:.2f} s; `plan --ics` of {events:,} events {r['ics']['median']:.2f} s")
        code = ("import time, datetime; from backchannel.api import Backchannel; "
                f"app = Backchannel({str(db)!r}, create=False); iv = app.workspace.interviews()[0]; "
                "t = time.perf_counter(); app._compute_ranking(iv); print(time.perf_counter() - t)")
        took = statistics.median(float(subprocess.run(py(code), capture_output=True, text=True, check=True).stdout)
                                 for _ in range(3))
        print(f"ranking one interview as of its date at 30,000 connections (5,600 at the company): {took:.2f} s")
        code = ("import time; from backchannel.identity import PeopleIndex, PersonRecord; "
                "index = PeopleIndex([PersonRecord(i, f'Person {i} Someone{i % 977}') for i in range(30000)]); "
                "t = time.perf_counter(); index.match(name='x' * 100000, company='Acme'); "
                "print(time.perf_counter() - t)")
        took = float(subprocess.run(py(code), capture_output=True, text=True, check=True).stdout)
        print(f"matching a 100,000-character name against 30,000 people: {took:.3f} s")


if __name__ == "__main__":
    main()
