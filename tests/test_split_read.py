"""messages.csv read in two processes: the cut, its verification, and equality with one read.

A large messages.csv is cut at a line end outside quotes; one process reads each half and the
counts are merged. Whatever the file, the result must be exactly what reading it whole gives.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel import linkedin
from backchannel.errors import InputError
from backchannel.sample import generate_export
from backchannel.textfiles import LIMITS, Limits, find_row_boundary

HEADER = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
          "DATE", "SUBJECT", "CONTENT", "FOLDER", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
ME = "https://www.linkedin.com/in/me"
OWNER = ("linkedin.com/in/me", "me owner")


def lines_python_reads(data: bytes) -> int:
    """How many lines Python's universal-newline reading sees in ``data`` (the oracle)."""
    return sum(1 for _ in io.TextIOWrapper(io.BytesIO(data), encoding="latin-1", newline=""))


def messages_file(rows: list[list[str]], terminator: str = "\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def message(conv: int, sender: str, recipient: str, day: int, content: str = "hi", folder: str = "INBOX",
            draft: str = "No", date: str | None = None) -> list[str]:
    return [f"2-conv{conv}==", "", "Someone", sender, "Someone Else", recipient,
            date or f"2025-{1 + day % 12:02d}-{1 + day % 28:02d} {day % 24:02d}:00:00 UTC", "", content, folder,
            draft, "No"]


def both_ways(path, limits: Limits = LIMITS, owner: tuple[str, str] = OWNER):
    """The facts read whole and read in two halves, each with its report (or the error)."""
    results = []
    for in_two in (False, True):
        source = linkedin._Source(path, limits)
        name = next(iter(n for n in source.files if linkedin.file_kind(n) == "messages"), None) or \
            next(iter(source.files))
        report = linkedin.ImportReport()
        try:
            facts = linkedin._read_messages(source, name, lambda: owner, report, in_two=in_two)
            results.append((facts, dict(report.skipped), report.skipped_examples))
        except InputError as exc:
            results.append(("error", exc.message, exc.line))
        finally:
            source.close()
    return results


# --------------------------------------------------------------------------- the cut


def test_boundary_skips_a_quoted_field_that_spans_the_target():
    data = b'a,b\n1,"one\ntwo\nthree"\n2,x\n'
    target = data.index(b"two")
    start, lines = find_row_boundary(io.BytesIO(data), target)
    assert data[start:] == b"2,x\n"
    assert lines == lines_python_reads(data[:start]) == 4


def test_boundary_counts_crlf_once_and_a_lone_cr_once():
    data = b'a,b\r\n1,"x\ry"\r\n2,z\r\n3,w\r\n'
    start, lines = find_row_boundary(io.BytesIO(data), data.index(b"2,z"))
    assert data[start:] == b"3,w\r\n"
    assert lines == lines_python_reads(data[:start])


def test_no_boundary_after_the_target():
    assert find_row_boundary(io.BytesIO(b'a,b\n1,"open quote\nnever closed'), 6) is None
    assert find_row_boundary(io.BytesIO(b"a,b\n1,2"), 5) is None


row_text = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\xe9')), max_size=12)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(row_text, min_size=1, max_size=4), min_size=1, max_size=25),
       terminator=st.sampled_from(["\n", "\r\n"]), fraction=st.floats(0, 1), chunk=st.integers(1, 64))
def test_boundary_is_a_row_boundary_for_any_csv(rows, terminator, fraction, chunk):
    out = io.StringIO()
    csv.writer(out, lineterminator=terminator).writerows(rows)
    data = out.getvalue().encode("utf-8")
    target = int(len(data) * fraction)
    found = find_row_boundary(io.BytesIO(data), target, chunk_size=chunk)
    assert found == find_row_boundary(io.BytesIO(data), target)  # chunking changes nothing
    if found is None:
        return
    start, lines = found
    assert start >= target and data[start - 1:start] == b"\n"
    whole = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    head = list(csv.reader(io.StringIO(data[:start].decode("utf-8"), newline="")))
    tail = list(csv.reader(io.StringIO(data[start:].decode("utf-8"), newline="")))
    assert head + tail == whole
    assert lines == lines_python_reads(data[:start])


# --------------------------------------------------------------------------- the read


def _conversations(n: int, content: str = "hi") -> list[list[str]]:
    rows = []
    for conv in range(n):
        other = f"https://www.linkedin.com/in/person-{conv % 37}"
        rows.append(message(conv, other, ME, conv, content))
        rows.append(message(conv, ME, other, conv + 1, content))
    return rows


def test_two_halves_give_exactly_the_facts_of_one_read(tmp_path):
    rows = _conversations(300, content='line one\nline "two", with commas')
    rows.insert(100, message(999, ME, "https://www.linkedin.com/in/person-1", 3, draft="Yes"))
    rows.insert(450, message(998, "https://www.linkedin.com/in/person-2", ME, 3, folder="SPAM"))
    rows.insert(500, message(997, "https://www.linkedin.com/in/person-3", ME, 3, date="not a date"))
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(rows, "\r\n"))
    source = linkedin._Source(path, LIMITS)
    assert linkedin._tally_in_two(source, "messages.csv", lambda: OWNER, linkedin.ImportReport()) is not None  # really cut
    source.close()
    whole, halves = both_ways(path)
    assert halves == whole
    facts, skipped, examples = whole
    assert skipped == {"message draft": 1, "message in the spam folder": 1, "message without a readable date": 1}
    # person-1 is in conversations 1, 38, ..., 297: nine, each with one message each way
    assert facts[0]["linkedin.com/in/person-1"][:4] == [9, 9, 9, 0]


