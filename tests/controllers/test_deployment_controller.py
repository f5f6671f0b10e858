"""Deployment controller on the in-memory store with the real ReplicaSet controller and a
fake kubelet (deployment_fakes): rollouts step by step, with exact Events."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from deployment_fakes import T0, controllers, deployment, events
from kctl.controllers.context import Context
from kctl.controllers.deployment import util
from kctl.controllers.runner import advance, converge
from kctl.store.memory import MemoryStore

D = "deployments.apps"
RS = "replicasets.apps"


@pytest.fixture
def store():
    s = MemoryStore()
    Context(s, T0).create("namespaces", {"metadata": {"name": "default"}})
    return s


def create(store, obj, now=T0):
    Context(store, now).create(D, obj)
    converge(store, now, controllers())


def update(store, now, fn, name="web"):
    d = copy.deepcopy(store.get(D, "default", name))
    fn(d)
    Context(store, now).update(D, d)
    converge(store, now, controllers())


def set_image(image):
    def fn(d):
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    return fn


def rs_name(d_obj, name="web"):
    """The ReplicaSet name for the template as stored (defaulted)."""
    return f"{name}-{util.pod_template_hash(d_obj['spec']['template'])}"


def created_name(store, name="web"):
    return rs_name(store.get(D, "default", name), name)


def get(store, name="web"):
    return store.get(D, "default", name)


def sizes(store):
    return {r["metadata"]["name"]: r["spec"]["replicas"] for r in store.list(RS, "default")}


def live_pods(store):
    return [p for p in store.list("pods", "default") if not p["metadata"].get("deletionTimestamp")]


def test_first_rollout_creates_one_replica_set_with_hash_label_and_revision(store):
    obj = deployment(replicas=3)
    create(store, obj)
    name = created_name(store)
    rs = store.get(RS, "default", name)
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": name.split("-")[1]}
    assert rs["spec"]["selector"]["matchLabels"]["pod-template-hash"] == name.split("-")[1]
    assert rs["metadata"]["annotations"] == {util.REVISION: "1", util.DESIRED_REPLICAS: "3",
                                             util.MAX_REPLICAS: "4"}
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    d = get(store)
    assert d["metadata"]["annotations"][util.REVISION] == "1"
    st = d["status"]
    assert {k: st.get(k) for k in ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                                   "availableReplicas")} == {"observedGeneration": 1, "replicas": 3,
                                                             "updatedReplicas": 3, "readyReplicas": 3,
                                                             "availableReplicas": 3}
    conds = [(c["type"], c["status"], c["reason"], c["message"]) for c in st["conditions"]]
    assert conds == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{name}" has successfully progressed.'),
    ]
    assert events(store) == [("ScalingReplicaSet", f"Scaled up replica set {name} from 0 to 3")]


def test_rolling_update_steps_within_surge_and_unavailability(store):
    obj = deployment(replicas=3, surge=1, unavailable=0, ready_after=10)
    create(store, obj)
    t = advance(store, T0, 10, controllers())
    old = created_name(store)
    update(store, t, set_image("nginx:1.28"))
    new_obj = get(store)
    new = rs_name(new_obj)
    seen = []

    def watch(now):
        pods = live_pods(store)
        ready = [p for p in pods if any(c["type"] == "Ready" and c["status"] == "True"
                                        for c in p["status"].get("conditions") or [])]
        seen.append((len(pods), len(ready)))
        return util.deployment_complete(get(store), get(store)["status"])

    advance(store, t, 300, controllers(), until=watch)
    assert all(total <= 4 and ready >= 3 for total, ready in seen), seen
    assert events(store) == [
        ("ScalingReplicaSet", f"Scaled up replica set {old} from 0 to 3"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 0 to 1"),
        ("ScalingReplicaSet", f"Scaled down replica set {old} from 3 to 2"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 1 to 2"),
        ("ScalingReplicaSet", f"Scaled down replica set {old} from 2 to 1"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 2 to 3"),
        ("ScalingReplicaSet", f"Scaled down replica set {old} from 1 to 0"),
    ]
    assert sizes(store) == {old: 0, new: 3}
    assert store.get(RS, "default", new)["metadata"]["annotations"][util.REVISION] == "2"
    assert get(store)["metadata"]["annotations"][util.REVISION] == "2"


def test_default_strategy_on_ten_replicas_first_step(store):
    # 25% surge of 10 rounds up to 3, 25% unavailable rounds down to 2
    obj = deployment(replicas=10, ready_after=10)
    create(store, obj)
    old = created_name(store)
    t = advance(store, T0, 10, controllers())
    update(store, t, set_image("nginx:1.28"))
    new = rs_name(get(store))
    assert events(store)[1:] == [
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 0 to 3"),
        ("ScalingReplicaSet", f"Scaled down replica set {old} from 10 to 8"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 3 to 5"),
    ]


def test_recreate_scales_old_to_zero_and_waits_for_pods_before_new(store):
    obj = deployment(replicas=2, strategy="Recreate")
    create(store, obj)
    old = created_name(store)
    update(store, T0, set_image("nginx:1.28"))
    new = rs_name(get(store))
    assert events(store) == [
        ("ScalingReplicaSet", f"Scaled up replica set {old} from 0 to 2"),
        ("ScalingReplicaSet", f"Scaled down replica set {old} from 2 to 0"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 0 to 2"),
    ]
    assert sizes(store) == {old: 0, new: 2}
    assert {p["metadata"]["labels"]["pod-template-hash"] for p in live_pods(store)} == {new.split("-")[1]}


def test_recreate_new_replica_set_waits_while_old_pod_terminates(store):
    obj = deployment(replicas=1, strategy="Recreate")
    from kctl.controllers.deployment import DeploymentController
    from kctl.controllers.replicaset import ReplicaSetController
    from deployment_fakes import FakeKubelet

    create(store, obj)
    old = created_name(store)
    # no kubelet: the old pod stays terminating, so no new ReplicaSet yet
    d = copy.deepcopy(get(store))
    set_image("nginx:1.28")(d)
    Context(store, T0).update(D, d)
    converge(store, T0, [DeploymentController(), ReplicaSetController()])
    assert sizes(store) == {old: 0}
    terminating = store.list("pods", "default")
    assert len(terminating) == 1 and terminating[0]["metadata"].get("deletionTimestamp")
    # the kubelet finishes the pod: its removal wakes the Deployment
    Context(store, T0).delete("pods", "default", terminating[0]["metadata"]["name"])
    converge(store, T0, [DeploymentController(), ReplicaSetController(), FakeKubelet()])
    assert sizes(store) == {old: 0, rs_name(get(store)): 1}


def test_paused_deployment_does_not_roll_out_until_resumed(store):
    obj = deployment(replicas=2)
    create(store, obj)
    old = created_name(store)
    update(store, T0, lambda d: d["spec"].__setitem__("paused", True))
    update(store, T0, set_image("nginx:1.28"))
    assert list(sizes(store)) == [old]
    cond = util.get_condition(get(store)["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    update(store, T0, lambda d: d["spec"].pop("paused"))
    new = rs_name(get(store))
    assert sizes(store) == {old: 0, new: 2}
    cond = util.get_condition(get(store)["status"], "Progressing")
    assert cond["reason"] == "NewReplicaSetAvailable"


def test_scaling_a_paused_deployment_still_resizes(store):
    create(store, deployment(replicas=2))
    update(store, T0, lambda d: d["spec"].__setitem__("paused", True))
    update(store, T0, lambda d: d["spec"].__setitem__("replicas", 4))
    assert list(sizes(store).values()) == [4]
    assert events(store)[-1][1].endswith("from 2 to 4")


def test_revision_history_limit_removes_oldest_empty_replica_sets(store):
    create(store, deployment(replicas=1, revisionHistoryLimit=1))
    names = [rs_name(get(store))]
    for image in ("nginx:2", "nginx:3", "nginx:4"):
        update(store, T0, set_image(image))
        names.append(rs_name(get(store)))
    assert sorted(sizes(store)) == sorted(names[-2:])
    revs = {r["metadata"]["name"]: r["metadata"]["annotations"][util.REVISION] for r in store.list(RS, "default")}
    assert revs == {names[-2]: "3", names[-1]: "4"}


def test_rollback_to_an_old_template_reuses_its_replica_set_with_a_new_revision(store):
    obj = deployment(replicas=1)
    create(store, obj)
    first = created_name(store)
    update(store, T0, set_image("nginx:1.28"))
    update(store, T0, set_image("nginx:1.27"))
    rs = store.get(RS, "default", first)
    assert rs["metadata"]["annotations"][util.REVISION] == "3"
    assert rs["metadata"]["annotations"][util.REVISION_HISTORY] == "1"
    assert len(sizes(store)) == 2


def test_progress_deadline_exceeded_is_a_timer(store):
    create(store, deployment(replicas=2, ready_after=10_000, progressDeadlineSeconds=30))
    name = rs_name(get(store))
    t = advance(store, T0, 29, controllers())
    assert util.get_condition(get(store)["status"], "Progressing")["reason"] == "ReplicaSetUpdated"
    advance(store, t, 10, controllers())
    cond = util.get_condition(get(store)["status"], "Progressing")
    assert (cond["status"], cond["reason"], cond["message"], cond["lastUpdateTime"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{name}" has timed out progressing.',
        "2026-01-01T12:00:31Z")
    avail = util.get_condition(get(store)["status"], "Available")
    assert (avail["status"], avail["reason"]) == ("False", "MinimumReplicasUnavailable")


def test_min_ready_seconds_delays_availability(store):
    create(store, deployment(replicas=2, minReadySeconds=20))
    st = get(store)["status"]
    assert (st.get("readyReplicas"), st.get("availableReplicas", 0), st.get("unavailableReplicas")) == (2, 0, 2)
    t = advance(store, T0, 19, controllers())
    assert get(store)["status"].get("availableReplicas", 0) == 0
    advance(store, t, 1, controllers())
    assert get(store)["status"]["availableReplicas"] == 2


def test_scaling_mid_rollout_is_proportional(store):
    create(store, deployment(replicas=10))
    old = created_name(store)

    def stuck_new_template(d):
        # the new pods never become ready: the rollout stops half way
        set_image("nginx:1.28")(d)
        d["spec"]["template"]["metadata"]["annotations"] = {"test.kctl.io/ready-after": "10000"}

    update(store, T0, stuck_new_template)
    new = rs_name(get(store))
    assert sizes(store) == {old: 8, new: 5}
    update(store, T0, lambda d: d["spec"].__setitem__("replicas", 20))
    # allowed 20 + 5 = 25 for 13 pods: +12 shared by the max-replicas annotation (13):
    # old 8*25/13 = 15.4 -> 15, new gets the rest (5 -> 10)
    assert sizes(store) == {old: 15, new: 10}
    assert events(store)[-2:] == [
        ("ScalingReplicaSet", f"Scaled up replica set {old} from 8 to 15"),
        ("ScalingReplicaSet", f"Scaled up replica set {new} from 5 to 10"),
    ]


def test_orphan_replica_set_matching_the_selector_is_adopted(store):
    obj = deployment(replicas=1)
    h = util.pod_template_hash(obj["spec"]["template"])
    template = copy.deepcopy(obj["spec"]["template"])
    template["metadata"]["labels"]["pod-template-hash"] = h
    Context(store, T0).create(RS, {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                   "metadata": {"name": f"web-{h}", "namespace": "default",
                                                "labels": dict(template["metadata"]["labels"])},
                                   "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web", "pod-template-hash": h}},
                                            "template": template}})
    create(store, obj)
    rs = store.get(RS, "default", f"web-{h}")
    assert rs["metadata"]["ownerReferences"][0]["uid"] == get(store)["metadata"]["uid"]
    assert len(store.list(RS, "default")) == 1
    assert len(live_pods(store)) == 1


def test_converged_state_is_quiescent(store):
    create(store, deployment(replicas=3))
    rev = store.revision()
    assert converge(store, T0 + timedelta(seconds=1), controllers()) == 0
    assert store.revision() == rev


def test_hash_collision_bumps_collision_count_and_renames(store):
    obj = deployment(replicas=1)
    # learn the stored (defaulted) template's hash with a throwaway store
    probe = MemoryStore()
    Context(probe, T0).create("namespaces", {"metadata": {"name": "default"}})
    Context(probe, T0).create(D, obj)
    taken = rs_name(probe.get(D, "default", "web"))
    # someone else's ReplicaSet already has that name (different labels: not adoptable)
    Context(store, T0).create(RS, {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                   "metadata": {"name": taken, "namespace": "default", "labels": {"app": "other"}},
                                   "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "other"}},
                                            "template": {"metadata": {"labels": {"app": "other"}},
                                                         "spec": {"containers": [{"name": "c", "image": "x"}]}}}})
    create(store, obj)
    d = get(store)
    assert d["status"]["collisionCount"] == 1
    renamed = f"web-{util.pod_template_hash(d['spec']['template'], 1)}"
    assert sizes(store) == {taken: 0, renamed: 1}
