"""Pure pieces of the simulated kubelet: no store, no I/O, `now` always a parameter.

Pod conditions, container statuses, the restart and image-pull back-off arithmetic of
pkg/kubelet (client-go's flowcontrol.Backoff: 10 s doubling to 5 m, reset after 2 × max
without a failure), Go duration texts, pod IP allocation from a node's podCIDR, and the
sim.kctl.io/* annotations (CLI-CONTRACT.md "container behaviour").
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import datetime

# sim.kctl.io annotations (CLI-CONTRACT.md)
ANN_EXIT_CODE = "sim.kctl.io/exit-code"
ANN_EXIT_AFTER = "sim.kctl.io/exit-after"
ANN_READY_AFTER = "sim.kctl.io/ready-after"
ANN_IMAGE_PULL_ERROR = "sim.kctl.io/image-pull-error"

# kubelet's container restart back-off (pkg/kubelet: initial 10 s, max 300 s) and the image
# pull back-off (same numbers)
BACKOFF_INITIAL = 10
BACKOFF_MAX = 300

# pod condition types in the order the kubelet reports them
POD_CONDITION_ORDER = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                       "PodScheduled", "DisruptionTarget")



# ---------------------------------------------------------------- durations
def parse_duration(text: str) -> float:
    """Go's time.ParseDuration ("30s", "1m30s", "1.5h", "0"), in seconds; ValueError if bad.
    A bare integer is taken as seconds (annotation convenience)."""
    from kctl.api.duration import parse_go_duration

    s = str(text).strip()
    if s.isdigit():
        return float(s)
    return parse_go_duration(s)


def go_duration(seconds: float) -> str:
    """Go's Duration.String(): 0s, 10s, 1m20s, 5m0s, 1h0m0s."""
    from kctl.api.duration import format_go_duration

    return format_go_duration(seconds)


def annotation_seconds(annotations: dict, key: str) -> float | None:
    """A duration annotation in seconds, None when absent or unparsable (a bad value is
    ignored, as an unknown annotation would be)."""
    raw = (annotations or {}).get(key)
    if raw is None:
        return None
    try:
        return max(0.0, parse_duration(raw))
    except ValueError:
        return None


def exit_behaviour(annotations: dict) -> tuple[int, float] | None:
    """(exit code, seconds after start) when the pod's containers are told to exit, else
    None. exit-code alone exits at once; exit-after alone exits 0."""
    ann = annotations or {}
    if ANN_EXIT_CODE not in ann and ANN_EXIT_AFTER not in ann:
        return None
    try:
        code = int(str(ann.get(ANN_EXIT_CODE, "0")).strip())
    except ValueError:
        code = 0
    after = annotation_seconds(ann, ANN_EXIT_AFTER) or 0.0
    return code, after


# ---------------------------------------------------------------- back-off
def backoff_step(entry: tuple[float, float] | None, finished: float, now: float,
                 initial: int = BACKOFF_INITIAL, maximum: int = BACKOFF_MAX):
    """One decision of the kubelet's doBackOff for a container that finished at `finished`
    (epoch seconds), asked at `now`. `entry` is the back-off record (duration, lastUpdate)
    or None. Returns (in_back_off, duration, new_entry): when in back-off, wait until
    finished + duration; else restart now and keep new_entry.

    Mirrors flowcontrol.Backoff: IsInBackOffSince(finished) then Next(finished); a record
    older than 2 × max is expired (reset to the initial delay)."""
    if entry is not None:
        dur, last = entry
        expired = finished - last > 2 * maximum
        if not expired and now - finished < dur:
            return True, dur, entry
        new = (initial if expired else min(dur * 2, maximum), finished)
        return False, dur, new
    return False, 0, (initial, finished)


def crash_loop_message(duration: float, container: str, pod: dict) -> str:
    """The waiting message of a container in CrashLoopBackOff."""
    return f"back-off {go_duration(duration)} restarting failed container={container} pod={format_pod(pod)}"


def format_pod(pod: dict) -> str:
    """kubelet's format.Pod: name_namespace(uid)."""
    meta = pod.get("metadata") or {}
    return f"{meta.get('name', '')}_{meta.get('namespace', '')}({meta.get('uid', '')})"


