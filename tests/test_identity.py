from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from backchannel.identity import (
    PeopleIndex,
    PersonRecord,
    normalise_company,
    normalise_name,
    normalise_profile_url,
)


def test_profile_address_forms_are_one_key():
    forms = [
        "https://www.linkedin.com/in/jos%C3%A9-p%C3%A9rez-123",
        "https://www.linkedin.com/in/josé-pérez-123",
        "http://uk.linkedin.com/in/José-Pérez-123/",
        "linkedin.com/in/josé-pérez-123?trk=public_profile",
        "www.linkedin.com/in/jos%c3%a9-p%c3%a9rez-123/#about",
        "  HTTPS://WWW.LINKEDIN.COM/IN/JOSÉ-PÉREZ-123  ",
    ]
    assert {normalise_profile_url(f) for f in forms} == {"linkedin.com/in/josé-pérez-123"}


def test_names_ignore_case_accents_credentials_emoji_and_spacing():
    assert normalise_name("  José Pérez, PhD 🚀") == normalise_name("jose perez") == "jose perez"
    assert normalise_name("Jane Roe, MBA, PMP") == "jane roe"
    assert normalise_name("Dr. Jane Roe") == "jane roe"
    # a comma that is not followed by credentials is part of the name
    assert normalise_name("Doe, Smith") == "doe smith"


def test_companies_ignore_case_punctuation_and_legal_suffixes():
    assert normalise_company("ACME Corp.") == normalise_company("Acme Corporation") == normalise_company("Acme")
    assert normalise_company("Acme, Inc.") == "acme"
    assert normalise_company("Dunder Mifflin, Inc.") == "dunder mifflin"
    assert normalise_company("The Acme Group") == "acme"
    assert normalise_company("Alphabet", {"alphabet": "google"}) == "google"
    assert normalise_company("") == ""


def _index():
    return PeopleIndex([
        PersonRecord(1, "Jane Roe", "https://www.linkedin.com/in/jane-roe-1", "jane@acme.example", "Acme"),
        PersonRecord(2, "Jane Roe, PhD", "https://www.linkedin.com/in/jane-roe-2", "", "Initech"),
        PersonRecord(3, "José Pérez", "https://www.linkedin.com/in/jos%C3%A9-p%C3%A9rez-123", "", "Globex"),
    ])


def test_match_by_address_then_email_then_name_with_company_tie_break():
    index = _index()
    assert index.match(name="Someone", profile_url="uk.linkedin.com/in/jane-roe-2/").person.id == 2
    assert index.match(name="J. Roe", email="JANE@acme.example").person.id == 1
    assert index.match(name="jose perez").person.id == 3
    m = index.match(name="Jane Roe", company="ACME Corporation")
    assert m.person.id == 1 and m.via == "name and company"


def test_ambiguous_names_are_reported_never_merged():
    m = _index().match(name="jane roe")
    assert m.person is None and m.ambiguous
    assert sorted(c.id for c in m.candidates) == [1, 2]


def test_unmatched_names_come_with_the_closest_names():
    m = _index().match(name="Jose Peres")
    assert m.person is None and not m.ambiguous
    assert m.closest[0] == "José Pérez"


@given(st.text())
def test_url_normaliser_is_idempotent(text):
    once = normalise_profile_url(text)
    assert normalise_profile_url(once) == once


@given(st.text())
def test_name_normaliser_is_idempotent(text):
    once = normalise_name(text)
    assert normalise_name(once) == once


@given(st.text())
def test_company_normaliser_is_idempotent(text):
    once = normalise_company(text)
    assert normalise_company(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
def test_url_fast_path_agrees_with_the_general_path(slug):
    # LinkedIn's own form takes a shortcut; an upper-case scheme takes the general path
    assert normalise_profile_url("https://www.linkedin.com/in/" + slug) == normalise_profile_url(
        "HTTPS://www.linkedin.com/in/" + slug)


@given(st.text(alphabet=st.sampled_from(list("abcXYZ ")), max_size=30))
def test_name_fast_path_agrees_with_the_general_path(name):
    # plain letters and spaces take a shortcut; a trailing "!" forces the general path, which
    # drops punctuation
    assert normalise_name(name) == normalise_name(name + "!")


@given(st.text(max_size=20))
def test_url_fast_path_agrees_for_percent_encoded_slugs(text):
    slug = quote(text, safe="")
    assert normalise_profile_url("https://www.linkedin.com/in/" + slug) == normalise_profile_url(
        "HTTPS://www.linkedin.com/in/" + slug)
