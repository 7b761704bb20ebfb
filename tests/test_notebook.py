"""The walkthrough notebook runs top to bottom and leaves no files behind."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


@pytest.mark.slow
def test_walkthrough_runs_top_to_bottom(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    work = tmp_path / "run"
    work.mkdir()
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    nb = nbformat.read(work / NOTEBOOK.name, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook with outputs cleared"
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if o.output_type in ("execute_result", "display_data")
            and "text/html" in o.get("data", {})]
    assert sum(1 for h in html if "<iframe" in h and "srcdoc=" in h) >= 2, "the map and the report display inline"
    assert any("Chris Lee" in h for h in html), "the ranking shows as a table"
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 1, "the plot renders, once"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "I'll check in with the team on Thursday, November 26." in text
    assert "Я свяжусь с командой в четверг, 26 ноября." in text
    assert re.search(r"left: Jane Roe - you logged jane-roe/email done by hand \(Wed 25 Nov [^)]+\): left as you logged it",
                     text), text  # the mail overrides nothing
    assert "chris-lee/thanks done 2026-11-24 20:00:00-05:00" in text
    assert sorted(p.name for p in work.iterdir()) == [NOTEBOOK.name]
