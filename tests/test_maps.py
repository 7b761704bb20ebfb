"""Maps: self-contained, offline, inert strings; drawn in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from conftest import INTERVIEW_ID, NOW, PREAMBLE, write

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.maps import script_safe_json
from backchannel.sample import generate_export

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=2</script>",
    '"><svg onload=window.__pwned=3>',
    "{{7*7}} ${window.__pwned=4}",
]


@pytest.fixture
def hostile_app(tmp_path):
    rows = "".join(
        f'"{h.replace(chr(34), chr(34) * 2)}",Evil{i},https://www.linkedin.com/in/evil-{i},evil{i}@example.com,'
        f'"Acme Corp.","{h.replace(chr(34), chr(34) * 2)}",05 Jun 2026\n'
        for i, h in enumerate(HOSTILE))
    rows += 'Jane,Roe,https://www.linkedin.com/in/jane-roe,,Acme,Engineering Manager,05 Jun 2020\n'
    export = write(tmp_path / "Connections.csv", PREAMBLE +
                   "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows)
    interviews = write(tmp_path / "iv.csv",
                       "company,date,role,name,mutuals\n"
                       f"Acme,2026-11-24T14:00:00-05:00,interviewer,Jane Roe,\"{HOSTILE[0].replace(chr(34), chr(34) * 2)} Evil0\"\n"
                       "Acme,2026-11-24T14:00:00-05:00,hiring-manager,\"<b>Boss</b>\",\n")
    app = Backchannel(tmp_path / "ws.sqlite", config=Config())
    app.import_linkedin(export, now=NOW)
    app.import_interviews(interviews, now=NOW)
    yield app
    app.close()


def test_script_safe_json_cannot_close_a_script():
    text = script_safe_json({"a": "</script><b>&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def _external_references(page: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, flags=re.I)


def test_focused_map_is_one_offline_file(app, tmp_path):
    m = app.map(INTERVIEW_ID, now=NOW)
    page = m.html()
    assert page.startswith("<!DOCTYPE html>") and "vis-network" in page
    assert _external_references(page) == []
    assert "default-src 'none'" in page
    out = tmp_path / "out"
    out.mkdir()
    path = m.write(out / "map.html")
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in out.iterdir()] == ["map.html"]  # no lib/ folder, nothing else


def test_focused_map_content(app):
    m = app.map(INTERVIEW_ID, now=NOW)
    colours = {n["label"]: n["color"] for n in m.nodes}
    assert colours["Alex Morgan"] == "#2b6cb0"
    assert colours["Chris Lee"] == "#d69e2e"
    assert colours["Jane Roe"] == colours["Sam Patel"] == colours["Priya Nair"] == "#c53030"
    assert colours["Omar Haddad"] == "#2f855a"
    # the best path to Jane runs through Omar, the best-ranked mutual: highlighted
    ids = {n["label"]: n["id"] for n in m.nodes}
    highlighted = {(e["from"], e["to"]) for e in m.edges if e.get("color", {}).get("color") == "#dd6b20"}
    assert (ids["Omar Haddad"], ids["Jane Roe"]) in highlighted or (ids["Jane Roe"], ids["Omar Haddad"]) in highlighted
    omar = m.details[ids["Omar Haddad"]]
    assert "knows Jane Roe (mutual connection)" in omar["reasons"] and omar["action"]
    widths = [e["width"] for e in m.edges if e["title"].startswith("tie strength")]
    assert len(set(widths)) > 3  # edge width follows tie strength
    # deterministic layout
    assert [(n["x"], n["y"]) for n in app.map(INTERVIEW_ID, now=NOW).nodes] == [(n["x"], n["y"]) for n in m.nodes]


def test_emails_are_left_out_unless_asked(hostile_app):
    assert "evil0@example.com" not in hostile_app.map(company="Acme", now=NOW).html()
    assert "evil0@example.com" in hostile_app.map(company="Acme", include_emails=True, now=NOW).html()
    assert "evil0@example.com" not in hostile_app.map(all=True, now=NOW).html()


def test_hostile_strings_never_become_markup(hostile_app):
    for m in (hostile_app.map(INTERVIEW_ID.replace("acme-corp", "acme"), now=NOW), hostile_app.map(all=True, now=NOW)):
        page = m.html()
        body = page.split("<script>", 1)[0] + page.rsplit("</script>", 1)[1]
        for h in HOSTILE:
            if "<" in h:  # markup never appears raw; the template-like string is plain JSON text
                assert h not in page
        assert "<img" not in page and "<svg" not in page.lower() and "<b>Boss" not in page
        assert "onerror" not in body


def test_repr_html_for_jupyter_embeds_without_files(app, tmp_path, monkeypatch):
    elsewhere = tmp_path / "notebook-dir"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    m = app.map(INTERVIEW_ID, now=NOW)
    snippet = m._repr_html_()
    assert snippet.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in snippet
    assert "<script" not in snippet.split('srcdoc="', 1)[1].split('"', 1)[0]  # fully escaped inside the attribute
    assert list(elsewhere.iterdir()) == []


def test_pyvis_network_view(app):
    net = app.map(INTERVIEW_ID, now=NOW).to_pyvis()
    assert len(net.nodes) == len(app.map(INTERVIEW_ID, now=NOW).nodes)


# ---------------------------------------------------------------- in a real browser


def _browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required for the browser tests (.ci/run installs it)")
    return playwright


def _open(page_path: Path, timeout_s: float = 60.0):
    """Load a map with every network request blocked; return what the page did."""
    sync_api = _browser()
    requests = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda d: (errors.append("dialog:" + d.message), d.dismiss()))

        def block(route):
            if not route.request.url.startswith("file://"):
                requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", block)
        page.goto(page_path.resolve().as_uri())
        deadline = time.time() + timeout_s
        while time.time() < deadline and page.evaluate("document.body.getAttribute('data-drawn')") != "yes":
            page.wait_for_timeout(200)
        result = {
            "drawn": page.evaluate("document.body.getAttribute('data-drawn')"),
            "pwned": page.evaluate("window.__pwned === undefined ? null : window.__pwned"),
            "inked": page.evaluate("""() => {
                const c = document.querySelector('#bc-network canvas');
                if (!c) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 3; i < d.length; i += 4 * 13) { if (d[i] > 0) n++; }
                return n;
            }"""),
            "injected": page.evaluate("document.querySelectorAll('img, svg, b, iframe').length"),
            "title": page.evaluate("document.getElementById('bc-title').textContent"),
            "requests": requests,
            "errors": errors,
        }
        if "focus" in page_path.name:
            # clicking a person fills the side panel with text, not markup
            node = page.evaluate("Object.keys(window.backchannelNetwork.body.nodes)[1]")
            page.evaluate(f"window.backchannelNetwork.selectNodes([{node!r}])")
            page.evaluate(f"window.backchannelNetwork.body.emitter.emit('selectNode', {{nodes: [{node!r}]}})")
            result["detail"] = page.evaluate("document.getElementById('bc-detail').innerHTML")
        browser.close()
    return result


@pytest.mark.browser
def test_focused_map_draws_offline_in_chromium(app, tmp_path):
    path = app.map(INTERVIEW_ID, now=NOW).write(tmp_path / "focus.html")
    r = _open(path)
    assert r["drawn"] == "yes" and r["inked"] > 500
    assert r["requests"] == [] and r["errors"] == []
    assert r["title"] == "Back channel: Acme Corp."
    assert "<li>" in r["detail"] or "<strong>" in r["detail"]


@pytest.mark.browser
def test_hostile_names_stay_inert_in_chromium(hostile_app, tmp_path):
    for name, m in (("focus.html", hostile_app.map("acme-2026-11-24", now=NOW)),
                    ("full.html", hostile_app.map(all=True, now=NOW))):
        r = _open(m.write(tmp_path / name))
        assert r["drawn"] == "yes"
        assert r["pwned"] is None and r["injected"] == 0, r
        assert r["requests"] == [] and r["errors"] == []
        if "detail" in r:
            assert "<img" not in r["detail"] and "&lt;" in r["detail"] or "<strong>" in r["detail"]


@pytest.mark.browser
@pytest.mark.slow
def test_full_map_at_linkedins_cap_draws_in_chromium(tmp_path):
    export = generate_export(tmp_path / "big.zip", 30000, 20000, seed=11)
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_linkedin(export, now=NOW)
        m = app.map(all=True, now=NOW)
        assert sum(1 for n in m.nodes if n["id"].startswith("person:")) == 30000
        path = m.write(tmp_path / "full.html")
    r = _open(path, timeout_s=120)
    assert r["drawn"] == "yes" and r["inked"] > 1000
    assert r["requests"] == [] and r["errors"] == []


def test_full_map_colours_the_people_around_an_interview(app):
    m = app.map(all=True, now=NOW)
    colours = {n["label"]: n["color"] for n in m.nodes if n.get("label")}
    assert colours["Jane Roe"] == "#c53030" and colours["Chris Lee"] == "#d69e2e"
    assert colours["Omar Haddad"] == "#2f855a"  # a recorded mutual of Jane
    people = [n for n in m.nodes if n["id"].startswith("person:")]
    assert len(people) == 400 and all("x" in n and "y" in n for n in people)


def test_the_legend_names_best_paths_only_on_a_map_that_draws_them(app):
    assert "best path to an interviewer" in app.map(INTERVIEW_ID, now=NOW).html()
    assert "best path to an interviewer" not in app.map(all=True, now=NOW).html()
