"""The simulated kubelet on the in-memory store: converge + advance (timers)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kctl.controllers.context import Context
from kctl.controllers.kubelet import Kubelet
from kctl.controllers.runner import advance, converge
from kctl.scheduler.inventory import expand
from kctl.store.memory import MemoryStore

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
UID_RE = None


def ctrl():
    return [Kubelet()]


@pytest.fixture
def store():
    s = MemoryStore()
    ctx = Context(s, T0)
    inv = {"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "metadata": {"name": "t"},
           "nodeGroups": [{"name": "n", "count": 2, "capacity": {"cpu": "4", "memory": "8Gi"}}]}
    for n in expand(inv, now=ctx.now_str):
        ctx.create("nodes", n)
    return s


def make_pod(store, name, *, node="n-0", ann=None, policy=None, at=T0, **spec):
    spec.setdefault("containers", [{"name": "web", "image": "nginx:1.27"}])
    spec["nodeName"] = node
    if policy:
        spec["restartPolicy"] = policy
    meta = {"name": name, "namespace": "default"}
    if ann:
        meta["annotations"] = ann
    return Context(store, at).create("pods", {"metadata": meta, "spec": spec})


def pod(store, name):
    return store.get("pods", "default", name)


def events(store, name):
    return [(e["type"], e["reason"], e["message"], e["count"]) for e in store.list("events", "default")
            if e["involvedObject"]["name"] == name]


def cond(p, type_):
    return next(c for c in p["status"]["conditions"] if c["type"] == type_)


def test_bound_pod_runs_with_ip_status_conditions_and_events(store):
    make_pod(store, "web")
    converge(store, T0, ctrl())
    p = pod(store, "web")
    st = p["status"]
    assert st["phase"] == "Running"
    assert (st["podIP"], st["podIPs"], st["hostIP"], st["hostIPs"]) == (
        "10.244.0.2", [{"ip": "10.244.0.2"}], "10.1.0.1", [{"ip": "10.1.0.1"}])
    assert st["startTime"] == "2026-11-25T12:00:00Z"
    cs = st["containerStatuses"][0]
    assert cs["name"] == "web" and cs["image"] == "docker.io/library/nginx:1.27"
    assert cs["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert cs["containerID"].startswith("containerd://")
    assert (cs["ready"], cs["started"], cs["restartCount"], cs["state"], cs["lastState"]) == (
        True, True, 0, {"running": {"startedAt": "2026-11-25T12:00:00Z"}}, {})
    assert [(c["type"], c["status"]) for c in st["conditions"]] == [
        ("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
        ("ContainersReady", "True"), ("PodScheduled", "True")]
    ev = events(store, "web")
    assert [e[1] for e in ev] == ["Pulling", "Pulled", "Created", "Started"]
    assert ev[0][2] == 'Pulling image "nginx:1.27"'
    assert ev[1][2].startswith('Successfully pulled image "nginx:1.27" in 0s (0s including waiting). Image size: ')
    assert ev[2][2] == "Created container: web"
    assert ev[3][2] == "Started container web"
    src = next(e for e in store.list("events", "default"))["source"]
    assert src == {"component": "kubelet", "host": "n-0"}


def test_ips_are_lowest_free_per_node_and_image_cached(store):
    for name, node in (("a", "n-0"), ("b", "n-0"), ("c", "n-1")):
        make_pod(store, name, node=node)
    converge(store, T0, ctrl())
    assert [pod(store, n)["status"]["podIP"] for n in "abc"] == ["10.244.0.2", "10.244.0.3", "10.244.1.2"]
    assert events(store, "b")[0][2] == 'Container image "nginx:1.27" already present on machine'
    Context(store, T0).delete("pods", "default", "a")
    make_pod(store, "d")
    converge(store, T0, ctrl())
    assert pod(store, "d")["status"]["podIP"] == "10.244.0.2"


@pytest.mark.parametrize("extra,ann,ready_at", [
    pytest.param({"readinessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 15}}, None, 15, id="probe"),
    pytest.param({"readinessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 15}},
                 {"sim.kctl.io/ready-after": "40s"}, 40, id="annotation-overrides"),
])
def test_readiness_waits_for_cluster_time(store, extra, ann, ready_at):
    make_pod(store, "web", ann=ann, containers=[dict({"name": "web", "image": "nginx:1.27"}, **extra)])
    converge(store, T0, ctrl())
    p = pod(store, "web")
    assert p["status"]["phase"] == "Running"
    assert cond(p, "Ready")["status"] == "False"
    assert cond(p, "Ready")["message"] == "containers with unready status: [web]"
    advance(store, T0, ready_at - 1, ctrl())
    assert cond(pod(store, "web"), "Ready")["status"] == "False"
    advance(store, T0 + timedelta(seconds=ready_at - 1), 1, ctrl())
    p = pod(store, "web")
    assert cond(p, "Ready")["status"] == "True"
    assert cond(p, "Ready")["lastTransitionTime"] == (T0 + timedelta(seconds=ready_at)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert p["status"]["containerStatuses"][0]["ready"] is True


def test_crash_loop_back_off_sequence(store):
    make_pod(store, "web", ann={"sim.kctl.io/exit-code": "1", "sim.kctl.io/exit-after": "5s"})
    converge(store, T0, ctrl())
    seen = []
    t = T0
    for _ in range(12):
        t = advance(store, t, 5, ctrl())
        cs = pod(store, "web")["status"]["containerStatuses"][0]
        seen.append((int((t - T0).total_seconds()), cs["restartCount"], next(iter(cs["state"]))))
    # start 0 -> exit 5 -> restart at once -> exit 10 -> back-off 10s -> restart 20 -> exit 25
    # -> back-off 20s -> restart 45 -> exit 50 -> back-off 40s
    assert seen[:10] == [(5, 1, "running"), (10, 1, "waiting"), (15, 1, "waiting"), (20, 2, "running"),
                         (25, 2, "waiting"), (30, 2, "waiting"), (35, 2, "waiting"), (40, 2, "waiting"),
                         (45, 3, "running"), (50, 3, "waiting")]
    p = pod(store, "web")
    cs = p["status"]["containerStatuses"][0]
    uid = p["metadata"]["uid"]
    assert cs["state"] == {"waiting": {"reason": "CrashLoopBackOff",
                                       "message": f"back-off 40s restarting failed container=web pod=web_default({uid})"}}
    assert cs["lastState"]["terminated"]["exitCode"] == 1
    assert cs["lastState"]["terminated"]["reason"] == "Error"
    assert cs["lastState"]["terminated"]["finishedAt"] == "2026-11-25T12:00:50Z"
    assert p["status"]["phase"] == "Running"
    backoff = [e for e in events(store, "web") if e[1] == "BackOff"]
    assert backoff == [("Warning", "BackOff", f"Back-off restarting failed container web in pod web_default({uid})", 3)]


@pytest.mark.parametrize("policy,code,phase,reason", [
    pytest.param("Never", "0", "Succeeded", "Completed", id="never-success"),
    pytest.param("Never", "2", "Failed", "Error", id="never-failure"),
    pytest.param("OnFailure", "0", "Succeeded", "Completed", id="onfailure-success"),
])
def test_job_like_pods_finish(store, policy, code, phase, reason):
    make_pod(store, "job", policy=policy, ann={"sim.kctl.io/exit-code": code, "sim.kctl.io/exit-after": "30s"})
    converge(store, T0, ctrl())
    assert pod(store, "job")["status"]["phase"] == "Running"
    advance(store, T0, 30, ctrl())
    p = pod(store, "job")
    st = p["status"]
    assert st["phase"] == phase
    term = st["containerStatuses"][0]["state"]["terminated"]
    assert (term["exitCode"], term["reason"], term["startedAt"], term["finishedAt"]) == (
        int(code), reason, "2026-11-25T12:00:00Z", "2026-11-25T12:00:30Z")
    assert cond(p, "Ready")["reason"] == ("PodCompleted" if phase == "Succeeded" else "PodFailed")
    assert cond(p, "PodReadyToStartContainers")["status"] == "False"


def test_onfailure_restarts_failed_container(store):
    make_pod(store, "job", policy="OnFailure", ann={"sim.kctl.io/exit-code": "1", "sim.kctl.io/exit-after": "30s"})
    converge(store, T0, ctrl())
    advance(store, T0, 30, ctrl())
    cs = pod(store, "job")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 1 and "running" in cs["state"]


def test_image_pull_error_then_back_off(store):
    make_pod(store, "web", ann={"sim.kctl.io/image-pull-error": "true"})
    converge(store, T0, ctrl())
    p = pod(store, "web")
    assert p["status"]["phase"] == "Pending"
    err = ('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.27": '
           'failed to resolve reference "docker.io/library/nginx:1.27": docker.io/library/nginx:1.27: not found')
    # right after the failed pull the status is ErrImagePull (the pod worker retries in 10 s)
    assert p["status"]["containerStatuses"][0]["state"]["waiting"] == {"reason": "ErrImagePull", "message": err}
    assert [e[:3] for e in events(store, "web")] == [
        ("Normal", "Pulling", 'Pulling image "nginx:1.27"'),
        ("Warning", "Failed", f'Failed to pull image "nginx:1.27": {err}'),
        ("Warning", "Failed", "Error: ErrImagePull"),
    ]
    advance(store, T0, 10, ctrl())  # back-off 10 s over: pulls again, back-off now 20 s
    assert dict((e[2], e[3]) for e in events(store, "web"))['Pulling image "nginx:1.27"'] == 2
    assert pod(store, "web")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ErrImagePull"
    advance(store, T0 + timedelta(seconds=10), 10, ctrl())  # next sync: still inside the 20 s back-off
    waiting = pod(store, "web")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"reason": "ImagePullBackOff",
                       "message": f'Back-off pulling image "nginx:1.27": ErrImagePull: {err}'}
    assert [e[:3] for e in events(store, "web")][-2:] == [
        ("Normal", "BackOff", 'Back-off pulling image "nginx:1.27"'),
        ("Warning", "Failed", "Error: ImagePullBackOff"),
    ]
    advance(store, T0 + timedelta(seconds=20), 10, ctrl())  # t=30: back-off over, pulls again
    assert pod(store, "web")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ErrImagePull"
    assert dict((e[2], e[3]) for e in events(store, "web"))['Pulling image "nginx:1.27"'] == 3


def test_missing_configmap_env_then_created(store):
    make_pod(store, "web", containers=[{"name": "web", "image": "nginx:1.27", "env": [
        {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k"}}}]}])
    converge(store, T0, ctrl())
    p = pod(store, "web")
    assert p["status"]["phase"] == "Pending"
    assert p["status"]["containerStatuses"][0]["state"] == {
        "waiting": {"reason": "CreateContainerConfigError", "message": 'configmap "cfg" not found'}}
    assert ("Warning", "Failed", 'Error: configmap "cfg" not found', 1) in events(store, "web")
    Context(store, T0).create("configmaps", {"metadata": {"name": "cfg", "namespace": "default"}, "data": {"other": "1"}})
    converge(store, T0, ctrl())
    assert pod(store, "web")["status"]["containerStatuses"][0]["state"]["waiting"]["message"] == \
        "couldn't find key k in ConfigMap default/cfg"
    cm = store.get("configmaps", "default", "cfg")
    cm["data"] = {"k": "v"}
    Context(store, T0).write("configmaps", cm)
    converge(store, T0, ctrl())
    assert pod(store, "web")["status"]["phase"] == "Running"


def test_config_error_is_retried_every_pod_worker_back_off(store):
    make_pod(store, "web", containers=[{"name": "web", "image": "nginx:1.27", "env": [
        {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k"}}}]}])
    converge(store, T0, ctrl())
    advance(store, T0, 25, ctrl())  # retries at 10 s and 20 s, as the kubelet's pod worker does
    assert events(store, "web")[2:] == [
        ("Warning", "Failed", 'Error: configmap "cfg" not found', 3),
        ("Normal", "Pulled", 'Container image "nginx:1.27" already present on machine', 2),
    ]
    assert pod(store, "web")["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == \
        "CreateContainerConfigError"


def test_optional_secret_is_fine(store):
    make_pod(store, "web", containers=[{"name": "web", "image": "nginx:1.27",
                                        "envFrom": [{"secretRef": {"name": "s", "optional": True}}]}])
    converge(store, T0, ctrl())
    assert pod(store, "web")["status"]["phase"] == "Running"


def test_missing_configmap_volume_waits_in_container_creating(store):
    make_pod(store, "web", volumes=[{"name": "conf", "configMap": {"name": "cfg"}}])
    converge(store, T0, ctrl())
    p = pod(store, "web")
    assert p["status"]["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert "podIP" not in p["status"]
    assert cond(p, "PodReadyToStartContainers")["status"] == "False"
    assert events(store, "web") == [("Warning", "FailedMount",
                                     'MountVolume.SetUp failed for volume "conf" : configmap "cfg" not found', 1)]
    Context(store, T0).create("configmaps", {"metadata": {"name": "cfg", "namespace": "default"}, "data": {}})
    converge(store, T0, ctrl())
    assert pod(store, "web")["status"]["phase"] == "Running"


def test_init_containers_run_first_and_sidecars_keep_running(store):
    make_pod(store, "web", initContainers=[
        {"name": "setup", "image": "busybox:1.36"},
        {"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"},
    ])
    converge(store, T0, ctrl())
    st = pod(store, "web")["status"]
    init = {c["name"]: c for c in st["initContainerStatuses"]}
    assert init["setup"]["state"]["terminated"]["reason"] == "Completed"
    assert "running" in init["proxy"]["state"] and init["proxy"]["ready"]
    assert st["phase"] == "Running"
    names = [e[2] for e in events(store, "web") if e[1] == "Started"]
    assert names == ["Started container setup", "Started container proxy", "Started container web"]


def test_init_container_blocked_keeps_pod_initializing(store):
    make_pod(store, "web", initContainers=[{"name": "setup", "image": "busybox:1.36",
                                            "envFrom": [{"configMapRef": {"name": "nope"}}]}])
    converge(store, T0, ctrl())
    p = pod(store, "web")
    assert p["status"]["phase"] == "Pending"
    assert cond(p, "Initialized")["message"] == "containers with incomplete status: [setup]"
    assert p["status"]["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}


def test_terminating_pod_is_removed_on_ready_node(store):
    make_pod(store, "web")
    converge(store, T0, ctrl())
    p = pod(store, "web")
    p["metadata"]["deletionTimestamp"] = "2026-11-25T12:00:30Z"
    p["metadata"]["deletionGracePeriodSeconds"] = 30
    Context(store, T0).write("pods", p)
    converge(store, T0, ctrl())
    assert pod(store, "web") is None


def test_pod_on_missing_node_is_garbage_collected_after_quarantine(store):
    make_pod(store, "web", node="ghost")
    converge(store, T0, ctrl())
    assert pod(store, "web") is not None
    advance(store, T0, 40, ctrl())
    assert pod(store, "web") is None


def test_idempotent_second_converge_writes_nothing(store):
    make_pod(store, "web")
    converge(store, T0, ctrl())
    rev = store.revision()
    converge(store, T0, ctrl())
    assert store.revision() == rev


def test_killing_event_on_removal(store):
    make_pod(store, "web")
    converge(store, T0, ctrl())
    p = pod(store, "web")
    p["metadata"]["deletionTimestamp"] = "2026-11-25T12:00:30Z"
    Context(store, T0).write("pods", p)
    converge(store, T0, ctrl())
    assert ("Normal", "Killing", "Stopping container web", 1) in events(store, "web")


def test_in_place_image_change_restarts_container(store):
    make_pod(store, "web")
    converge(store, T0, ctrl())
    p = pod(store, "web")
    p["spec"]["containers"][0]["image"] = "nginx:1.28"
    Context(store, T0).write("pods", p)
    t = T0 + timedelta(seconds=10)
    converge(store, t, ctrl())
    cs = pod(store, "web")["status"]["containerStatuses"][0]
    assert (cs["image"], cs["restartCount"], cs["state"]) == (
        "docker.io/library/nginx:1.28", 1, {"running": {"startedAt": "2026-11-25T12:00:10Z"}})
    assert cs["lastState"]["terminated"]["finishedAt"] == "2026-11-25T12:00:10Z"
    assert ("Normal", "Killing", "Container web definition changed, will be restarted", 1) in events(store, "web")
