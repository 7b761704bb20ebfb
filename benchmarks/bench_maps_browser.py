"""Whole-network maps in a real browser: python benchmarks/bench_maps_browser.py [--runs 7]

Writes the 3,000- and 30,000-person whole-network maps (``map --all``) from the synthetic
network of ``tests/test_maps.py``, then opens each in headless Chromium (Debian's
``/usr/bin/chromium`` driven by Playwright, every request that is not a local file aborted)
and measures, interleaving the sizes run by run and reporting medians:

- Python: ``full_map`` + ``write`` in a fresh process (what ``map --all`` adds to reading the network);
- first draw: milliseconds from navigation start until the opening view has been drawn
  (the page's ``data-drawn-ms``);
- redraw after a pan: ``network.moveTo`` to a new position, then the cost of a synchronous
  ``network.redraw()`` including rasterising it (a one-pixel read forces Chromium's deferred
  canvas to draw), median of 15 pans, at the opening view and with everything in view (the
  Fit button);
- redraw with the largest company opened (the heaviest view a click can make).

Goals (issue 15): the 30,000 map draws within 2x the 3,000 map's time and redraws within
3x its redraw time; writing it stays under 2 s. Not a test: timings on a shared machine are
noisy, so nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:  # run from a checkout without installing
        sys.path.insert(0, str(path))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}

WRITE_ONE = """
import sys, time
sys.path[:0] = [{root!r}, {tests!r}]
from test_maps import synthetic_network
from backchannel.graph import NetworkView
g, rankings = synthetic_network({n})
network = NetworkView.from_graph(g)
start = time.perf_counter()
from backchannel.maps import full_map
full_map(network, rankings=rankings, title="Alex Morgan's network", subtitle="{n:,} people").write({out!r})
print(time.perf_counter() - start)
"""

REDRAW = """([mode, pans]) => {
  const net = window.backchannelNetwork;
  if (mode === "fit") { net.fit({animation: false}); }
  const start = net.getViewPosition(), scale = net.getScale(), times = [];
  const ctx = net.canvas.frame.canvas.getContext("2d");
  for (let i = 0; i < pans; i++) {
    net.moveTo({position: {x: start.x + ((i % 5) - 2) * 90 / scale, y: start.y + ((i % 3) - 1) * 60 / scale},
                animation: false});
    const t0 = performance.now();
    net.redraw();
    ctx.getImageData(0, 0, 1, 1);  // canvas drawing is deferred: reading a pixel makes it rasterise now
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""

OPEN_LARGEST = """() => {
  const net = window.backchannelNetwork;
  const companies = net.body.data.nodes.get({filter: n => n.expandable});
  companies.sort((a, b) => b.count - a.count);
  const id = companies[0].id;
  const pos = net.canvasToDOM(net.getPositions([id])[id]);
  return {id: id, count: companies[0].count, x: pos.x, y: pos.y};
}"""


def write_map(n: int, out: Path) -> float:
    """Seconds for full_map + write in a fresh process (making the graph and its view not counted)."""
    code = WRITE_ONE.format(root=str(ROOT), tests=str(ROOT / "tests"), n=n, out=str(out))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return float(proc.stdout.strip().splitlines()[-1])


def measure_page(browser: Any, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport=VIEWPORT)
    blocked: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.resolve().as_uri())
    deadline = time.monotonic() + 60
    while page.evaluate("document.body.getAttribute('data-drawn')") != "yes":
        if time.monotonic() > deadline:
            raise SystemExit(f"{path.name} not drawn within 60 s: {errors}")
        page.wait_for_timeout(20)
    result = {"first_draw_ms": float(page.evaluate("document.body.getAttribute('data-drawn-ms')")),
              "nodes_drawn": float(page.evaluate("window.backchannelNetwork.body.data.nodes.length"))}
    result["redraw_ms"] = page.evaluate(REDRAW, ["opening", 15])
    result["redraw_fit_ms"] = page.evaluate(REDRAW, ["fit", 15])
    # open the largest company with a real click, at the opening zoom
    page.click("#bc-reset")
    page.wait_for_timeout(450)
    largest = page.evaluate(OPEN_LARGEST)
    page.evaluate("""(id) => { const n = window.backchannelNetwork;
                      n.moveTo({position: n.getPositions([id])[id], animation: false}); }""", largest["id"])
    largest = page.evaluate(OPEN_LARGEST)
    box = page.evaluate("(() => { const r = window.backchannelNetwork.body.container.getBoundingClientRect();"
                        " return [r.left, r.top]; })()")
    t0 = time.perf_counter()
    page.mouse.click(box[0] + largest["x"], box[1] + largest["y"])
    result["open_largest_ms"] = (time.perf_counter() - t0) * 1000
    page.wait_for_timeout(500)
    result["largest_company"] = float(largest["count"])
    result["redraw_opened_ms"] = page.evaluate(REDRAW, ["opened", 15])
    context.close()
    if errors or blocked:
        raise SystemExit(f"{path.name}: page errors {errors}, requests {blocked}")
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,30000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", dest="json_path", help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    samples: dict[int, dict[str, list[float]]] = {n: {} for n in sizes}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            for n in sizes:  # interleaved: each run measures every size, in turn
                out = work / f"network-{n}.html"
                figures = {"write_s": write_map(n, out), "html_mib": out.stat().st_size / 2**20}
                figures.update(measure_page(browser, out))
                for key, value in figures.items():
                    samples[n].setdefault(key, []).append(value)
                print(f"run {run + 1}/{args.runs} {n:>6,}: "
                      + ", ".join(f"{k} {v:.3g}" for k, v in figures.items()), file=sys.stderr)
        browser.close()
    medians = {n: {k: statistics.median(v) for k, v in samples[n].items()} for n in sizes}
    report: dict[str, Any] = {"machine": platform.platform(), "python": platform.python_version(),
                              "runs": args.runs, "medians": {str(n): m for n, m in medians.items()}}
    keys = ["write_s", "html_mib", "nodes_drawn", "first_draw_ms", "redraw_ms", "redraw_fit_ms",
            "largest_company", "open_largest_ms", "redraw_opened_ms"]
    print(f"\nmedians of {args.runs} interleaved runs, headless Chromium {VIEWPORT['width']}x{VIEWPORT['height']}")
    print("| figure | " + " | ".join(f"{n:,}" for n in sizes) + (" | ratio |" if len(sizes) == 2 else " |"))
    print("|---|" + "---|" * (len(sizes) + (1 if len(sizes) == 2 else 0)))
    for key in keys:
        values = [medians[n][key] for n in sizes]
        ratio = f" {values[1] / values[0]:.2f}x |" if len(sizes) == 2 and values[0] else (" |" if len(sizes) == 2 else "")
        print(f"| {key} | " + " | ".join(f"{v:.3g}" for v in values) + " |" + ratio)
    if len(sizes) == 2:
        small, big = medians[sizes[0]], medians[sizes[1]]
        goals = {
            "first draw within 2x": big["first_draw_ms"] <= 2 * small["first_draw_ms"],
            "redraw within 3x": big["redraw_ms"] <= 3 * small["redraw_ms"],
            "redraw (everything in view) within 3x": big["redraw_fit_ms"] <= 3 * small["redraw_fit_ms"],
            f"write {sizes[1]:,} under 2 s": big["write_s"] < 2.0,
        }
        report["goals"] = goals
        for goal, met in goals.items():
            print(f"{'met ' if met else 'MISSED'}  {goal}")
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
