"""Pure rollout arithmetic (kctl.controllers.deployment.util), table-driven."""

from __future__ import annotations

import pytest

from kctl.controllers.deployment import util


def dep(replicas=10, surge="25%", unavailable="25%", strategy="RollingUpdate", status=None):
    spec = {"replicas": replicas, "strategy": {"type": strategy}}
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "web", "generation": 1}, "spec": spec, "status": status or {}}


def rs(name, replicas, available=0, created="2026-01-01T00:00:00Z", revision=None, max_replicas=None,
       desired=None):
    ann = {}
    if revision is not None:
        ann[util.REVISION] = str(revision)
    if max_replicas is not None:
        ann[util.MAX_REPLICAS] = str(max_replicas)
    if desired is not None:
        ann[util.DESIRED_REPLICAS] = str(desired)
    return {"metadata": {"name": name, "creationTimestamp": created, "annotations": ann},
            "spec": {"replicas": replicas},
            "status": {"replicas": replicas, "availableReplicas": available}}


@pytest.mark.parametrize("value,total,round_up,want", [
    ("25%", 10, True, 3),
    ("25%", 10, False, 2),
    ("25%", 4, True, 1),
    ("25%", 3, False, 0),
    ("50%", 3, True, 2),
    ("0%", 7, True, 0),
    (2, 10, True, 2),
    ("3", 10, False, 3),
], ids=["25%-of-10-up", "25%-of-10-down", "25%-of-4-up", "25%-of-3-down", "50%-of-3-up",
        "0%", "int", "int-string"])
def test_int_or_percent(value, total, round_up, want):
    assert util.int_or_percent(value, total, round_up) == want


@pytest.mark.parametrize("surge,unavailable,replicas,want", [
    ("25%", "25%", 10, (3, 2)),
    ("25%", "25%", 3, (1, 0)),
    (0, 0, 3, (0, 1)),          # both zero: one may be unavailable, else no progress
    ("0%", "0%", 5, (0, 1)),
    (1, 0, 3, (1, 0)),
    (0, "100%", 4, (0, 4)),
], ids=["defaults-10", "defaults-3", "both-zero", "both-zero-percent", "surge-only", "all-unavailable"])
def test_resolve_fenceposts(surge, unavailable, replicas, want):
    assert util.resolve_fenceposts(surge, unavailable, replicas) == want


@pytest.mark.parametrize("d,want_surge,want_unavailable", [
    (dep(10), 3, 2),
    (dep(0), 0, 0),                       # replicas 0: nothing unavailable
    (dep(2, surge=0, unavailable=5), 0, 2),  # capped at replicas
    (dep(5, strategy="Recreate"), 0, 0),
], ids=["rolling-10", "zero-replicas", "unavailable-capped", "recreate"])
def test_max_surge_and_unavailable(d, want_surge, want_unavailable):
    assert (util.max_surge(d), util.max_unavailable(d)) == (want_surge, want_unavailable)


@pytest.mark.parametrize("d,old,new,want", [
    (dep(3, surge=1, unavailable=0), [rs("a", 3)], rs("b", 0), 1),   # 3+0 < 4: +1
    (dep(3, surge=1, unavailable=0), [rs("a", 3)], rs("b", 1), 1),   # at max total: stay
    (dep(3, surge=1, unavailable=0), [rs("a", 2)], rs("b", 1), 2),
    (dep(10), [rs("a", 10)], rs("b", 0), 3),                          # 25% of 10 up = 3
    (dep(10), [rs("a", 2)], rs("b", 3), 10),                          # room for 8, capped at replicas
    (dep(4, strategy="Recreate"), [rs("a", 4)], rs("b", 0), 4),
], ids=["first-surge", "saturated-total", "second-step", "percent-surge", "capped-at-replicas",
        "recreate-full"])
def test_new_rs_new_replicas(d, old, new, want):
    assert util.new_rs_new_replicas(d, old + [new], new) == want


@pytest.mark.parametrize("d,old,new,want", [
    # all 3 old available, new 1 unavailable: 4 - 3 - 1 = 0 (maxUnavailable 0)
    (dep(3, surge=1, unavailable=0), [rs("a", 3, 3)], rs("b", 1, 0), 0),
    # new pod available: 4 - 3 - 0 = 1
    (dep(3, surge=1, unavailable=0), [rs("a", 3, 3)], rs("b", 1, 1), 1),
    # defaults on 10: 13 - 8 - 3 = 2
    (dep(10), [rs("a", 10, 10)], rs("b", 3, 0), 2),
], ids=["waits-for-new", "one-down", "defaults-10"])
def test_max_old_scale_down(d, old, new, want):
    assert util.max_old_scale_down(d, old + [new], new) == want


def test_cleanup_unhealthy_takes_unavailable_old_pods_first_oldest_first():
    old = [rs("b", 3, 1, created="2026-01-02T00:00:00Z"), rs("a", 2, 0, created="2026-01-01T00:00:00Z")]
    plan = util.cleanup_unhealthy_plan(old, 3)
    assert [(r["metadata"]["name"], n) for r, n in plan] == [("a", 0), ("b", 2)]


@pytest.mark.parametrize("available_old,available_new,want", [
    (10, 0, [("a", 8)]),      # 10 available, min 8: two may go
    (8, 0, []),               # at the floor: none
    (10, 3, [("a", 5)]),      # 13 available: five may go
], ids=["two-down", "at-floor", "new-pods-count"])
def test_scale_down_old_plan(available_old, available_new, want):
    d = dep(10)
    old = [rs("a", 10, available_old)]
    new = rs("b", 3, available_new)
    plan = util.scale_down_old_plan(d, old + [new], old)
    assert [(r["metadata"]["name"], n) for r, n in plan] == want


