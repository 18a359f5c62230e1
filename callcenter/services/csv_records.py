"""Customer CSV files read as a stream of rows: the header's layout, then (line, cells) chunks."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

from callcenter.domain.errors import ValidationError

COLUMNS = ("external_id", "name", "phone", "phone2", "email", "company", "tier", "notes")
PHONE_COLUMNS = ("phone", "phone2")
# Where a column the header lacks "sits": past any row's end, so its cell reads as empty.
ABSENT = sys.maxsize

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
class Layout:
    """Where each known column sits in a row, from the header."""

    positions: tuple[tuple[str, int], ...]
    width: int
    unnamed: tuple[int, ...] = ()
    # The header as read (lower case), part of what a record's digest covers.
    names: tuple[str, ...] = ()

    @property
    def present(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.positions)

    def index(self, column: str) -> int:
        """The column's cell position, or ABSENT."""
        return next((i for name, i in self.positions if name == column), ABSENT)


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
        names=tuple(names),
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

    Lines end at LF only (CRLF keeps its CR for the csv module), so the csv module counts
    physical lines and a record's line is where it starts, even with quoted newlines.
    The file must have passed `check_decodable`, which names the line of a decoding error.
    """

    def __init__(self, path: Path, encoding: str = "utf-8") -> None:
        self.path = path
        self.encoding = codec_name(encoding)
        self.size = 0
        self._file: BinaryIO | None = None

    def __enter__(self) -> Self:
        try:
            self._file = self.path.open("rb")
            self.size = self.path.stat().st_size
        except OSError as exc:
            raise CsvFileError(FileProblem.UNREADABLE, f"cannot read {self.path}: {exc}") from None
        # Decoded and split by the io module in C: a Python loop per line cost seconds a
        # million lines.
        text = io.TextIOWrapper(self._file, encoding=self.encoding, newline="\n")
        self._reader = csv.reader(text)
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

    @property
    def bytes_read(self) -> int:
        """How far the file has been read (to within the text layer's 8 KiB read-ahead)."""
        assert self._file is not None
        return self._file.tell()

    def chunks(self, size: int, first: int | None = None) -> Iterator[Chunk]:
        """Chunks of `size` records; from `first` records, twice as many each time up to
        `size` (so whatever takes the chunks starts sooner)."""
        wanted = min(size, first or size)
        rows: list[tuple[int, list[str]]] = []
        while (row := self._next_row()) is not None:
            rows.append(row)
            if len(rows) >= wanted:
                yield Chunk(rows, self.bytes_read)
                rows = []
                wanted = min(size, 2 * wanted)
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
            except UnicodeDecodeError as exc:
                # check_decodable passed, so the file changed since.
                raise CsvFileError(
                    FileProblem.ENCODING,
                    f"not valid {self.encoding.removesuffix('-sig')} ({exc.reason}); "
                    "was the file changed during the import?",
                    line=line,
                ) from None
            # Spreadsheets leave blank rows and rows of empty cells; they are no records.
            # (The first test settles almost every row; the join is for the rest.)
            if cells and (cells[0].strip() or "".join(cells).strip()):
                return line, cells


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
        _locate_decoding_error(binary, codec)
    # Only if the file changed between the two passes.
    raise CsvFileError(FileProblem.ENCODING, f"not valid {codec.removesuffix('-sig')}")


def _locate_decoding_error(binary: BinaryIO, codec: str) -> None:
    """Raise CsvFileError for the first physical line that does not decode."""
    decoder = codecs.getincrementaldecoder(codec)()
    line = 1
    for raw in binary:
        try:
            text = decoder.decode(raw)
        except UnicodeDecodeError as exc:
            raise _decode_error(codec, line, exc) from None
        # Counted in decoded text: in UTF-16 a b"\n" byte is not always a line end.
        line += text.count("\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _decode_error(codec, line, exc) from None


def _decode_error(codec: str, line: int, exc: UnicodeDecodeError) -> CsvFileError:
    return CsvFileError(
        FileProblem.ENCODING,
        f"not valid {codec.removesuffix('-sig')} ({exc.reason}); "
        "give the file's encoding with --encoding (e.g. gbk, cp1252)",
        line=line,
    )
