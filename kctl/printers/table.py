"""kubectl's table layout: Go text/tabwriter as kubectl configures it.

kubectl writes every row as cells joined by tabs and ends the row with a newline, through
`tabwriter.NewWriter(out, minwidth=6, tabwidth=4, padding=3, padchar=' ', flags=0)`.
So a column is as wide as its widest cell plus 3 (but at least 6), and the last cell of a
line is not part of a column: it is written as is, never padded. A line whose last cell is
empty therefore keeps the padding of the cell before it (kubectl does not trim it).
Widths count code points, as Go counts runes.
"""

from __future__ import annotations

MIN_WIDTH = 6
PADDING = 3


def render_table(headers: list[str] | None, rows: list[list[str]]) -> str:
    """Lay out `headers` (None or [] = no header line) and `rows` as kubectl does.

    Every line ends with "\\n". No rows and no headers gives "".
    Example: render_table(["NAME", "AGE"], [["web", "5m"]]) == "NAME   AGE\\nweb    5m\\n"
    """
    lines = ([list(headers)] if headers else []) + [list(r) for r in rows]
    if not lines:
        return ""
    ncols = max(len(line) for line in lines)
    # Column j (all but the last cell of each line) gets width max(cell)+padding, >= minwidth.
    # Rows of one table have the same number of cells, so one block per column suffices.
    widths = [0] * max(ncols - 1, 0)
    for line in lines:
        for j, cell in enumerate(line[:-1]):
            w = len(cell) + PADDING
            if w < MIN_WIDTH:
                w = MIN_WIDTH
            if w > widths[j]:
                widths[j] = w
    out = []
    for line in lines:
        parts = []
        last = len(line) - 1
        for j, cell in enumerate(line):
            if j < last:
                parts.append(cell + " " * (widths[j] - len(cell)))
            else:
                parts.append(cell)
        out.append("".join(parts))
    return "\n".join(out) + "\n"
