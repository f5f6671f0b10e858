"""`kctl reconcile [--advance DURATION]` and the Go duration helpers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kctl.cli.reconcile import format_go_duration, parse_go_duration, summary


@pytest.mark.parametrize("text,seconds", [
    ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1.5h", 5400), ("0", 0), ("-2m", -120),
    ("300ms", 0.3), (".5s", 0.5), ("1m30.5s", 90.5), ("+10s", 10),
], ids=lambda v: str(v))
def test_parse_go_duration(text, seconds):
    assert parse_go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text,err", [
    ("x", 'time: invalid duration "x"'),
    ("", 'time: invalid duration ""'),
    ("5", 'time: missing unit in duration "5"'),
    ("5d", 'time: unknown unit "d" in duration "5d"'),
    ("1h-5m", 'time: unknown unit "h-" in duration "1h-5m"'),
    (".s", 'time: invalid duration ".s"'),
], ids=["word", "empty", "no-unit", "days", "inner-sign", "dot"])
def test_parse_go_duration_errors(text, err):
    with pytest.raises(ValueError) as e:
        parse_go_duration(text)
    assert str(e.value) == err


@pytest.mark.parametrize("seconds,text", [
    (0, "0s"), (30, "30s"), (300, "5m0s"), (5400, "1h30m0s"), (7200, "2h0m0s"), (90.5, "1m30.5s"),
    (0.3, "300ms"), (1.5, "1.5s"), (-60, "-1m0s"),
], ids=lambda v: str(v))
def test_format_go_duration(seconds, text):
    assert format_go_duration(seconds) == text


def test_summary_line():
    now = datetime(2026, 11, 25, 12, 5, tzinfo=timezone.utc)
    due = datetime(2026, 11, 25, 12, 6, 40, tzinfo=timezone.utc)
    assert summary(now, 300, 12, due) == \
        "cluster time 2026-11-25T12:05:00Z (+5m0s); 12 objects changed; next timer at 2026-11-25T12:06:40Z"
    assert summary(now, None, 1, None) == "cluster time 2026-11-25T12:05:00Z; 1 object changed; no timers pending"


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  progressDeadlineSeconds: 60
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
"""


def test_reconcile_now_and_advance(kctl, write, frozen_now):
    r = kctl("reconcile")
    assert (r.code, r.out, r.err) == (0, "cluster time 2026-11-25T12:00:00Z; 0 objects changed; no timers pending\n", "")
    kctl("apply", "-f", write("d.yaml", DEPLOY))
    r = kctl("reconcile")
    assert r.out.startswith("cluster time 2026-11-25T12:00:00Z; 0 objects changed; next timer at 2026-11-25T12:01:")
    r = kctl("reconcile", "--advance", "5m")
    assert r.code == 0
    assert r.out.startswith("cluster time 2026-11-25T12:05:00Z (+5m0s); ")
    assert "0 objects changed" not in r.out  # the progress deadline fired on the way
    r = kctl("get", "deploy", "web", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}")
    assert r.out == "ProgressDeadlineExceeded"
    r = kctl("reconcile", "--advance", "1h")
    assert r.out == "cluster time 2026-11-25T13:05:00Z (+1h0m0s); 0 objects changed; no timers pending\n"


@pytest.mark.parametrize("value,err", [
    ("x", 'error: invalid argument "x" for "--advance" flag: time: invalid duration "x"\n'
          "See 'kctl reconcile --help' for usage.\n"),
    ("5", 'error: invalid argument "5" for "--advance" flag: time: missing unit in duration "5"\n'
          "See 'kctl reconcile --help' for usage.\n"),
    ("-1m", "error: --advance must not be negative, got -1m\n"),
], ids=["word", "no-unit", "negative"])
def test_reconcile_bad_advance(kctl, frozen_now, value, err):
    r = kctl("reconcile", f"--advance={value}")
    assert (r.code, r.out, r.err) == (1, "", err)
