"""DisruptionController: PodDisruptionBudget status from the matching pods."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.disruption import DisruptionController, budget
from kctl.controllers.runner import converge
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)


def pod(name, ready=True, deleting=False):
    meta = {"name": name, "namespace": "default", "labels": {"app": "web"}}
    if deleting:
        meta["deletionTimestamp"] = "2026-11-25T12:00:00Z"
    return {"metadata": meta, "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


@pytest.mark.parametrize("spec,pods,expected", [
    ({"minAvailable": 2}, [pod("a"), pod("b"), pod("c")], (3, 2, 1, 3)),
    ({"minAvailable": 3}, [pod("a"), pod("b"), pod("c")], (3, 3, 0, 3)),
    ({"minAvailable": 2}, [pod("a"), pod("b", ready=False), pod("c", deleting=True)], (1, 2, 0, 3)),
    ({"maxUnavailable": 1}, [pod("a"), pod("b"), pod("c")], (3, 2, 1, 3)),
    ({"minAvailable": "50%"}, [pod("a"), pod("b"), pod("c")], (3, 2, 1, 3)),
    ({"maxUnavailable": "50%"}, [pod("a"), pod("b"), pod("c")], (3, 1, 2, 3)),
    ({"minAvailable": 1}, [], (0, 1, 0, 0)),
], ids=["min-int", "min-all", "unready-and-terminating", "max-int", "min-pct-up", "max-pct-up", "no-pods"])
def test_budget(spec, pods, expected):
    assert budget({"spec": spec}, pods, None) == expected


def test_status_written_once_and_follows_pods():
    s = MemoryStore()
    ctx = Context(s, T0)
    for name in ("a", "b"):
        ctx.create("pods", {"metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "c", "image": "x"}]},
                            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}})
    ctx.create("poddisruptionbudgets.policy", {"metadata": {"name": "web", "namespace": "default"},
                                               "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}})
    converge(s, T0, [DisruptionController()])
    st = s.get("poddisruptionbudgets.policy", "default", "web")["status"]
    assert {k: st[k] for k in ("currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods")} == {
        "currentHealthy": 2, "desiredHealthy": 1, "disruptionsAllowed": 1, "expectedPods": 2}
    assert st["conditions"] == [{"type": "DisruptionAllowed", "status": "True", "reason": "SufficientPods",
                                 "message": "", "observedGeneration": 1, "lastTransitionTime": "2026-11-25T12:00:00Z"}]
    rv = s.get("poddisruptionbudgets.policy", "default", "web")["metadata"]["resourceVersion"]
    converge(s, T0, [DisruptionController()])
    assert s.get("poddisruptionbudgets.policy", "default", "web")["metadata"]["resourceVersion"] == rv
    Context(s, T0).delete("pods", "default", "b")
    converge(s, T0, [DisruptionController()])
    st = s.get("poddisruptionbudgets.policy", "default", "web")["status"]
    assert (st["disruptionsAllowed"], st["conditions"][0]["reason"]) == (0, "InsufficientPods")
