"""Demo customers: Faker name pools and valid numbers of a region, combined by a seeded RNG."""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import TypeVar

import phonenumbers
from faker import Faker
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from callcenter.domain.customers import CustomerDraft, PhoneEntry
from callcenter.domain.errors import ValidationError
from callcenter.domain.search import fold

LOCALES = {
    "US": "en_US",
    "GB": "en_GB",
    "CN": "zh_CN",
    "FR": "fr_FR",
    "DE": "de_DE",
    "CA": "en_CA",
    "AU": "en_AU",
    "IE": "en_IE",
    "IN": "en_IN",
    "NZ": "en_NZ",
    "ES": "es_ES",
    "MX": "es_MX",
    "IT": "it_IT",
    "NL": "nl_NL",
    "AT": "de_AT",
    "CH": "de_CH",
    "BR": "pt_BR",
    "PT": "pt_PT",
    "PL": "pl_PL",
    "SE": "sv_SE",
    "JP": "ja_JP",
    "KR": "ko_KR",
    "TW": "zh_TW",
}
FALLBACK_LOCALE = "en_US"
# Written family name first and without a space between the names.
FAMILY_NAME_FIRST = frozenset({"zh_CN", "zh_TW", "ja_JP", "ko_KR"})

TIERS = ("standard", "silver", "gold", "platinum")
_TIER_WEIGHTS = tuple(accumulate((70, 18, 9, 3)))
CUSTOMER_NOTES = (
    "Prefers to be contacted by email.",
    "Hard of hearing: speak slowly and clearly.",
    "Asked not to be called before 10:00.",
    "VIP account: escalate complaints to the supervisor.",
    "Pays by direct debit; check the mandate before changing plans.",
    "Has a pending refund, see the last call.",
    "Speaks Spanish; offer an interpreter.",
    "Moved house recently; confirm the address.",
    "Call back on the mobile, not the landline.",
    "Long-standing customer since 2009.",
    "Disputed the March invoice; resolved with a credit note.",
    "Interested in the premium plan.",
)

# How a number is written when typed in by someone: national format mostly.
_FORMAT_WEIGHTS = tuple(accumulate((65, 15, 10, 10)))
_PHONE_COUNTS = tuple(accumulate((66, 27, 7)))
_NON_ALNUM = re.compile(r"[^a-z0-9]")
_POOL_SIZE = 1500
_RANGES_PER_AREA = 6
# Customers are made in blocks with a seed each, so their data does not depend on batch sizes.
BLOCK = 10_000


def locale_for(region: str) -> str:
    return LOCALES.get(region.upper(), FALLBACK_LOCALE)


@dataclass(frozen=True)
class NamePools:
    """Draws from Faker made once per locale and seed; combined, they give millions of people."""

    locale: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[str, ...]
    postcodes: tuple[str, ...]
    states: tuple[str, ...]
    free_domains: tuple[str, ...]
    user_names: tuple[str, ...]

    def full_name(self, first: str, last: str) -> str:
        if self.locale in FAMILY_NAME_FIRST:
            return f"{last}{first}"
        return f"{first} {last}"


def _draw(faker: Faker, method: str, count: int) -> tuple[str, ...]:
    make: Callable[[], object] | None = getattr(faker, method, None)
    if make is None:
        return ()
    try:
        return tuple(str(make()) for _ in range(count))
    except AttributeError:
        # Some locales name a provider method but lack the data behind it.
        return ()


@cache
def name_pools(locale: str, seed: int) -> NamePools:
    faker = Faker(locale)
    faker.seed_instance(seed)
    states: tuple[str, ...] = ()
    for method in ("state_abbr", "administrative_unit", "state", "county", "region"):
        states = _draw(faker, method, 200)
        if states:
            break
    return NamePools(
        locale=locale,
        first_names=_draw(faker, "first_name", _POOL_SIZE),
        last_names=_draw(faker, "last_name", _POOL_SIZE),
        companies=_draw(faker, "company", _POOL_SIZE),
        streets=_draw(faker, "street_address", 2 * _POOL_SIZE),
        cities=_draw(faker, "city", 500),
        postcodes=_draw(faker, "postcode", _POOL_SIZE),
        states=states,
        free_domains=_draw(faker, "free_email_domain", 60),
        user_names=_draw(faker, "user_name", _POOL_SIZE),
    )


@dataclass(frozen=True)
class NumberRange:
    """A block of 10**tail valid numbers sharing everything but their last `tail` digits."""

    key_prefix: str
    tail: int
    # National, international, E.164 and bare-digits forms, with the tail as {0}..{n}.
    templates: tuple[str, str, str, str]

    def number(self, rng: random.Random) -> tuple[str, str]:
        """A random (key, raw) of this range, the raw written as people type it."""
        suffix = f"{int(rng.random() * 10**self.tail):0{self.tail}d}"
        form = pick_weighted(rng, self.templates, _FORMAT_WEIGHTS)
        return self.key_prefix + suffix, form.format(*suffix)


