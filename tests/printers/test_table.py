"""render_table: Go tabwriter as kubectl configures it (minwidth 6, padding 3)."""

import pytest

from kctl.printers.table import render_table


@pytest.mark.parametrize(
    "headers,rows,expected",
    [
        (["NAME", "AGE"], [["web", "5m"]], "NAME   AGE\nweb    5m\n"),
        # each column: widest cell + 3; the last column is never padded
        (["NAME", "READY", "AGE"], [["a-long-name", "1/1", "5m"], ["b", "0/1", "10d"]],
         "NAME          READY   AGE\na-long-name   1/1     5m\nb             0/1     10d\n"),
        # minwidth 6: a column whose widest cell is 2 wide is still 6 wide
        (["IP", "X"], [["a", "b"]], "IP    X\na     b\n"),
        # no headers
        (None, [["a", "b"], ["ccc", "d"]], "a     b\nccc   d\n"),
        # an empty last cell keeps the padding of the cell before it (kubectl does not trim)
        (["NAME", "APP"], [["web", ""]], "NAME   APP\nweb    \n"),
        # empty middle cells are padded like any other
        (["A", "B", "C"], [["", "", "x"]], "A     B     C\n            x\n"),
        # widths count code points, like Go counts runes
        (["NAME", "V"], [["é", "1"]], "NAME   V\né      1\n"),
        ([], [], ""),
        (["NAME", "AGE"], [], "NAME   AGE\n"),
    ],
    ids=["basic", "widths", "minwidth", "no-headers", "empty-last", "empty-middle", "unicode", "nothing",
         "header-only"],
)
def test_render_table(headers, rows, expected):
    assert render_table(headers, rows) == expected
