"""Phone numbers normalised by the million: the common shapes read straight from phonenumbers'
metadata, everything else by `phone.normalize`, with the same result.

`normalize` costs about 30 µs a number (parsing, then finding the number's region and
checking it against every number type, recompiling patterns on the way), most of an
import's work. Numbers written with digits, spaces, brackets, dots and dashes, with or
without a leading '+', are worked out here in a few µs: the steps of `phonenumbers.parse`
that such text can reach, then one pattern per number length for "valid in its region".
Whatever this does not settle as a valid number goes to `normalize`, so the outcome is
`normalize`'s (tests/test_import_numbers.py compares the two on many numbers).

Mirrors phonenumbers 8.13-9.0 (`parse`, `_maybe_extract_country_code`,
`_maybe_strip_national_prefix_carrier_code`, `_test_number_length`, `_number_type_helper`);
the import digests include phonenumbers' version, and the comparison test guards upgrades.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

from callcenter.domain.phone import NormalizedNumber, normalize

# Text (stripped) that can only be digits with formatting: no letters (extensions, URIs,
# withheld words), no ';' or ',' (RFC 3966 parts, auto-dial pauses), '+' only first.
_SIMPLE = re.compile(r"\+?[0-9 ().\-]+")
_NOT_DIGITS = str.maketrans("", "", " ().-+")
_MAX_COUNTRY_CODE_DIGITS = 3
_MIN_DIGITS = 3
_MIN_NSN = 2
_MAX_NSN = 17
_NON_GEO = "001"


@dataclass(frozen=True, slots=True)
class _Desc:
    """A PhoneNumberDesc's pattern (whole-string) and the lengths it allows (empty: any)."""

    pattern: re.Pattern[str] | None
    lengths: frozenset[int]

    def matches(self, nsn: str) -> bool:
        # phonenumbers' _is_number_matching_desc (match, then fullmatch, is fullmatch).
        if self.lengths and len(nsn) not in self.lengths:
            return False
        return self.pattern is not None and self.pattern.fullmatch(nsn) is not None


def _desc(desc: object) -> _Desc | None:
    if desc is None:
        return None
    pattern = getattr(desc, "national_number_pattern", None)
    return _Desc(
        re.compile(pattern) if pattern else None,
        frozenset(getattr(desc, "possible_length", None) or ()),
    )


# The number types "valid" looks at (_number_type_helper's, less general_desc); a number
# is valid if it is any of them, so the common ones go first.
_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)


class _Region:
    """One region's metadata as the fast path reads it."""

    def __init__(self, metadata: PhoneMetadata) -> None:
        assert metadata.country_code is not None, "geographic regions have one"
        self.code: str = metadata.id
        self.country_code: int = metadata.country_code
        self.leading_digits = metadata.leading_digits
        idd = metadata.international_prefix
        self.idd = re.compile(idd) if idd else None
        prefix = metadata.national_prefix_for_parsing
        self.national_prefix = re.compile(prefix) if prefix else None
        general = metadata.general_desc
        self.general = _desc(general)
        self.lengths: tuple[int, ...] = tuple(general.possible_length or ()) if general else ()
        self.local_lengths: frozenset[int] = frozenset(
            (general.possible_length_local_only or ()) if general else ()
        )
        types = [
            _desc(getattr(metadata, name, None))
            for name in _TYPES
            # With the same pattern, phonenumbers takes a number that is no fixed line
            # for no mobile either (whatever the mobile lengths say).
            if name != "mobile" or not metadata.same_mobile_and_fixed_line_pattern
        ]
        self.types = [t for t in types if t is not None]

    def is_valid(self, nsn: str) -> bool:
        """phonenumbers' `_number_type_helper(nsn, metadata) != UNKNOWN`."""
        return (
            self.general is not None
            and self.general.matches(nsn)
            and any(t.matches(nsn) for t in self.types)
        )

    def strips_national_prefix(self, number: str) -> bool:
        """Whether `_maybe_strip_national_prefix_carrier_code` could change `number`."""
        return (
            bool(number)
            and self.national_prefix is not None
            and bool(self.national_prefix.match(number))
        )

    def too_long(self, number: str) -> bool:
        """`_test_number_length(number, metadata) == TOO_LONG`."""
        length = len(number)
        if not self.lengths or length in self.local_lengths:
            return False
        return self.lengths[0] < length and self.lengths[-1] < length

    def matches_general(self, number: str) -> bool:
        """`_match_national_number(number, general_desc, False)`: the pattern alone."""
        general = self.general
        return (
            general is not None
            and general.pattern is not None
            and (general.pattern.fullmatch(number) is not None)
        )


