"""The guarded text and Arrow table readers: line numbers, limits, stray quotes, damaged archives."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import HEADER_2024, PREAMBLE, write
from hypothesis import given, settings
from hypothesis import strategies as st

from backchannel.errors import InputError
from backchannel.readers.export import read_export
from backchannel.readers.table import WRONG_WIDTH, CsvTable, read_csv
from backchannel.readers.text import Limits, read_all_rows

MESSAGES_HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
                   "SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT,IS CONVERSATION DRAFT\n")


def connection_rows(n: int) -> list[str]:
    return [f"Person,Number{i},https://www.linkedin.com/in/p-{i},,Acme,Engineer,05 Jun 2026\n" for i in range(n)]


def rows_of(data: bytes, wanted: list[str], row_bytes: int = 1 << 20, **kwargs) -> tuple[list, dict]:
    """Every (line, values) an Arrow table gives, and what it skipped."""

    def read(table: CsvTable) -> tuple[list, dict]:
        got = []
        for block in table.blocks(wanted):
            got.extend(zip(block.numbers.tolist(), zip(*(block.strings(k) for k in wanted), strict=True), strict=True))
        return got, dict(table.skipped.counts)

    return read_csv(lambda: io.BytesIO(data), "x.csv", lambda cells: cells[:1] == ["h1"], read, what="x",
                    row_bytes=row_bytes, **kwargs)


# --------------------------------------------------------------------------- line numbers

cell = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\xe9')), max_size=8)


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.one_of(st.lists(cell, min_size=3, max_size=3), st.lists(cell, max_size=5)), max_size=40),
       terminator=st.sampled_from(["\n", "\r\n"]), block=st.sampled_from([64, 256, 1 << 20]))
def test_rows_and_lines_are_what_pythons_csv_reads(rows, terminator, block):
    out = io.StringIO()
    csv.writer(out, lineterminator=terminator).writerows([["h1", "h2", "h3"], *rows])
    data = out.getvalue().encode()
    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    next(reader)
    expected, wrong, start = [], 0, 2
    for cells in reader:
        if len(cells) == 3 and any(cells):
            expected.append((start, tuple(cells)))
        elif cells and len(cells) != 3:
            wrong += 1
        start = reader.line_num + 1
    try:
        got, skipped = rows_of(data, ["h1", "h2", "h3"], row_bytes=block)
    except InputError as exc:
        # a row that is too long for the block, or a short row spanning lines (a stray quote)
        assert "line" in str(exc) and "\n" not in str(exc)
        return
    assert got == expected
    assert skipped.get(WRONG_WIDTH, 0) == wrong


def test_a_crlf_inside_a_quoted_field_survives_a_block_boundary():
    # Arrow 26 drops the LF when the CR ends a block; the stream never ends a block on a CR
    for pad in range(9):
        data = b"h1,h2\n" + b"x" * pad + b',"1\r\n2"\n' + b"y,z\n" * 3
        got, _ = rows_of(data, ["h1", "h2"], row_bytes=16)
        assert got[0] == (2, ("x" * pad, "1\r\n2")) and got[1][0] == 4


def test_blank_lines_count_as_lines_and_are_left_out():
    got, skipped = rows_of(b"h1,h2\n\na,b\n,\n\r\nc,d", ["h1", "h2"])
    assert got == [(3, ("a", "b")), (6, ("c", "d"))] and skipped == {}


def test_rows_of_the_wrong_width_are_skipped_with_their_line():
    got, skipped = rows_of(b"h1,h2,h3\na,b,c\nd,e\nf,g,h,i\nj,k,l\n", ["h1"])
    assert [line for line, _ in got] == [2, 5]
    assert skipped == {WRONG_WIDTH: 2}


# --------------------------------------------------------------------------- limits


def test_a_field_or_row_over_the_limit_names_its_line():
    data = b"h1,h2\na,b\nc," + b"x" * 300 + b"\n"
    with pytest.raises(InputError, match=r"x.csv, line 3: a field is longer than 256 bytes"):
        rows_of(data, ["h1"], limits=Limits(max_field_bytes=256))
    with pytest.raises(InputError, match=r"x.csv, line 3: the row starting on this line is longer than 200 bytes"):
        rows_of(data, ["h1"], row_bytes=200)
    rows_of(data, ["h1"], row_bytes=400)  # under both: read


def test_a_connections_row_over_64_kib_is_refused_with_its_line(tmp_path):
    rows = connection_rows(10)
    rows[6] = f'Jane,Roe,,,Acme,"{"x" * (70 << 10)}",05 Jun 2026\n'
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 + "".join(rows))
    with pytest.raises(InputError, match=r"Connections.csv, line 11: the row starting on this line is longer than 64 KiB"):
        read_export(path)


def _bomb(path: Path, member: str, header: str, row: bytes, rows: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        if member != "Connections.csv":
            zf.writestr("Connections.csv", PREAMBLE + HEADER_2024 + "Jane,Roe,,,Acme,Engineer,05 Jun 2026\n")
        with zf.open(member, "w", force_zip64=True) as fh:
            fh.write(header.encode())
            for _ in range(rows):
                fh.write(row)
    return path


PEAK = """
import sys
from backchannel.errors import InputError
from backchannel.readers.export import read_export
try:
    read_export(sys.argv[1])
    print("read")
