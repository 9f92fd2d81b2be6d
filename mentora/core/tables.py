"""A table of figures: what a page shows beside each chart, what the API returns for it and what an
export writes as one sheet. One shape for all three, so that a chart, its table, its JSON and its
spreadsheet can never disagree."""

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str  # an identifier: the API's JSON key, never a display label
    label: str  # translated, for pages and spreadsheet headers


@dataclass(frozen=True)
class Table:
    key: str  # an identifier: the API's name for the table, the export's sheet and file name
    title: str  # translated
    columns: tuple[Column, ...]
    # One tuple per row, in column order. A cell withheld by the privacy rule (core.privacy) is None.
    rows: tuple[tuple[object, ...], ...]
    note: str = ""  # translated; says why cells are withheld or what the figures leave out
    hidden: frozenset[tuple[int, int]] = field(default_factory=frozenset)  # (row, column) withheld

    def header(self) -> list[str]:
        return [column.label for column in self.columns]

    def records(self) -> list[dict[str, object]]:
        """The rows keyed by column key, as the API returns them."""
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


def table(
    *,
    key: str,
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[object]],
    note: str = "",
) -> Table:
    """A Table from (key, label) pairs and row sequences; withheld cells (None) are recorded as hidden."""
    rows = tuple(tuple(row) for row in rows)
    width = len(columns)
    if any(len(row) != width for row in rows):
        raise ValueError(f"table {key!r}: every row needs {width} cells")
    hidden = frozenset((r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if cell is None)
    return Table(
        key=key,
        title=title,
        columns=tuple(Column(key=k, label=label) for k, label in columns),
        rows=rows,
        note=note,
        hidden=hidden,
    )
