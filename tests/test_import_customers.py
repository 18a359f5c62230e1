"""`callcenter import customers`: bad records, encodings, CSV quirks, idempotency, exit codes."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from callcenter.bootstrap import open_database
from callcenter.cli.main import cli
from callcenter.db.tables import Customer as CustomerRow
from callcenter.db.tables import CustomerPhone
from callcenter.domain.customers import PhoneEntry
from callcenter.domain.phone import normalize
from callcenter.services.csv_records import CsvFileError
from callcenter.services.customer_import import import_customers
from callcenter.services.lookup import LookupService
from tests.conftest import fresh_database_url

HEADER = "external_id,name,phone,phone2,email,company,tier,notes\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.fixture
def run_import(database_url):
    def invoke(path: str, *options: str, as_json: bool = True):
        args = ["--db", database_url, "import", "customers", path, *options]
        return CliRunner().invoke(cli, [*args, "--json"] if as_json else args)

    return invoke


def summary(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def count(database) -> int:
    with database.uow(None) as uow:
        return uow.customers.count()


def cli_actor(database_url: str) -> str:
    url = make_url(database_url)
    return url.username if url.get_backend_name() == "postgresql" else f"cli:{getpass.getuser()}"


def test_records_are_imported_and_found_by_lookup_and_search(database, run_import, tmp_path, actor):
    path = write(
        tmp_path,
        HEADER
        + "CRM-1,Ada Lovelace,(212) 555-0142,646-555-0199 x12,ada@example.org; ada@work.example,"
        "Analytical Engines,gold,first customer\n"
        ",Zoë Ångström,,,zoe@example.org,,,\n",
    )
    result = summary(run_import(path, "--region", "US"))
    assert result == {"inserted": 2, "updated": 0, "unchanged": 0, "rejected": []}

    lookup = LookupService(database, "US")
    [match] = lookup.lookup("+1 212 555 0142", actor).matches
    assert (match.name, match.external_id, match.company) == (
        "Ada Lovelace",
        "CRM-1",
        "Analytical Engines",
    )
    assert [m.id for m in lookup.lookup("6465550199", actor).matches] == [match.id]
    with database.uow(actor) as uow:
        ada = uow.customers.get(match.id)
        assert [c.name for c in uow.customers.search("analyt")] == ["Ada Lovelace"]
        assert [c.name for c in uow.customers.search("ada@work")] == ["Ada Lovelace"]
        assert [c.name for c in uow.customers.search("zoe ang")] == ["Zoë Ångström"]
    assert ada.emails == ("ada@example.org", "ada@work.example")
    assert [(p.raw, p.key, p.extension) for p in ada.phones] == [
        ("(212) 555-0142", "+12125550142", None),
        ("646-555-0199 x12", "+16465550199", "12"),
    ]
    assert (ada.tier, ada.notes, ada.version) == ("gold", "first customer", 1)
    assert ada.created_by == ada.updated_by == cli_actor(str(database.url))


def test_each_bad_record_is_rejected_with_its_line_field_and_reason(database, run_import, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "C1,Good One,(212) 555-0142,,,,,\n"  # line 2
        + "C2,,(212) 555-0143,,,,,\n"  # 3: no name
        + "C3,Bad Phone,call me,,,,,\n"  # 4: unparseable
        + "C4,Short Phone,12,,,,,\n"  # 5: impossible
        + "C5,Bad Email,,,ada@,,,\n"  # 6: invalid e-mail
        + "C6,Nothing,,,,,gold,\n"  # 7: neither phone nor e-mail
        + ",No Id,(212) 555-0144,unknown,,,,\n"  # 8: withheld second phone
        + "C8,Good Two,,,two@example.org,,,\n"  # 9
        + "C9,Bad Second,(212) 555-0145,,ok@example.org;not an email,,,\n",  # 10
    )
    result = summary(run_import(path, "--region", "US"))
    assert result == {
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": [
            {"line": 3, "external_id": "C2", "field": "name", "reason": "missing"},
            {
                "line": 4,
                "external_id": "C3",
                "field": "phone",
                "reason": "unparseable number 'call me'",
            },
            {"line": 5, "external_id": "C4", "field": "phone", "reason": "impossible number '12'"},
            {
                "line": 6,
                "external_id": "C5",
                "field": "email",
                "reason": "invalid e-mail address 'ada@'",
            },
            {
                "line": 7,
                "external_id": "C6",
                "field": "phone/email",
                "reason": "needs a phone or an e-mail",
            },
            {
                "line": 8,
                "external_id": None,
                "field": "phone2",
                "reason": "not a phone number 'unknown'",
            },
            {
                "line": 10,
                "external_id": "C9",
                "field": "email",
                "reason": "invalid e-mail address 'not an email'",
            },
        ],
    }
    assert count(database) == 2


def test_rejected_rows_are_listed_for_people(run_import, tmp_path):
    path = write(tmp_path, HEADER + "C1,Ada,(212) 555-0142,,,,,\nC2,,,,,,,\n,Bob,12,,,,,\n")
    result = run_import(path, "--region", "US", as_json=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "in.csv: 1 inserted, 0 updated, 0 unchanged, 2 rejected",
        "line 3 (external_id C2): name: missing",
        "line 4: phone: impossible number '12'",
    ]


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("external_id,name,phone,fax,Birthday\n", "'fax', 'birthday'"),
        ("name,phone,name\n", "name given twice"),
        ("external_id,company\n", "needs a name column"),
    ],
)
def test_a_bad_header_imports_nothing_and_exits_2(database, run_import, tmp_path, header, named):
    path = write(tmp_path, header + "1,Ada,(212) 555-0142,x,y\n")
    result = run_import(path)
    assert result.exit_code == 2
    assert "line 1" in result.stderr and named in result.stderr
    assert result.stdout == ""
    assert count(database) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [("", "is empty"), ("name,phone\rAda,(212) 555-0142\r", "line 1: lines end in a bare CR")],
)
def test_an_unusable_file_exits_2(database, run_import, tmp_path, content, message):
    result = run_import(write(tmp_path, content))
    assert result.exit_code == 2
    assert message in result.stderr
    assert count(database) == 0


def test_a_file_not_in_the_encoding_names_the_line_and_imports_nothing(
    database, run_import, tmp_path
):
    good = HEADER + "C1,Ada,(212) 555-0142,,,,,\nC2,Bob,(212) 555-0143,,,,,\n"
    path = tmp_path / "latin1.csv"
    path.write_bytes(good.encode() + "C3,José,(212) 555-0144,,,,,\n".encode("latin-1"))
    result = run_import(str(path))
    assert result.exit_code == 2
    assert "line 4" in result.stderr and "--encoding" in result.stderr
    assert count(database) == 0
    # Nothing even when the good lines before it would fill a batch of their own.
    with pytest.raises(CsvFileError, match="line 4"):
        import_customers(database, None, path, region="US", workers=0, chunk_size=1, batch_size=1)
    assert count(database) == 0
    assert summary(run_import(str(path), "--encoding", "latin-1"))["inserted"] == 3


def test_gbk_file_with_chinese_names(database, run_import, tmp_path, actor):
    text = (
        "external_id,name,phone,email\n"
        "CN-1,王伟,13800138000,\n"
        "CN-2,李娜,(020) 8765 4321,lina@example.cn\n"
        "CN-3,张敏,0086 138 0013 8001,\n"
    )
    path = write(tmp_path, text, encoding="gbk")
    assert run_import(path, "--region", "CN").exit_code == 2  # not UTF-8
    result = summary(run_import(path, "--encoding", "gbk", "--region", "CN"))
    assert (result["inserted"], result["rejected"]) == (3, [])
    service = LookupService(database, "CN")
    assert [m.name for m in service.lookup("+86 138 0013 8000", actor).matches] == ["王伟"]
    assert [m.name for m in service.lookup("+86 20 8765 4321", actor).matches] == ["李娜"]
    assert [m.name for m in service.lookup("13800138001", actor).matches] == ["张敏"]
    with database.uow(actor) as uow:
        assert [c.name for c in uow.customers.search("李娜")] == ["李娜"]


def test_utf8_with_bom_and_crlf_line_ends(database, run_import, tmp_path, actor):
    text = (
        "\ufeffExternal_ID,Name,Phone,Notes\r\n"
        "E-1,Zoë,(212) 555-0142,last column\r\n"
        'E-2,Åsa,(212) 555-0143,"two\r\nlines"\r\n'
    )
    path = write(tmp_path, text)
    assert summary(run_import(path, "--region", "US"))["inserted"] == 2
    with database.uow(actor) as uow:
        zoe, asa = (uow.customers.get(uow.customers.search(e)[0].id) for e in ("E-1", "E-2"))
    assert (zoe.external_id, zoe.name, zoe.notes) == ("E-1", "Zoë", "last column")
    assert (asa.name, asa.notes) == ("Åsa", "two\nlines")


def test_quoted_commas_and_newlines_keep_line_numbers(database, run_import, tmp_path, actor):
    text = (
        HEADER
        + 'Q1,"Lovelace, Ada",(212) 555-0142,,,"Engines, Ltd",,"first line\nsecond, line\n'
        + 'third ""quoted"""\n'  # the record spans lines 2-4
        + "\n"  # 5: blank lines are skipped, but counted
        + "Q2,,(212) 555-0143,,,,,\n"  # 6
        + 'Q3,"Multi\nLine",12,,,,,\n'  # 7-8
        + "Q4,,,,,,,\n"  # 9
    )
    result = summary(run_import(write(tmp_path, text), "--region", "US"))
    assert [(r["line"], r["external_id"]) for r in result["rejected"]] == [
        (6, "Q2"),
        (7, "Q3"),
        (9, "Q4"),
    ]
    with database.uow(actor) as uow:
        [hit] = uow.customers.search("lovelace")
        customer = uow.customers.get(hit.id)
    assert (customer.name, customer.company) == ("Lovelace, Ada", "Engines, Ltd")
    assert customer.notes == 'first line\nsecond, line\nthird "quoted"'