def test_a_conversation_cut_in_the_middle_is_counted_once(tmp_path):
    rows = [message(1, "https://www.linkedin.com/in/jane", ME, day) for day in range(400)]
    rows += [message(1, ME, "https://www.linkedin.com/in/jane", day) for day in range(400)]
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(rows))
    whole, halves = both_ways(path)
    assert halves == whole
    assert whole[0][0]["linkedin.com/in/jane"][:4] == [400, 400, 1, 0]


def test_a_stray_quote_that_misleads_the_cut_still_gives_the_same_facts(tmp_path):
    # an unquoted field with a quote in it: the csv reader takes it literally, the quote count
    # of the cut does not; the verification must catch it
    text = messages_file(_conversations(200)).decode()
    lines = text.splitlines(keepends=True)
    lines[5] = lines[5].replace(",hi,", ',a 5" screen,')
    path = tmp_path / "messages.csv"
    path.write_text("".join(lines), encoding="utf-8")
    whole, halves = both_ways(path)
    assert halves == whole


def test_cp1252_bytes_only_in_the_second_half_give_the_same_facts(tmp_path):
    rows = _conversations(300)
    rows[-3] = message(5000, "https://www.linkedin.com/in/jos\xe9", ME, 3, content="caf\xe9")
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(rows).decode("utf-8").encode("cp1252"))
    whole, halves = both_ways(path)
    assert halves == whole
    assert "linkedin.com/in/josé" in whole[0][0]


def test_an_error_in_the_second_half_is_reported_as_one_read_reports_it(tmp_path):
    rows = _conversations(300)
    rows[-10][8] = "x" * 5000
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(rows))
    limits = Limits(max_line_bytes=4000)
    whole, halves = both_ways(path, limits=limits)
    assert whole[0] == "error" and "longer than" in whole[1]
    assert halves == whole


def test_a_zip_member_is_cut_as_a_file_is(tmp_path):
    export = generate_export(tmp_path / "e.zip", 300, 6000, seed=11)
    with zipfile.ZipFile(export) as zf:
        assert any(n.endswith("messages.csv") for n in zf.namelist())
    whole, halves = both_ways(export)
    assert halves == whole and whole[0] != "error"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 5), st.booleans(), st.integers(0, 400),
                          st.text(alphabet=st.sampled_from(list('ab ,"\n\r\xe9')), max_size=8),
                          st.sampled_from(["INBOX", "SPAM", ""]), st.sampled_from(["No", "Yes", ""])),
                min_size=0, max_size=60),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([OWNER, ("", "")]))
def test_any_messages_file_reads_the_same_in_two_halves(tmp_path, spec, terminator, owner):
    rows = []
    for conv, person, outgoing, day, content, folder, draft in spec:
        other = f"https://www.linkedin.com/in/p{person}"
        sender, recipient = (ME, other) if outgoing else (other, ME)
        rows.append(message(conv, sender, recipient, day, content, folder, draft))
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(rows, terminator))
    whole, halves = both_ways(path, owner=owner)
    assert halves == whole


def test_without_the_owners_address_the_halves_are_counted_together(tmp_path):
    # the owner is then the address in the most conversations, which needs every conversation
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(_conversations(300)))
    whole, halves = both_ways(path, owner=("", ""))
    assert halves == whole
    assert whole[0][3] == ME  # found from the messages alone
    assert whole[0][0]["linkedin.com/in/person-1"][:4] == [9, 9, 9, 0]


def test_the_background_import_cuts_a_large_file(tmp_path, monkeypatch):
    cuts = []
    real = linkedin._tally_in_two

    def spy(*args):
        tally = real(*args)
        cuts.append(tally is not None)
        return tally

    monkeypatch.setattr(linkedin, "_tally_in_two", spy)
    monkeypatch.setattr(linkedin, "BACKGROUND_MESSAGES_BYTES", 0)
    export_path = generate_export(tmp_path / "e", 500, 8000, seed=3, as_zip=False)
    serial = linkedin.read_export(export_path)
    assert cuts == []  # the serial read never cuts
    monkeypatch.setattr(linkedin, "_can_fork", lambda: True)
    # read the job in this process, as the child would, to see that it cut the file
    owner = (linkedin.normalise_profile_url(serial.owner_profile_url), linkedin.normalise_name(serial.owner_name))
    outcome = linkedin._messages_job(str(export_path), LIMITS, "messages.csv", lambda: owner, in_two=True)
    assert cuts == [True] and outcome[0] == "ok"
    background = linkedin.read_export(export_path, background=True).complete()
    assert background.interactions == serial.interactions
    assert background.co_threads == serial.co_threads


@pytest.mark.parametrize("encoding", ["utf-16"])
def test_files_in_other_encodings_are_read_whole(tmp_path, encoding):
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file(_conversations(50)).decode("utf-8").encode(encoding))
    source = linkedin._Source(path, LIMITS)
    assert linkedin._tally_in_two(source, "messages.csv", lambda: OWNER, linkedin.ImportReport()) is None
    source.close()
    whole, halves = both_ways(path)
    assert halves == whole and whole[0] != "error"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_any_bytes_after_a_real_header_read_the_same_in_two_halves(tmp_path, data):
    path = tmp_path / "messages.csv"
    path.write_bytes(messages_file([]) + data)
    whole, halves = both_ways(path)
    assert halves == whole
