"""The one spreadsheet-export helper: cells that look like formulas are neutralised in CSV and XLSX."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from mentora.core.exports import csv_bytes, neutralise, restore, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tindent", "\rreturn"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_that_starts_like_a_formula_gets_a_leading_quote(value):
    assert neutralise(value) == "'" + value
    assert restore(neutralise(value)) == value


@pytest.mark.parametrize("value", ["Ada", "Python:4; SQL:3", "a=b", "", "'quoted", "1 + 1"])
def test_ordinary_values_are_left_alone(value):
    assert neutralise(value) == value
    assert restore(value) == value


def test_none_and_numbers_become_text():
    assert (neutralise(None), neutralise(3), neutralise(-3)) == ("", "3", "'-3")


def test_csv_cells_are_neutralised():
    content = csv_bytes(["name", "=header"], [[value, "ok"] for value in HOSTILE])

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "'=header"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]


def test_xlsx_cells_are_strings_never_formulas():
    content = xlsx_bytes(["name"], [[value] for value in HOSTILE], sheet_title="People")

    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # openpyxl writes through lxml (installed with python3-saml), which keeps a carriage return as &#13;
    assert [cell.value for cell in cells] == ["'" + value for value in HOSTILE]
    assert {cell.data_type for cell in cells} == {"s"}


def test_xlsx_drops_characters_xml_cannot_hold_instead_of_failing():
    content = xlsx_bytes(["name"], [["Ann\x00Archer\x0b"]], sheet_title="Peo\x00ple")

    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "Ann\ufffdArcher\ufffd"
    assert sheet.title == "People"
