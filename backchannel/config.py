"""The user's config file (TOML), optional.

Found at ``--config``, ``$BACKCHANNEL_CONFIG``, or ``config.toml`` in the user's config
directory. Everything has a default; an example::

    timezone = "Europe/Berlin"          # for interview dates without an offset
    language = "en"                     # the drafts' language: en or ru
    country = "US"                      # public holidays that business days skip
    templates_dir = "~/my-drafts"       # overrides of the draft templates (en/, ru/)
    back_channel_count = 3              # back-channel touches per interview (0 to 20)
    email = ["me@example.com", "me@work.example"]   # your own addresses (a string or a list)

    [companies.aliases]                 # "written as" = "the same company as"
    "Alphabet" = "Google"
    "Meta Platforms" = "Facebook"

    [ties]                              # tie-strength weights (see ties.py), each 0 to 1
    messages = 0.5

    [ranking]                           # evidence strengths (see rank.py), each 0 to 1
    mutual = 1.0
    colleague = 0.5

Every value is checked when the file is read: a value of the wrong type, a weight that is not
a number from 0 to 1 (``nan`` and ``inf`` included), a count out of range, an unknown zone,
language or country, a templates folder that is not there, an address that is not one, is one
error naming the file and the key. Keys backchannel does not know are ignored and listed in
:attr:`Config.warnings` (the command line shows them once, on stderr). The file must be a
regular file of at most 1 MiB: a pipe, a device or a folder is refused, never waited on.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .domain import LANGUAGES
from .errors import BackchannelError
from .identity import normalise_company, normalise_email
from .ties import TIE_WEIGHTS

__all__ = ["Config", "load_config", "default_config_path", "RANKING_WEIGHTS", "MAX_BACK_CHANNEL_COUNT"]

#: the names ``rank.rank_candidates`` reads from ``[ranking]``, and their ranges: the evidence
#: strengths and the colleague's reach are probabilities; ``willing_scale`` divides a tie strength
RANKING_WEIGHTS: dict[str, tuple[float, float]] = {
    "mutual": (0.0, 1.0), "second_degree": (0.0, 1.0), "co_thread": (0.0, 1.0), "colleague": (0.0, 1.0),
    "willing_scale": (0.01, 10.0),
}
MAX_BACK_CHANNEL_COUNT = 20
_MAX_BYTES = 1 << 20
_TOP_KEYS = ("timezone", "language", "country", "templates_dir", "back_channel_count", "email", "companies",
             "ties", "ranking")


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
    #: the user's own mail addresses (config key ``email``), normalised, in the file's order
    emails: list[str] = field(default_factory=list)
    path: str = ""
    #: what was ignored in the file (unknown keys), for the command line to show once
    warnings: list[str] = field(default_factory=list)


def default_config_path() -> Path:
    env = os.environ.get("BACKCHANNEL_CONFIG")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("backchannel", appauthor=False)) / "config.toml"


def _read(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file. Never waits on a pipe or a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BackchannelError(f"cannot read the config file ({exc.strerror or exc})", path=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe or a device"
            raise BackchannelError(f"the config file is {kind}, not a file; point --config (or "
                                   "BACKCHANNEL_CONFIG) at a TOML file", path=path)
        if info.st_size > _MAX_BYTES:
            raise BackchannelError("the config file is larger than 1 MiB; is it the right file?", path=path)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise BackchannelError(f"cannot read the config file ({exc.strerror or exc})", path=path) from None
    finally:
        os.close(fd)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """The config at ``path`` (default: :func:`default_config_path`), every value checked;
    the defaults when there is no file."""
    path = Path(path) if path else default_config_path()
    raw = _read(path)
    if raw is None:
        return Config()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BackchannelError(f"config file is not valid TOML ({exc})", path=path) from None
    return _Checker(path).config(data)


class _Checker:
    """Turns the parsed TOML into a :class:`Config`; the first bad value is an error naming
    the file and the key."""

    def __init__(self, path: Path):
        self.path = path
        self.unknown: list[str] = []

    def fail(self, key: str, problem: str) -> BackchannelError:
        return BackchannelError(f"{key}: {problem}", path=self.path)

    def table(self, data: Mapping[str, Any], key: str, known: tuple[str, ...] | None) -> dict[str, Any]:
        value = data.get(key.rsplit(".", 1)[-1], {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{key}]), not {_shown(value)}")
        if known is not None:
            self.unknown += [f"{key}.{k}" for k in value if k not in known]
        return value

    def text(self, data: Mapping[str, Any], key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string in quotes, not {_shown(value)}")
        return value.strip()

    def number(self, key: str, value: object, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not low <= value <= high:
            raise self.fail(key, f"must be a number from {low:g} to {high:g}, not {_shown(value)}")
        return float(value)

    def config(self, data: dict[str, Any]) -> Config:
        self.unknown += [k for k in data if k not in _TOP_KEYS]
        language = self.text(data, "language").lower()
        if language and language not in LANGUAGES:
            raise self.fail("language", f"{language!r} is not available; use one of {', '.join(LANGUAGES)}")
        country = self.text(data, "country").upper()
        if country:
            from .times import work_calendar

            try:
                work_calendar(country)
            except BackchannelError as exc:
                raise self.fail("country", exc.message) from None
        zone = self.text(data, "timezone")
        if zone:
            from .times import zone_from_name

            try:
                zone_from_name(zone)
            except BackchannelError as exc:
                raise self.fail("timezone", exc.message) from None
        templates_dir = self.text(data, "templates_dir")
        if templates_dir and not Path(templates_dir).expanduser().is_dir():
            raise self.fail("templates_dir", f"no such folder: {templates_dir}")
        count = data.get("back_channel_count", 3)
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_BACK_CHANNEL_COUNT:
            raise self.fail("back_channel_count", f"must be a whole number from 0 to {MAX_BACK_CHANNEL_COUNT}, "
                                                  f"not {_shown(count)}")
        companies = self.table(data, "companies", ("aliases",))
        aliases = {}
        for written, canonical in self.table(companies, "companies.aliases", None).items():
            if not isinstance(canonical, str) or not canonical.strip() or not normalise_company(written):
                raise self.fail(f"companies.aliases.{written}", "must be a company's name in quotes, not "
                                + _shown(canonical))
            aliases[normalise_company(written)] = normalise_company(canonical)
        ties = self.table(data, "ties", tuple(TIE_WEIGHTS))
        tie_weights = {k: self.number(f"ties.{k}", v, 0.0, 1.0) for k, v in ties.items() if k in TIE_WEIGHTS}
        if not sum({**TIE_WEIGHTS, **tie_weights}.values()):
            raise self.fail("ties", "every weight is 0: at least one must be above 0")
        ranking = self.table(data, "ranking", tuple(RANKING_WEIGHTS))
        rank_weights = {k: self.number(f"ranking.{k}", v, *RANKING_WEIGHTS[k]) for k, v in ranking.items()
                        if k in RANKING_WEIGHTS}
        return Config(timezone=zone, language=language, country=country, templates_dir=templates_dir,
                      back_channel_count=count, aliases=aliases, tie_weights=tie_weights, rank_weights=rank_weights,
                      emails=self.emails(data.get("email", [])), path=str(self.path),
                      warnings=[f"{self.path}: unknown {'key' if len(self.unknown) == 1 else 'keys'} ignored: "
                                + ", ".join(self.unknown)] if self.unknown else [])

    def emails(self, value: object) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise self.fail("email", f"must be an address in quotes or a list of them, not {_shown(value)}")
        emails: list[str] = []
        for text in values:
            address = normalise_email(text)
            local, at, domain = address.partition("@")
            if not (local and at and "." in domain.strip(".") and "@" not in domain) \
                    or any(ch.isspace() or ord(ch) < 32 for ch in address):
                raise self.fail("email", f"{text!r} is not a mail address")
            if address not in emails:
                emails.append(address)
        return emails


def _shown(value: object) -> str:
    """A TOML value as the user wrote it, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "..."