except InputError as exc:
    print("refused:", exc)
for line in open('/proc/self/status'):
    if line.startswith('VmHWM:'):
        print('PEAK_KIB', line.split()[1])
"""


@pytest.mark.slow
@pytest.mark.parametrize("member", ["messages.csv", "Connections.csv"])
def test_a_small_zip_of_15_mib_fields_is_refused_with_bounded_memory(tmp_path, member):
    field = b"x" * (15 << 20)
    if member == "messages.csv":
        header, row = MESSAGES_HEADER, b'2-a==,,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,' \
                                       b'2024-10-26 11:43:11 UTC,,"' + field + b'",INBOX,No,No\n'
        line = 2
    else:
        header, row = PREAMBLE + HEADER_2024, b'Jane,Roe,,,Acme,"' + field + b'",05 Jun 2026\n'
        line = 5
    bomb = _bomb(tmp_path / "export.zip", member, header, row, 130)
    assert bomb.stat().st_size < 2.5e6  # 130 rows of 15 MiB: 1.9 GiB inflated
    result = subprocess.run([sys.executable, "-c", PEAK, str(bomb)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    first, peak = result.stdout.splitlines()
    assert first.startswith(f"refused: {bomb}!{member}, line {line}: ") and "longer than" in first
    assert int(peak.split()[1]) // 1024 < 400, peak


# --------------------------------------------------------------------------- stray quotes


@pytest.mark.parametrize("quoted_companies", [False, True])
def test_a_stray_quote_in_connections_names_the_line_it_opened(tmp_path, quoted_companies):
    rows = connection_rows(300)
    if quoted_companies:  # other quotes later in the file close the stray one
        rows = [r.replace(",Acme,", ',"Acme, Inc.",') if i % 7 == 3 else r for i, r in enumerate(rows)]
    rows[0] = 'Jane,"Roe,https://www.linkedin.com/in/jane,,Acme,Engineer,05 Jun 2026\n'  # line 5
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 + "".join(rows))
    with pytest.raises(InputError, match=r"Connections.csv, line 5: .*quote"):
        read_export(path)


def test_a_stray_quote_in_the_last_field_of_the_last_row(tmp_path):
    rows = connection_rows(5) + ['Jane,Roe,https://www.linkedin.com/in/jane,,Acme,Engineer,"05 Jun 2026\n']
    path = write(tmp_path / "Connections.csv", HEADER_2024 + "".join(rows))
    with pytest.raises(InputError, match=r"line 7: a quoted field opened on this line is never closed"):
        read_export(path)


def test_python_csv_stops_a_quoted_field_over_20_lines_or_to_the_end(tmp_path):
    path = tmp_path / "interviews.csv"

    def read(text: str):
        path.write_text(text, encoding="utf-8")
        return read_all_rows(lambda: open(path, "rb"), str(path), lambda c: "role" in c, what="interviews")

    table, rows = read("company,role,notes\nAcme,recruiter,\"one\ntwo\nthree\"\nGlobex,interviewer,x\n")
    assert rows == [(2, ["Acme", "recruiter", "one\ntwo\nthree"]), (5, ["Globex", "interviewer", "x"])]
    with pytest.raises(InputError, match=r"interviews.csv, line 3: a quoted field opened on this line runs over 20"):
        read("company,role,notes\nAcme,recruiter,x\nGlobex,interviewer,\"oops\n" + "more\n" * 30 + "end\"\n")
    with pytest.raises(InputError, match=r"interviews.csv, line 3: a quoted field opened on this line is never closed"):
        read("company,role,notes\nAcme,recruiter,x\nGlobex,interviewer,\"oops\nmore\n")
    with pytest.raises(InputError, match=r"interviews.csv, line 2: malformed CSV \(field larger than field limit"):
        read_all_rows(lambda: io.BytesIO(b"company,role\nAcme," + b"x" * 5000 + b"\n"), "interviews.csv",
                      lambda c: "role" in c, what="interviews", limits=Limits(max_field_bytes=1000))


def test_a_cp1252_file_read_with_python_csv():
    data = "company,role,notes\nCafé,recruiter,\"crème\nbrûlée\"\n".encode("cp1252")
    table, rows = read_all_rows(lambda: io.BytesIO(data), "x.csv", lambda c: "role" in c, what="x")
    assert rows == [(2, ["Café", "recruiter", "crème\nbrûlée"])] and table.encoding == "cp1252"


# --------------------------------------------------------------------------- archives


def _zip_with(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def test_a_password_protected_zip_is_one_clear_line(tmp_path):
    body = PREAMBLE + HEADER_2024 + "".join(connection_rows(50))
    plain = _zip_with(tmp_path / "plain.zip", {"Connections.csv": body})
    # the encryption flag as zip -e sets it, in the local header and the central directory
    data = bytearray(plain.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x01
    flagged = tmp_path / "flagged.zip"
    flagged.write_bytes(bytes(data))
    archives = [flagged]
    if shutil.which("zip"):
        (tmp_path / "Connections.csv").write_text(body, encoding="utf-8")
        subprocess.run(["zip", "-q", "-P", "secret", "locked.zip", "Connections.csv"], cwd=tmp_path, check=True)
        archives.append(tmp_path / "locked.zip")
    for archive in archives:
        with pytest.raises(InputError) as err:
            read_export(archive)
        assert str(err.value) == (f"{archive}: the archive is password-protected; LinkedIn's export is not: "
                                  "download it again")


@pytest.mark.parametrize("damage", ["invalid deflate block", "bytes changed in the middle"])
def test_a_damaged_member_is_one_clear_line(tmp_path, damage):
    rows = "".join(f"2-{i}==,,Jane,https://www.linkedin.com/in/jane-{i % 97},Me,https://www.linkedin.com/in/me,"
                   f"2024-10-26 11:43:{i % 60:02d} UTC,,message {i * 7919 % 10007},INBOX,No,No\n" for i in range(20000))
    archive = _zip_with(tmp_path / "export.zip", {"Connections.csv": PREAMBLE + HEADER_2024 + "".join(connection_rows(5)),
                                                  "messages.csv": MESSAGES_HEADER + rows})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo("messages.csv")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    if damage == "invalid deflate block":
        data[start] = 0x07  # a last block of the reserved type: zlib refuses it (the old reader crashed)
    else:
        for k in range(start + info.compress_size // 2, start + info.compress_size // 2 + 64):
            data[k] ^= 0x5A  # zlib inflates something: the CRC check refuses it
    archive.write_bytes(bytes(data))
    with pytest.raises(InputError) as err:
        read_export(archive)
    assert str(err.value).startswith(f"{archive}!messages.csv: damaged ZIP archive (")
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------- the read as a whole


def test_nothing_runs_after_read_export_returns_or_fails(tmp_path, sample_zip):
    before = threading.active_count()
    read_export(sample_zip)
    assert threading.active_count() == before
    folder = tmp_path / "export"
    with zipfile.ZipFile(sample_zip) as zf:
        zf.extractall(folder)
    (folder / "Invitations.csv").write_text("From,To,Direction\n\"never closed,x,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="Invitations.csv, line 2"):
        read_export(folder)
    assert threading.active_count() == before


def test_reading_an_export_does_not_import_pandas(sample_zip):
    code = ("import sys; from backchannel.readers.export import read_export; "
            f"read_export({str(sample_zip)!r}); print('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


EXIT_AFTER_ERROR = """
import sys
from backchannel.errors import InputError
from backchannel.readers.export import read_export
from backchannel.readers.text import Limits
try:
    read_export(sys.argv[1], limits=Limits(max_message_row_bytes=4096))