def test_importing_the_same_file_again_changes_nothing(database, run_import, tmp_path, actor):
    path = write(
        tmp_path,
        HEADER
        + "R1,Ada Lovelace,(212) 555-0142,,ada@example.org,Engines,gold,\n"
        + ",Walk-in Customer,(646) 555-0100,,,,,\n"
        + ",Mail Only,,,mail@example.org,,,\n"
        + "R2,,(212) 555-0199,,,,,\n",
    )
    first = summary(run_import(path, "--region", "US"))
    assert (first["inserted"], len(first["rejected"])) == (3, 1)
    again = summary(run_import(path, "--region", "US"))
    assert again == {
        "inserted": 0,
        "updated": 0,
        "unchanged": 3,
        "rejected": [
            {"line": 5, "external_id": "R2", "field": "name", "reason": "missing"},
        ],
    }
    with database.uow(actor) as uow:
        assert uow.customers.count() == 3
        versions = uow.session.scalars(select(CustomerRow.version)).all()
        phones = uow.session.scalar(select(func.count()).select_from(CustomerPhone))
    assert versions == [1, 1, 1]
    assert phones == 2


def test_a_changed_record_is_updated_and_audited(database, database_url, run_import, tmp_path):
    before = HEADER + "U1,Ada Lovelace,(212) 555-0142,,ada@example.org,Engines,gold,\n"
    before += "U2,Bob Same,(212) 555-0150,,,,,\n"
    summary(run_import(write(tmp_path, before), "--region", "US"))
    after = HEADER + "U1,Ada King,(646) 555-0101,,,Engines,platinum,\n"
    after += "U2,Bob Same,(212) 555-0150,,,,,\n"
    result = summary(run_import(write(tmp_path, after, name="after.csv"), "--region", "US"))
    assert result == {"inserted": 0, "updated": 1, "unchanged": 1, "rejected": []}

    with database.uow(None) as uow:
        [hit] = uow.customers.search("U1")
        ada = uow.customers.get(hit.id)
        history = uow.audit.entries("customer", ada.id)
    assert (ada.name, ada.tier, ada.emails, ada.version) == ("Ada King", "platinum", (), 2)
    assert ada.updated_by == cli_actor(database_url)
    # The file's number comes first; the one it no longer lists is kept after it.
    assert [p.key for p in ada.phones] == ["+16465550101", "+12125550142"]
    [entry] = history
    assert entry["action"] == "update" and entry["actor"] == cli_actor(database_url)
    assert entry["changes"]["name"] == ["Ada Lovelace", "Ada King"]
    assert entry["changes"]["emails"] == [["ada@example.org"], []]
    assert LookupService(database, "US").lookup("6465550101", None).matches[0].id == ada.id


