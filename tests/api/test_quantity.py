"""kctl.api.quantity: ParseQuantity grammar, exact values, canonical String()."""

from fractions import Fraction

import pytest

from kctl.api.quantity import (
    ERR_FORMAT,
    ERR_NUMERIC,
    ERR_SUFFIX,
    format_cpu_millis,
    format_memory,
    parse_quantity,
)

CANONICAL = [
    ("100m", "100m"),
    ("1Gi", "1Gi"),
    ("1500m", "1500m"),
    ("0.5", "500m"),
    ("0.1", "100m"),
    ("1000", "1k"),
    ("1500", "1500"),
    ("1200000", "1200k"),
    ("1024Mi", "1Gi"),
    ("1.5Gi", "1536Mi"),
    ("512Ki", "512Ki"),
    ("1025Ki", "1025Ki"),
    ("0.5Ki", "512"),  # BinarySI below 1024 prints as DecimalSI
    ("1e3", "1e3"),
    ("1E3", "1e3"),
    ("1e-3", "1e-3"),
    ("2", "2"),
    ("+1", "1"),
    ("-1", "-1"),
    ("0", "0"),
    ("0Mi", "0"),
    ("1k", "1k"),
    ("1M", "1M"),
    ("128974848", "128974848"),
    ("129e6", "129e6"),
    ("129M", "129M"),
    ("123Mi", "123Mi"),
    ("0.0000000001", "1n"),  # rounded up to a nano
    (0.5, "500m"),  # YAML float
    (3, "3"),  # YAML int
]


@pytest.mark.parametrize("text,canonical", CANONICAL, ids=[str(c[0]) for c in CANONICAL])
def test_canonical_string(text, canonical):
    assert str(parse_quantity(text)) == canonical


VALUES = [
    ("100m", Fraction(1, 10), 100, 1),
    ("1", Fraction(1), 1000, 1),
    ("1.5", Fraction(3, 2), 1500, 2),
    ("1Ki", Fraction(1024), 1024000, 1024),
    ("1n", Fraction(1, 10**9), 1, 1),  # MilliValue rounds up
    ("-1.5", Fraction(-3, 2), -1500, -2),  # away from zero
]


@pytest.mark.parametrize("text,value,milli,whole", VALUES, ids=[v[0] for v in VALUES])
def test_values(text, value, milli, whole):
    q = parse_quantity(text)
    assert q.value == value
    assert q.milli_value() == milli
    assert q.milli() == milli
    assert q.int_value() == whole
    assert q.value() == whole  # the Fraction is also callable as upstream Value()


BAD = [
    ("abc", ERR_FORMAT),
    ("", ERR_FORMAT),
    ("1Z", ERR_FORMAT),
    ("1 Gi", ERR_FORMAT),
    ("1kk", ERR_SUFFIX),
    ("1K", ERR_SUFFIX),
    ("1.2.3", ERR_FORMAT),
    (".", ERR_NUMERIC),
    (True, ERR_FORMAT),
]


@pytest.mark.parametrize("text,message", BAD, ids=[repr(b[0]) for b in BAD])
def test_errors(text, message):
    with pytest.raises(ValueError) as e:
        parse_quantity(text)
    assert str(e.value) == message


def test_error_text_is_upstream():
    assert ERR_FORMAT == (
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )


@pytest.mark.parametrize("a,b", [("1", "1000m"), ("1Gi", "1024Mi"), ("1k", "1000"), ("0.5", "500m")],
                         ids=["1=1000m", "1Gi=1024Mi", "1k=1000", "0.5=500m"])
def test_equal_across_formats(a, b):
    assert parse_quantity(a) == parse_quantity(b)
    assert hash(parse_quantity(a)) == hash(parse_quantity(b))


def test_ordering():
    qs = [parse_quantity(s) for s in ["1Gi", "100m", "1", "500Mi", "2"]]
    assert [str(q) for q in sorted(qs)] == ["100m", "1", "2", "500Mi", "1Gi"]
    assert parse_quantity("600m") > parse_quantity("500m")
    assert parse_quantity("-1").sign() == -1


def test_arithmetic_keeps_format():
    total = parse_quantity("100Mi") + parse_quantity("924Mi")
    assert str(total) == "1Gi"
    assert str(parse_quantity("1") - parse_quantity("250m")) == "750m"


@pytest.mark.parametrize("millis,text", [(250, "250m"), (1000, "1"), (1500, "1500m"), (0, "0"), (4000, "4")],
                         ids=["250", "1000", "1500", "0", "4000"])
def test_format_cpu_millis(millis, text):
    assert format_cpu_millis(millis) == text


@pytest.mark.parametrize("value,text", [(1073741824, "1Gi"), (1610612736, "1536Mi"), (1000, "1k"), (512, "512")],
                         ids=["1Gi", "1536Mi", "1000", "512"])
def test_format_memory(value, text):
    assert format_memory(value) == text
