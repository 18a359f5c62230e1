"""Customer CSV files read as a stream of records, each checked and normalised on its own."""

from __future__ import annotations

import codecs
import csv
import re
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NamedTuple, Self

from callcenter.domain.errors import ValidationError
from callcenter.domain.phone import normalize
from callcenter.domain.search import fold

COLUMNS = ("external_id", "name", "phone", "phone2", "email", "company", "tier", "notes")
PHONE_COLUMNS = ("phone", "phone2")

# Longest values the customers table holds (String(n) columns); PostgreSQL refuses longer ones.
MAX_LENGTH = {"external_id": 100, "name": 300, "company": 300, "tier": 50}
MAX_EXTENSION = 20

# The WHATWG HTML standard's "valid e-mail address" (what <input type=email> accepts):
# https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
# A willful violation of RFC 5322: no quoted local parts, comments or IP literals, which
# real addresses do not use and which mostly come from typos.
EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
# Several addresses may share the email cell.
EMAIL_SEPARATORS = re.compile(r"[;,]")


class Problem(StrEnum):
    """Why a record was rejected; the value is what the CLI shows."""

    MISSING = "missing"
    TOO_LONG = "too long"
    NUL = "contains a NUL character"
    EXTRA_CELLS = "more cells than the header names"
    UNPARSEABLE = "unparseable number"
    IMPOSSIBLE = "impossible number"
    NOT_A_NUMBER = "not a phone number"
    INVALID_EMAIL = "invalid e-mail address"
    NO_CONTACT = "needs a phone or an e-mail"
    DELETED = "belongs to a deleted customer"


class FileProblem(StrEnum):
    """Why a whole file was refused before any record was written."""

    UNREADABLE = "unreadable"
    ENCODING = "encoding"
    EMPTY = "empty"
    UNKNOWN_COLUMNS = "unknown_columns"
    MISSING_COLUMNS = "missing_columns"
    DUPLICATE_COLUMNS = "duplicate_columns"
    MALFORMED = "malformed"


class CsvFileError(ValidationError):
    """The file cannot be imported.

    Raised before anything is written, except for a malformed record found after earlier
    batches were written (the message then says so).
    """

    def __init__(self, problem: FileProblem, message: str, line: int | None = None) -> None:
        where = f"line {line}: " if line is not None else ""
        super().__init__("file", f"{where}{message}")
        self.problem = problem
        self.line = line


@dataclass(frozen=True, slots=True)
class Rejection:
    """One record left out, and why: the line it starts on and the first bad field."""

    line: int
    external_id: str | None
    field: str
    problem: Problem
    value: str | None = None

    @property
    def reason(self) -> str:
        if self.value is None:
            return str(self.problem)
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"{self.problem} {shown!r}"


class Record(NamedTuple):
    """A good record. A plain tuple, as records cross process boundaries by the million."""

    line: int
    external_id: str | None
    name: str
    company: str | None
    tier: str | None
    notes: str | None
    emails: tuple[str, ...]
    # (raw, key, extension) per number, in file order.
    phones: tuple[tuple[str, str, str | None], ...]
    # Folded, whitespace-collapsed name: with a number, the key of a record without external id.
    folded_name: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each known column sits in a row, from the header."""

    positions: tuple[tuple[str, int], ...]
    width: int
    unnamed: tuple[int, ...] = ()

    @property
    def present(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.positions)


@dataclass(frozen=True, slots=True)
class Rules:
    """All a worker process needs to check records."""

    layout: Layout
    region: str
    outside_prefix: str = ""


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive records as (first line, cells), and how far into the file they end."""

    rows: list[tuple[int, list[str]]]
    end_offset: int


