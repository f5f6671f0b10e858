"""Table-driven tests of the kubelet's pure pieces (kctl/controllers/podstatus.py)."""

from __future__ import annotations

import pytest

from kctl.controllers import podstatus as ps


def _backoff_sequence(run_seconds: float, crashes: int) -> list[float]:
    """Waits before each restart for a container that runs `run_seconds` then crashes."""
    entry, t, waits = None, 0.0, []
    for _ in range(crashes):
        finished = t + run_seconds
        in_bo, dur, new = ps.backoff_step(entry, finished, finished)
        if in_bo:
            waits.append(dur)
            in_bo2, _d, new = ps.backoff_step(entry, finished, finished + dur)
            assert not in_bo2
            t = finished + dur
        else:
            waits.append(0)
            t = finished
        entry = new
    return waits


@pytest.mark.parametrize("run,expected", [
    pytest.param(5, [0, 10, 20, 40, 80, 160, 300, 300], id="short-runs-double-to-5m"),
    pytest.param(0, [0, 10, 20, 40], id="instant-crash"),
    pytest.param(700, [0, 0, 0], id="runs-longer-than-2x-max-never-back-off"),
])
def test_restart_backoff_sequence(run, expected):
    assert _backoff_sequence(run, len(expected)) == expected


@pytest.mark.parametrize("seconds,text", [
    (0, "0s"), (10, "10s"), (80, "1m20s"), (160, "2m40s"), (300, "5m0s"), (3600, "1h0m0s"), (3725, "1h2m5s"),
])
def test_go_duration(seconds, text):
    assert ps.go_duration(seconds) == text


@pytest.mark.parametrize("text,seconds", [
    ("30s", 30), ("1m30s", 90), ("1.5h", 5400), ("0", 0), ("15", 15), ("500ms", 0.5),
])
def test_parse_duration(text, seconds):
    assert ps.parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["abc", "10x", "", "s"])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        ps.parse_duration(bad)


def test_crash_loop_message():
    pod = {"metadata": {"name": "web-1", "namespace": "shop", "uid": "u-1"}}
    assert ps.crash_loop_message(20, "web", pod) == \
        "back-off 20s restarting failed container=web pod=web-1_shop(u-1)"


@pytest.mark.parametrize("cidr,used,expected", [
    pytest.param("10.244.0.0/24", set(), "10.244.0.2", id="first-is-dot-2"),
    pytest.param("10.244.1.0/24", {"10.244.1.2", "10.244.1.3"}, "10.244.1.4", id="next-free"),
    pytest.param("10.244.1.0/24", {"10.244.1.3"}, "10.244.1.2", id="lowest-free-reused"),
    pytest.param("10.244.2.0/30", {"10.244.2.2"}, None, id="exhausted"),
    pytest.param(None, set(), None, id="no-cidr"),
])
def test_allocate_ip(cidr, used, expected):
    assert ps.allocate_ip(cidr, used) == expected


