"""Hostile and malformed uploads: every one is a clear import error, read in little memory, never a crash."""

import io
import tracemalloc
import zipfile

import pytest

from mentora.people import import_files
from mentora.people.importing import people_import
from mentora.people.models import Person

HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>employee_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>email</t></is></c></row>'
)
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELATIONSHIPS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
# Memory the import may use on a hostile file: the file itself is built before measuring.
SMALL = 8 * 1024 * 1024


def workbook(
    sheet_data: str = "", *, dimension: str = "A1:B2", prologue: str = "", sheet: bytes | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELATIONSHIPS)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            sheet
            if sheet is not None
            else (
                f'{prologue}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
            ).encode(),
        )
    return buffer.getvalue()


def measured(org, data: bytes, filename: str = "people.xlsx", *, dry_run: bool = True):
    """The import's report and the peak of Python memory it allocated."""
    tracemalloc.start()
    try:
        report = people_import(organisation=org, file=io.BytesIO(data), filename=filename, dry_run=dry_run)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return report, peak


def only_error(report) -> tuple[int, str]:
    assert len(report.errors) == 1, report.errors
    return report.errors[0].line, report.errors[0].message


def test_a_far_away_dimension_and_a_distant_row_stop_at_the_row_limit(org):
    data = workbook(
        HEADER_ROW + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        dimension="A1:XFD1048576",
    )

    report, peak = measured(org, data)

    assert only_error(report) == (1, "More than 50000 rows: split the file.")
    assert peak < SMALL


def test_the_dimension_is_not_believed_for_a_small_sheet(org):
    data = workbook(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>ed@acme.test</t></is></c></row>',
        dimension="A1:XFD1048576",
    )

    report, peak = measured(org, data, dry_run=False)

    assert report.ok, report.errors
    assert Person.objects.get(organisation=org, employee_id="E1").email == "ed@acme.test"
    assert peak < SMALL


def test_a_cell_at_a_huge_column_index_is_refused_with_its_row(org):
    data = workbook(HEADER_ROW + '<row r="2"><c r="XFD2" t="inlineStr"><is><t>far</t></is></c></row>')

    report, peak = measured(org, data)

    assert only_error(report) == (2, "This row has more than 100 columns.")
    assert peak < SMALL


def test_empty_formatted_cells_far_to_the_right_are_ignored(org):
    data = workbook(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>ed@acme.test</t></is></c><c r="XFD2" s="1"/></row>'
    )

    report, _peak = measured(org, data)

    assert report.ok, report.errors


@pytest.mark.parametrize(
    "sheet",
    [
        b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></row></sheetData></worksheet>",  # not closed
        b"\x00\x01 not xml at all",
        b"",
    ],
)
def test_malformed_xml_is_the_imports_clear_error(org, sheet):
    report, _peak = measured(org, workbook(sheet=sheet))

    assert only_error(report) == (1, "The file is not a readable XLSX workbook.")


def test_an_entity_expansion_bomb_is_refused_before_it_expands(org):
    laughs = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    data = workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
        prologue=f"<!DOCTYPE worksheet [{laughs}]>",
    )

    report, peak = measured(org, data)

    assert only_error(report) == (1, "The file is not a readable XLSX workbook.")
    assert peak < SMALL


def test_an_external_entity_is_refused(org):
    data = workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row>',
        prologue='<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    )

    report, _peak = measured(org, data)

    assert only_error(report) == (1, "The file is not a readable XLSX workbook.")


def test_a_zip_bomb_is_refused_from_its_unpacked_size_before_parsing(org, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_SHEET_XML_BYTES", 1024 * 1024)
    padding = " " * (4 * 1024 * 1024)  # compresses to a few kB
    data = workbook(sheet=f"<worksheet>{padding}<sheetData>{HEADER_ROW}</sheetData></worksheet>".encode())
    assert len(data) < 50_000

    report, peak = measured(org, data)

    assert only_error(report) == (1, "The workbook is too large once unpacked (over 1 MB in one part).")
    assert peak < SMALL


def test_a_zip_entry_that_lies_about_its_size_is_refused(org):
    data = bytearray(workbook(HEADER_ROW * 100))
    # Shrink the sheet's declared size in its central directory entry (the last mention of its name):
    # the zip module stops reading there, and the CRC then does not match.
    entry = data.rindex(b"xl/worksheets/sheet1.xml") - 46
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 24 : entry + 28] = (200).to_bytes(4, "little")

    report, _peak = measured(org, bytes(data))

    assert only_error(report) == (1, "The file is not a readable XLSX workbook.")


