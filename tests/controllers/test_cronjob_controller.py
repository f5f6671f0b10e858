"""CronJob controller: cron parsing and next times (table) and reconcile on the in-memory store."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kctl.controllers.context import Context
from kctl.controllers.cronjob import CronError, CronJobController, job_name, parse_schedule
from kctl.controllers.runner import advance, converge
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, 0, 0, 30, tzinfo=timezone.utc)


def new_store():
    """A store with the namespaces the tests use (admission needs their default ServiceAccount)."""
    store = MemoryStore()
    ctx = Context(store, NOW)
    for ns in ("default", "kube-system"):
        ctx.create("namespaces", {"metadata": {"name": ns}})
    return store


def utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


NEXT = [
    ("every-minute", "* * * * *", None, utc(2026, 1, 1, 0, 0, 30), utc(2026, 1, 1, 0, 1)),
    ("hourly", "@hourly", None, utc(2026, 1, 1, 0, 0), utc(2026, 1, 1, 1, 0)),
    ("daily", "@daily", None, utc(2026, 1, 1, 5, 0), utc(2026, 1, 2, 0, 0)),
    ("weekly-sunday", "@weekly", None, utc(2026, 1, 1), utc(2026, 1, 4)),
    ("monthly", "@monthly", None, utc(2026, 1, 15), utc(2026, 2, 1)),
    ("yearly", "@yearly", None, utc(2026, 3, 1), utc(2027, 1, 1)),
    ("step-business-hours", "*/15 9-17 * * mon-fri", None, utc(2026, 1, 2, 17, 50), utc(2026, 1, 5, 9, 0)),
    ("list", "5,35 * * * *", None, utc(2026, 1, 1, 0, 6), utc(2026, 1, 1, 0, 35)),
    ("dom-or-dow", "0 0 13 * fri", None, utc(2026, 2, 1), utc(2026, 2, 6)),
    ("dom-and-star-dow", "0 0 31 * *", None, utc(2026, 2, 1), utc(2026, 3, 31)),
    ("timezone", "30 2 * * *", "Asia/Tokyo", utc(2026, 1, 1), utc(2026, 1, 1, 17, 30)),
    ("dst-berlin", "@daily", "Europe/Berlin", utc(2026, 3, 28, 23, 30), utc(2026, 3, 29, 22, 0)),
]


@pytest.mark.parametrize("expr,tz,after,want", [c[1:] for c in NEXT], ids=[c[0] for c in NEXT])
def test_next(expr, tz, after, want):
    assert parse_schedule(expr).next(after, ZoneInfo(tz) if tz else timezone.utc) == want


@pytest.mark.parametrize("expr", ["* * * *", "61 * * * *", "* * * * mon-foo", "@every 5m", "5-1 * * * *", "0 0 * * 7"])
def test_bad_schedules(expr):
    with pytest.raises(CronError):
        parse_schedule(expr)


def test_job_name_minutes_since_epoch():
    assert job_name("hello", utc(2026, 1, 1, 0, 1)) == "hello-29453761"


def cronjob(store, **spec):
    body = {"metadata": {"name": "hello", "namespace": "default"},
            "spec": {"schedule": "* * * * *",
                     "jobTemplate": {"metadata": {"labels": {"team": "a"}}, "spec": {"template": {"spec": {
                         "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "busybox"}]}}}},
                     **spec}}
    return Context(store, NOW).create("cronjobs.batch", body)


def jobs(store):
    return [j["metadata"]["name"] for j in store.list("jobs.batch")]


def evs(store):
    return [(e["reason"], e["message"]) for e in store.list("events") if e["involvedObject"]["kind"] == "CronJob"]


def complete(store, name, at="2026-01-01T00:01:30Z"):
    j = copy.deepcopy(store.get("jobs.batch", "default", name))
    j["status"] = {"completionTime": at, "startTime": at, "succeeded": 1,
                   "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": at}]}
    Context(store, NOW).update_status("jobs.batch", j)


C = [CronJobController()]


def test_creates_job_at_schedule_time():
    store = new_store()
    cj = cronjob(store)
    converge(store, NOW, C)
    assert jobs(store) == []
    assert store.get_meta("timers") == '[{"controller":"cronjob","key":["default","hello"],"due":"2026-01-01T00:01:00Z"}]'
    advance(store, NOW, 40, C)
    assert jobs(store) == ["hello-29453761"]
    j = store.get("jobs.batch", "default", "hello-29453761")
    assert j["metadata"]["labels"] == {"team": "a"}
    assert j["metadata"]["annotations"] == {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2026-01-01T00:01:00Z"}
    assert j["metadata"]["ownerReferences"][0]["uid"] == cj["metadata"]["uid"]
    assert j["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": j["metadata"]["uid"]}}
    st = store.get("cronjobs.batch", "default", "hello")["status"]
    assert st["lastScheduleTime"] == "2026-01-01T00:01:00Z"
    assert [a["name"] for a in st["active"]] == ["hello-29453761"]
    assert evs(store) == [("SuccessfulCreate", "Created job hello-29453761")]
    complete(store, "hello-29453761")
    converge(store, utc(2026, 1, 1, 0, 1, 40), C)
    st = store.get("cronjobs.batch", "default", "hello")["status"]
    assert "active" not in st and st["lastSuccessfulTime"] == "2026-01-01T00:01:30Z"
    assert evs(store)[-1] == ("SawCompletedJob", "Saw completed job: hello-29453761, condition: Complete")


def test_forbid_skips_while_active():
    store = new_store()
    cronjob(store, concurrencyPolicy="Forbid")
    advance(store, NOW, 150, C)
    assert jobs(store) == ["hello-29453761"]
    assert evs(store)[-1] == ("JobAlreadyActive",
                              "Not starting job because prior execution is running and concurrency policy is Forbid")


def test_replace_deletes_active():
    store = new_store()
    cronjob(store, concurrencyPolicy="Replace")
    advance(store, NOW, 90, C)
    assert jobs(store) == ["hello-29453762"]
    assert ("SuccessfulDelete", "Deleted job hello-29453761") in evs(store)


def test_allow_runs_concurrently_and_suspend_stops():
    store = new_store()
    cronjob(store)
    advance(store, NOW, 120, C)
    assert jobs(store) == ["hello-29453761", "hello-29453762"]
    live = copy.deepcopy(store.get("cronjobs.batch", "default", "hello"))
    live["spec"]["suspend"] = True
    Context(store, NOW).update("cronjobs.batch", live)
    advance(store, utc(2026, 1, 1, 0, 3), 300, C)
    assert len(jobs(store)) == 2


def test_starting_deadline_missed():
    store = new_store()
    cronjob(store, schedule="0 * * * *", startingDeadlineSeconds=10)
    converge(store, utc(2026, 1, 1, 1, 0, 30), C)
    assert jobs(store) == []


def test_history_limit():
    store = new_store()
    cronjob(store, successfulJobsHistoryLimit=1)
    advance(store, NOW, 40, C)
    complete(store, "hello-29453761", "2026-01-01T00:01:10Z")
    advance(store, utc(2026, 1, 1, 0, 1, 40), 30, C)
    assert jobs(store) == ["hello-29453761", "hello-29453762"]
    complete(store, "hello-29453762", "2026-01-01T00:02:10Z")
    converge(store, utc(2026, 1, 1, 0, 2, 20), C)
    assert jobs(store) == ["hello-29453762"]
    assert ("SuccessfulDelete", "Deleted job hello-29453761") in evs(store)