except InputError as exc:
    print(exc)
"""


def test_a_process_ends_cleanly_right_after_an_error_in_a_large_member(tmp_path):
    # Arrow reads ahead on a thread that calls back into Python: an error must leave no read
    # half-done when the process ends (it used to abort the interpreter now and then)
    rows = "".join(f"2-{i}==,,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,"
                   f"2024-10-26 11:43:11 UTC,,hi,INBOX,No,No\n" for i in range(3000))
    long_row = '2-x==,,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,' \
               '2024-10-26 11:43:11 UTC,,"' + "x" * 40000 + '",INBOX,No,No\n'
    archive = _zip_with(tmp_path / "export.zip", {
        "Connections.csv": PREAMBLE + HEADER_2024 + "".join(connection_rows(5)),
        "messages.csv": MESSAGES_HEADER + rows + long_row + rows})
    for _ in range(3):
        result = subprocess.run([sys.executable, "-c", EXIT_AFTER_ERROR, str(archive)], capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == (f"{archive}!messages.csv, line 3002: the row starting on this line is "
                                         "longer than 4 KiB; is a quote never closed?")


def test_messages_rows_are_numbered_as_a_spreadsheet_numbers_them(tmp_path):
    # only the columns the reader needs are converted, so multi-line messages are rows, not
    # lines; a spreadsheet shows the header as row 1
    from backchannel.readers.messages import read_messages

    rows = ('2-a==,,Jane,https://www.linkedin.com/in/jane,Me,https://www.linkedin.com/in/me,'
            '2024-10-26 11:43:11 UTC,,"one\ntwo\nthree",INBOX,No,No\n') * 3
    draft = ',,Me,https://www.linkedin.com/in/me,Jane,https://www.linkedin.com/in/jane,2024-10-26 11:43:11 UTC,,x,,Yes,Yes\n'
    data = (MESSAGES_HEADER + rows + draft).encode()
    facts = read_messages(lambda: io.BytesIO(data), "messages.csv", owner_key="linkedin.com/in/me")
    assert facts.skipped.examples == {"message draft": ["messages.csv, row 5"]}
    assert facts.by_url["linkedin.com/in/jane"].messages_received == 3


# --------------------------------------------------------------------------- issue 28.3 in the interviews file


def test_a_stray_byte_in_the_interviews_file_is_its_line_never_mojibake(tmp_path):
    from zoneinfo import ZoneInfo

    from backchannel.readers.interviews import read_interviews

    path = tmp_path / "interviews.csv"
    path.write_bytes("company,date,role,name\nAcme,2026-11-24 14:00,interviewer,José Pérez\n".encode()
                     + b"Acme,2026-11-24 14:00,interviewer,Sam \xff Lee\n")
    with pytest.raises(InputError) as err:
        read_interviews(path, zone=ZoneInfo("UTC"))
    assert err.value.line == 3 and "not UTF-8" in str(err.value)
    # a genuine cp1252 file (Excel's) reads as it is
    path.write_bytes("company,date,role,name\nAcme,2026-11-24 14:00,interviewer,José Pérez\n".encode("cp1252"))
    (iv,) = read_interviews(path, zone=ZoneInfo("UTC")).interviews
    assert iv.people[0].name == "José Pérez" and iv.people[0].slug == "jose-perez"


HANG = """
import io, sys
sys.path.insert(0, sys.argv[1])
from backchannel.readers.table import read_csv
data = b"h1,h2,h3\\n" + b"a,b\\n" * 200 + b"x,y,z\\n"
def read(table):
    return [n for block in table.blocks(["h1"]) for n in block.numbers.tolist()], dict(table.skipped.counts)