def test_an_overlong_cell_is_refused_with_its_row(org):
    data = workbook(
        HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>'
    )

    report, _peak = measured(org, data)

    assert only_error(report) == (2, "A cell holds more than 32767 characters.")


def test_a_shared_string_index_out_of_range_is_refused(org):
    data = workbook('<row r="1"><c r="A1" t="s"><v>99</v></c></row>')

    report, _peak = measured(org, data)

    assert only_error(report) == (1, "The file is not a readable XLSX workbook.")


# ---- CSV --------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(org, settings):
    settings.PEOPLE_IMPORT_MAX_BYTES = 1024 * 1024
    data = b"employee_id,email\n" + b"E1,a@acme.test\n" * 80_000  # 1.2 MB

    report, peak = measured(org, data, "people.csv")

    assert only_error(report) == (
        1,
        "The file is larger than 1 MB: split it and import the parts one after the other.",
    )
    assert peak < 2 * 1024 * 1024


def test_csv_reading_stops_at_the_row_limit(org, settings):
    settings.PEOPLE_IMPORT_MAX_ROWS = 100
    data = b"employee_id,email\n" + b"".join(b"E%d,p%d@acme.test\n" % (n, n) for n in range(100_000))

    report, peak = measured(org, data, "people.csv")

    assert only_error(report) == (1, "More than 100 rows: split the file.")
    assert peak < SMALL


def test_a_csv_row_with_too_many_columns_is_refused(org):
    data = b"employee_id,email\nE1,a@acme.test," + b"x," * 5000 + b"\n"

    report, _peak = measured(org, data, "people.csv")

    assert only_error(report) == (2, "This row has more than 100 columns.")


def test_trailing_empty_csv_columns_are_ignored(org):
    data = b"employee_id,email" + b"," * 300 + b"\nE1,a@acme.test" + b"," * 300 + b"\n"

    report, _peak = measured(org, data, "people.csv")

    assert report.ok, report.errors


def test_a_huge_csv_field_is_refused(org):
    data = b'employee_id,email\nE1,"' + b"x" * 200_000 + b'"\n'

    report, peak = measured(org, data, "people.csv")

    line, message = only_error(report)
    assert line == 2 and message.startswith("Unreadable CSV")
    assert peak < SMALL


# ---- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_nul_character_is_a_row_and_column_error_in_the_dry_run_too(org, dry_run):
    data = b"employee_id,email,full_name,goals\nE1,a@acme.test,Ann\x00Archer,Grow\n"

    report = people_import(organisation=org, file=io.BytesIO(data), filename="people.csv", dry_run=dry_run)

    assert [(issue.line, issue.column) for issue in report.errors] == [(2, "full_name")]
    assert report.errors[0].value == "Ann\ufffdArcher"
    assert "control characters" in report.errors[0].message
    assert not Person.objects.filter(organisation=org).exists()


def test_line_breaks_are_refused_in_one_line_cells_but_kept_in_goals(org):
    data = (
        b'employee_id,email,job_title,goals\nE1,a@acme.test,"Chief\nOfficer",ok\n'
        b'E2,b@acme.test,Engineer,"Learn Go\nand Rust"\nE3,c@acme.test,Bell\x07,"Ring\x1b"\n'
    )

    report = people_import(organisation=org, file=io.BytesIO(data), filename="people.csv", dry_run=True)

    assert [(issue.line, issue.column) for issue in report.errors] == [
        (2, "job_title"),
        (6, "job_title"),
        (6, "goals"),
    ]


def test_a_control_character_in_an_email_is_reported_and_never_looked_up(org):
    data = b"employee_id,email\nE1,a\x00@acme.test\n"

    report = people_import(organisation=org, file=io.BytesIO(data), filename="people.csv", dry_run=True)

    assert (2, "email") in [(issue.line, issue.column) for issue in report.errors]
    assert all("\x00" not in issue.value for issue in report.errors)


def test_an_email_longer_than_a_sign_in_name_may_be_is_refused_in_the_dry_run_too(org):
    # A valid address, but over the 150 characters of a sign-in name: PostgreSQL refuses it on write.
    email = f"{'a' * 64}@{'b' * 63}.{'c' * 30}.test"
    data = f"employee_id,email\nE1,{email}\n".encode()

    for dry_run in (True, False):
        report = people_import(
            organisation=org, file=io.BytesIO(data), filename="people.csv", dry_run=dry_run
        )

        assert [(issue.line, issue.column) for issue in report.errors] == [(2, "email")]
    assert not Person.objects.filter(organisation=org).exists()