def read_layout(header: Sequence[str], line: int = 1) -> Layout:
    """Where the known columns are, named in any case.

    Unnamed columns (a spreadsheet's trailing commas) are allowed while their cells are empty.
    """
    names = [cell.strip().lower() for cell in header]
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        raise CsvFileError(
            FileProblem.UNKNOWN_COLUMNS,
            f"unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(n) for n in unknown)}; the known ones are {', '.join(COLUMNS)}",
            line=line,
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise CsvFileError(
            FileProblem.DUPLICATE_COLUMNS,
            f"column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} given twice",
            line=line,
        )
    if "name" not in names or not {"phone", "phone2", "email"} & set(names):
        raise CsvFileError(
            FileProblem.MISSING_COLUMNS,
            "the header needs a name column and a phone, phone2 or email column",
            line=line,
        )
    return Layout(
        positions=tuple((name, i) for i, name in enumerate(names) if name),
        width=len(names),
        unnamed=tuple(i for i, name in enumerate(names) if not name),
    )


def codec_name(encoding: str) -> str:
    """The codec to read `encoding` with: UTF-8 also skips the BOM Excel writes."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise CsvFileError(FileProblem.ENCODING, f"unknown encoding {encoding!r}") from None
    return "utf-8-sig" if name == "utf-8" else name


class CsvFile:
    """A customer CSV opened for streaming: `layout` from the header, then `chunks()`.

    Reads physical lines as bytes and decodes each, so a decoding error names its line and
    the csv module can count lines (a quoted newline makes a record span several).
    """

    def __init__(self, path: Path, encoding: str = "utf-8") -> None:
        self.path = path
        self.encoding = codec_name(encoding)
        self.bytes_read = 0
        self.size = 0
        self._file: BinaryIO | None = None

    def __enter__(self) -> Self:
        try:
            self._file = self.path.open("rb")
            self.size = self.path.stat().st_size
        except OSError as exc:
            raise CsvFileError(FileProblem.UNREADABLE, f"cannot read {self.path}: {exc}") from None
        self._reader = csv.reader(self._lines(self._file))
        header = self._next_row()
        if header is None:
            raise CsvFileError(FileProblem.EMPTY, f"{self.path} is empty")
        self.layout = read_layout(header[1], line=header[0])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.close()

    def chunks(self, size: int) -> Iterator[Chunk]:
        rows: list[tuple[int, list[str]]] = []
        while (row := self._next_row()) is not None:
            rows.append(row)
            if len(rows) >= size:
                yield Chunk(rows, self.bytes_read)
                rows = []
        if rows:
            yield Chunk(rows, self.bytes_read)

    def _next_row(self) -> tuple[int, list[str]] | None:
        """The next non-blank record and the line it starts on, or None at the end."""
        reader = self._reader
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return None
            except csv.Error as exc:
                message = str(exc)
                if "new-line character" in message:
                    # The csv module's advice (universal-newline mode) means nothing to users.
                    message = (
                        "lines end in a bare CR (an old Mac format); "
                        "save the file with Windows (CRLF) or Unix (LF) line ends"
                    )
                raise CsvFileError(FileProblem.MALFORMED, message, line=line) from None
            # Spreadsheets leave blank rows and rows of empty cells; they are no records.
            if any(cell.strip() for cell in cells):
                return line, cells

    def _lines(self, binary: BinaryIO) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)()
        pending = ""
        line = 0
        for raw in binary:
            self.bytes_read += len(raw)
            try:
                text = pending + decoder.decode(raw)
            except UnicodeDecodeError as exc:
                raise self._decode_error(line + 1, exc) from None
            if text.endswith("\n") and text.count("\n") == 1:
                line += 1
                pending = ""
                yield text
                continue
            # Only for encodings where b"\n" is not a whole newline (UTF-16, UTF-32).
            *complete, pending = text.split("\n")
            for part in complete:
                line += 1
                yield part + "\n"
        try:
            pending += decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise self._decode_error(line + 1, exc) from None
        if pending:
            yield pending

    def _decode_error(self, line: int, exc: UnicodeDecodeError) -> CsvFileError:
        return CsvFileError(
            FileProblem.ENCODING,
            f"not valid {self.encoding.removesuffix('-sig')} ({exc.reason}); "
            "give the file's encoding with --encoding (e.g. gbk, cp1252)",
            line=line,
        )


def check_decodable(path: Path, encoding: str) -> None:
    """Raise CsvFileError naming the first line that is not text in `encoding`.

    A fast pass before anything is written, so a wrongly chosen encoding imports nothing.
    """
    codec = codec_name(encoding)
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with path.open("rb") as binary:
            while block := binary.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        return
    except OSError as exc:
        raise CsvFileError(FileProblem.UNREADABLE, f"cannot read {path}: {exc}") from None
    except UnicodeDecodeError:
        pass
    # Slow, only on failure: decode line by line to say where.
    with path.open("rb") as binary:
        source = CsvFile(path, encoding)
        for _ in source._lines(binary):
            pass
    # Only if the file changed between the two passes.
    raise CsvFileError(FileProblem.ENCODING, f"not valid {codec.removesuffix('-sig')}")


def check_rows(
    rows: Sequence[tuple[int, list[str]]], rules: Rules
) -> tuple[list[Record], list[Rejection]]:
    """Check and normalise records; runs in worker processes, so it touches no database."""
    records: list[Record] = []
    rejections: list[Rejection] = []
    for line, cells in rows:
        outcome = check_row(line, cells, rules)
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        else:
            records.append(outcome)
    return records, rejections


def check_row(line: int, cells: list[str], rules: Rules) -> Record | Rejection:
    layout = rules.layout
    values: dict[str, str | None] = {}
    for column, index in layout.positions:
        text = cells[index].strip() if index < len(cells) else ""
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        values[column] = text or None
    external_id = values.get("external_id")

    def reject(field: str, problem: Problem, value: str | None = None) -> Rejection:
        return Rejection(line, external_id, field, problem, value)

    if any(cells[i].strip() for i in layout.unnamed if i < len(cells)) or any(
        cell.strip() for cell in cells[layout.width :]
    ):
        return reject("row", Problem.EXTRA_CELLS)
    for column, value in values.items():
        if value is not None and "\x00" in value:
            return reject(column, Problem.NUL)
    for column, limit in MAX_LENGTH.items():
        value = values.get(column)
        if value is not None and len(value) > limit:
            return reject(column, Problem.TOO_LONG, f"{len(value)} > {limit} characters")
    name = values.get("name")
    if name is None:
        return reject("name", Problem.MISSING)

    phones: list[tuple[str, str, str | None]] = []
    for column in PHONE_COLUMNS:
        raw = values.get(column)
        if raw is None:
            continue
        number = normalize(raw, rules.region, rules.outside_prefix)
        if number.problem == "unparseable":
            return reject(column, Problem.UNPARSEABLE, raw)
        if number.problem == "impossible":
            return reject(column, Problem.IMPOSSIBLE, raw)
        if not number.key:
            return reject(column, Problem.NOT_A_NUMBER, raw)
        if number.extension and len(number.extension) > MAX_EXTENSION:
            return reject(column, Problem.TOO_LONG, raw)
        phones.append((raw, number.key, number.extension))

    emails: list[str] = []
    seen: set[str] = set()
    for address in EMAIL_SEPARATORS.split(values.get("email") or ""):
        address = address.strip()
        if not address:
            continue
        if not EMAIL.fullmatch(address):
            return reject("email", Problem.INVALID_EMAIL, address)
        if address.casefold() not in seen:
            seen.add(address.casefold())
            emails.append(address)
    if not phones and not emails:
        return reject("phone/email", Problem.NO_CONTACT)

    return Record(
        line=line,
        external_id=external_id,
        name=name,
        company=values.get("company"),
        tier=values.get("tier"),
        notes=values.get("notes"),
        emails=tuple(emails),
        phones=tuple(phones),
        folded_name=" ".join(fold(name).split()),
    )


# -- worker processes ------------------------------------------------------------------------

_rules: Rules | None = None


def start_worker(rules: Rules) -> None:
    """Pool initializer: the rules travel once per worker, not with every chunk."""
    global _rules
    _rules = rules
    # Ctrl+C is the importing process's to handle; it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def check_rows_in_worker(
    rows: Sequence[tuple[int, list[str]]],
) -> tuple[list[Record], list[Rejection]]:
    assert _rules is not None, "start_worker was not run in this process"
    return check_rows(rows, _rules)
