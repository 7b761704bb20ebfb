"""The interviews file: headers, dates, roles, resolution, errors, re-imports."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import INTERVIEW_ID, NOW, db_snapshot, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.errors import InputError
from backchannel.interviews import read_interviews


def test_headers_in_any_case_and_order_unknown_columns_kept(tmp_path):
    path = write(tmp_path / "iv.csv", "NAME,Role,Date,COMPANY,Favourite Colour\nJane Roe,Interviewer,2026-11-24,Acme,blue\n")
    interviews, unknown = read_interviews(path, timezone_name="Europe/Berlin")
    assert unknown == ["favourite_colour"]
    (iv,) = interviews
    assert iv["id"] == "acme-2026-11-24"
    # a date alone means 17:00 local time
    assert iv["at"] == "2026-11-24T17:00:00+01:00"
    assert iv["people"][0]["extra"] == {"favourite_colour": "blue"}


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24T14:00:00-05:00", "2026-11-24T14:00:00-05:00"),
    ("2026-11-24T14:00Z", "2026-11-24T14:00:00+00:00"),
    ("2026-11-24 09:30", "2026-11-24T09:30:00+01:00"),
])
def test_iso_dates_with_and_without_offsets(tmp_path, text, expected):
    path = write(tmp_path / "iv.csv", f"company,date,role,name\nAcme,{text},interviewer,Jane Roe\n")
    assert read_interviews(path, timezone_name="Europe/Berlin")[0][0]["at"] == expected


@pytest.mark.parametrize("row, message", [
    ("Acme,2026-11-24,boss,Jane", "line 3: unknown role 'boss'"),
    ("Acme,next tuesday,interviewer,Jane", "line 3: date: 'next tuesday' is not an ISO 8601"),
    (",2026-11-24,interviewer,Jane", "line 3: the company is empty"),
    ("Acme,2026-11-24,interviewer,", "line 3: a person needs a name or a profile_url"),
])
def test_invalid_rows_name_the_line(tmp_path, row, message):
    path = write(tmp_path / "iv.csv", f"company,date,role,name\nAcme,2026-11-24,interviewer,Sam\n{row}\n")
    with pytest.raises(InputError) as err:
        read_interviews(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_required_column(tmp_path):
    path = write(tmp_path / "iv.csv", "company,role,name\nAcme,interviewer,Jane\n")
    with pytest.raises(InputError, match="line 1: missing required column 'date'"):
        read_interviews(path)


def test_resolution_by_address_email_name_and_ambiguity(app, tmp_path):
    path = write(tmp_path / "iv.csv",
                 "company,date,role,name,profile_url,email,mutuals\n"
                 "Acme,2026-12-01T10:00-05:00,interviewer,J. Roe,https://uk.linkedin.com/in/jane-roe-7c1/,,Dana Whitfield;Nobody Atall\n"
                 "Acme,2026-12-01T10:00-05:00,referrer,C. Lee,,CHRIS.LEE@example.com,\n"
                 "Acme,2026-12-01T10:00-05:00,recruiter,priya nair,,,\n"
                 "Acme,2026-12-01T10:00-05:00,hiring-manager,Samm Patell,,,\n")
    report = app.import_interviews(path, now=NOW)
    via = {ref: (name, how) for ref, name, how in report.matched}
    assert via["J. Roe"] == ("Jane Roe", "profile address")
    assert via["C. Lee"] == ("Chris Lee", "email")
    assert via["priya nair"] == ("Priya Nair", "name")
    (ambiguous,) = report.ambiguous
    assert ambiguous[0] == "Dana Whitfield (mutual of J. Roe)" and len(ambiguous[1]) == 2
    unmatched = dict(report.unmatched)
    assert "Sam Patel" in unmatched["Samm Patell"]
    assert "Nobody Atall (mutual of J. Roe)" in unmatched


def test_reimport_updates_the_same_interview(app, sample_interviews, tmp_path):
    before = [dict(r) for r in app.workspace.interviews()]
    app.import_interviews(sample_interviews, now=NOW)
    assert [dict(r)["id"] for r in app.workspace.interviews()] == [r["id"] for r in before]
    moved = write(tmp_path / "iv.csv", sample_interviews.read_text().replace("14:00:00-05:00", "15:00:00-05:00"))
    app.import_interviews(moved, now=NOW)
    (iv,) = app.workspace.interviews()
    assert iv["id"] == INTERVIEW_ID and iv["at"] == "2026-11-24T15:00:00-05:00"
    assert len(app.workspace.interview_people(INTERVIEW_ID)) == 4


def test_bad_interviews_file_leaves_workspace_untouched(app, tmp_path):
    before = db_snapshot(app.workspace.path)
    bad = write(tmp_path / "iv.csv", "company,date,role,name\nAcme,2026-12-01,interviewer,Ann\nAcme,2026-12-01,chef,Bo\n")
    with pytest.raises(InputError):
        app.import_interviews(bad, now=NOW)
    assert db_snapshot(app.workspace.path) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_as_interviews_parse_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "iv.csv"
    path.write_bytes(data)
    try:
        read_interviews(path)
    except InputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.text(max_size=15), st.text(max_size=25), st.text(max_size=15), st.text(max_size=15)),
                max_size=6))
def test_any_rows_under_the_header_parse_or_fail_cleanly(tmp_path, rows):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["company", "date", "role", "name"])
    writer.writerows(rows)
    path = write(tmp_path / "iv.csv", buf.getvalue())
    try:
        interviews, _ = read_interviews(path)
    except InputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    else:
        for iv in interviews:
            at = datetime.fromisoformat(iv["at"])
            assert at.tzinfo is not None
            assert at.utcoffset() is not None and abs(at.utcoffset()) < timedelta(hours=24)
            assert at.astimezone(timezone.utc)
