"""Reading an uploaded HR export (CSV or XLSX) as a stream of rows, within fixed limits.

An upload is untrusted input: nothing a file says about itself is believed. Rows are read one at a
time and reading stops at the first limit (rows, columns, cell length), so memory grows with what a
legitimate file holds, not with what a hostile one claims. An XLSX is a zip of XML parts: each part's
unpacked size is checked before it is parsed (zip bombs), the XML parser refuses any document type
declaration (entity expansion, "billion laughs") and malformed XML is a refusal, not a crash. The
worksheet's `<dimension>` is never read: rows and cells are taken from where they are.
A cell our export protected against formulas (`'=…`) reads back as the value it was.
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pyexpat import ExpatError, ParserCreate

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentora.core.exports import restore

# More columns than any HR export of ours has; trailing empty columns are ignored, not counted.
MAX_COLUMNS = 100
# Excel's own limit for one cell.
MAX_CELL_CHARS = 32_767
# Unpacked sizes of an XLSX's parts. The worksheet is streamed, so its limit bounds time only; the
# shared strings are held in memory while the sheet is read, so theirs bounds memory.
MAX_SHEET_XML_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_XML_BYTES = 64 * 1024 * 1024
MAX_SMALL_PART_BYTES = 1024 * 1024
XML_CHUNK = 64 * 1024

Row = tuple[int, list[str]]  # line number (1 is the header), stripped cell texts


class Unreadable(Exception):
    """The file cannot be read any further: a line number and the reason, for the import's report."""

    def __init__(self, line: int, message: str, value: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.value = value


def _too_many_rows(max_rows: int) -> Unreadable:
    return Unreadable(
        1,
        ngettext("More than %d row: split the file.", "More than %d rows: split the file.", max_rows)
        % max_rows,
    )


def _too_many_columns(line: int) -> Unreadable:
    return Unreadable(
        line,
        ngettext("This row has more than %d column.", "This row has more than %d columns.", MAX_COLUMNS)
        % MAX_COLUMNS,
    )


def read_rows(data: bytes, filename: str, *, max_rows: int) -> Iterator[Row]:
    """The file's rows in order, skipping none but the XLSX rows that do not exist.

    Raises `Unreadable` as soon as the file breaks a rule, possibly after some rows were yielded.
    """
    name = filename.lower()
    if name.endswith(".xlsx") or (not name.endswith(".csv") and data[:4] == b"PK\x03\x04"):
        return _xlsx_rows(data, max_rows=max_rows)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise Unreadable(1, _("Save the sheet as .xlsx or .csv (UTF-8)."), filename)
    return _csv_rows(data, max_rows=max_rows)


# ---------------------------------------------------------------------------------------------- CSV


def _csv_rows(data: bytes, *, max_rows: int) -> Iterator[Row]:
    first_line = data[: 64 * 1024].split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    records = last_line = 0
    try:
        for cells in reader:
            records += 1
            if records > max_rows + 1:
                raise _too_many_rows(max_rows)
            # A quoted cell may span lines: a record is reported by the line it starts on.
            line, last_line = last_line + 1, reader.line_num
            if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
                raise _too_many_columns(line)
            yield line, [restore(cell.strip()) for cell in cells[:MAX_COLUMNS]]
    except UnicodeDecodeError as exc:
        raise Unreadable(1, _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")) from exc
    except csv.Error as exc:
        raise Unreadable(reader.line_num, _("Unreadable CSV: %s") % exc) from exc


# ---------------------------------------------------------------------------------------------- XLSX


class _Refused(Exception):
    """Raised from inside the XML parser: a DTD, or a part breaking a limit."""


def _not_a_workbook() -> Unreadable:
    return Unreadable(1, _("The file is not a readable XLSX workbook."))


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


def _refuse_dtd(*args) -> None:
    raise _Refused


def _parse_part(
    archive: zipfile.ZipFile,
    name: str,
    limit: int,
    *,
    start: Callable | None = None,
    end: Callable | None = None,
    text: Callable | None = None,
) -> Iterator[None]:
    """Feed one part to an expat parser in chunks, yielding after each chunk (so that a caller can
    hand on what the handlers collected). The part's unpacked size is checked before parsing; the
    zip module then stops at that size and checks the CRC, so a size that lies is caught too."""
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise _not_a_workbook() from exc
    if info.file_size > limit:
        raise Unreadable(
            1,
            _("The workbook is too large once unpacked (over %d MB in one part).") % (limit // 1024 // 1024),
        )
    parser = ParserCreate()
    # Entities are how XML bombs expand; a spreadsheet never needs a DTD.
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
        parser.buffer_text = True
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(XML_CHUNK):
                parser.Parse(chunk, False)
                yield
        parser.Parse(b"", True)
    except (
        ExpatError,
        _Refused,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise _not_a_workbook() from exc
    yield


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The first worksheet's part name and the shared strings' part name (if any)."""
    sheet_ids: list[str] = []

    def on_sheet(tag, attrs):
        if _local(tag) == "sheet":
            sheet_ids.extend(value for key, value in attrs.items() if _local(key) == "id")

    for _chunk in _parse_part(archive, "xl/workbook.xml", MAX_SMALL_PART_BYTES, start=on_sheet):
        pass
    targets: dict[str, str] = {}
    strings: list[str] = []

    def on_relationship(tag, attrs):
        if _local(tag) == "Relationship" and "Target" in attrs:
            targets[attrs.get("Id", "")] = attrs["Target"]
            if attrs.get("Type", "").endswith("/sharedStrings"):
                strings.append(attrs["Target"])

    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.NameToInfo:
        for _chunk in _parse_part(archive, rels, MAX_SMALL_PART_BYTES, start=on_relationship):
            pass
    if sheet_ids and sheet_ids[0] in targets:
        sheet = _resolve("xl/workbook.xml", targets[sheet_ids[0]])
    else:
        sheet = "xl/worksheets/sheet1.xml"
    if strings:
        shared = _resolve("xl/workbook.xml", strings[0])
    else:
        shared = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in archive.NameToInfo else None
    return sheet, shared


class _TextCollector:
    """Collects the text of `<t>` elements (skipping phonetic runs), refusing overlong cells."""

    def __init__(self, line: Callable[[], int]):
        self.parts: list[str] = []
        self.length = 0
        self.collecting = False
        self.phonetic = 0
        self.line = line

    def reset(self) -> str:
        value = "".join(self.parts)
        self.parts, self.length, self.collecting = [], 0, False
        return value

    def text(self, data: str) -> None:
        if not self.collecting or self.phonetic:
            return
        self.length += len(data)
        if self.length > MAX_CELL_CHARS:
            raise Unreadable(
                self.line(),
                ngettext(
                    "A cell holds more than %d character.",
                    "A cell holds more than %d characters.",
                    MAX_CELL_CHARS,
                )
                % MAX_CELL_CHARS,
            )
        self.parts.append(data)


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    strings: list[str] = []
    collector = _TextCollector(lambda: 1)

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "t":
            collector.collecting = True
        elif tag == "rPh":
            collector.phonetic += 1

    def end(tag):
        tag = _local(tag)
        if tag == "t":
            collector.collecting = False
        elif tag == "rPh":
            collector.phonetic -= 1
        elif tag == "si":
            strings.append(collector.reset())

    for _chunk in _parse_part(
        archive, name, MAX_SHARED_STRINGS_XML_BYTES, start=start, end=end, text=collector.text
    ):
        pass
    return strings


_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})(\d+)$")
_INTEGER = re.compile(r"-?\d+$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _number_text(value: str) -> str:
    """`1001` stays `1001`, `3.0` becomes `3`, as a spreadsheet shows them."""
    if _INTEGER.match(value):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return str(number)


def _xlsx_rows(data: bytes, *, max_rows: int) -> Iterator[Row]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise _not_a_workbook() from exc
    with archive:
        sheet, shared = _workbook_parts(archive)
        strings = _shared_strings(archive, shared) if shared else []
        yield from _sheet_rows(archive, sheet, strings, max_rows=max_rows)


def _sheet_rows(archive: zipfile.ZipFile, name: str, strings: list[str], *, max_rows: int) -> Iterator[Row]:
    done: list[Row] = []
    row_number = 0
    cells: dict[int, str] = {}
    cell = {"column": 0, "type": "n"}
    collector = _TextCollector(lambda: row_number)

    def start(tag, attrs):
        nonlocal row_number, cells
        tag = _local(tag)
        if tag == "row":
            reference = attrs.get("r", "")
            row_number = int(reference) if reference.isdigit() else row_number + 1
            if row_number > max_rows + 1:
                raise _too_many_rows(max_rows)
            cells = {}
            cell["column"] = 0
        elif tag == "c":
            match = _CELL_REFERENCE.match(attrs.get("r", ""))
            cell["column"] = _column_number(match.group(1)) if match else cell["column"] + 1
            cell["type"] = attrs.get("t", "n")
            collector.reset()
        elif tag in ("v", "t"):
            collector.collecting = True
        elif tag == "rPh":
            collector.phonetic += 1

    def end(tag):
        tag = _local(tag)
        if tag in ("v", "t"):
            collector.collecting = False
        elif tag == "rPh":
            collector.phonetic -= 1
        elif tag == "c":
            value = restore(_cell_value(cell["type"], collector.reset(), strings, row_number).strip())
            if value:
                if cell["column"] > MAX_COLUMNS:
                    raise _too_many_columns(row_number)
                cells[cell["column"]] = value
        elif tag == "row":
            done.append(
                (row_number, [cells.get(column, "") for column in range(1, max(cells, default=0) + 1)])
            )

    for _chunk in _parse_part(archive, name, MAX_SHEET_XML_BYTES, start=start, end=end, text=collector.text):
        yield from done
        done.clear()


def _cell_value(kind: str, raw: str, strings: list[str], line: int) -> str:
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError) as exc:
            raise Unreadable(line, _("The file is not a readable XLSX workbook.")) from exc
    if kind == "b":
        return "true" if raw.strip() == "1" else "false"
    if kind == "n":
        return _number_text(raw.strip())
    return raw  # inline strings, formula results (t="str"), errors and ISO dates, as written
