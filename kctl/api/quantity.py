"""Resource quantities as the API server reads and prints them.

Mirrors k8s.io/apimachinery/pkg/api/resource (Quantity): the grammar of
`ParseQuantity`, exact arithmetic (a `Fraction` here, inf.Dec/int64 there),
rounding up to a nano on parse, `Value()`/`MilliValue()` rounding away from
zero, and the canonical `String()`:

    parse_quantity("1500m")  -> "1500m"     parse_quantity("0.5") -> "500m"
    parse_quantity("1000")   -> "1k"        parse_quantity("1024Mi") -> "1Gi"
    parse_quantity("1e3")    -> "1e3"       parse_quantity("512Ki")  -> "512Ki"
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import total_ordering
from typing import Any

SPLIT_RE = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT = f"quantities must match the regular expression '{SPLIT_RE}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

DECIMAL_EXPONENT = "DecimalExponent"
BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_BY_EXP = {v: k for k, v in _DECIMAL.items()}
_BINARY_BY_EXP = {v: k for k, v in _BINARY.items()}
_EXP_RE = re.compile(r"^[eE]([-+]?[0-9]+)$")
_NANO = Fraction(1, 10**9)


class _Amount(Fraction):
    """The exact value; also callable as upstream's `Value()` (integer, rounded up).

    Both spellings exist in our interface notes (`q.value` as a Fraction and
    `q.value()` as Value()), so the attribute serves both.
    """

    def __call__(self) -> int:
        return _round_away(Fraction(self))


def _round_away(f: Fraction) -> int:
    """Integer part, rounded away from zero when inexact (inf.RoundUp)."""
    n, d = f.numerator, f.denominator
    q = abs(n) // d
    if abs(n) % d:
        q += 1
    return q if n >= 0 else -q


@total_ordering
class Quantity:
    """An exact quantity plus the format it was written in (which `str()` keeps)."""

    __slots__ = ("_value", "format")

    def __init__(self, value: Fraction | int, fmt: str = DECIMAL_SI):
        self._value = _Amount(value)
        self.format = fmt

    @property
    def value(self) -> _Amount:
        """Exact value (a Fraction); call it (`q.value()`) for upstream's Value()."""
        return self._value

    def int_value(self) -> int:
        """Upstream Value(): integer units, rounded away from zero."""
        return _round_away(Fraction(self._value))

    def milli_value(self) -> int:
        """Upstream MilliValue(): thousandths, rounded away from zero (`100m` -> 100)."""
        return _round_away(Fraction(self._value) * 1000)

    milli = milli_value

    def is_zero(self) -> bool:
        return self._value == 0

    def sign(self) -> int:
        return (self._value > 0) - (self._value < 0)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, Quantity):
            return self._value == other._value
        if isinstance(other, (int, Fraction)):
            return self._value == other
        return NotImplemented

    def __lt__(self, other: Any) -> bool:
        if isinstance(other, Quantity):
            return self._value < other._value
        if isinstance(other, (int, Fraction)):
            return self._value < other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(Fraction(self._value))

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(Fraction(self._value) + Fraction(other._value), self.format)

    def __sub__(self, other: Quantity) -> Quantity:
        return Quantity(Fraction(self._value) - Fraction(other._value), self.format)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def __str__(self) -> str:
        return format_value(Fraction(self._value), self.format)


def _suffix_of(s: str) -> tuple[int, int, str]:
    """(base, exponent, format) for a suffix, or raise ValueError(ERR_SUFFIX)."""
    if s in _DECIMAL:
        return 10, _DECIMAL[s], DECIMAL_SI
    if s in _BINARY:
        return 2, _BINARY[s], BINARY_SI
    m = _EXP_RE.match(s)
    if m:
        return 10, int(m.group(1)), DECIMAL_EXPONENT
    raise ValueError(ERR_SUFFIX)


