from urllib.parse import quote

import pytest
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
    assert normalise_company("The Acme Group") == "acme group"
    assert normalise_company("Alphabet", {"alphabet": "google"}) == "google"
    assert normalise_company("") == ""


def test_only_legal_forms_are_dropped_never_words_of_the_name():
    # issue 23.5: Group, Holdings, Labs, Health, Consulting are words of the name
    assert len({normalise_company(n) for n in ("Acme Group", "Acme Inc.", "Acme Holdings", "Acme Labs")}) == 4
    assert normalise_company("The Boston Consulting Group") == normalise_company("Boston Consulting Group") == \
        "boston consulting group"
    same = ["Acme", "Acme Inc.", "ACME, LLC", "Acme Ltd.", "Acme GmbH", "Acme S.A.", "Acme SA", "Acme PLC", "Acme AG",
            "Acme Corp.", "Acme Corporation", "Acme Co.", "Acme GmbH & Co. KG", "Acme S.p.A.", "Acme L.L.C.",
            "Acme S.A. de C.V.", "Acme Sp. z o.o.", "Acme Pty Ltd", "ООО Acme", "АО «Acme»", "Acme ООО"]
    assert {normalise_company(n) for n in same} == {"acme"}
    assert normalise_company("Procter & Gamble Co.") == "procter and gamble"
    # the user's aliases join what they say is one company
    assert normalise_company("Acme Holdings", {"acme holdings": "acme"}) == normalise_company("Acme Inc.") == "acme"


def test_company_search_lists_every_fit_and_a_pick_prefers_the_whole_name():
    from backchannel.identity import company_pick, company_search

    names = {"bill": ["Bill"], "bill com": ["Bill.com"], "billing partners": ["Billing Partners"],
             "acme group": ["Acme Group"], "acme": ["Acme Inc."]}
    assert company_search("bill", names) == ["bill", "bill com", "billing partners"]
    assert company_pick("bill", names) == ["bill"]  # rank --company Bill: the company named so
    assert company_search("acme", names) == ["acme", "acme group"]


_ADDRESSES_FOR_CHECK = st.one_of(
    st.text(alphabet="abc/\\@.:%#?-", max_size=12).map(lambda t: "https://www.linkedin.com/in/" + t),
    st.sampled_from(["https://evil.example\\.linkedin.com/in/x", "www.linkedin.com/in/x", "https://www.linkedin.com/in/",
                     "https://www.linkedin.com/in/jos%C3%A9", "https://www.linkedin.com/in/%2F", ""]),
    st.text(max_size=20))


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
    # no company known: unknown, not another company (issue 23.4), so a unique name matches, saying so
    sam = index.match(name="Sam Cole", company="Acme")
    assert (sam.status, sam.via, sam.company_unknown) == ("matched", "name", True)
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


@given(st.text(alphabet=st.sampled_from(list("abcXYZ ")), max_size=30).filter(str.strip))
def test_name_fast_path_agrees_with_the_general_path(name):
    # plain letters and spaces take a shortcut; a trailing "!" forces the general path, which
    # drops punctuation (a name of nothing but punctuation is its own key: see below)
    assert normalise_name(name) == normalise_name(name + "!")


def test_invisible_characters_never_split_a_name_and_symbol_names_stay_apart():
    # issue 28.11: a zero-width space or a soft hyphen is no break; 😀 and !!! are two people
    assert normalise_name("Ka\u200btie Smith") == normalise_name("Ka\u00adtie Smi\u2060th") == "katie smith"
    assert normalise_name("\ufeffKatie\u200d Smith\u200e") == "katie smith"
    keys = [normalise_name(n) for n in ("😀", "!!!", "🚀", "😀 😀")]
    assert len(set(keys)) == 4 and all(keys)
    assert normalise_name(" 😀 ") == normalise_name("😀")
    assert normalise_company("Ac\u200bme Inc.") == "acme"


