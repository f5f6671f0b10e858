"""Go durations: time.ParseDuration and Duration.String."""

import pytest

from kctl.api.duration import format_go_duration, parse_go_duration


@pytest.mark.parametrize("text,seconds", [
    ("0", 0.0), ("30s", 30.0), ("5m", 300.0), ("1h30m", 5400.0), ("1.5h", 5400.0),
    ("-2m", -120.0), ("500ms", 0.5), ("1m0.5s", 60.5),
], ids=lambda v: str(v))
def test_parse(text, seconds):
    assert parse_go_duration(text) == seconds


@pytest.mark.parametrize("text,message", [
    ("x", 'time: invalid duration "x"'),
    ("5", 'time: missing unit in duration "5"'),
    ("5d", 'time: unknown unit "d" in duration "5d"'),
    ("", 'time: invalid duration ""'),
], ids=["letters", "no-unit", "unknown-unit", "empty"])
def test_parse_errors(text, message):
    with pytest.raises(ValueError) as e:
        parse_go_duration(text)
    assert str(e.value) == message


@pytest.mark.parametrize("seconds,text", [
    (0, "0s"), (10, "10s"), (80, "1m20s"), (300, "5m0s"), (3600, "1h0m0s"), (1.5, "1.5s"), (0.5, "500ms"),
])
def test_format(seconds, text):
    assert format_go_duration(seconds) == text
