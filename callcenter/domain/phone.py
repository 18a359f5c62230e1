"""Phone numbers as caller identity: one normalisation used for storing and for looking up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneNumberFormat,
    PhoneNumberType,
    geocoder,
    timezone,
)

WITHHELD_WORDS = frozenset(
    {"", "anonymous", "unknown", "restricted", "private", "unavailable", "withheld"}
)

_URI_SCHEME = re.compile(r"^\s*(?:sips?|tel|callto):", re.IGNORECASE)
_NON_DIGITS = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class NormalizedNumber:
    """A caller id reduced to the key it is stored and matched by.

    `key` is E.164 (``+12125550142``) when phonenumbers reads the input as a possible number,
    else its bare digits (``parsed`` is then False, and ``problem`` says why). Extensions are
    kept apart and never part of the key. A withheld caller id has an empty key.
    """

    raw: str
    key: str
    withheld: bool = False
    parsed: bool = False
    valid: bool = False
    extension: str | None = None
    region: str | None = None
    national: str = ""
    problem: str | None = None


def _strip_uri(raw: str) -> str:
    """`sip:+12125550142@10.1.2.3:5060;user=phone` -> `+12125550142`."""
    text = _URI_SCHEME.sub("", raw).strip()
    text = text.split(";", 1)[0]
    if "@" in text:
        text = text.split("@", 1)[0]
    return text.strip("<> ")


def is_withheld(raw: str | None) -> bool:
    return raw is None or raw.strip().strip("<>\"' ").lower() in WITHHELD_WORDS


def _withheld(raw: str) -> NormalizedNumber:
    return NormalizedNumber(raw, "", withheld=True)


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


@lru_cache(maxsize=4096)
def normalize(raw: str | None, region: str = "US", outside_prefix: str = "") -> NormalizedNumber:
    """Normalise a caller id as typed, imported or sent by a PBX.

    Never raises: withheld ids give an empty key, unparseable ones their digits.
    """
    raw = raw or ""
    if is_withheld(raw):
        return _withheld(raw)
    text = _strip_uri(raw)
    if is_withheld(text):
        return _withheld(raw)
    candidates = [text]
    if outside_prefix and not text.startswith("+"):
        digits = _NON_DIGITS.sub("", text)
        if digits.startswith(outside_prefix) and len(digits) > len(outside_prefix):
            # The PBX prepends the prefix to every outside caller id; try without it first,
            # and keep the number as sent only if the stripped one is not a real number.
            candidates.insert(0, digits[len(outside_prefix) :])
    best: phonenumbers.PhoneNumber | None = None
    best_region: str | None = None
    valid = False
    for candidate in candidates:
        number = _parse(candidate, region)
        if number is None:
            continue
        # is_valid_number() taken apart, so the costly region lookup runs once per number
        # (imports normalise millions).
        number_region = phonenumbers.region_code_for_number(number)
        if number_region is not None and phonenumbers.is_valid_number_for_region(
            number, number_region
        ):
            best, best_region, valid = number, number_region, True
            break
        if best is None and phonenumbers.is_possible_number(number):
            best, best_region = number, number_region
    if best is None:
        digits = _NON_DIGITS.sub("", candidates[0])
        problem = "impossible" if any(_parse(c, region) for c in candidates) else "unparseable"
        return NormalizedNumber(raw, digits, national=digits, problem=problem)
    return NormalizedNumber(
        raw=raw,
        key=phonenumbers.format_number(best, PhoneNumberFormat.E164),
        parsed=True,
        valid=valid,
        extension=best.extension or None,
        region=best_region,
        national=str(best.national_number),
        problem=None if valid else "invalid",
    )


def digits_reversed(key: str) -> str:
    """The key's digits back to front: an index on it answers 'numbers ending in ...'."""
    return _NON_DIGITS.sub("", key)[::-1]


def national_part(key: str) -> str:
    """The national significant number of an E.164 key without parsing it; digits otherwise."""
    if not key.startswith("+"):
        return key
    for length in (1, 2, 3):
        if int(key[1 : 1 + length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return key[1 + length :]
    return key[1:]


def format_for_display(key: str, home_region: str = "US") -> str:
    """National format for numbers of the home region, international for the rest."""
    if not key.startswith("+"):
        return key
    try:
        number = phonenumbers.parse(key)
    except NumberParseException:
        return key
    if phonenumbers.region_code_for_number(number) == home_region:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


@dataclass(frozen=True, slots=True)
class NumberPlace:
    """Where a number is registered: for the card's location and the caller's local time."""

    location: str
    time_zones: tuple[str, ...]


def place_of(key: str, language: str = "en") -> NumberPlace | None:
    if not key.startswith("+"):
        return None
    try:
        number = phonenumbers.parse(key)
    except NumberParseException:
        return None
    zones = tuple(zone for zone in timezone.time_zones_for_number(number) if zone != "Etc/Unknown")
    return NumberPlace(geocoder.description_for_number(number, language), zones)


def number_type(key: str) -> str | None:
    if not key.startswith("+"):
        return None
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(key))
    except NumberParseException:
        return None
    return {
        PhoneNumberType.MOBILE: "mobile",
        PhoneNumberType.FIXED_LINE: "landline",
        PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline or mobile",
        PhoneNumberType.TOLL_FREE: "toll free",
        PhoneNumberType.VOIP: "voip",
    }.get(kind)
