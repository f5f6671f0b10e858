"""Formatting primitives for `kctl describe`: Go-tabwriter layout, kubectl's PrefixWriter,
RFC1123Z timestamps and quantity helpers. Ages use `kctl.printers.columns.human_duration`.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from fractions import Fraction

from kctl.api.quantity import Quantity, parse_quantity
from kctl.printers.columns import human_duration  # noqa: F401  (re-exported for describers)

# --------------------------------------------------------------------------------------
# Go text/tabwriter, as kubectl describe configures it: minwidth 0, tabwidth 8, padding 2,
# padchar ' ', flags 0. A line's cells are its tab-terminated pieces; the text after the last
# tab is not a cell for alignment purposes. A column block is a run of consecutive lines
# that all have a cell in that column; its width is the widest cell + padding.


def tabwrite(text: str, padding: int = 2, minwidth: int = 0) -> str:
    """Align `text` exactly like Go's tabwriter (left aligned, space padded)."""
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    widths: list[int] = []

    def write_lines(line0: int, line1: int) -> None:
        for i in range(line0, line1):
            cells = lines[i]
            parts = []
            for j, cell in enumerate(cells):
                parts.append(cell)
                if j < len(widths) and j < len(cells) - 1:
                    parts.append(" " * (widths[j] - len(cell)))
            out.append("".join(parts))

    def fmt(line0: int, line1: int) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            write_lines(line0, this)
            line0 = this
            width = minwidth
            while this < line1 and column < len(lines[this]) - 1:
                w = len(lines[this][column]) + padding
                if w > width:
                    width = w
                this += 1
            widths.append(width)
            fmt(line0, this)
            widths.pop()
            line0 = this
        write_lines(line0, line1)

    fmt(0, len(lines))
    return "\n".join(out)


def escape_terminal(s: str) -> str:
    """cli-runtime's WriteEscaped: ESC -> `^[`, CR -> `\\r` (no terminal escape attacks)."""
    return s.replace("\x1b", "^[").replace("\r", "\\r")


LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = range(5)


class PrefixWriter:
    """kubectl's PrefixWriter over a tabwriter: `write(level, text)` indents by two spaces per
    level; `flush()` ends the current alignment segment (kubectl flushes before Events)."""

    def __init__(self) -> None:
        self._segments: list[str] = []
        self._buf: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._buf.append(escape_terminal("  " * level + text))

    def write_line(self, text: str = "") -> None:
        self._buf.append(escape_terminal(text + "\n"))

    def flush(self) -> None:
        if self._buf:
            self._segments.append(tabwrite("".join(self._buf)))
            self._buf = []

    def getvalue(self) -> str:
        self.flush()
        return "".join(self._segments)


class NestedPrefixWriter:
    """Adds `indent` levels to every write (kubectl's nestedPrefixWriter)."""

    def __init__(self, inner, indent: int) -> None:
        self._inner = inner
        self._indent = indent

    def write(self, level: int, text: str) -> None:
        self._inner.write(level + self._indent, text)

    def write_line(self, text: str = "") -> None:
        self._inner.write(self._indent, text + "\n")

    def flush(self) -> None:
        self._inner.flush()


# --------------------------------------------------------------------------------------
# Time


def parse_time(value) -> datetime | None:
    """RFC3339 (optionally with fractional seconds) -> aware datetime; None for empty."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    s = str(value).strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", s)
    if m and m.group(2):  # Python < 3.11 accepts only 3 or 6 fraction digits
        frac = (m.group(2)[1:] + "000000")[:6]
        s = f"{m.group(1)}.{frac}{m.group(3)}"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc1123z(value, tz=None) -> str:
    """Go's time.RFC1123Z layout `Mon, 02 Jan 2006 15:04:05 -0700` (locale independent).

    A missing time prints as Go's zero time, as kubectl does for an unset metav1.Time."""
    dt = parse_time(value)
    if dt is None:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    if tz is not None:
        dt = dt.astimezone(tz)
    off = dt.utcoffset()
    total = int(off.total_seconds()) if off is not None else 0
    sign = "-" if total < 0 else "+"
    total = abs(total)
    return (
        f"{_DAYS[dt.weekday()]}, {dt.day:02d} {_MONTHS[dt.month - 1]} {dt.year:04d} "
        f"{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d} {sign}{total // 3600:02d}{total % 3600 // 60:02d}"
    )


def since(value, now: datetime) -> str:
    """kubectl's translateTimestampSince: `<unknown>` for an unset time."""
    dt = parse_time(value)
    if dt is None:
        return "<unknown>"
    return human_duration((now - dt).total_seconds())


# --------------------------------------------------------------------------------------
# Quantities (on kctl.api.quantity)


def qty(s) -> Quantity:
    """Parse a quantity leniently: an unparsable value counts as zero."""
    try:
        return parse_quantity(s)
    except (ValueError, TypeError, ZeroDivisionError):
        return Quantity(0)


def qty_add(a: Quantity, b: Quantity) -> Quantity:
    """resource.Quantity.Add: a zero quantity takes the other's format."""
    fmt = a.format if not a.is_zero() else b.format
    return Quantity(Fraction(a.value) + Fraction(b.value), fmt)


def qty_str(s) -> str:
    """Canonical text of a quantity string, as `resource.Quantity.String()`."""
    try:
        return str(parse_quantity(s))
    except (ValueError, TypeError, ZeroDivisionError):
        return str(s)
