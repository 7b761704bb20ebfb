"""The export reader against a bare pandas parse: python benchmarks/bench_readers.py

For each size, exports are generated with ``backchannel.sample.generate_export`` (once, kept
in ``--work``), then two commands run in fresh processes, interleaved, ``--runs`` times each:

- ``read_export(folder)``: the whole reader (every file of the export, complete);
- the baseline: ``pandas.read_csv`` of Connections.csv (``skiprows=3``) and messages.csv
  (``dtype=str, keep_default_na=False``), nothing else.

Each figure is the median wall time of its process (interpreter start and imports included,
as a user waits for them) and the peak resident memory (VmHWM) the process reports at its
end. Not a test: timings on a shared machine are noisy, so nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [(30_000, 200_000), (30_000, 1_000_000)]

PEAK = """
for _line in open('/proc/self/status'):
    if _line.startswith('VmHWM:'):
        print('PEAK_KIB', _line.split()[1])
"""
READER = "from backchannel.readers.export import read_export\nread_export({folder!r})\n" + PEAK
BASELINE = ("import pandas as pd\n"
            "pd.read_csv({connections!r}, skiprows=3)\n"
            "pd.read_csv({messages!r}, dtype=str, keep_default_na=False)\n") + PEAK


def run(code: str) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of ``python -c code`` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed:\n{code}\n{proc.stderr[-3000:]}")
    peak = [int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("PEAK_KIB")]
    return elapsed, peak[-1] / 1024


def export_folder(work: Path, connections: int, messages: int) -> Path:
    folder = work / f"export-{connections}-{messages}"
    if not (folder / "messages.csv").exists():
        sys.path.insert(0, str(ROOT))
        from backchannel.sample import generate_export

        print(f"generating {connections} connections, {messages} messages ...", file=sys.stderr)
        generate_export(folder, connections, messages, seed=connections, as_zip=False)
    return folder


def bench(folder: Path, runs: int) -> dict:
    reader = READER.format(folder=str(folder))
    baseline = BASELINE.format(connections=str(folder / "Connections.csv"), messages=str(folder / "messages.csv"))
    times: dict[str, list[float]] = {"reader": [], "pandas": []}
    peaks: dict[str, list[float]] = {"reader": [], "pandas": []}
    run(reader)  # warm the page cache and the bytecode cache
    for _ in range(runs):
        for name, code in (("reader", reader), ("pandas", baseline)):
            t, p = run(code)
            times[name].append(t)
            peaks[name].append(p)
    row = {name: {"median_s": round(statistics.median(times[name]), 3),
                  "runs_s": [round(t, 3) for t in times[name]],
                  "peak_mib_median": round(statistics.median(peaks[name]), 1),
                  "peak_mib_max": round(max(peaks[name]), 1)} for name in times}
    row["ratio"] = round(row["reader"]["median_s"] / row["pandas"]["median_s"], 2)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/backchannel-bench"),
                        help="where the generated exports are kept between runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(f"{c}:{m}" for c, m in SIZES),
                        help="connections:messages pairs, comma-separated")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for pair in args.sizes.split(","):
        connections, messages = (int(x) for x in pair.split(":"))
        folder = export_folder(args.work, connections, messages)
        row = {"connections": connections, "messages": messages,
               "messages_csv_mib": round((folder / "messages.csv").stat().st_size / 2**20, 1), **bench(folder, args.runs)}
        results.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(f"{'export':>22} | {'read_export':>11} | {'pandas':>7} | {'ratio':>5} | {'peak MiB':>8} | {'pandas MiB':>10}")
    for r in results:
        print(f"{r['connections']:>7} / {r['messages']:>10,} | {r['reader']['median_s']:>10.2f}s | "
              f"{r['pandas']['median_s']:>6.2f}s | {r['ratio']:>5.2f} | {r['reader']['peak_mib_max']:>8.0f} | "
              f"{r['pandas']['peak_mib_max']:>10.0f}")


if __name__ == "__main__":
    main()