print(read_csv(lambda: io.BytesIO(data), "x.csv", lambda c: c[:1] == ["h1"], read, what="x", row_bytes=64))
"""


def test_blocks_of_nothing_but_skipped_rows_never_hang_the_reader(tmp_path):
    # Arrow may need more blocks than the gate let through to make its first batch: it waited for ever
    root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", HANG, root], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "([202], {'row with another number of fields than the header': 200})" in done.stdout


def test_ctrl_c_while_arrow_calls_back_into_python_stops_the_read(tmp_path, monkeypatch):
    """A Ctrl-C that lands in the handler of invalid rows (Python called from Arrow's C++)
    cannot travel through Arrow: it is raised again between batches, never printed as
    "Exception ignored" and lost while the import goes on."""
    import backchannel.readers.table as table

    class Interrupted(list):
        def append(self, item):
            raise KeyboardInterrupt

    original = table.RowPlaces.__init__

    def places(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.pending = Interrupted()

    monkeypatch.setattr(table.RowPlaces, "__init__", places)
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024
                 + "Jane,Roe,https://www.linkedin.com/in/jane,,Acme,Engineer,05 Jun 2026\n"
                 + "a row,with,too few fields\n")
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(KeyboardInterrupt):
        read_export(path)
    assert unraisable == []