@pytest.mark.parametrize("image,full", [
    ("nginx:1.27", "docker.io/library/nginx:1.27"),
    ("nginx", "docker.io/library/nginx:latest"),
    ("bitnami/redis:7", "docker.io/bitnami/redis:7"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ("localhost:5000/app", "localhost:5000/app:latest"),
])
def test_normalize_image(image, full):
    assert ps.normalize_image(image) == full


def test_image_id_and_container_id_are_stable():
    assert ps.image_id("nginx:1.27") == ps.image_id("docker.io/library/nginx:1.27")
    assert ps.image_id("nginx:1.27").startswith("docker.io/library/nginx@sha256:")
    assert ps.container_id("u", "web", 0) == ps.container_id("u", "web", 0)
    assert ps.container_id("u", "web", 0) != ps.container_id("u", "web", 1)


def _cs(state, last=None):
    return {"state": state, "lastState": {"terminated": last} if last else {}}


RUN = {"running": {"startedAt": "x"}}
OK = {"terminated": {"exitCode": 0}}
BAD = {"terminated": {"exitCode": 1}}
WAIT = {"waiting": {"reason": "ContainerCreating"}}
CRASH = {"waiting": {"reason": "CrashLoopBackOff"}}


@pytest.mark.parametrize("policy,statuses,phase", [
    pytest.param("Always", [_cs(RUN)], "Running", id="running"),
    pytest.param("Always", [_cs(WAIT)], "Pending", id="creating"),
    pytest.param("Always", [_cs(RUN), _cs(WAIT)], "Pending", id="one-waiting"),
    pytest.param("Always", [_cs(CRASH, {"exitCode": 1})], "Running", id="crashloop-is-running"),
    pytest.param("Never", [_cs(OK)], "Succeeded", id="never-ok"),
    pytest.param("Never", [_cs(BAD)], "Failed", id="never-failed"),
    pytest.param("OnFailure", [_cs(OK)], "Succeeded", id="onfailure-ok"),
    pytest.param("OnFailure", [_cs(BAD)], "Running", id="onfailure-restarting"),
    pytest.param("Always", [_cs(OK)], "Running", id="always-never-terminal"),
    pytest.param("Never", [_cs(OK), _cs(RUN)], "Running", id="one-still-running"),
])
def test_pod_phase(policy, statuses, phase):
    assert ps.pod_phase(policy, statuses) == phase


@pytest.mark.parametrize("kw,expected", [
    pytest.param(dict(sandbox=True, init_done=True, pending_init=[], unready=[], phase="Running"),
                 [("PodReadyToStartContainers", "True", None), ("Initialized", "True", None), ("Ready", "True", None),
                  ("ContainersReady", "True", None), ("PodScheduled", "True", None)], id="ready"),
    pytest.param(dict(sandbox=True, init_done=False, pending_init=["init"], unready=["web"], phase="Pending"),
                 [("PodReadyToStartContainers", "True", None),
                  ("Initialized", "False", "containers with incomplete status: [init]"),
                  ("Ready", "False", "containers with unready status: [web]"),
                  ("ContainersReady", "False", "containers with unready status: [web]"),
                  ("PodScheduled", "True", None)], id="initializing"),
    pytest.param(dict(sandbox=False, init_done=True, pending_init=[], unready=[], phase="Succeeded"),
                 [("PodReadyToStartContainers", "False", None), ("Initialized", "True", None),
                  ("Ready", "False", None), ("ContainersReady", "False", None), ("PodScheduled", "True", None)],
                 id="completed"),
])
def test_pod_conditions(kw, expected):
    got = [(c["type"], c["status"], c.get("message")) for c in ps.pod_conditions(**kw)]
    assert got == expected


def test_completed_reasons():
    conds = {c["type"]: c for c in ps.pod_conditions(sandbox=False, init_done=True, pending_init=[],
                                                      unready=[], phase="Failed")}
    assert conds["Ready"]["reason"] == "PodFailed"


def test_merge_conditions_keeps_transition_time_when_status_same():
    old = [{"type": "Ready", "status": "False", "lastTransitionTime": "T0"},
           {"type": "DisruptionTarget", "status": "True", "lastTransitionTime": "T0"},
           {"type": "example.com/gate", "status": "True", "lastTransitionTime": "T0"}]
    new = [ps.condition("Ready", "False", "ContainersNotReady", "m"), ps.condition("Initialized", "True")]
    got = ps.merge_conditions(old, new, "T1")
    assert [(c["type"], c["lastTransitionTime"]) for c in got] == [
        ("example.com/gate", "T0"), ("Initialized", "T1"), ("Ready", "T0"), ("DisruptionTarget", "T0")]
    got = ps.merge_conditions(old, [ps.condition("Ready", "True")], "T2")
    assert got[1]["lastTransitionTime"] == "T2"


@pytest.mark.parametrize("container,ann,delay", [
    pytest.param({}, {}, 0, id="no-probe"),
    pytest.param({"readinessProbe": {"initialDelaySeconds": 5, "periodSeconds": 10}}, {}, 5, id="probe-delay"),
    pytest.param({"readinessProbe": {"initialDelaySeconds": 5}}, {ps.ANN_READY_AFTER: "30s"}, 30, id="annotation-wins"),
    pytest.param({"readinessProbe": {"initialDelaySeconds": 5}, "startupProbe": {"initialDelaySeconds": 20}}, {}, 20,
                 id="startup-first"),
    pytest.param({}, {ps.ANN_READY_AFTER: "bogus"}, 0, id="bad-annotation-ignored"),
])
def test_readiness_delay(container, ann, delay):
    assert ps.readiness_delay(container, ann) == delay


@pytest.mark.parametrize("ann,expected", [
    ({}, None),
    ({ps.ANN_EXIT_CODE: "3"}, (3, 0.0)),
    ({ps.ANN_EXIT_AFTER: "1m"}, (0, 60.0)),
    ({ps.ANN_EXIT_CODE: "1", ps.ANN_EXIT_AFTER: "10s"}, (1, 10.0)),
])
def test_exit_behaviour(ann, expected):
    assert ps.exit_behaviour(ann) == expected


@pytest.mark.parametrize("policy,code,restart", [
    ("Always", 0, True), ("Always", 1, True), ("OnFailure", 0, False), ("OnFailure", 2, True),
    ("Never", 1, False),
])
def test_should_restart(policy, code, restart):
    assert ps.should_restart(policy, code) is restart


@pytest.mark.parametrize("conds,messages", [
    pytest.param([], ['corresponding condition of pod readiness gate "lb/ready" does not exist.'], id="missing"),
    pytest.param([{"type": "lb/ready", "status": "False"}],
                 ['the status of pod readiness gate "lb/ready" is not "True", but False'], id="false"),
    pytest.param([{"type": "lb/ready", "status": "True"}], [], id="true"),
])
def test_readiness_gates(conds, messages):
    assert ps.readiness_gate_messages([{"conditionType": "lb/ready"}], conds) == messages
    got = {c["type"]: c for c in ps.pod_conditions(sandbox=True, init_done=True, pending_init=[], unready=[],
                                                    phase="Running", gate_messages=messages)}
    assert got["Ready"]["status"] == ("False" if messages else "True")
    assert got["ContainersReady"]["status"] == "True"