def test_without_external_id_the_folded_name_and_number_are_the_key(database, run_import, tmp_path):
    summary(
        run_import(write(tmp_path, "name,phone\nZoë Ångström,(212) 555-0142\n"), "--region", "US")
    )
    again = write(tmp_path, "name,phone\nZOE  ANGSTROM,+1 212-555-0142\n", name="again.csv")
    assert summary(run_import(again, "--region", "US"))["updated"] == 1
    other = write(tmp_path, "name,phone\nZoe Angstrom,(212) 555-0199\n", name="other.csv")
    assert summary(run_import(other, "--region", "US"))["inserted"] == 1
    assert count(database) == 2


def test_numbers_added_in_the_app_survive_a_reimport(database, run_import, tmp_path, actor):
    path = write(tmp_path, HEADER + "A1,Ada,(212) 555-0142,,,,,\n")
    summary(run_import(path, "--region", "US"))
    with database.uow(actor) as uow:
        [hit] = uow.customers.search("A1")
        key = normalize("(646) 555-0177").key
        uow.customers.add_phone(hit.id, PhoneEntry("(646) 555-0177", key, label="mobile"))
        uow.commit()
    assert summary(run_import(path, "--region", "US"))["unchanged"] == 1
    assert LookupService(database, "US").lookup("6465550177", actor).matches[0].id == hit.id


