"""Speed and memory benchmark: python benchmarks/bench.py [--sizes 1000,10000,30000] [--runs 3]

Each figure is the median of several runs in fresh processes, with its baseline measured in
the same run on the same machine, and the ratio between them. Not a test: timings on a
shared machine are noisy, so nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def timed(cmd: list[str], runs: int, env=None) -> tuple[float, float]:
    """Median wall time (s) and max peak memory (MiB, when the child reports it) over runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
        for line in proc.stderr.splitlines():
            if line.startswith('{"peak_mib"'):
                record = json.loads(line)
                peaks.append((record["peak_mib"], record["reader_peak_mib"]))
    if not peaks:
        return statistics.median(times), float("nan")
    return statistics.median(times), max(peaks)


def py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def bench_size(n: int, messages: int, runs: int, work: Path) -> dict:
    from backchannel.sample import generate_export, write_sample_interviews

    folder = generate_export(work / f"export-{n}", n, messages, seed=n, as_zip=False)
    interviews = write_sample_interviews(work / "interviews.csv")
    row: dict = {"connections": n, "messages": messages}
    baseline = py("import sys, pandas as pd; "
                  f"pd.read_csv({str(folder / 'Connections.csv')!r}, skiprows=3, dtype=str, keep_default_na=False); "
                  f"pd.read_csv({str(folder / 'messages.csv')!r}, dtype=str, keep_default_na=False)")
    row["pandas_parse_s"], _ = timed(baseline, runs)

    def import_cmd():
        db = work / f"ws-{n}-{time.monotonic_ns()}.sqlite"
        return [sys.executable, str(HERE.parent / "run_cli.py"), "--db", str(db), "import", "linkedin", str(folder)]

    times, peaks = [], []
    for _ in range(runs):
        t, p = timed(import_cmd(), 1)
        times.append(t)
        peaks.append(p)
    row["import_s"] = statistics.median(times)
    row["import_peak_mib"], row["reader_peak_mib"] = max(peaks)
    row["import_ratio"] = row["import_s"] / row["pandas_parse_s"]

    db = work / f"ws-{n}.sqlite"
    subprocess.run([sys.executable, "-m", "backchannel", "--db", str(db), "import", "linkedin", str(folder)],
                   check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "backchannel", "--db", str(db), "import", "interviews", str(interviews)],
                   check=True, capture_output=True)
    row["bare_imports_s"], _ = timed(py("import pandas, networkx"), runs)
    row["rank_s"], _ = timed([sys.executable, "-m", "backchannel", "--db", str(db), "rank",
                              "acme-corp-2026-11-24", "--format", "json"], runs)
    row["rank_ratio"] = row["rank_s"] / row["bare_imports_s"]

    out = work / f"map-{n}.html"
    code = ("import time, json; from backchannel.api import Backchannel; from backchannel.config import Config; "
            f"app = Backchannel({str(db)!r}, config=Config()); t = time.perf_counter(); "
            f"m = app.map(all=True); m.write({str(out)!r}); print(json.dumps(time.perf_counter() - t))")
    map_times = [json.loads(subprocess.run(py(code), capture_output=True, text=True, check=True).stdout)
                 for _ in range(runs)]
    row["map_all_s"] = statistics.median(map_times)
    row["map_mib"] = out.stat().st_size / 2**20
    return row


def bench_pyvis(db: Path, sizes: list[int]) -> dict:
    """pyvis Network.from_nx on the same graph, cut to sizes it finishes in; extrapolated."""
    code = r"""
import json, sys, time
import networkx as nx
from pyvis.network import Network
from backchannel.api import Backchannel
from backchannel.config import Config
app = Backchannel(sys.argv[1], config=Config())
g = app.graph()
plain = nx.Graph()
for n, d in g.nodes(data=True):
    plain.add_node(n, label=str(d.get("label", "")), title=str(d.get("name", "")))
for a, b, d in g.edges(data=True):
    plain.add_edge(a, b, width=float(d.get("strength", 1.0)))
out = {}
people = [n for n, d in g.nodes(data=True) if d.get("kind") == "person"]
for k in map(int, sys.argv[2].split(",")):
    keep = set(people[:k]) | {n for n, d in g.nodes(data=True) if d.get("kind") != "person"}
    sub = plain.subgraph(keep).copy()
    t = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(sub)
    net.write_html("/dev/null") if False else None
    out[k] = time.perf_counter() - t
print(json.dumps(out))
"""
    proc = subprocess.run(py(code) + [str(db), ",".join(map(str, sizes))], capture_output=True, text=True,
                          check=True)
    return {int(k): v for k, v in json.loads(proc.stdout).items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,30000")
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pyvis-sizes", default="2000,4000,8000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # time the package as an installed copy runs it: compiled to bytecode, as pip does on install
    # (an editable checkout under PYTHONDONTWRITEBYTECODE=1 would recompile it on every start)
    import backchannel

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(backchannel.__file__).parent)],
                   check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    with tempfile.TemporaryDirectory(prefix="backchannel-bench-") as tmp:
        work = Path(tmp)
        rows = [bench_size(n, args.messages, args.runs, work) for n in sizes]
        help_s, _ = timed([sys.executable, "-m", "backchannel", "--help"], max(args.runs, 5))
        click_s, _ = timed(py("import click"), max(args.runs, 5))
        pyvis_sizes = [int(s) for s in args.pyvis_sizes.split(",")]
        pyvis = bench_pyvis(work / f"ws-{sizes[-1]}.sqlite", pyvis_sizes)
    # from_nx is quadratic (it scans its node list for duplicates): fit t = a*n^2 on the largest size
    largest = max(pyvis)
    pyvis_at_cap = pyvis[largest] * (sizes[-1] / largest) ** 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"median of {args.runs} runs; {args.messages:,} messages per export\n")
    print("| connections | pandas parse (s) | import (s) | ratio | peak MiB | reader peak MiB | pandas+networkx import (s) | rank (s) | ratio | map --all (s) | map MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['connections']:,} | {r['pandas_parse_s']:.2f} | {r['import_s']:.2f} | {r['import_ratio']:.2f}x | "
              f"{r['import_peak_mib']:.0f} | {r['reader_peak_mib']:.0f} | {r['bare_imports_s']:.2f} | {r['rank_s']:.2f} | {r['rank_ratio']:.2f}x | "
              f"{r['map_all_s']:.2f} | {r['map_mib']:.1f} |")
    print(f"\n`backchannel --help`: {help_s:.3f} s; `python -c 'import click'`: {click_s:.3f} s; "
          f"ratio {help_s / click_s:.2f}x")
    print("pyvis Network.from_nx: " + ", ".join(f"{k:,} people {v:.2f} s" for k, v in sorted(pyvis.items()))
          + f"; extrapolated (quadratic) to {sizes[-1]:,}: {pyvis_at_cap:.0f} s; "
          f"backchannel map --all: {rows[-1]['map_all_s']:.2f} s, {pyvis_at_cap / rows[-1]['map_all_s']:.0f}x faster")


if __name__ == "__main__":
    main()
