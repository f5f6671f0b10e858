"""Go durations (time.ParseDuration and Duration.String), as kubectl flags and the
`sim.kctl.io/*` annotations spell them: "30s", "1m30s", "1.5h", "5m0s". Pure."""

from __future__ import annotations

from fractions import Fraction

from kctl.api.field import go_quote as _go_quote

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
          "m": 60_000_000_000, "h": 3_600_000_000_000}




def parse_go_duration(text: str) -> float:
    """Seconds in `text` as Go's time.ParseDuration reads it ("30s", "5m", "1h30m", "1.5h",
    "-2m", "0"). Raises ValueError with Go's message, e.g. `time: invalid duration "x"`."""
    orig = text
    s = text
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise ValueError(f"time: invalid duration {_go_quote(orig)}")
    total = 0  # nanoseconds, exact
    while s:
        if not (s[0].isdigit() or s[0] == "."):
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        i = 0
        while i < len(s) and s[i].isdigit():
            i += 1
        whole = s[:i]
        frac = ""
        if i < len(s) and s[i] == ".":
            j = i + 1
            while j < len(s) and s[j].isdigit():
                j += 1
            frac = s[i + 1:j]
            i = j
        if not whole and not frac:
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        j = i
        while j < len(s) and not (s[j].isdigit() or s[j] == "."):
            j += 1
        unit = s[i:j]
        if not unit:
            raise ValueError(f"time: missing unit in duration {_go_quote(orig)}")
        if unit not in _UNITS:
            raise ValueError(f"time: unknown unit {_go_quote(unit)} in duration {_go_quote(orig)}")
        value = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
        total += value * _UNITS[unit]
        if total > (1 << 63) - 1:
            raise ValueError(f"time: invalid duration {_go_quote(orig)}")
        s = s[j:]
    ns = int(total)
    return (-ns if neg else ns) / 1e9


def format_go_duration(seconds: float) -> str:
    """time.Duration(seconds).String(): "5m0s", "1h30m0s", "1.5s", "500ms", "0s"."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if ns >= size or unit == "ns":
                return sign + _frac(ns, size) + unit
    h, rem = divmod(ns, 3_600_000_000_000)
    m, rem = divmod(rem, 60_000_000_000)
    out = sign
    if h:
        out += f"{h}h"
    if h or m:
        out += f"{m}m"
    return out + _frac(rem, 1_000_000_000) + "s"


def _frac(value: int, unit: int) -> str:
    whole, rest = divmod(value, unit)
    if not rest:
        return str(whole)
    digits = str(rest).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"
