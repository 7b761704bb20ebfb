"""Who is who: canonical forms of profile addresses, names and companies, and matching.

All matching in backchannel goes through this package, so that "ACME Corp." and "Acme",
``https://uk.linkedin.com/in/Jos%C3%A9/`` and ``www.linkedin.com/in/josé`` and
"José Pérez, PhD" and "jose perez" are the same everywhere.

- :mod:`~backchannel.identity.addresses`: LinkedIn profile addresses and email addresses, as
  keys and as checked (the host a browser would open).
- :mod:`~backchannel.identity.names`: people's names as keys, and names safe to show.
- :mod:`~backchannel.identity.companies`: companies as keys (legal forms aside), and finding
  companies by name.
- :mod:`~backchannel.identity.matching`: matching a reference to the people of a workspace.
- :mod:`~backchannel.identity.letters`: the text forms the keys are built from, and slugs.

Import from here (``from backchannel.identity import normalise_company``).
"""

from __future__ import annotations

# (the two private names imported "as" themselves are for drafts.py, which reads them from here)
from .addresses import (
    browser_host,
    canonical_profile_url,
    email_address,
    is_linkedin_host,
    normalise_email,
    normalise_profile_url,
    normalise_profile_urls,
    profile_key,
    profile_keys,
)
from .companies import _LEGAL_SUFFIXES as _LEGAL_SUFFIXES
from .companies import company_pick, company_search, normalise_company
from .letters import slugify
from .matching import CLOSEST_NAME_THRESHOLD, Match, PeopleIndex, PersonRecord
from .names import _looks_like_credentials as _looks_like_credentials
from .names import balance_bidi, normalise_name

__all__ = [
    "normalise_profile_url",
    "normalise_profile_urls",
    "canonical_profile_url",
    "normalise_name",
    "normalise_company",
    "normalise_email",
    "email_address",
    "profile_key",
    "profile_keys",
    "is_linkedin_host",
    "browser_host",
    "balance_bidi",
    "slugify",
    "PersonRecord",
    "Match",
    "PeopleIndex",
    "company_search",
    "company_pick",
    "CLOSEST_NAME_THRESHOLD",
]