def parse_quantity(s: Any) -> Quantity:
    """Parse a quantity string (or a YAML int/float) the way ParseQuantity does.

    Raises ValueError with upstream's message on bad input.
    """
    if isinstance(s, Quantity):
        return s
    if isinstance(s, bool):
        raise ValueError(ERR_FORMAT)
    if isinstance(s, int):
        return Quantity(s, DECIMAL_SI)
    if isinstance(s, float):
        # YAML numbers: use the shortest repr Go's JSON decoder would also see
        s = repr(s)
        if "inf" in s or "nan" in s:
            raise ValueError(ERR_FORMAT)
    if not isinstance(s, str) or not s:
        raise ValueError(ERR_FORMAT)
    m = re.match(SPLIT_RE, s)
    if not m:
        raise ValueError(ERR_FORMAT)
    num, suffix = m.group(1), m.group(2)
    sign = 1
    body = num
    if body[0] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    # upstream's scanner reads digits, one '.', digits; a second '.' starts a bad suffix
    if body.count(".") > 1:
        raise ValueError(ERR_FORMAT)
    if not any(c.isdigit() for c in body):
        raise ValueError(ERR_NUMERIC)
    base, exp, fmt = _suffix_of(suffix)
    value = Fraction(body) * sign
    value *= Fraction(base) ** exp
    # upstream rounds anything finer than a nano up (away from zero) to the next nano
    if (value / _NANO).denominator != 1:
        value = Fraction(_round_away(value / _NANO)) * _NANO
    return Quantity(value, fmt)


def _strip_tens(n: int) -> tuple[int, int]:
    """n = m * 10**k with m not divisible by 10 (n != 0)."""
    k = 0
    while n % 10 == 0:
        n //= 10
        k += 1
    return n, k


def _canonical_decimal(value: Fraction) -> tuple[int, int]:
    """(mantissa, exponent) with exponent a multiple of 3, as AsCanonicalBytes."""
    # value is a multiple of 1e-9, so value * 1e9 is an integer
    scaled = value * 10**9
    assert scaled.denominator == 1
    mant, k = _strip_tens(scaled.numerator)
    exp = k - 9
    r = exp % 3  # Python modulo is non-negative
    if r:
        mant *= 10**r
        exp -= r
    return mant, exp


def format_value(value: Fraction, fmt: str = DECIMAL_SI) -> str:
    """Canonical text of an exact value in a format (Quantity.String())."""
    if value == 0:
        return "0"
    if fmt == BINARY_SI:
        if -1024 < value < 1024 or value.denominator != 1:
            fmt = DECIMAL_SI
        else:
            n = value.numerator
            mant, exp = abs(n), 0
            while mant % 1024 == 0 and exp < 6:
                mant //= 1024
                exp += 1
            sign = "-" if n < 0 else ""
            return f"{sign}{mant}{_BINARY_BY_EXP.get(exp * 10, '') if exp else ''}"
    mant, exp = _canonical_decimal(value)
    if fmt == DECIMAL_EXPONENT:
        return f"{mant}" if exp == 0 else f"{mant}e{exp}"
    if exp in _DECIMAL_BY_EXP:
        return f"{mant}{_DECIMAL_BY_EXP[exp]}"
    return f"{mant}e{exp}"


def quantity_str(s: Any) -> str:
    """Canonical text of a quantity given as string or number (bad input returned as is)."""
    try:
        return str(parse_quantity(s))
    except ValueError:
        return str(s)


def from_millis(millis: int) -> Quantity:
    """A DecimalSI quantity of `millis` thousandths (printers: cpu totals)."""
    return Quantity(Fraction(millis, 1000), DECIMAL_SI)


def format_cpu_millis(millis: int) -> str:
    """CPU as kubectl describe/top print it: `250m`, `1`, `1500m`."""
    return str(from_millis(millis))


def format_memory(value: Quantity | Fraction | int, fmt: str = BINARY_SI) -> str:
    """Memory in canonical form; integer byte counts print in BinarySI (`1Gi`, `1536Mi`)."""
    if isinstance(value, Quantity):
        return str(value)
    return format_value(Fraction(value), fmt)


def percent(part: Fraction | int, whole: Fraction | int) -> int:
    """Integer percentage as kubectl describe node prints it (truncated; 0 when whole is 0)."""
    if not whole:
        return 0
    return int(Fraction(part) * 100 / Fraction(whole))