# ---------------------------------------------------------------- images and ids
def normalize_image(image: str) -> str:
    """The fully qualified reference containerd reports: nginx:1.27 ->
    docker.io/library/nginx:1.27; a missing tag becomes :latest."""
    name, digest = (image.split("@", 1) + [""])[:2]
    first = name.split("/", 1)[0]
    has_registry = "/" in name and ("." in first or ":" in first or first == "localhost")
    if not has_registry:
        name = ("docker.io/library/" + name) if "/" not in name else ("docker.io/" + name)
    last = name.rsplit("/", 1)[-1]
    if not digest and ":" not in last:
        name += ":latest"
    return name + ("@" + digest if digest else "")


def image_id(image: str) -> str:
    """A stable repo digest for an image: docker.io/library/nginx@sha256:<64 hex>."""
    full = normalize_image(image)
    if "@" in full:
        return full
    repo = full.rsplit(":", 1)[0] if ":" in full.rsplit("/", 1)[-1] else full
    return f"{repo}@sha256:{hashlib.sha256(('image:' + full).encode()).hexdigest()}"


def image_size(image: str) -> int:
    """A plausible, stable image size in bytes (10–110 MB)."""
    d = hashlib.sha256(("size:" + normalize_image(image)).encode()).digest()
    return 10_000_000 + int.from_bytes(d[:4], "big") % 100_000_000


def container_id(pod_uid: str, container: str, restart: int) -> str:
    """containerd://<64 hex>, deterministic per pod, container and restart."""
    return "containerd://" + hashlib.sha256(f"{pod_uid}/{container}/{restart}".encode()).hexdigest()


def pull_error_message(image: str) -> str:
    """containerd's not-found pull error for the simulated image-pull failure."""
    full = normalize_image(image)
    return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": failed to '
            f'resolve reference "{full}": {full}: not found')


# ---------------------------------------------------------------- IPs
def allocate_ip(pod_cidr: str | None, used: set[str]) -> str | None:
    """The lowest free address from .2 up in the node's podCIDR (.0 network, .1 gateway,
    broadcast excluded). None when the range is exhausted or the node has no podCIDR."""
    if not pod_cidr:
        return None
    try:
        net = ipaddress.ip_network(pod_cidr, strict=False)
    except ValueError:
        return None
    first = int(net.network_address) + 2
    last = int(net.broadcast_address) - 1 if net.version == 4 else int(net.broadcast_address)
    for n in range(first, last + 1):
        ip = str(ipaddress.ip_address(n))
        if ip not in used:
            return ip
    return None


def node_internal_ip(node: dict) -> str | None:
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address")
    return None


def node_ready(node: dict | None) -> bool:
    """The node's Ready condition is True (its kubelet is posting status and healthy)."""
    if not node:
        return False
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


# ---------------------------------------------------------------- conditions
def condition(type_: str, status: str, reason: str | None = None, message: str | None = None) -> dict:
    c = {"type": type_, "status": status, "lastProbeTime": None}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def merge_conditions(old: list[dict] | None, new: list[dict], now: str) -> list[dict]:
    """New conditions with lastTransitionTime kept from the old one of the same type when
    its status did not change (else `now`); conditions of other types (e.g. PodScheduled,
    DisruptionTarget, readiness gates written by others) are kept. Order as the kubelet's
    status manager leaves it: conditions it does not own first, then its own."""
    by_type = {c.get("type"): c for c in old or []}
    out = {}
    for c in new:
        prev = by_type.get(c["type"])
        c = dict(c)
        if prev is not None and prev.get("status") == c["status"] and prev.get("lastTransitionTime"):
            c["lastTransitionTime"] = prev["lastTransitionTime"]
        else:
            c["lastTransitionTime"] = now
        out[c["type"]] = c
    for t, c in by_type.items():
        if t not in out:
            out[t] = c
    # conditions the kubelet does not own (readiness gates, ...) first, as the status manager
    # merges them; then the kubelet's in its order
    order = {t: i for i, t in enumerate(POD_CONDITION_ORDER)}
    others = [c for c in out.values() if c.get("type") not in order]
    mine = sorted((c for c in out.values() if c.get("type") in order), key=lambda c: order[c["type"]])
    return others + mine


