import pytest

from mentora.core.tables import table


def test_a_table_keeps_its_rows_and_records_the_withheld_cells():
    figures = table(
        key="by_department",
        title="By department",
        columns=[("department", "Department"), ("matched", "Matched")],
        rows=[["Sales", 12], ["Legal", None]],
    )
    assert figures.header() == ["Department", "Matched"]
    assert figures.records() == [
        {"department": "Sales", "matched": 12},
        {"department": "Legal", "matched": None},
    ]
    assert figures.hidden == {(1, 1)}


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        table(key="t", title="T", columns=[("a", "A"), ("b", "B")], rows=[[1]])
