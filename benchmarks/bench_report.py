"""The report's size at 3,000 and 30,000 connections: bytes, height, where the map starts, PDF pages.

    python benchmarks/bench_report.py [--top N]

Generates an export of each size (seeded by its size, as bench.py does; 200,000 messages at
30,000 connections, 20,000 at 3,000), imports it with the sample interview, writes
``backchannel report acme-corp-2026-11-24`` with the clock pinned to the evening two days
after the interview, then opens the page in Debian's Chromium (``/usr/bin/chromium``, through
Playwright): its height at 1280 px, where the map's frame starts, the page's width at 390 px
(a phone), and the PDF it prints on A4 (pages, seconds). Not a test: the README quotes it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

INTERVIEW = "acme-corp-2026-11-24"
SIZES = ((3_000, 20_000), (30_000, 200_000))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=None, help="pass --top N to the report command")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from backchannel.sample import generate_export, write_sample_interviews

    env = {**os.environ, "BACKCHANNEL_TZ": "America/New_York", "BACKCHANNEL_NOW": "2026-11-27T00:30:00+00:00",
           "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "backchannel"]
    print("| connections | ranked | page (bytes) | height at 1280 px (px) | map at y (px) | width at 390 px (px) "
          "| PDF pages (A4) | print (s) |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="backchannel-report-") as tmp, sync_playwright() as p:
        work = Path(tmp)
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for n, messages in SIZES:
            folder = generate_export(work / f"export-{n}", n, messages, seed=n, as_zip=False)
            db = str(work / f"ws-{n}.sqlite")
            subprocess.run([*cli, "--db", db, "import", "linkedin", str(folder)], env=env, check=True,
                           capture_output=True)
            subprocess.run([*cli, "--db", db, "import", "interviews", str(write_sample_interviews(work / "iv.csv"))],
                           env=env, check=True, capture_output=True)
            ranked = subprocess.run([*cli, "--db", db, "rank", INTERVIEW, "--top", "100000", "--format", "csv"],
                                    env=env, check=True, capture_output=True, text=True).stdout.count("\n") - 1
            out = work / f"report-{n}.html"
            top = ["--top", str(args.top)] if args.top is not None else []
            subprocess.run([*cli, "--db", db, "report", INTERVIEW, "-o", str(out), *top], env=env, check=True,
                           capture_output=True)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(out.as_uri())
            height = page.evaluate("document.documentElement.scrollHeight")
            map_y = page.evaluate("(() => { const f = document.getElementById('map-frame');"
                                  " return f ? Math.round(f.getBoundingClientRect().top + scrollY) : 0 })()")
            page.emulate_media(media="print")
            started = time.perf_counter()
            pdf = page.pdf(format="A4", print_background=True)
            printing = time.perf_counter() - started
            page.close()
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            phone.goto(out.as_uri())
            width = phone.evaluate("document.documentElement.scrollWidth")
            phone.close()
            pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
            print(f"| {n:,} | {ranked:,} | {out.stat().st_size:,} | {height:,} | {map_y:,} | {width} | {pages:,} "
                  f"| {printing:.1f} |")
        browser.close()


if __name__ == "__main__":
    main()
