"""What makes big imports quick keeps them right: digests of unchanged records, staged rows,
indexes built afterwards, and a file read in chunks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, select

import callcenter.services.customer_records as customer_records
from callcenter.db.tables import Customer as CustomerRow
from callcenter.domain.customers import CustomerDraft
from callcenter.services import customer_import
from callcenter.services.csv_records import CsvFileError
from callcenter.services.customer_import import import_customers

HEADER = "external_id,name,phone,phone2,email,company,tier,notes\n"


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(database, actor, path: Path, **options):
    return import_customers(database, actor, path, region="US", **options)


def counts(summary) -> tuple[int, int, int, list[int]]:
    return (
        summary.inserted,
        summary.updated,
        summary.unchanged,
        [r.line for r in summary.rejected],
    )


def names(database) -> list[tuple[str | None, str]]:
    with database.uow(None) as uow:
        rows = uow.session.execute(
            select(CustomerRow.external_id, CustomerRow.name).order_by(CustomerRow.id)
        )
        return [tuple(row) for row in rows]


def test_a_reimport_checks_only_records_it_cannot_vouch_for(
    sqlite_database, actor, tmp_path, monkeypatch
):
    path = write(
        tmp_path,
        HEADER
        + "K1,Ada Lovelace,(212) 555-0142,,ada@example.org,Engines,gold,\n"
        + "K2,Bob Bright,(212) 555-0143,,,,,\n"
        + ",Walk-in,(646) 555-0100,,,,,\n"  # line 4: matched by name and number
        + "K3,,(212) 555-0144,,,,,\n",  # line 5: rejected
    )
    assert counts(run(sqlite_database, actor, path, workers=0)) == (3, 0, 0, [5])
    checked: list[int] = []
    real = customer_records.check_rows

    def spy(rows, rules):
        checked.extend(line for line, _cells in rows)
        return real(rows, rules)

    monkeypatch.setattr(customer_records, "check_rows", spy)
    assert counts(run(sqlite_database, actor, path, workers=0)) == (0, 0, 3, [5])
    assert checked == [4, 5]


@pytest.mark.parametrize("workers", [0, 2])
def test_a_record_changed_and_changed_back_in_one_file(database, actor, tmp_path, workers):
    first = write(tmp_path, HEADER + "D1,Ada King,(212) 555-0142,,,,,\n")
    run(database, actor, first)
    # The second row is what the database stores a digest of; the first changes it before.
    both = write(
        tmp_path,
        HEADER + "D1,Ada Lovelace,(212) 555-0142,,,,,\nD1,Ada King,(212) 555-0142,,,,,\n",
        name="both.csv",
    )
    summary = run(database, actor, both, workers=workers, chunk_size=1)
    assert counts(summary) == (0, 2, 0, [])
    assert names(database) == [("D1", "Ada King")]


def test_an_edit_in_the_app_makes_the_next_import_look_again(database, actor, tmp_path):
    path = write(tmp_path, HEADER + "E1,Ada King,(212) 555-0142,,,,,\n")
    run(database, actor, path)
    with database.uow(actor) as uow:
        [hit] = uow.customers.search("E1")
        customer = uow.customers.get(hit.id)
        draft = CustomerDraft("Ada Renamed", customer.phones, external_id="E1")
        uow.customers.update(hit.id, draft, customer.version)
        uow.commit()
    assert counts(run(database, actor, path)) == (0, 1, 0, [])
    assert names(database) == [("E1", "Ada King")]
    # Put back as the file says, it is recognised again.
    assert counts(run(database, actor, path)) == (0, 0, 1, [])


def test_records_copied_from_the_stage_are_complete(database, actor, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + 'S1,Zoë Ångström,+44 20 7946 0018,(212) 555-0142 x7,"z@example.org; zo@work.example",'
        + '"Acme, Inc.",gold,"two\nlines"\n'
        + "S2,Bob,(212) 555-0143,(212) 555-0143,,,,\n",
    )
    assert counts(run(database, actor, path))[0] == 2
    with database.uow(actor) as uow:
        zoe = uow.customers.get(uow.customers.search("S1")[0].id)
        bob = uow.customers.get(uow.customers.search("S2")[0].id)
        assert [c.name for c in uow.customers.search("angst")] == ["Zoë Ångström"]
        assert [c.name for c in uow.customers.search("zo@work")] == ["Zoë Ångström"]
        assert [c.name for c in uow.customers.search("7946 0018")] == ["Zoë Ångström"]
        assert [c.name for c in uow.customers.search("acme")] == ["Zoë Ångström"]
    assert (zoe.company, zoe.tier, zoe.notes, zoe.version) == (
        "Acme, Inc.",
        "gold",
        "two\nlines",
        1,
    )
    assert zoe.emails == ("z@example.org", "zo@work.example")
    assert [(p.raw, p.key, p.extension) for p in zoe.phones] == [
        ("+44 20 7946 0018", "+442079460018", None),
        ("(212) 555-0142 x7", "+12125550142", "7"),
    ]
    assert [p.key for p in bob.phones] == ["+12125550143"]


def test_a_big_import_builds_the_number_search_indexes_afterwards(
    sqlite_database, actor, tmp_path, monkeypatch
):
    monkeypatch.setattr(customer_import, "DEFER_INDEXES_FROM", 1)
    lines = [HEADER] + [f"B{i},Person {i},(212) 555-{i:04d},,,,,\n" for i in range(50)]
    path = write(tmp_path, "".join(lines))
    assert counts(run(sqlite_database, actor, path, chunk_size=7, batch_size=10))[0] == 50
    indexes = {i["name"] for i in inspect(sqlite_database.engine).get_indexes("customer_phones")}
    assert {"ix_customer_phones_national", "ix_customer_phones_digits_rev"} <= indexes
    with sqlite_database.uow(actor) as uow:
        assert [c.name for c in uow.customers.search("555-0042")] == ["Person 42"]


def test_a_malformed_record_after_good_ones_keeps_them(sqlite_database, actor, tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(b"name,phone\nAda,(212) 555-0142\nBob,(212) 555-0143\rZed,1\n")
    with pytest.raises(CsvFileError, match=r"line 3: .*bare CR.*were imported"):
        run(sqlite_database, actor, path, workers=0, chunk_size=1)
    assert names(sqlite_database) == [(None, "Ada")]


def test_utf16_files_keep_their_line_numbers(database, actor, tmp_path):
    path = tmp_path / "utf16.csv"
    text = "\ufeffexternal_id,name,phone\nU1,Ada,(212) 555-0142\nU2,,(212) 555-0143\n"
    path.write_bytes(text.encode("utf-16-le"))
    summary = run(database, actor, path, encoding="utf-16")
    assert counts(summary) == (1, 0, 0, [3])
