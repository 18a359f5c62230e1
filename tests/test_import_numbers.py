"""The import's quick number reading gives exactly what phone.normalize gives."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from callcenter.domain.phone import normalize
from callcenter.services.import_numbers import NumberReader

EXAMPLES = [
    ("US", "", "(212) 555-0142"),
    ("US", "", "212-555-0142"),
    ("US", "", "212.555.0142"),
    ("US", "", "+1 212 555 0142"),
    ("US", "", "12125550142"),
    ("US", "", "1 (212) 555-0142"),
    ("US", "", "011 44 20 7946 0018"),
    ("US", "", "+44 20 7946 0018"),
    ("US", "", "+1 242 357 1234"),  # the Bahamas share +1
    ("US", "", "+39 06 6982 1234"),  # Italian numbers keep their leading zero
    ("US", "", "+7 495 123 4567"),
    ("US", "", "+800 1234 5678"),  # no country: international freephone
    ("US", "", "555-0142"),
    ("US", "", "(212) 555-0142 x12"),
    ("US", "", "12"),
    ("US", "", "n/a"),
    ("US", "9", "9 212 555 0142"),
    ("US", "9", "912125550142"),
    ("US", "9", "+1 212 555 0142"),
    ("CN", "", "13800138000"),
    ("CN", "", "008613800138000"),
    ("CN", "", "8613800138000"),
    ("CN", "", "(020) 8765 4321"),
    ("GB", "", "020 7946 0018"),
    ("GB", "", "07700 900123"),
    ("DE", "", "030 123456"),
    ("CA", "", "(416) 555-0199"),
    ("CA", "", "+1 212 555 0142"),
]


@pytest.mark.parametrize(("region", "prefix", "raw"), EXAMPLES)
def test_the_same_as_normalize(region, prefix, raw):
    assert NumberReader(region, prefix).normalize(raw) == normalize(raw, region, prefix)


def test_the_same_as_normalize_for_numbers_of_every_region():
    rng = random.Random(7)
    examples = [
        example
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE)
        if (example := phonenumbers.example_number_for_type(region, kind)) is not None
    ]
    homes = ["US", "CA", "GB", "DE", "FR", "IT", "CN", "IN", "AU", "BR", "RU", "JP", "KZ", "GG"]
    fast = 0
    for _ in range(6000):
        example = rng.choice(examples)
        nsn = phonenumbers.national_significant_number(example)
        tail = rng.randint(1, min(4, len(nsn)))
        nsn = nsn[:-tail] + "".join(str(rng.randint(0, 9)) for _ in range(tail))
        code = example.country_code
        form = rng.random()
        if form < 0.3:
            raw = f"+{code} {nsn}"
        elif form < 0.55:
            raw = f"{code}{nsn}"
        elif form < 0.8:
            raw = nsn
        else:
            number = phonenumbers.parse(f"+{code}{nsn}")
            raw = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        region, prefix = rng.choice(homes), rng.choice(["", "", "", "9", "0"])
        if prefix and rng.random() < 0.5:
            raw = prefix + raw
        reader = NumberReader(region, prefix)
        fast += reader._fast(raw) is not None
        assert reader.normalize(raw) == normalize(raw, region, prefix), (region, prefix, raw)
    # Most of them took the quick way: the comparison tested it.
    assert fast > 1000
