"""The user's config file (TOML), optional.

Found at ``--config``, ``$BACKCHANNEL_CONFIG``, or ``config.toml`` in the user's config
directory. Everything has a default; an example::

    timezone = "Europe/Berlin"          # for interview dates without an offset
    language = "en"                     # the drafts' language: en or ru
    country = "US"                      # public holidays that business days skip
    templates_dir = "~/my-drafts"       # overrides of the draft templates (en/, ru/)
    back_channel_count = 3              # back-channel touches per interview

    [companies.aliases]                 # "written as" = "the same company as"
    "Alphabet" = "Google"
    "Meta Platforms" = "Facebook"

    [ties]                              # tie-strength weights (see ties.py)
    messages = 0.5

    [ranking]                           # evidence strengths (see rank.py)
    mutual = 1.0
    colleague = 0.5
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .domain import LANGUAGES
from .errors import BackchannelError
from .identity import normalise_company

__all__ = ["Config", "load_config", "default_config_path"]


@dataclass
class Config:
    timezone: str = ""
    language: str = ""
    country: str = ""
    templates_dir: str = ""
    back_channel_count: int = 3
    aliases: dict[str, str] = field(default_factory=dict)  # normalised -> normalised
    tie_weights: dict[str, float] = field(default_factory=dict)
    rank_weights: dict[str, float] = field(default_factory=dict)
    path: str = ""


def default_config_path() -> Path:
    env = os.environ.get("BACKCHANNEL_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("backchannel", appauthor=False)) / "config.toml"


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    path = Path(path) if path else default_config_path()
    if not path.exists():
        return Config()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise BackchannelError(f"config file is not valid TOML ({exc})", path=path) from None
    raw_aliases = data.get("companies", {}).get("aliases", {})
    aliases = {}
    for written, canonical in raw_aliases.items():
        aliases[normalise_company(written)] = normalise_company(str(canonical))
    language = str(data.get("language", "")).strip().lower()
    if language and language not in LANGUAGES:
        raise BackchannelError(f"language {language!r} is not available; use one of {', '.join(LANGUAGES)}",
                               path=path)
    country = str(data.get("country", "")).strip().upper()
    if country:
        from .times import work_calendar

        try:
            work_calendar(country)
        except BackchannelError as exc:
            raise BackchannelError(exc.message, path=path) from None
    zone = str(data.get("timezone", "")).strip()
    if zone:
        from .times import zone_from_name

        try:
            zone_from_name(zone)
        except BackchannelError as exc:
            raise BackchannelError(f"timezone: {exc.message}", path=path) from None
    try:
        return Config(
            timezone=str(data.get("timezone", "")),
            language=language,
            country=country,
            templates_dir=str(data.get("templates_dir", "")),
            back_channel_count=int(data.get("back_channel_count", 3)),
            aliases=aliases,
            tie_weights={k: float(v) for k, v in data.get("ties", {}).items()},
            rank_weights={k: float(v) for k, v in data.get("ranking", {}).items()},
            path=str(path),
        )
    except (TypeError, ValueError) as exc:
        raise BackchannelError(f"config file has a value of the wrong type ({exc})", path=path) from None
