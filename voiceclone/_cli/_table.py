"""Aligned text tables: headings, columns padded to their widest cell, cells cut to a limit.

Widths are measured on the plain text, so colour codes added afterwards never shift a column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from voiceclone._cli._text import display_width, pad, truncate

__all__ = ["Column", "render_table"]


@attrs.frozen(slots=True)
class Column:
    """One column: its heading, the widest a cell may be (None: no limit), its alignment."""

    heading: str
    max_width: int | None = None
    right: bool = False


Decorate = Callable[[int, int, str], str]
"""``decorate(row, column, padded_text)``: add colour to a padded cell (rows count from 0)."""


def _plain(_row: int, _column: int, text: str) -> str:
    return text


def render_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    decorate: Decorate = _plain,
    heading: Callable[[str], str] = str,
    gap: str = "  ",
) -> list[str]:
    """The table as lines: a heading line, then one line per row. No line ends in spaces."""
    cells = [
        [
            truncate(cell, col.max_width) if col.max_width else cell
            for cell, col in zip(row, columns, strict=True)
        ]
        for row in rows
    ]
    widths = [
        max([display_width(col.heading), *(display_width(row[i]) for row in cells)])
        for i, col in enumerate(columns)
    ]
    last = len(columns) - 1

    def fit(text: str, i: int) -> str:
        # The last column is not padded on the left-aligned side: no trailing spaces.
        if i == last and not columns[i].right:
            return text
        return pad(text, widths[i], right=columns[i].right)

    lines = [heading(gap.join(fit(col.heading, i) for i, col in enumerate(columns)))]
    for r, row in enumerate(cells):
        lines.append(gap.join(decorate(r, i, fit(cell, i)) for i, cell in enumerate(row)))
    return lines
