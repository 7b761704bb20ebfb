from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from backchannel.identity import (
    PeopleIndex,
    PersonRecord,
    normalise_company,
    normalise_name,
    normalise_profile_url,
    normalise_profile_urls,
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
    # a profile address or an email matches across companies (people change jobs)
    m = index.match(name="Someone", profile_url="uk.linkedin.com/in/jane-roe-2/", company="Hooli")
    assert (m.person.id, m.via) == (2, "profile address")
    assert index.match(name="J. Roe", email="JANE@acme.example", company="Hooli").person.id == 1
    m = index.match(name="Jane Roe", company="ACME Corporation")
    assert m.person.id == 1 and m.via == "name and company"
    # a mutual as LinkedIn lists it has no company: a unique name matches
    assert index.match(name="jose perez").person.id == 3


def test_a_name_alone_never_matches_a_namesake_at_another_company():
    index = PeopleIndex([PersonRecord(1, "Dana Levi", company="Northwind Traders", profile_url="linkedin.com/in/dl"),
                         PersonRecord(2, "Sam Cole", company="", profile_url="linkedin.com/in/sc")])
    m = index.match(name="Dana Levi", company="Acme Corp.")
    assert m.person is None and m.status == "possible" and [p.company for p in m.possible] == ["Northwind Traders"]
    assert index.match(name="Sam Cole", company="Acme").status == "possible"  # no company known: not a match
    assert index.match(name="Dana Levi", profile_url="https://www.linkedin.com/in/dl", company="Acme").via == \
        "profile address"
    aliased = PeopleIndex([PersonRecord(1, "Dana Levi", company="Northwind Traders")], {"acme": "northwind traders"})
    assert aliased.match(name="Dana Levi", company="Acme Corp.").via == "name and company"


def test_ambiguous_names_are_reported_never_merged():
    m = _index().match(name="jane roe")
    assert m.person is None and m.ambiguous
    assert sorted(c.id for c in m.candidates) == [1, 2]
    twins = PeopleIndex([PersonRecord(1, "Ana Kim", company="Acme"), PersonRecord(2, "Ana Kim", company="Acme Inc")])
    assert twins.match(name="Ana Kim", company="Acme").status == "ambiguous"


def test_closest_names_are_close_or_none():
    index = PeopleIndex([PersonRecord(i, name) for i, name in enumerate(
        ["José Pérez", "Jane Smith", "Jane Doe", "Dana Levy", "Omar Haddad", "Janet Roe"])])
    m = index.match(name="Jose Peres")
    assert m.person is None and m.closest[0] == "José Pérez"
    # sharing a first name is not being close
    assert "Jane Smith" not in index.match(name="Jane Roe").closest
    assert index.match(name="Dana Levi").closest == ["Dana Levy"]
    assert index.match(name="Bartholomew Quince").closest == []


def test_a_very_long_name_is_matched_quickly():
    import time

    index = PeopleIndex([PersonRecord(i, f"Person Number{i} Someone") for i in range(30000)])
    started = time.perf_counter()
    m = index.match(name="x" * 100_000, company="Acme")
    assert m.status == "unmatched" and time.perf_counter() - started < 5


def test_company_search_is_search():
    from backchannel.identity import company_search

    names = {"umbrella health": ["Umbrella Health"], "acme": ["Acme Corp.", "ACME Corporation"],
             "acme labs": ["Acme Labs"], "societe generale": ["Société Générale"]}
    assert company_search("umbrella", names) == ["umbrella health"]
    assert company_search("UMBREL", names) == ["umbrella health"]
    assert company_search("health", names) == ["umbrella health"]
    assert company_search("brella", names) == []  # word boundaries
    assert company_search("Acme", names) == ["acme", "acme labs"]
    assert company_search("acme corporation", names) == ["acme"]
    assert company_search("societe", names) == ["societe generale"]


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


_SLUG_PARTS = st.one_of(st.text(alphabet="abcXYZ09-%/?# \n", max_size=6), st.text(max_size=4).map(lambda t: quote(t, safe="")),
                        st.sampled_from(["%0A", "%0a", "%CE%A3", "%C3", "%E2%82", "%CC%81", "%20", "%2F", "%C4%B0"]))
_ADDRESSES = st.one_of(st.lists(_SLUG_PARTS, max_size=5).map(lambda parts: "https://www.linkedin.com/in/" + "".join(parts)),
                       st.text(max_size=30))


@given(st.lists(_ADDRESSES, max_size=12))
def test_a_column_of_addresses_gets_the_keys_one_by_one_would(values):
    # the batch decodes LinkedIn's percent-encoded slugs together: a line feed, a final sigma,
    # a combining accent or half a UTF-8 sequence at a slug's end must not reach the next one
    assert normalise_profile_urls(values) == [normalise_profile_url(v) for v in values]
