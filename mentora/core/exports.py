"""Spreadsheet downloads (CSV and XLSX) that are safe to open: every export goes through here.

Text that people typed or imported may start like a formula (`=HYPERLINK(...)`, `+1+1`, `@SUM(...)`);
a spreadsheet opening the export would run it (CSV injection). Every cell is therefore neutralised:
a value starting with =, +, -, @, tab or carriage return gets a leading single quote, which
spreadsheets read as "this is text". XLSX cells are also written as strings, never as formulas.
`restore` undoes the quote, so that an export re-imported gives back the stored value.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TEXT_PREFIX = "'"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")  # Excel refuses these in a sheet's name
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value: object) -> str:
    """The cell's text, with a leading quote when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return TEXT_PREFIX + text if text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """The value `neutralise` was given: an importer calls this on each cell."""
    if text.startswith(TEXT_PREFIX) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str) -> bytes:
    return xlsx_workbook_bytes([(sheet_title, header, rows)])


def xlsx_workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    """One workbook of several sheets, each (title, header, rows); titles are cut to Excel's 31
    characters and made unique."""
    workbook = Workbook(write_only=True)
    titles: set[str] = set()
    for sheet_title, header, rows in sheets:
        base = SHEET_TITLE_FORBIDDEN.sub("-", ILLEGAL_CHARACTERS_RE.sub("", sheet_title))[:31] or "Sheet"
        title, number = base, 1
        while title.lower() in titles:
            number += 1
            suffix = f" ({number})"
            title = base[: 31 - len(suffix)] + suffix
        titles.add(title.lower())
        sheet = workbook.create_sheet(title)
        sheet.append(_xlsx_cells(sheet, header))
        for row in rows:
            sheet.append(_xlsx_cells(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cells(sheet, values: Sequence[object]) -> list[WriteOnlyCell]:
    row = []
    for value in values:
        # XML cannot hold most control characters; older rows may still have some.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(value)))
        cell.data_type = "s"  # never a formula, whatever the text looks like
        row.append(cell)
    return row


def spreadsheet_response(
    *,
    file_format: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    filename: str,
    sheet_title: str,
) -> HttpResponse:
    """A download of the rows as CSV or XLSX (`file_format` is one of FORMATS)."""
    if file_format == "xlsx":
        content = xlsx_bytes(header, rows, sheet_title=sheet_title)
    else:
        content = csv_bytes(header, rows)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Cache-Control"] = "no-store"  # personal data: no copy in shared caches
    return response
