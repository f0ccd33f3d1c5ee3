"""The time zones a person can choose: Russia's first, then the rest of the world, each as "City (UTC+3)".

* **Which zones**: the IANA database's canonical zones, the ones `zone.tab` lists (one or more per
  country: what a person looks for), plus UTC — never the legacy aliases (`Africa/Asmera`, `Europe/Kiev`,
  `US/Pacific`, `Etc/GMT+3`...) that `zoneinfo.available_timezones()` also holds. `zone.tab` comes with the
  `tzdata` package (a dependency), so the list follows every tzdata update without a migration: the model's
  choices are this module's callable (`time_zone_choices`), which Django evaluates when it validates.
* **Russia first**: the zones `zone.tab` gives to RU, west to east.
* **Names in the reader's language**: the city names of the Unicode CLDR (through Babel: "Москва",
  "Екатеринбург"; CLDR still keys some zones by their old ids, mapped through Babel's alias table), with
  the country for zones outside Russia; the offset is today's ("UTC+3", "UTC-4", "UTC+5:30").
The stored value stays the IANA id.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.core import get_global
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

RUSSIA = "RU"
UTC = "UTC"


@lru_cache(maxsize=1)
def _zone_tab() -> tuple[tuple[str, str], ...]:
    """(IANA id, country code) for every zone of `zone.tab`, among the zones this Python can load."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    available = zoneinfo.available_timezones()
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        country, _coordinates, zone, *_comment = line.split("\t")
        if zone in available:
            rows.append((zone, country))
    return tuple(rows)


def offered_zones() -> frozenset[str]:
    """Every IANA id a person may choose (what the model's choices accept)."""
    return frozenset([UTC, *(zone for zone, _country in _zone_tab())])


@lru_cache(maxsize=1)
def _cldr_ids() -> dict[str, list[str]]:
    """IANA id → the older ids CLDR may still key its names by (Europe/Kyiv → Europe/Kiev)."""
    older: dict[str, list[str]] = {}
    for alias, canonical in get_global("zone_aliases").items():
        older.setdefault(canonical, []).append(alias)
    return older


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language, sep="-")
    except Exception:
        return Locale.parse(settings.LANGUAGE_CODE)


def city_name(zone: str, locale: Locale) -> str:
    names = locale.time_zones
    for key in (zone, *_cldr_ids().get(zone, ())):
        city = names.get(key, {}).get("city")
        if city:
            return city
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(zone: str, at: datetime.datetime) -> str:
    """ "UTC+3", "UTC-3:30", "UTC+0" — ASCII, so "utc-3" finds it when searched."""
    offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _offset_minutes(zone: str, at: datetime.datetime) -> int:
    return int((at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or datetime.timedelta()).total_seconds() // 60)


@lru_cache(maxsize=8)
def _choices(language: str, hour: datetime.datetime) -> tuple:
    locale = _locale(language)
    countries = locale.territories
    russia, world = [], []
    for zone, country in _zone_tab():
        city = city_name(zone, locale)
        offset = utc_offset(zone, hour)
        order = (_offset_minutes(zone, hour), city)
        if country == RUSSIA:
            russia.append((order, zone, f"{city} ({offset})"))
        else:
            country_name = countries.get(country, country)
            place = city if city == country_name else f"{city}, {country_name}"
            world.append((order, zone, f"{place} ({offset})"))
    with translation.override(language):
        others = _("Other time zones")
    return (
        (countries.get(RUSSIA, RUSSIA), tuple((zone, label) for _order, zone, label in sorted(russia))),
        (others, ((UTC, UTC), *((zone, label) for _order, zone, label in sorted(world)))),
    )


def time_zone_choices() -> list:
    """Grouped choices in the active language with today's offsets: [(group, [(IANA id, label), ...]), ...].
    Cached per language and hour (offsets change with daylight saving time)."""
    now = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return [(group, list(zones)) for group, zones in _choices(language, now)]


def canonical_zone(zone: str) -> str | None:
    """The offered zone an older or alias id stands for (`Europe/Kiev` → `Europe/Kyiv`, `Etc/UTC` → `UTC`):
    its new name, else the offered zone whose tzdata file is the same (tzdata ships a link as a copy of its
    target), or None (`Etc/GMT+3`)."""
    offered = offered_zones()
    if zone in offered:
        return zone
    renamed = get_global("zone_aliases").get(zone)  # CLDR's table of renamed zones: Africa/Asmera → Africa/Asmara
    if renamed in offered:
        return renamed
    zones = resources.files("tzdata").joinpath("zoneinfo")
    try:
        wanted = zones.joinpath(*zone.split("/")).read_bytes()
    except (OSError, ValueError):
        return None
    for candidate in sorted(offered):
        if zones.joinpath(*candidate.split("/")).read_bytes() == wanted:
            return candidate
    return None