def readiness_gate_messages(gates: list[dict], conditions: list[dict]) -> list[str]:
    """Why the pod's readiness gates block Ready (status.GeneratePodReadyCondition)."""
    by_type = {c.get("type"): c for c in conditions or []}
    out = []
    for g in gates or []:
        t = g.get("conditionType", "")
        c = by_type.get(t)
        if c is None:
            out.append(f'corresponding condition of pod readiness gate "{t}" does not exist.')
        elif c.get("status") != "True":
            out.append(f'the status of pod readiness gate "{t}" is not "True", but {c.get("status")}')
    return out


def pod_conditions(*, sandbox: bool, init_done: bool, pending_init: list[str],
                   unready: list[str], phase: str, scheduled: dict | None = None,
                   gate_messages: list[str] | None = None) -> list[dict]:
    """The kubelet's pod conditions (without lastTransitionTime: merge_conditions sets it).

    `pending_init`: init containers not yet complete; `unready`: containers (and sidecars)
    not ready; phase Succeeded/Failed gives PodCompleted/PodFailed reasons."""
    out = [condition("PodReadyToStartContainers", "True" if sandbox else "False")]
    if init_done:
        out.append(condition("Initialized", "True"))
    else:
        out.append(condition("Initialized", "False", "ContainersNotInitialized",
                             f"containers with incomplete status: [{' '.join(pending_init)}]"))
    if phase in ("Succeeded", "Failed"):
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        out.append(condition("Ready", "False", reason))
        out.append(condition("ContainersReady", "False", reason))
    elif unready:
        msg = f"containers with unready status: [{' '.join(unready)}]"
        out.append(condition("Ready", "False", "ContainersNotReady", msg))
        out.append(condition("ContainersReady", "False", "ContainersNotReady", msg))
    elif gate_messages:
        out.append(condition("Ready", "False", "ReadinessGatesNotReady", ", ".join(gate_messages)))
        out.append(condition("ContainersReady", "True"))
    else:
        out.append(condition("Ready", "True"))
        out.append(condition("ContainersReady", "True"))
    out.append(scheduled or condition("PodScheduled", "True"))
    return out


def pod_phase(restart_policy: str, statuses: list[dict]) -> str:
    """Phase from the regular containers' statuses, as the kubelet's getPhase: a waiting
    container that ran before (lastState.terminated) counts as stopped, not waiting.
    Any waiting -> Pending; any running -> Running; all stopped -> Running under
    restartPolicy Always, Succeeded when all exited 0, Failed under Never, else Running."""
    if not statuses:
        return "Pending"
    running = waiting = stopped = succeeded = 0
    for cs in statuses:
        state = cs.get("state") or {}
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            if int(state["terminated"].get("exitCode", 0)) == 0:
                succeeded += 1
        elif ((cs.get("lastState") or {}).get("terminated")) is not None:
            stopped += 1
        else:
            waiting += 1
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if restart_policy == "Always":
        return "Running"
    if stopped == succeeded:
        return "Succeeded"
    if restart_policy == "Never":
        return "Failed"
    return "Running"


def should_restart(restart_policy: str, exit_code: int) -> bool:
    if restart_policy == "Always":
        return True
    if restart_policy == "OnFailure":
        return exit_code != 0
    return False


def readiness_delay(container: dict, annotations: dict) -> float:
    """Seconds after a container starts until its readiness first passes.

    Rule: sim.kctl.io/ready-after wins; else a readinessProbe's first success comes at
    initialDelaySeconds (the prober's first run; periodSeconds only spaces later probes, and
    successThreshold is 1 for a first readiness); a startupProbe must pass first (its
    initialDelaySeconds). No probe: ready at once."""
    ra = annotation_seconds(annotations, ANN_READY_AFTER)
    if ra is not None:
        return ra
    startup = startup_delay(container)
    probe = container.get("readinessProbe")
    if probe:
        return max(startup, float(probe.get("initialDelaySeconds") or 0))
    return startup


def startup_delay(container: dict) -> float:
    """Seconds after start until `started` turns true (startupProbe initialDelaySeconds)."""
    probe = container.get("startupProbe")
    return float(probe.get("initialDelaySeconds") or 0) if probe else 0.0


def epoch(t: datetime) -> float:
    return t.timestamp()
