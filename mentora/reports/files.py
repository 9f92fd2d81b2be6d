"""Writing an export's tables to a file: CSV (one table, or a zip of one CSV per table), XLSX (one
sheet per table) or the PDF program report. Every spreadsheet cell goes through
`mentora.core.exports`, which neutralises formulas."""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string

from mentora.core.exports import CONTENT_TYPES, csv_bytes, xlsx_workbook_bytes
from mentora.core.tables import Table

ZIP_CONTENT_TYPE = "application/zip"
PDF_CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class File:
    content: bytes
    content_type: str
    extension: str


def csv_file(tables: Sequence[Table]) -> File:
    if len(tables) == 1:
        return File(csv_bytes(tables[0].header(), tables[0].rows), CONTENT_TYPES["csv"], "csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in tables:
            archive.writestr(f"{item.key}.csv", csv_bytes(item.header(), item.rows))
    return File(buffer.getvalue(), ZIP_CONTENT_TYPE, "zip")


def xlsx_file(tables: Sequence[Table]) -> File:
    content = xlsx_workbook_bytes((item.title, item.header(), item.rows) for item in tables)
    return File(content, CONTENT_TYPES["xlsx"], "xlsx")


def pdf_file(*, context: dict) -> File:
    """The program report, from its print template (reports/program_report.html), by WeasyPrint.
    Nothing is fetched: the stylesheet and charts are inline in the document, so no URL is resolved."""
    from weasyprint import HTML  # loads Pango: only the worker building a PDF pays for it

    html = render_to_string("reports/program_report.html", context)
    return File(
        HTML(string=html, base_url=None, url_fetcher=_no_fetching).write_pdf(), PDF_CONTENT_TYPE, "pdf"
    )


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"The report fetches nothing ({url}).")