def test_a_symbol_name_is_matched_as_written_not_as_everyone_without_letters():
    index = PeopleIndex([PersonRecord(1, "😀", company="Acme"), PersonRecord(2, "!!!", company="Acme")])
    assert index.match(name="😀", company="Acme").person.id == 1
    assert index.match(name="!!!", company="Acme").person.id == 2


def test_only_an_address_is_an_email():
    from backchannel.identity import email_address, normalise_email

    assert email_address(" Jane.Roe@Acme.example ") == "Jane.Roe@Acme.example"
    for not_one in ("urn:li:member:664293716", "javascript:alert(1)//@x", "jane", "@acme.example", "a@b", "x y@z.com"):
        assert email_address(not_one) == normalise_email(not_one) == "", not_one


def test_a_blank_company_is_unknown_not_another_company():
    # issue 23.4
    index = PeopleIndex([PersonRecord(1, "Yugam Parashar", "https://www.linkedin.com/in/yp", company=""),
                         PersonRecord(2, "Dana Levi", company="Northwind"), PersonRecord(3, "Lee Park", company=""),
                         PersonRecord(4, "Lee Park", company="Globex")])
    m = index.match(name="Yugam Parashar", company="Truelancer.com")
    assert (m.status, m.person.id, m.via, m.company_unknown) == ("matched", 1, "name", True)
    assert index.match(name="Dana Levi", company="Truelancer.com").status == "possible"  # another company
    # a name that is not unique is never matched on an unknown company
    assert index.match(name="Lee Park", company="Acme").status == "possible"


@pytest.mark.parametrize("address", [
    "https://evil.example\\.linkedin.com/in/nina", "https://evil.example\\@www.linkedin.com/in/nina",
    "https://www.linkedin.com@evil.example/in/nina", "https://www.linkedin.com.evil.example/in/nina",
    "https://evil.example/www.linkedin.com/in/nina", "javascript://www.linkedin.com/in/%0aalert(1)",
    "https://www.linkedin.com/company/acme", "https://www.linkedin.com/in/", "//evil.example/in/x",
    "https://evil.example#https://www.linkedin.com/in/nina", "https://www.linkedin.com:evil/in/x",
    "https://www.linkedin.com%2F@evil.example/in/x", "ftp://www.linkedin.com/in/nina",
])
def test_an_address_a_browser_opens_elsewhere_is_not_a_profile_address(address):
    # issue 28.5: one check, by the host a browser opens
    from backchannel.identity import canonical_profile_url, profile_key, profile_keys

    assert profile_key(address) == "" and canonical_profile_url(address) == ""
    assert profile_keys([address, "https://www.linkedin.com/in/nina"]) == ["", "linkedin.com/in/nina"]


@pytest.mark.parametrize("address", [
    "https://www.linkedin.com/in/nina", "http://uk.linkedin.com/in/Nina/", "linkedin.com/in/nina?trk=x",
    "www.linkedin.com/in/nina", " https://m.linkedin.com/in/nina#about ", "https://WWW.LINKEDIN.COM/in/nina",
])
def test_every_form_of_a_real_address_is_a_profile_address(address):
    from backchannel.identity import canonical_profile_url, profile_key

    assert profile_key(address) == "linkedin.com/in/nina"
    assert canonical_profile_url(address) == "https://www.linkedin.com/in/nina"


@given(st.lists(_ADDRESSES_FOR_CHECK, max_size=12))
def test_a_column_of_addresses_is_checked_as_one_by_one_would(values):
    from backchannel.identity import profile_key, profile_keys

    assert profile_keys(values) == [profile_key(v) for v in values]


def test_unpaired_bidi_controls_are_dropped_paired_ones_kept():
    from backchannel.identity import balance_bidi

    assert balance_bidi("Nina\u202e Volkova") == "Nina Volkova"
    assert balance_bidi("\u2069Nina\u202c") == "Nina"
    assert balance_bidi("a\u202eb\u202cc") == "a\u202eb\u202cc"
    assert balance_bidi("a\u2067b\u202ec\u2069d") == "a\u2067bc\u2069d"  # the isolate closes the override


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
