"""Checked customer records written batch by batch, each matched to the customer it updates.

A record is matched to an existing customer by external_id; a record without one matches a
live customer that has none, the same folded name and one of the record's numbers (or, with
no number, one of its e-mails). Matched customers are updated only if something differs.

The file decides the fields it has columns for: an empty cell clears the field, a column the
file lacks leaves it alone. Numbers are the exception: the file's come first, and numbers an
agent added in the application are kept after them, so a nightly import does not undo them.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from callcenter.db import bulk
from callcenter.domain.customers import Customer, CustomerDraft, PhoneEntry
from callcenter.domain.errors import ConflictError
from callcenter.domain.search import fold
from callcenter.domain.users import Actor
from callcenter.repositories.staged_customers import STAGED
from callcenter.services.csv_records import PHONE_COLUMNS
from callcenter.services.customer_records import (
    Known,
    Problem,
    Record,
    Rejection,
    Rules,
    check_row,
    from_stage,
    stored_digest,
)
from callcenter.services.import_pipeline import Checked, Rows
from callcenter.uow import UnitOfWork

# A batch that collides with a concurrent writer is read again and retried this often.
ATTEMPTS = 3


@dataclass
class ImportSummary:
    """What an import did; `rejected` is in line order."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)


# A record, and its local number in the attached stage (None: not staged).
Pending = tuple[Record, int | None]