@dataclass(frozen=True)
class NumberPlan:
    region: str
    mobile: tuple[NumberRange, ...]
    fixed: tuple[NumberRange, ...]
    # Kept apart from customers' ranges: callers who are no customer, the center's own lines.
    spare: tuple[NumberRange, ...]


def _template(formatted: str, tail: int) -> str:
    positions = [i for i, ch in enumerate(formatted) if ch.isdigit()][-tail:]
    chars = list(formatted.replace("{", "{{").replace("}", "}}"))
    if "{" in formatted or "}" in formatted:
        raise ValueError(f"unexpected brace in {formatted!r}")
    for k, i in enumerate(positions):
        chars[i] = "{" + str(k) + "}"
    return "".join(chars)


def _number_range(region: str, kind: int, nsn: str, tail: int) -> NumberRange | None:
    """The range of `nsn`'s stem if its first, last and some middle numbers are valid there."""
    code = phonenumbers.country_code_for_region(region)
    stem = nsn[:-tail]
    kinds = (kind, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    for suffix in ("0" * tail, "9" * tail, nsn[-tail:], "5" * tail):
        number = phonenumbers.parse(f"+{code}{stem}{suffix}")
        if phonenumbers.national_significant_number(number) != stem + suffix:
            return None
        if not phonenumbers.is_valid_number_for_region(number, region):
            return None
        if phonenumbers.number_type(number) not in kinds:
            return None
    number = phonenumbers.parse(f"+{code}{nsn}")
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    forms = (
        national,
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        re.sub(r"\D", "", national),
    )
    if not all(re.sub(r"\D", "", form).endswith(nsn[-tail:]) for form in forms):
        return None
    templates = tuple(_template(form, tail) for form in forms)
    return NumberRange(
        f"+{code}{stem}", tail, (templates[0], templates[1], templates[2], templates[3])
    )


def _ranges_of_type(
    region: str, kind: int, rng: random.Random, wanted: int, attempts: int
) -> list[NumberRange]:
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        return []
    nsn = phonenumbers.national_significant_number(example)
    tail = min(4, max(1, len(nsn) - 3))
    found: dict[str, NumberRange] = {}
    per_area: Counter[str] = Counter()
    example_range = _number_range(region, kind, nsn, tail)
    if example_range is not None:
        found[example_range.key_prefix] = example_range
    for _ in range(attempts):
        if len(found) >= wanted:
            break
        # Keep none to a few leading digits of the example and vary the rest.
        keep = 0 if rng.random() < 0.85 else rng.randint(1, min(3, len(nsn) - tail))
        candidate = nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
        # A few ranges per leading three digits, so numbers spread over many area codes.
        if per_area[candidate[:3]] >= _RANGES_PER_AREA:
            continue
        number_range = _number_range(region, kind, candidate, tail)
        if number_range is not None and number_range.key_prefix not in found:
            found[number_range.key_prefix] = number_range
            per_area[candidate[:3]] += 1
    return sorted(found.values(), key=lambda r: r.key_prefix)


@cache
def number_plan(region: str) -> NumberPlan:
    """Valid number ranges of `region`, the same on every run (they depend on nothing else)."""
    rng = random.Random(f"number-ranges:{region}")
    mobile = _ranges_of_type(region, PhoneNumberType.MOBILE, rng, 400, 6000)
    fixed = _ranges_of_type(region, PhoneNumberType.FIXED_LINE, rng, 400, 6000)
    if not fixed:
        fixed = mobile
    if not mobile:
        mobile = fixed
    if not fixed:
        raise ValueError(f"phonenumbers knows no example numbers for region {region}")
    spare = [fixed.pop() for _ in range(max(1, len(fixed) // 10))] if len(fixed) > 1 else fixed
    return NumberPlan(region, tuple(mobile), tuple(fixed), tuple(spare))


T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """What rng.choice does at a fraction of its cost: millions of draws add up."""
    return items[int(rng.random() * len(items))]


def pick_weighted(rng: random.Random, items: Sequence[T], cum_weights: Sequence[float]) -> T:
    return items[min(len(items) - 1, bisect(cum_weights, rng.random() * cum_weights[-1]))]


@cache
def _ascii_word(text: str) -> str:
    return _NON_ALNUM.sub("", fold(text))


def check_capacity(numbers: NumberPlan, customers: int) -> None:
    """Refuse more customers than the region's demo ranges hold numbers for, comfortably."""
    capacity = sum(10**r.tail for r in (*numbers.mobile, *numbers.fixed))
    if customers * 1.5 > capacity * 0.6:
        raise ValidationError(
            "customers",
            f"{customers:,} is too many for the demo numbers of region {numbers.region} "
            f"(at most {int(capacity * 0.4):,})",
        )


class CustomerFactory:
    """Customers of one demo run: block `b` holds customers b*BLOCK .. (b+1)*BLOCK - 1."""

    def __init__(
        self,
        pools: NamePools,
        numbers: NumberPlan,
        seed: int,
        run: int,
        count: int,
        external_prefix: str,
    ) -> None:
        self._pools = pools
        self._numbers = numbers
        self._seed = seed
        self._run = run
        self.count = count
        self._external_prefix = external_prefix
        self._used: set[str] = set()
        check_capacity(numbers, count)
        rng = random.Random(f"{seed}:{run}:companies")
        company_count = min(50_000, max(8, count // 25))
        names = pools.companies or ("Acme",)
        self.companies: list[tuple[str, PhoneEntry]] = []
        for k in range(company_count):
            name = names[k % len(names)]
            if k >= len(names):
                # More companies than Faker names: branches in different cities.
                name = f"{name} ({rng.choice(pools.cities or ('Branch',))})"
            key, raw = self._new_number(rng, numbers.fixed)
            self.companies.append((name, PhoneEntry(raw, key, label="switchboard")))

    @property
    def blocks(self) -> int:
        return -(-self.count // BLOCK)

    def _new_number(self, rng: random.Random, ranges: Sequence[NumberRange]) -> tuple[str, str]:
        for _attempt in range(10_000):
            key, raw = pick(rng, ranges).number(rng)
            if key not in self._used:
                self._used.add(key)
                return key, raw
        raise ValidationError(
            "customers",
            f"too many for the demo numbers of region {self._numbers.region}; ask for fewer",
        )

    def block(self, index: int) -> list[CustomerDraft]:
        """The drafts of block `index`; blocks must be asked for in order (numbers are unique)."""
        rng = random.Random(f"{self._seed}:{self._run}:customers:{index}")
        first = index * BLOCK
        return [self._customer(rng, i) for i in range(first, min(self.count, first + BLOCK))]

    def _customer(self, rng: random.Random, index: int) -> CustomerDraft:
        pools = self._pools
        given = pick(rng, pools.first_names)
        family = pick(rng, pools.last_names)
        company: str | None = None
        phones: list[PhoneEntry] = []
        if rng.random() < 0.22:
            # A few big accounts have most of the company contacts.
            company, switchboard = self.companies[int(len(self.companies) * rng.random() ** 1.6)]
            if rng.random() < 0.18:
                phones.append(switchboard)
        kinds = (self._numbers.mobile, self._numbers.fixed)
        labels = ("mobile", "home")
        if rng.random() < 0.4:
            kinds, labels = (kinds[1], kinds[0]), (labels[1], labels[0])
        roll = rng.random() * 100
        wanted = 1 + next(i for i, w in enumerate(_PHONE_COUNTS) if roll < w)
        for k in range(wanted - (1 if phones and rng.random() < 0.5 else 0)):
            key, raw = self._new_number(rng, kinds[k % 2])
            phones.append(PhoneEntry(raw, key, label=labels[k % 2] if k < 2 else "work"))
        return CustomerDraft(
            name=pools.full_name(given, family),
            phones=tuple(phones),
            external_id=f"{self._external_prefix}{index + 1:07d}",
            company=company,
            emails=self._emails(rng, given, family, company),
            tier=pick_weighted(rng, TIERS, _TIER_WEIGHTS),
            notes=pick(rng, CUSTOMER_NOTES) if rng.random() < 0.08 else None,
            address_line=pick(rng, pools.streets) if pools.streets else None,
            city=pick(rng, pools.cities) if pools.cities else None,
            postal_code=pick(rng, pools.postcodes) if pools.postcodes else None,
            state=pick(rng, pools.states) if pools.states else None,
            country=self._numbers.region,
        )

    def _emails(
        self, rng: random.Random, given: str, family: str, company: str | None
    ) -> tuple[str, ...]:
        roll = rng.random()
        if roll < 0.15:
            return ()
        first, last = _ascii_word(given), _ascii_word(family)
        if first and last:
            local = pick(
                rng, (f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}", f"{first}_{last}")
            )
        else:
            local = pick(rng, self._pools.user_names or ("customer",))
            local = _ascii_word(local) or "customer"
        if rng.random() < 0.35:
            local += str(1 + int(rng.random() * 99))
        domain = pick(rng, self._pools.free_domains or ("example.com",))
        emails = [f"{local}@{domain}"]
        company_word = _ascii_word(company.split()[0]) if company else ""
        if company_word and (roll > 0.85 or rng.random() < 0.4):
            emails.insert(0, f"{first or local}.{last or 'contact'}@{company_word}.com")
        return tuple(emails)