def test_a_repeated_external_id_updates_the_first(database, run_import, tmp_path, actor):
    text = HEADER + "D1,First Name,(212) 555-0142,,,,,\nD1,Second Name,(212) 555-0142,,,,,\n"
    result = summary(run_import(write(tmp_path, text), "--region", "US"))
    assert (result["inserted"], result["updated"]) == (1, 1)
    with database.uow(actor) as uow:
        assert [c.name for c in uow.customers.search("D1")] == ["Second Name"]


def test_the_external_id_of_a_deleted_customer_is_rejected(database, run_import, tmp_path):
    path = write(tmp_path, HEADER + "X1,Ada,(212) 555-0142,,,,,\n")
    summary(run_import(path, "--region", "US"))
    with database.uow(None) as uow:
        uow.session.execute(update(CustomerRow).values(deleted_at=func.now()))
        uow.commit()
    result = summary(run_import(path, "--region", "US"))
    assert result["rejected"] == [
        {
            "line": 2,
            "external_id": "X1",
            "field": "external_id",
            "reason": "belongs to a deleted customer",
        }
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--encoding", "klingon"], "klingon"),
        (["--region", "XX"], "region"),
    ],
)
def test_bad_options_exit_2(run_import, tmp_path, options, message):
    result = run_import(write(tmp_path, HEADER), *options)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_missing_file_exits_2(run_import, tmp_path):
    result = run_import(str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 2
    assert "nowhere.csv" in result.stderr


def test_worker_processes_and_small_batches_give_the_same_result(
    request, sqlite_database, tmp_path, actor
):
    lines = [HEADER]
    for i in range(40):
        phone = "n/a" if i % 9 == 0 else f"(212) 555-{i:04d}"
        lines.append(f"W{i % 37},Person {i},{phone},,,,,\n")  # W0..W2 appear twice
    lines.append(",Keyless,(646) 555-0100,,,,,\n,KEYLESS,(646) 555-0100,,,,,\n")
    path = Path(write(tmp_path, "".join(lines)))
    seen: list[tuple[int, int]] = []
    pooled = import_customers(
        sqlite_database,
        actor,
        path,
        region="US",
        workers=2,
        chunk_size=4,
        batch_size=6,
        progress=lambda done, total: seen.append((done, total)),
    )
    (tmp_path / "inline").mkdir()
    inline_database = open_database(fresh_database_url("sqlite", request, tmp_path / "inline"))
    try:
        inline = import_customers(inline_database, actor, path, region="US", workers=0)
        assert customers_in(inline_database) == customers_in(sqlite_database)
    finally:
        inline_database.dispose()
    assert pooled == inline
    assert (pooled.inserted, pooled.updated, pooled.unchanged) == (34, 3, 0)
    assert [r.line for r in pooled.rejected] == [2, 11, 20, 29, 38]
    assert len(customers_in(sqlite_database)) == 34
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def customers_in(database) -> list[tuple]:
    with database.uow(None) as uow:
        ids = uow.session.scalars(select(CustomerRow.id).order_by(CustomerRow.id)).all()
        return [
            (c.external_id, c.name, [p.key for p in c.phones]) for c in map(uow.customers.get, ids)
        ]
