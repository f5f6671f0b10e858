"""Job controller: pure helpers (tables) and reconcile on the in-memory store."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from kctl.api.defaults.apps import generate_job_selector
from kctl.controllers.context import Context
from kctl.controllers.job import JobController, backoff_seconds, format_indexes, parse_indexes
from kctl.controllers.runner import advance, converge
from kctl.store.memory import MemoryStore

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def new_store():
    """A store with the namespaces the tests use (admission needs their default ServiceAccount)."""
    store = MemoryStore()
    ctx = Context(store, NOW)
    for ns in ("default", "kube-system"):
        ctx.create("namespaces", {"metadata": {"name": ns}})
    return store


@pytest.mark.parametrize("idx,text", [([], ""), ([0], "0"), ([0, 1, 2], "0-2"), ([4, 0, 1, 7, 6], "0-1,4,6-7")],
                         ids=["none", "one", "run", "mixed"])
def test_completed_indexes_round_trip(idx, text):
    assert format_indexes(idx) == text
    assert parse_indexes(text) == set(idx)


@pytest.mark.parametrize("failures,secs", [(0, 0), (1, 10), (2, 20), (3, 40), (7, 600), (20, 600)])
def test_backoff(failures, secs):
    assert backoff_seconds(failures) == secs


def job(store, name="pi", **spec):
    body = {"metadata": {"name": name, "namespace": "default"},
            "spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "c", "image": "perl"}]}}, **spec}}
    ctx = Context(store, NOW)
    j = ctx.create("jobs.batch", body)
    generate_job_selector(j, j["metadata"]["uid"])
    return ctx.update("jobs.batch", j)


def run(store, now=NOW):
    converge(store, now, [JobController()])


def finish(store, phase, now=NOW, limit=None):
    ctx = Context(store, now)
    done = 0
    for p in store.list("pods"):
        if p["status"].get("phase") == "Pending" and not p["metadata"].get("deletionTimestamp"):
            if limit is not None and done >= limit:
                break
            p = copy.deepcopy(p)
            p["status"] = {"phase": phase, "containerStatuses": [{"name": "c", "restartCount": 0, "state": {
                "terminated": {"exitCode": 0 if phase == "Succeeded" else 1, "finishedAt": ctx.now_str}}}]}
            ctx.write("pods", p)
            done += 1


def status(store, name="pi"):
    return store.get("jobs.batch", "default", name)["status"]


def evs(store):
    return [(e["type"], e["reason"], e["message"]) for e in store.list("events")]


def test_runs_to_completion():
    store = new_store()
    j = job(store, completions=3, parallelism=2)
    run(store)
    pods = store.list("pods")
    assert len(pods) == 2
    p = pods[0]
    assert p["metadata"]["name"].startswith("pi-") and len(p["metadata"]["name"]) == 8
    assert p["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "pi"
    assert p["metadata"]["labels"]["controller-uid"] == j["metadata"]["uid"]
    assert p["metadata"]["annotations"] == {"sim.kctl.io/exit-code": "0"}
    assert status(store) == {"startTime": "2026-01-01T00:00:00Z", "active": 2, "ready": 0, "terminating": 0,
                             "uncountedTerminatedPods": {}}
    finish(store, "Succeeded")
    run(store)
    assert len(store.list("pods")) == 3
    finish(store, "Succeeded")
    run(store)
    st = status(store)
    assert st["succeeded"] == 3 and "active" not in st and st["completionTime"] == "2026-01-01T00:00:00Z"
    assert [(c["type"], c["reason"], c["message"]) for c in st["conditions"]] == [
        ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "CompletionsReached", "Reached expected number of succeeded pods")]
    assert evs(store)[-1] == ("Normal", "Completed", "Job completed")
    assert sorted(e[2] for e in evs(store) if e[1] == "SuccessfulCreate") == sorted(
        f"Created pod: {q['metadata']['name']}" for q in store.list("pods"))


def test_backoff_then_backoff_limit_exceeded():
    store = new_store()
    job(store, backoffLimit=1)
    run(store)
    finish(store, "Failed")
    run(store)
    assert len(store.list("pods")) == 1 and status(store)["failed"] == 1
    assert store.get_meta("timers") == '[{"controller":"job","key":["default","pi"],"due":"2026-01-01T00:00:10Z"}]'
    t = advance(store, NOW, 10, [JobController()])
    assert len(store.list("pods")) == 2
    finish(store, "Failed", t)
    run(store, t)
    st = status(store)
    assert st["failed"] == 2
    assert [(c["type"], c["reason"], c["message"]) for c in st["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit")]
    assert "completionTime" not in st
    assert evs(store)[-1] == ("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit")


def test_active_deadline_deletes_pods():
    store = new_store()
    job(store, activeDeadlineSeconds=30)
    run(store)
    pod = copy.deepcopy(store.list("pods")[0])
    pod["spec"]["nodeName"] = "n1"
    pod["status"]["phase"] = "Running"
    Context(store, NOW).write("pods", pod)
    advance(store, NOW, 60, [JobController()])
    st = status(store)
    assert st["conditions"][-1]["type"] == "Failed" and st["conditions"][-1]["reason"] == "DeadlineExceeded"
    assert st["conditions"][-1]["lastTransitionTime"] == "2026-01-01T00:00:30Z"
    assert store.get("pods", "default", pod["metadata"]["name"])["metadata"]["deletionTimestamp"]
    assert ("Warning", "DeadlineExceeded", "Job was active longer than specified deadline") in evs(store)
    assert ("Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}") in evs(store)


def test_indexed_job():
    store = new_store()
    job(store, completions=3, parallelism=3, completionMode="Indexed")
    run(store)
    pods = store.list("pods")
    by_index = {p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]: p for p in pods}
    assert sorted(by_index) == ["0", "1", "2"]
    p1 = by_index["1"]
    assert p1["metadata"]["name"].startswith("pi-1-")
    assert p1["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == "1"
    assert p1["spec"]["hostname"] == "pi-1"
    assert p1["spec"]["containers"][0]["env"] == [{"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
        "apiVersion": "v1", "fieldPath": "metadata.labels['batch.kubernetes.io/job-completion-index']"}}}]
    finish(store, "Succeeded", limit=2)
    run(store)
    assert status(store)["completedIndexes"] == "0-1" and status(store)["succeeded"] == 2
    finish(store, "Succeeded")
    run(store)
    assert status(store)["completedIndexes"] == "0-2"
    assert status(store)["conditions"][-1]["type"] == "Complete"


def test_ttl_after_finished_deletes_job():
    store = new_store()
    job(store, ttlSecondsAfterFinished=100)
    run(store)
    finish(store, "Succeeded")
    run(store)
    advance(store, NOW, 99, [JobController()])
    assert store.get("jobs.batch", "default", "pi") is not None
    advance(store, NOW + timedelta(seconds=99), 5, [JobController()])
    assert store.get("jobs.batch", "default", "pi") is None
