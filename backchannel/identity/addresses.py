"""Addresses: LinkedIn profile addresses and email addresses, as keys and as checked.

:func:`normalise_profile_url` makes ``https://uk.linkedin.com/in/Jos%C3%A9/`` and
``www.linkedin.com/in/josé`` one key (and :func:`normalise_profile_urls` a whole column at
once); :func:`profile_key` is the one check every profile address passes where it enters: the
host a browser would open (:func:`browser_host`) must be LinkedIn's and the path a profile's.
:func:`email_address` and :func:`normalise_email` do the same for email addresses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

__all__ = ["normalise_profile_url", "normalise_profile_urls", "canonical_profile_url", "normalise_email",
           "email_address", "profile_key", "profile_keys", "is_linkedin_host", "browser_host"]

_CANONICAL_PREFIX = "https://www.linkedin.com/in/"
_LINKEDIN_HOST = re.compile(r"^(?:[a-z]{2,3}\.|www\.|m\.)?linkedin\.com$")


@lru_cache(maxsize=1 << 17)
def normalise_profile_url(value: str | None) -> str:
    """Canonical key of a LinkedIn profile address: ``linkedin.com/in/<slug>``.

    Scheme, ``www.``/country subdomains, trailing slash, query, fragment, percent-encoding
    and case do not matter. Anything that is not a LinkedIn profile address is returned
    lower-cased and stripped so it still compares equal to itself. Empty input gives "".

    >>> normalise_profile_url("https://uk.linkedin.com/in/Jos%C3%A9-P%C3%A9rez-1/?trk=x")
    'linkedin.com/in/josé-pérez-1'
    >>> normalise_profile_url("www.linkedin.com/in/josé-pérez-1")
    'linkedin.com/in/josé-pérez-1'
    """
    if not value:
        return ""
    value = str(value)
    slug, encoded = _own_form(value)
    if slug and not encoded:
        return "linkedin.com/in/" + slug.lower()
    if slug:
        decoded = unicodedata.normalize("NFC", unquote(slug)).lower()
        if _plain_slug(decoded):
            return "linkedin.com/in/" + decoded
    return _general_key(value)


def _own_form(value: str) -> tuple[str, bool]:
    """``(slug, percent-encoded)`` of an address in the shape LinkedIn itself writes (most
    addresses in an export: ``https://www.linkedin.com/in/`` and ASCII letters, digits and
    hyphens, with %-escapes for names with accents); ``("", False)`` for anything else."""
    if not (value.startswith(_CANONICAL_PREFIX) and value.isascii()):
        return "", False
    slug = value[len(_CANONICAL_PREFIX):]
    plain = slug.replace("-", "")
    if plain.isalnum():
        return slug, False
    if plain.replace("%", "").isalnum():
        return slug, True
    return "", False


def _plain_slug(decoded: str) -> bool:
    """Whether a decoded slug is a slug as it stands (no spaces around it, no path or query)."""
    return decoded == decoded.strip() and not any(ch in decoded for ch in "/?#")


def _general_key(value: str) -> str:
    """:func:`normalise_profile_url` for any text: the slow path, which takes every form."""
    text = unicodedata.normalize("NFC", unquote(value.strip())).lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = text.split("#", 1)[0].split("?", 1)[0].strip().rstrip("/").strip()
    host, _, path = text.partition("/")
    if _LINKEDIN_HOST.match(host):
        parts = [p for p in path.split("/") if p]
        if len(parts) >= 2 and parts[0] in {"in", "pub"}:
            return f"linkedin.com/{parts[0]}/{parts[1]}"
        return "linkedin.com/" + "/".join(parts)
    return text


_SLUG_SEPARATOR = "\n"  # never in a slug the batch takes (letters, digits, hyphens and %, never %0A)


def normalise_profile_urls(values: Iterable[str]) -> list[str]:
    """:func:`normalise_profile_url` of each value, for a whole column at once.

    The addresses LinkedIn writes itself (``https://www.linkedin.com/in/<slug>``, the slug
    percent-encoded when the name has accents) are decoded together: their slugs joined by
    line feeds are decoded, composed and lower-cased in one call each (none of the three
    carries anything across a line feed), so an export's 30,000 addresses cost a few
    string operations instead of 30,000 calls. Everything else goes through
    :func:`normalise_profile_url` one by one.

    >>> normalise_profile_urls(["https://www.linkedin.com/in/Jos%C3%A9-1", "", "https://uk.linkedin.com/in/x/"])
    ['linkedin.com/in/josé-1', '', 'linkedin.com/in/x']
    """
    return _column_keys(values, profiles_only=False)


def _dot_segment(value: str) -> bool:
    """A path with a ``.`` or ``..`` segment (even percent-encoded): a browser resolves it to
    another profile than the one it reads as, so it is none."""
    if "/." not in value and "\\." not in value and "/%" not in value:  # (nearly every address: at once)
        return False
    path = unquote(value.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
    return any(part in (".", "..") for part in path.split("/")[3:] if "://" in path) or \
        any(part in (".", "..") for part in path.split("/")[1:] if "://" not in path)


def _column_keys(values: Iterable[str], *, profiles_only: bool) -> list[str]:
    out: list[str] = []
    encoded: list[int] = []  # where percent-encoded slugs are, in ``out``
    slugs: list[str] = []
    for value in values:
        if _dot_segment(value):
            out.append("")
            continue
        slug, is_encoded = _own_form(value)
        if slug and not is_encoded:
            out.append("linkedin.com/in/" + slug.lower())
        elif slug and "%0a" not in slug.lower():
            encoded.append(len(out))
            slugs.append(slug)
            out.append("")
        else:
            key = normalise_profile_url(value)
            if profiles_only and key and not (key.startswith(_PROFILE_PREFIXES) and (
                    value.startswith(_LINKEDIN_PREFIXES) or is_linkedin_host(browser_host(value)))):
                key = ""  # (profile_key, without a call per value: most of messages.csv's addresses come here)
            out.append(key)
    if slugs:
        decoded = unicodedata.normalize("NFC", unquote(_SLUG_SEPARATOR.join(slugs))).lower().split(_SLUG_SEPARATOR)
        for at, value, text in zip(encoded, slugs, decoded, strict=True):
            # as the one-by-one path decides: a slug that decodes to spaces or a path takes the slow path
            key = "linkedin.com/in/" + text if _plain_slug(text) else _general_key(_CANONICAL_PREFIX + value)
            out[at] = key if not profiles_only or _is_profile_key(key) else ""
    return out


def canonical_profile_url(value: str | None) -> str:
    """The clickable https form of a LinkedIn profile address: ``https://www.linkedin.com/in/<slug>``,
    or "" when ``value`` is not one (see :func:`profile_key`)."""
    key = profile_key(value)
    return "https://www." + key if key else ""


#: an email address as people write it: local@domain.tld, nothing around it
_EMAIL = re.compile(r'[^@\s<>()\[\]\\,;:"]+@[^@\s<>()\[\]\\,;:"]+\.[^@\s<>()\[\]\\,;:".]{2,}')


def email_address(value: str | None) -> str:
    """``value`` trimmed when it is an email address, else "": only an address is an email
    (a 2018 export's ``urn:li:member:664293716`` is not, nor is ``javascript:…//@x``).

    >>> email_address(" jane@acme.example "), email_address("urn:li:member:664293716")
    ('jane@acme.example', '')
    """
    text = (value or "").strip()
    return text if text and _EMAIL.fullmatch(text) else ""


def normalise_email(value: str | None) -> str:
    """Email key: the address in lower case; "" for anything that is not an address."""
    return email_address(value).lower()


# ---------------------------------------------------------------------- profile addresses, checked

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_PROFILE_PREFIXES = ("linkedin.com/in/", "linkedin.com/pub/")
#: the forms LinkedIn writes (messages.csv's raw Unicode slugs, endorsements' addresses without a
#: scheme): a browser opens www.linkedin.com for each, whatever comes after the slash
_LINKEDIN_PREFIXES = ("https://www.linkedin.com/", "www.linkedin.com/", "https://linkedin.com/", "linkedin.com/")


def browser_host(value: str) -> str:
    r"""The host a browser opens for ``value`` taken as an http(s) address ("" when it would
    open none, or has a user part before the host).

    As a browser reads it: surrounding spaces and control characters dropped, tabs and line
    breaks inside removed, a backslash read as a slash, percent-escapes in the host decoded.

    >>> browser_host("https://evil.example\\.linkedin.com/in/nina"), browser_host("www.linkedin.com/in/x")
    ('evil.example', 'www.linkedin.com')
    >>> browser_host("https://www.linkedin.com@evil.example/in/x"), browser_host("javascript:alert(1)")
    ('', '')
    """
    text = value.strip(_C0_AND_SPACE)
    text = text.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme.group(1).lower() not in ("http", "https"):
            return ""
        text = text[scheme.end():]
    authority = re.split(r"[/?#]", text.lstrip("/"), maxsplit=1)[0]
    if "@" in authority or authority.startswith("["):
        return ""
    host, colon, port = authority.partition(":")
    if colon and not port.isdigit():
        return ""
    host = unquote(host).lower()
    return host[:-1] if host.endswith(".") else host


def is_linkedin_host(host: str) -> bool:
    """``linkedin.com`` itself, ``www.``, ``m.`` or a country's subdomain (``uk.``).

    >>> is_linkedin_host("uk.linkedin.com"), is_linkedin_host("linkedin.com.evil.example")
    (True, False)
    """
    return bool(_LINKEDIN_HOST.match(host))


def profile_key(value: str | None) -> str:
    r"""The key of a LinkedIn profile address (:func:`normalise_profile_url`), or "" when
    ``value`` is not one: the one check every profile address passes where it enters.

    The host is the one a browser would open, so an address that reads as LinkedIn's but
    opens another site is refused (a backslash, a user part, a host that only ends in
    ``linkedin.com``); the path is a profile's (``/in/…`` or ``/pub/…``).

    >>> profile_key("https://uk.linkedin.com/in/Jos%C3%A9/"), profile_key("https://evil.example\\.linkedin.com/in/x")
    ('linkedin.com/in/josé', '')
    >>> profile_key("https://www.linkedin.com/company/acme"), profile_key("www.linkedin.com/in/jane-roe")
    ('', 'linkedin.com/in/jane-roe')
    """
    if not value:
        return ""
    value = str(value)
    if _dot_segment(value):
        return ""
    key = normalise_profile_url(value)
    if not _is_profile_key(key):
        return ""
    if value.startswith(_LINKEDIN_PREFIXES):
        return key  # the host ends at that slash, whatever follows: nothing else to check
    return key if is_linkedin_host(browser_host(value)) else ""


def _is_profile_key(key: str) -> bool:
    # (a key never ends in a slash: "linkedin.com/in/" and nothing after it is "linkedin.com/in")
    return key.startswith(_PROFILE_PREFIXES)


def profile_keys(values: Iterable[str]) -> list[str]:
    """:func:`profile_key` of each value, for a whole column at once (LinkedIn's own form,
    most of an export, takes the batch path of :func:`normalise_profile_urls`)."""
    return _column_keys(values, profiles_only=True)
