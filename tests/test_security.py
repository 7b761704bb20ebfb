"""Hostile input and privacy: decompression bombs, giant lines, archive paths, no network."""

from __future__ import annotations

import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import HEADER_2024, PREAMBLE

from backchannel.errors import InputError
from backchannel.output import inert_text, neutralise_cell, unneutralise_cell
from backchannel.readers.export import read_export

# The child reports its own peak (VmHWM): ru_maxrss is carried across exec on Linux, so a
# child of a large pytest process would report the parent's size.
IMPORT = """
import os, sys
def peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            print('PEAK_KB', line.split()[1], file=sys.stderr)
from backchannel.cli import main
sys.argv = ['backchannel', '--db', sys.argv[1], 'import', 'linkedin', sys.argv[2]]
try:
    main()
finally:
    peak()
"""


def _run_import(db: Path, target: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Import in a child process; return the result (stderr without the peak line) and the peak in MiB."""
    result = subprocess.run([sys.executable, "-c", IMPORT, str(db), str(target)], capture_output=True, text=True,
                            timeout=300)
    peak = [int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK_KB")]
    result.stderr = "\n".join(line for line in result.stderr.splitlines() if not line.startswith("PEAK_KB"))
    return result, peak[0] // 1024


@pytest.fixture(scope="session")
def zip_bombs(tmp_path_factory):
    """Two small archives: one declares 3 GiB, one declares 1.5 GiB of a single endless line."""
    folder = tmp_path_factory.mktemp("bombs")
    chunk = b"\0" * (16 << 20)
    declared = folder / "declared.zip"
    with zipfile.ZipFile(declared, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, \
            zf.open("Connections.csv", "w", force_zip64=True) as fh:
        for _ in range(192):
            fh.write(chunk)
    endless = folder / "endless.zip"
    line = b"First Name,Last Name," + b"A" * ((16 << 20) - 21)
    with zipfile.ZipFile(endless, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, \
            zf.open("Connections.csv", "w", force_zip64=True) as fh:
        for _ in range(96):
            fh.write(line)
            line = b"A" * (16 << 20)
    return declared, endless


@pytest.mark.slow
def test_zip_bombs_are_refused_with_bounded_memory(tmp_path, zip_bombs):
    declared, endless = zip_bombs
    assert declared.stat().st_size < 5 << 20 and endless.stat().st_size < 5 << 20
    for bomb, message in ((declared, "refusing a possible ZIP bomb"), (endless, "a line is longer than 16 MiB")):
        result, peak_mib = _run_import(tmp_path / "ws.sqlite", bomb)
        assert result.returncode == 1
        assert result.stderr.strip().startswith("Error: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert peak_mib < 400, peak_mib


@pytest.mark.slow
def test_a_gigabyte_line_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "Connections.csv"
    with path.open("wb") as fh:
        fh.write(b"Notes:\n")
        block = b"x" * (1 << 20)
        for _ in range(1024):
            fh.write(block)
    result, peak_mib = _run_import(tmp_path / "ws.sqlite", path)
    assert result.returncode == 1 and "a line is longer than 16 MiB" in result.stderr
    assert "Traceback" not in result.stderr
    assert peak_mib < 400, peak_mib


def test_archive_member_paths_are_never_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    archive = tmp_path / "export.zip"
    body = PREAMBLE + HEADER_2024 + "Jane,Roe,https://www.linkedin.com/in/jane,,Acme,Engineer,05 Jun 2026\n"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Connections.csv", body)
        zf.writestr("../../escaped.csv", "x")
        zf.writestr("/tmp/absolute-escape.csv", "x")
        zf.writestr("Jobs/../../../messages.csv", "x")
    targets = [tmp_path.parent.parent / "escaped.csv", Path("/tmp/absolute-escape.csv"),
               tmp_path.parent.parent.parent / "messages.csv", tmp_path.parent / "messages.csv"]
    assert not any(t.exists() for t in targets)
    before = set(tmp_path.rglob("*"))
    export = read_export(archive)
    assert [c.name for c in export.connections] == ["Jane Roe"]
    assert set(tmp_path.rglob("*")) == before  # nothing unpacked next to the archive
    assert not any(t.exists() for t in targets)  # nor where a member's path points


def test_declared_sizes_are_checked_before_reading(tmp_path):
    from backchannel.readers.text import Limits

    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Connections.csv", PREAMBLE + HEADER_2024 + "Jane,Roe,,,Acme,Engineer,05 Jun 2026\n" * 200)
    with pytest.raises(InputError, match="refusing a possible ZIP bomb"):
        read_export(archive, limits=Limits(max_file_bytes=1000))


def test_spreadsheet_neutralising_is_reversible():
    for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain", "", "a=b"]:
        safe = neutralise_cell(value)
        assert not safe.startswith(("=", "+", "-", "@", "\t", "\r")) or safe == value == ""
        assert unneutralise_cell(safe) == value
    assert neutralise_cell(-1.5) == -1.5  # numbers are numbers, not formulas


def test_terminal_text_is_inert():
    assert inert_text("\x1b[2J\x1b]0;title\x07ok\u202eevil") == "\\x1b[2J\\x1b]0;title\\x07ok\\u202eevil"
    assert inert_text("José Pérez 🚀") == "José Pérez 🚀"


def test_nothing_leaves_the_machine(tmp_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from backchannel.demo import run_demo

    paths = run_demo(tmp_path / "demo", echo=lambda text: None)
    assert paths["map"].exists() and paths["ics"].exists()
    assert attempts == []


def test_package_source_has_no_network_client():
    import backchannel

    root = Path(backchannel.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    for needle in ("urllib.request", "http.client", "requests", "socket", "urlopen", "httpx", "aiohttp"):
        assert f"import {needle}" not in source and f"from {needle}" not in source, needle