@cache
def _region(code: str) -> _Region | None:
    metadata = PhoneMetadata.metadata_for_region(code, None)
    if metadata is None or metadata.country_code is None:
        return None
    return _Region(metadata)


@cache
def _region_of_country_code(country_code: int) -> _Region | None:
    """The region whose validity decides numbers of `country_code`, when the fast path can
    tell: a country code's only region, or its main one if that is told apart by pattern
    rather than leading digits (region_code_for_number tries the main region first)."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
    if not regions or regions[0] == _NON_GEO:
        return None
    region = _region(regions[0])
    if region is None or (len(regions) > 1 and region.leading_digits is not None):
        return None
    return region


class NumberReader:
    """`phone.normalize(raw, region, outside_prefix)`, faster for the common shapes."""

    def __init__(self, region: str, outside_prefix: str = "") -> None:
        self.region = region
        self.outside_prefix = outside_prefix
        self._home = _region(region.upper())

    def normalize(self, raw: str) -> NormalizedNumber:
        found = self._fast(raw)
        if found is not None:
            return found
        return normalize(raw, self.region, self.outside_prefix)

    def _fast(self, raw: str) -> NormalizedNumber | None:
        """The valid number `raw` is, or None when that takes phone.normalize to tell."""
        home = self._home
        text = raw.strip()
        if home is None or not _SIMPLE.fullmatch(text):
            return None
        digits = text.translate(_NOT_DIGITS)
        # Fewer digits may not even be a number to phonenumbers.
        if len(digits) < _MIN_DIGITS:
            return None
        plus = text.startswith("+")
        # phone.normalize tries the number without the outside-line prefix first.
        prefix = self.outside_prefix
        if prefix and not plus and digits.startswith(prefix) and len(digits) > len(prefix):
            digits = digits[len(prefix) :]
        parsed = _parse(plus, digits, home)
        if parsed is None:
            return None
        country_code, nsn = parsed
        region = _region_of_country_code(country_code)
        if region is None or not region.is_valid(nsn):
            return None
        return NormalizedNumber(
            raw=raw,
            key=f"+{country_code}{nsn}",
            parsed=True,
            valid=True,
            region=region.code,
            national=nsn,
        )


def _parse(plus: bool, digits: str, home: _Region) -> tuple[int, str] | None:
    """(country code, national significant number) as phonenumbers.parse reads the digits,
    or None where its reading takes more than the steps below."""
    metadata = home
    if plus:
        country_code, national = _split_country_code(digits)
        if not country_code:
            return None
        extracted = True
    elif home.idd is not None and home.idd.match(digits):
        return None
    else:
        country_code, national, extracted = home.country_code, digits, False
        code = str(country_code)
        if digits.startswith(code):
            # A national number written with the country code but no '+' (1 212 ...).
            potential = digits[len(code) :]
            if home.strips_national_prefix(potential):
                return None
            if (
                not home.matches_general(digits) and home.matches_general(potential)
            ) or home.too_long(digits):
                national, extracted = potential, True
    if extracted:
        # The rest is read with the metadata of the country code's main region.
        regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
        if not regions or regions[0] == _NON_GEO:
            return None
        if regions[0] != home.code:
            found = _region(regions[0])
            if found is None:
                return None
            metadata = found
    if (
        len(national) < _MIN_NSN
        or len(national) > _MAX_NSN
        # Leading zeros (Italy) and national prefixes take phonenumbers' own reading.
        or national[0] == "0"
        or metadata.strips_national_prefix(national)
    ):
        return None
    return country_code, national


def _split_country_code(digits: str) -> tuple[int, str]:
    """phonenumbers' `_extract_country_code` after a '+': (0, ...) when there is none."""
    if len(digits) <= _MIN_NSN or digits[0] == "0":
        return 0, digits
    for length in range(1, min(len(digits), _MAX_COUNTRY_CODE_DIGITS) + 1):
        country_code = int(digits[:length])
        if country_code in COUNTRY_CODE_TO_REGION_CODE:
            return country_code, digits[length:]
    return 0, digits
