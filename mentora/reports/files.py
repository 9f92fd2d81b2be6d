"""Writing an export's tables to a file: CSV (one table, or a zip of one CSV per table), XLSX (one
sheet per table) or the PDF program report. Every spreadsheet cell goes through
`mentora.core.exports`, which neutralises formulas."""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from mentora.core.exports import CONTENT_TYPES, csv_bytes, xlsx_workbook_bytes
from mentora.core.tables import Table

ZIP_CONTENT_TYPE = "application/zip"
PDF_CONTENT_TYPE = "application/pdf"
REPORT_STYLESHEETS = ("css/mentora.css", "css/report.css")


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
    Nothing is fetched: the charts are inline SVG and the stylesheets (the site's, for the charts'
    classes, and the report's print layout) are read from the static files, so no URL is resolved."""
    from weasyprint import CSS, HTML  # loads Pango: only the worker building a PDF pays for it

    html = render_to_string("reports/program_report.html", context)
    stylesheets = [CSS(string=_static_text(name), url_fetcher=_no_fetching) for name in REPORT_STYLESHEETS]
    content = HTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=stylesheets)
    return File(content, PDF_CONTENT_TYPE, "pdf")


def _static_text(name: str) -> str:
    path = finders.find(name)
    if path is None:
        raise FileNotFoundError(name)
    return Path(path).read_text(encoding="utf-8")


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"The report fetches nothing ({url}).")
