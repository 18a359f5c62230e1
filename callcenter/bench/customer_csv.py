"""A customer CSV as other systems export them, for measuring imports: demo customers (Faker
names, valid numbers of the region written as people type them, shared switchboards), with
the flaws real files have."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from callcenter.domain.customers import CustomerDraft
from callcenter.services.demo_people import (
    BLOCK,
    CustomerFactory,
    locale_for,
    name_pools,
    number_plan,
)

HEADER = ("external_id", "name", "phone", "phone2", "email", "company", "tier", "notes")
# Share of records without an external id (matched by name and number instead).
WITHOUT_EXTERNAL_ID = 0.05
# Each kind of bad record, as a share of all: about 2% are rejected.
FLAWS = ("no name", "unparseable", "impossible", "bad e-mail", "no contact")
FLAW_SHARE = 0.004
# Notes that need quoting: commas, quotes, line breaks.
NOTES = ("VIP, call before 5pm", 'Prefers "Bob"', "Line one\nLine two", "Billing; resolved")


def write_customer_csv(path: Path, rows: int, region: str, seed: int = 1) -> int:
    """Write `rows` records to `path` (UTF-8, CRLF as Excel saves); returns the bad ones."""
    factory = CustomerFactory(
        name_pools(locale_for(region), seed),
        number_plan(region),
        seed,
        run=0,
        count=rows,
        external_prefix="CRM-",
    )
    rng = random.Random(f"{seed}:customer-csv")
    bad = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for block in range(-(-rows // BLOCK)):
            for draft in factory.block(block):
                cells = _cells(draft, rng)
                roll = rng.random()
                if roll < FLAW_SHARE * len(FLAWS):
                    _spoil(cells, FLAWS[int(roll / FLAW_SHARE)])
                    bad += 1
                writer.writerow(cells)
    return bad


def _cells(draft: CustomerDraft, rng: random.Random) -> list[str]:
    phones = [phone.raw for phone in draft.phones[:2]]
    notes = draft.notes or ""
    if rng.random() < 0.05:
        notes = NOTES[int(rng.random() * len(NOTES))]
    return [
        "" if rng.random() < WITHOUT_EXTERNAL_ID else draft.external_id or "",
        draft.name,
        phones[0] if phones else "",
        phones[1] if len(phones) > 1 else "",
        "; ".join(draft.emails),
        draft.company or "",
        draft.tier or "",
        notes,
    ]


def _spoil(cells: list[str], flaw: str) -> None:
    if flaw == "no name":
        cells[1] = ""
    elif flaw == "unparseable":
        cells[2] = "n/a"
    elif flaw == "impossible":
        cells[2] = "12345"
    elif flaw == "bad e-mail":
        cells[4] = "someone@"
    else:
        cells[2] = cells[3] = cells[4] = ""