@pytest.mark.parametrize("replicas,sizes,want", [
    # 10 -> 20 mid-rollout (old 8 + new 5 = 13, max-replicas annotation 13): allowed 25
    (20, [("old", 8, "2026-01-01T00:00:00Z"), ("new", 5, "2026-01-02T00:00:00Z")],
     {"old": 15, "new": 10}),
    # 10 -> 5: allowed 5 + 2 = 7, remove 6 proportionally, the larger (older) first
    (5, [("old", 8, "2026-01-01T00:00:00Z"), ("new", 5, "2026-01-02T00:00:00Z")],
     {"old": 4, "new": 3}),
    # to 0: everything goes
    (0, [("old", 8, "2026-01-01T00:00:00Z"), ("new", 5, "2026-01-02T00:00:00Z")],
     {"old": 0, "new": 0}),
], ids=["scale-up", "scale-down", "to-zero"])
def test_proportional_sizes(replicas, sizes, want):
    d = dep(replicas)
    rss = [rs(n, r, created=c, max_replicas=13) for n, r, c in sizes]
    got = {r["metadata"]["name"]: n for r, n in util.proportional_sizes(d, rss)}
    assert got == want
    assert sum(got.values()) == (replicas + util.max_surge(d) if replicas else 0)


@pytest.mark.parametrize("x,want", [(2.5, 3), (3.5, 4), (-2.5, -3), (2.4, 2), (0.5, 1)],
                         ids=["2.5", "3.5", "-2.5", "2.4", "0.5"])
def test_round_half_away_from_zero(x, want):
    assert util.round_half_away(x) == want


def test_pod_template_hash_is_stable_and_shaped_like_upstream():
    t = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    same = {"spec": {"containers": [{"image": "nginx", "name": "web"}]}, "metadata": {"labels": {"app": "web"}}}
    h = util.pod_template_hash(t)
    assert h == util.pod_template_hash(same)  # key order does not matter
    assert 1 <= len(h) <= 10 and set(h) <= set("bcdfghjklmnpqrstvwxz2456789")
    assert util.pod_template_hash(t, 1) != h  # collisionCount changes it
    t2 = {**t, "spec": {"containers": [{"name": "web", "image": "nginx:2"}]}}
    assert util.pod_template_hash(t2) != h


def test_pod_template_hash_known_value():
    # pinned: the same template must give the same name in every release (CLI-CONTRACT.md)
    t = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    assert util.pod_template_hash(t) == util.pod_template_hash(t)
    assert util.pod_template_hash(t) == "7bdf577c44"


def test_equal_ignore_hash():
    a = {"metadata": {"labels": {"app": "web", "pod-template-hash": "x"}}, "spec": {}}
    b = {"metadata": {"labels": {"app": "web"}}, "spec": {}}
    assert util.equal_ignore_hash(a, b)
    assert not util.equal_ignore_hash(a, {"metadata": {"labels": {"app": "db"}}, "spec": {}})


@pytest.mark.parametrize("st,want", [
    ({"updatedReplicas": 3, "replicas": 3, "availableReplicas": 3, "observedGeneration": 1}, True),
    ({"updatedReplicas": 3, "replicas": 4, "availableReplicas": 3, "observedGeneration": 1}, False),
    ({"updatedReplicas": 3, "replicas": 3, "availableReplicas": 2, "observedGeneration": 1}, False),
    ({"updatedReplicas": 3, "replicas": 3, "availableReplicas": 3, "observedGeneration": 0}, False),
], ids=["complete", "old-pods-left", "not-available", "generation-not-observed"])
def test_deployment_complete(st, want):
    assert util.deployment_complete(dep(3), st) is want


def test_set_condition_keeps_transition_time_when_status_unchanged():
    from datetime import datetime, timezone

    t1 = datetime(2026, 1, 1, tzinfo=timezone.utc)
    t2 = datetime(2026, 1, 2, tzinfo=timezone.utc)
    st: dict = {}
    util.set_condition(st, util.new_condition("Progressing", "True", util.RS_UPDATED, "a", t1))
    util.set_condition(st, util.new_condition("Progressing", "True", util.NEW_RS_AVAILABLE, "b", t2))
    c = util.get_condition(st, "Progressing")
    assert (c["reason"], c["lastTransitionTime"], c["lastUpdateTime"]) == (
        util.NEW_RS_AVAILABLE, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z")


@pytest.mark.parametrize("values,want", [
    ([0, 2], 2),
    ([1, None], None),   # a ReplicaSet that does not report it: unknown
    ([], 0),
], ids=["sum", "unknown", "none"])
def test_terminating_count(values, want):
    rss = []
    for v in values:
        r = rs("x", 1)
        if v is not None:
            r["status"]["terminatingReplicas"] = v
        rss.append(r)
    assert util.terminating_count(rss) == want


def test_calculate_status_counts_and_available_condition():
    from datetime import datetime, timezone

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    d = dep(4, surge=1, unavailable=1)
    old = rs("a", 2, 2)
    new = rs("b", 3, 1)
    new["status"]["readyReplicas"] = 2
    st = util.calculate_status(d, [old, new], new, now)
    assert {k: st.get(k) for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                   "availableReplicas", "unavailableReplicas")} == {
        "observedGeneration": 1, "replicas": 5, "updatedReplicas": 3, "readyReplicas": 2,
        "availableReplicas": 3, "unavailableReplicas": 2}
    cond = util.get_condition(st, "Available")
    assert (cond["status"], cond["reason"]) == ("True", "MinimumReplicasAvailable")  # 3 >= 4 - 1