class ImportWriter:
    """Takes checked chunks in file order and writes their records a batch at a time.

    Records that could be the same customer go to different batches, so a record repeated
    in the file updates the first one as a re-import would, instead of colliding with it.
    A staged chunk's plainly new customers are copied from the stage in whole batches; the
    rest are matched record by record.
    """

    def __init__(
        self,
        connection: Connection,
        actor: Actor,
        rules: Rules,
        summary: ImportSummary,
        batch_size: int,
    ) -> None:
        self._connection = connection
        self._sessions = sessionmaker(bind=connection, expire_on_commit=False)
        self._actor = actor
        self._rules = rules
        self._columns = rules.layout.present
        self._summary = summary
        self._batch_size = batch_size
        self._pending: list[Pending] = []
        self._external_ids: set[str] = set()
        self._identities: set[tuple[str, str]] = set()
        # Customers this import changed: a known row of theirs may be stale.
        self._changed: set[int] = set()
        self.batches = 0

    @property
    def pending(self) -> int:
        """Records taken but not written yet."""
        return len(self._pending)

    def add(self, chunk: Checked) -> None:
        self._summary.rejected.extend(chunk.rejections)
        if chunk.staged is None:
            self._add_all([(record, None) for record in chunk.records], chunk)
            return
        # A stage is attached only while its own chunk is written.
        self.flush()
        with bulk.attached(self._connection, chunk.staged, STAGED):
            copied, complete = self._copy_new(chunk.known)
            with self._uow() as uow:
                # What is left to match: records without external id, or all not copied.
                rows = uow.customers.staged_rows(with_external_id=False if complete else None)
            pending: list[Pending] = [
                (from_stage(row), row.local) for row in rows if row.local not in copied
            ]
            self._add_all(pending, chunk)
            self.flush()

    def flush(self) -> None:
        """Write the records taken so far."""
        pending = self._pending
        self._pending = []
        self._external_ids.clear()
        self._identities.clear()
        self._write(pending)

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, self._actor)

    def _copy_new(self, known: list[Known]) -> tuple[set[int], bool]:
        """Copy the staged customers with an external id that are plainly new (no customer
        has the id, no other row of the chunk either), a batch per transaction.

        Returns the local numbers copied, and whether that was all of those customers; the
        rest of the stage is matched record by record.
        """
        copied: set[int] = set()
        with self._uow() as uow:
            if uow.customers.staged_repeats([external_id for _, external_id, _ in known]):
                return copied, False
            todo = uow.customers.staged_locals(with_external_id=True)
        for start in range(0, len(todo), self._batch_size):
            part = todo[start : start + self._batch_size]
            with self._uow() as uow:
                if uow.customers.staged_taken(part):
                    return copied, False
                uow.customers.add_staged(part)
                uow.commit()
            copied.update(part)
            self.batches += 1
            self._summary.inserted += len(part)
        return copied, True

    def _add_all(self, records: list[Pending], chunk: Checked) -> None:
        """Take `records` and the chunk's known rows, both in line order, in file order."""
        known = chunk.known
        if not known:
            if self._takes_whole(records):
                self._take(records)
            else:
                for pending in records:
                    self._add(pending)
            return
        i = 0
        for row in known:
            while i < len(records) and records[i][0].line < row[0]:
                self._add(records[i])
                i += 1
            self._add_known(row, chunk.rows)
        for pending in records[i:]:
            self._add(pending)

    def _takes_whole(self, records: list[Pending]) -> bool:
        """Whether no two of `records` and those pending could be the same customer."""
        external_ids = [r.external_id for r, _ in records if r.external_id]
        keys = [key for r, _ in records if not r.external_id for key in _identity(r)]
        return (
            len(set(external_ids)) == len(external_ids)
            and self._external_ids.isdisjoint(external_ids)
            and len(set(keys)) == len(keys)
            and self._identities.isdisjoint(keys)
        )

    def _take(self, records: list[Pending]) -> None:
        """`_add` for records that repeat no customer, a batch's worth at a time."""
        while records:
            room = self._batch_size - len(self._pending)
            part, records = records[:room], records[room:]
            self._pending += part
            for record, _ in part:
                if record.external_id:
                    self._external_ids.add(record.external_id)
                else:
                    self._identities.update(_identity(record))
            if len(self._pending) >= self._batch_size:
                self.flush()

    def _add_known(self, row: Known, rows: Rows) -> None:
        line, external_id, customer_id = row
        if external_id in self._external_ids:
            # A record before it in the file may change its customer: write that first.
            self.flush()
        if customer_id not in self._changed:
            self._summary.unchanged += 1
            return
        # Its digest was read before this import changed the customer (the file has the
        # external id twice): it must be checked and matched like any other record.
        cells = rows[bisect_left(rows, line, key=itemgetter(0))][1]
        outcome = check_row(line, cells, self._rules)
        if isinstance(outcome, Rejection):
            self._summary.rejected.append(outcome)
        else:
            self._add((outcome, None))

    def _add(self, pending: Pending) -> None:
        record = pending[0]
        if record.external_id:
            repeated = record.external_id in self._external_ids
        else:
            identity = _identity(record)
            repeated = not self._identities.isdisjoint(identity)
        if repeated:
            self.flush()
        self._pending.append(pending)
        if record.external_id:
            self._external_ids.add(record.external_id)
        else:
            self._identities.update(identity)
        if len(self._pending) >= self._batch_size:
            self.flush()

    def _write(self, records: list[Pending]) -> None:
        """Write `records`, each batch its own transaction."""
        while records:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    with self._uow() as uow:
                        done, counts, rejected, changed = self._apply(uow, records)
                        uow.commit()
                    break
                except (IntegrityError, ConflictError):
                    # Someone added or changed one of these customers meanwhile: read again.
                    if attempt == ATTEMPTS:
                        raise ConflictError(
                            f"the records from line {records[0][0].line} on kept colliding "
                            "with changes others made at the same time; import the file again"
                        ) from None
            self.batches += 1
            self._summary.inserted += counts[0]
            self._summary.updated += counts[1]
            self._summary.unchanged += counts[2]
            self._summary.rejected.extend(rejected)
            self._changed.update(changed)
            records = records[done:]

    def _apply(
        self, uow: UnitOfWork, records: list[Pending]
    ) -> tuple[int, tuple[int, int, int], list[Rejection], list[int]]:
        """Write what it can of `records`: how many, (inserted, updated, unchanged), rejected,
        and the ids of the customers changed.

        Stops before a record that matches a customer already changed in this batch, since
        that update is checked against the version read before it.
        """
        customers = uow.customers
        external_ids = [r.external_id for r, _ in records if r.external_id]
        by_external_id = customers.by_external_ids(external_ids)
        deleted = customers.deleted_external_ids(by_external_id) if by_external_id else set()
        others = _index_without_external_id(uow, [r for r, _ in records if not r.external_id])

        staged: list[int] = []
        new: list[Record] = []
        matches: list[tuple[Customer, Record]] = []
        rejected: list[Rejection] = []
        matched: set[int] = set()
        done = 0
        for record, local in records:
            if record.external_id:
                match = by_external_id.get(record.external_id)
                if record.external_id in deleted:
                    rejected.append(
                        Rejection(record.line, record.external_id, "external_id", Problem.DELETED)
                    )
                    done += 1
                    continue
            else:
                match = next((others[k] for k in _identity(record) if k in others), None)
            if match is None:
                if local is None:
                    new.append(record)
                else:
                    staged.append(local)
            elif match.id in matched:
                break
            else:
                matched.add(match.id)
                matches.append((match, record))
            done += 1
        customers.add_staged(staged)
        customers.add_checked(new)
        changed = customers.update_many(
            [(match, _merged(match, record, self._columns)) for match, record in matches]
        )
        changed_ids = set(changed)
        # Stored for unchanged records too, so the next import of them skips their checks.
        customers.set_import_digests(
            [
                (match.id, stored_digest(record.digest, _version_after(match, changed_ids)))
                for match, record in matches
                if record.digest
            ]
        )
        counts = (len(staged) + len(new), len(changed), len(matches) - len(changed))
        return done, counts, rejected, changed


def _version_after(customer: Customer, changed: set[int]) -> int:
    # update_many raises the version of the customers it changed by one.
    return customer.version + 1 if customer.id in changed else customer.version


def _identity(record: Record) -> set[tuple[str, str]]:
    """The keys a record without external id is matched by: its name with each number."""
    if record.phones:
        return {(record.folded_name, phone.key) for phone in record.phones}
    return {(record.folded_name, "@" + fold(email)) for email in record.emails}


def _index_without_external_id(
    uow: UnitOfWork, records: list[Record]
) -> dict[tuple[str, str], Customer]:
    if not records:
        return {}
    numbers = [phone.key for r in records for phone in r.phones]
    emails = [email for r in records if not r.phones for email in r.emails]
    candidates = uow.customers.without_external_id_by_numbers(numbers)
    candidates += uow.customers.without_external_id_by_emails(emails)
    index: dict[tuple[str, str], Customer] = {}
    # The oldest customer wins when several share a name and a number.
    for customer in sorted(candidates, key=lambda c: c.id):
        name = " ".join(fold(customer.name).split())
        for phone in customer.phones:
            index.setdefault((name, phone.key), customer)
        for email in customer.emails:
            index.setdefault((name, "@" + fold(email)), customer)
    return index


def _merged(existing: Customer, record: Record, columns: frozenset[str]) -> CustomerDraft:
    """The customer as the file says it is, keeping what the file has no column for."""
    phones = existing.phones
    if columns.intersection(PHONE_COLUMNS):
        labels = {p.key: p.label for p in existing.phones}
        from_file = [
            PhoneEntry(p.raw, p.key, p.extension, labels.get(p.key)) for p in record.phones
        ]
        listed = {p.key for p in from_file}
        phones = (*from_file, *(p for p in existing.phones if p.key not in listed))
    return CustomerDraft(
        name=record.name,
        phones=phones,
        external_id=existing.external_id,
        company=record.company if "company" in columns else existing.company,
        emails=record.emails if "email" in columns else existing.emails,
        tier=record.tier if "tier" in columns else existing.tier,
        notes=record.notes if "notes" in columns else existing.notes,
        address_line=existing.address_line,
        city=existing.city,
        postal_code=existing.postal_code,
        state=existing.state,
        country=existing.country,
    )
