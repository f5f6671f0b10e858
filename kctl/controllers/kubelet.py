"""The simulated kubelet of every node: bound pods start, run, get ready, crash, finish.

One reconcile per pod key ("pods", ns, name). A node whose Ready condition is not True has a
stopped (or unreachable) kubelet: its pods are left exactly as they are (Terminating pods
stay). The pure decisions (conditions, back-off, IPs, annotations) live in podstatus.py.

Kubelet-private memory (restart and image-pull back-off records, images present on a node,
when an orphaned pod was first seen) is kept in store meta keys, as the real kubelet keeps it
in process memory: it never shows in objects.

Readiness rule: a container is ready `readiness_delay` seconds after it (re)starts:
sim.kctl.io/ready-after if set, else readinessProbe.initialDelaySeconds (first probe
succeeds; periodSeconds is not added), after a startupProbe's initialDelaySeconds.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

from kctl.controllers import podstatus as ps
from kctl.controllers.context import Context, parse_time, rfc3339, tree_copy

COMPONENT = "kubelet"
# pod GC deletes pods bound to a node that does not exist after this quarantine (podgc)
ORPHAN_QUARANTINE = 40
_TERMINAL = ("Succeeded", "Failed")
_MAX_STEPS = 20
# kubelet's pod worker retries a failed sync after backOffPeriod (10 s): until then a pod
# whose image pull just failed keeps showing ErrImagePull, as on a real node.
POD_WORKER_BACKOFF = 10


def _ts(t: float) -> str:
    return rfc3339(datetime.fromtimestamp(t, tz=timezone.utc))


def _epoch(s: str | None) -> float | None:
    t = parse_time(s)
    return t.timestamp() if t else None


def mark_pod_deleted(ctx: Context, pod: dict) -> None:
    """Graceful pod deletion (API server side): deletionTimestamp = now + grace period,
    deletionGracePeriodSeconds. Uses the GC helper's delete_object when it exists."""
    meta = pod.get("metadata") or {}
    if meta.get("deletionTimestamp"):
        return
    try:
        from kctl.controllers.gc import delete_object  # type: ignore
    except ImportError:
        delete_object = None
    if delete_object is not None:
        delete_object(ctx, "pods", meta.get("namespace", ""), meta["name"], "background")
        return
    live = ctx.get("pods", meta.get("namespace", ""), meta["name"])
    if live is None or live["metadata"].get("deletionTimestamp"):
        return
    grace = (live.get("spec") or {}).get("terminationGracePeriodSeconds")
    grace = 30 if grace is None else int(grace)
    live = copy.deepcopy(live)
    live["metadata"]["deletionTimestamp"] = rfc3339(ctx.now + timedelta(seconds=grace))
    live["metadata"]["deletionGracePeriodSeconds"] = grace
    ctx.write("pods", live)


# ---------------------------------------------------------------- config checks
def _cm_keys(obj: dict) -> set[str]:
    return set((obj.get("data") or {}).keys()) | set((obj.get("binaryData") or {}).keys())


def _secret_keys(obj: dict) -> set[str]:
    return set((obj.get("data") or {}).keys()) | set((obj.get("stringData") or {}).keys())


def container_config_error(ctx: Context, ns: str, container: dict) -> str | None:
    """kubelet's makeEnvironmentVariables errors: envFrom first, then env, in order."""
    for src in container.get("envFrom") or []:
        for field, res, word in (("configMapRef", "configmaps", "configmap"), ("secretRef", "secrets", "secret")):
            ref = src.get(field)
            if ref is None:
                continue
            if ctx.get(res, ns, ref.get("name", "")) is None and not ref.get("optional"):
                return f'{word} "{ref.get("name", "")}" not found'
    for env in container.get("env") or []:
        vf = env.get("valueFrom") or {}
        for field, res, word, kind_, keys in (
            ("configMapKeyRef", "configmaps", "configmap", "ConfigMap", _cm_keys),
            ("secretKeyRef", "secrets", "secret", "Secret", _secret_keys),
        ):
            ref = vf.get(field)
            if ref is None:
                continue
            obj = ctx.get(res, ns, ref.get("name", ""))
            if obj is None:
                if ref.get("optional"):
                    continue
                return f'{word} "{ref.get("name", "")}" not found'
            if ref.get("key") not in keys(obj) and not ref.get("optional"):
                return f"couldn't find key {ref.get('key')} in {kind_} {ns}/{ref.get('name', '')}"
    return None


def volume_mount_error(ctx: Context, pod: dict) -> tuple[str, str] | None:
    """(volume name, message) of the first configMap/secret volume that cannot be set up."""
    ns = pod["metadata"].get("namespace", "")
    for vol in (pod.get("spec") or {}).get("volumes") or []:
        sources = []
        if "configMap" in vol:
            sources.append(("configmaps", "configmap", vol["configMap"].get("name", ""), vol["configMap"]))
        if "secret" in vol:
            sources.append(("secrets", "secret", vol["secret"].get("secretName", ""), vol["secret"]))
        for p in (vol.get("projected") or {}).get("sources") or []:
            if "configMap" in p:
                sources.append(("configmaps", "configmap", p["configMap"].get("name", ""), p["configMap"]))
            if "secret" in p:
                sources.append(("secrets", "secret", p["secret"].get("name", ""), p["secret"]))
        for res, word, name, ref in sources:
            obj = ctx.get(res, ns, name)
            if obj is None:
                if ref.get("optional"):
                    continue
                return vol.get("name", ""), f'MountVolume.SetUp failed for volume "{vol.get("name", "")}" : {word} "{name}" not found'
            keys = _cm_keys(obj) if res == "configmaps" else _secret_keys(obj)
            for item in ref.get("items") or []:
                if item.get("key") not in keys and not ref.get("optional"):
                    return vol.get("name", ""), (f'MountVolume.SetUp failed for volume "{vol.get("name", "")}" : '
                                                 f"{word} references non-existent {'config' if res == 'configmaps' else 'secret'} key: {item.get('key')}")
    return None


# ---------------------------------------------------------------- the controller
class Kubelet:
    """Every node's kubelet, driven by pod, node, ConfigMap and Secret changes and timers."""

    name = "kubelet"
    resources = ("pods", "nodes", "configmaps", "secrets")

    def keys_for(self, ctx: Context, change):
        if change.resource == "pods":
            return [("pods", change.namespace, change.name)]
        if change.resource == "nodes":
            return [("pods", p["metadata"].get("namespace", ""), p["metadata"]["name"])
                    for p in ctx.list("pods", None, node_name=change.name)]
        # a ConfigMap/Secret appeared or changed: pods of the namespace still waiting on config
        out = []
        for p in ctx.list("pods", change.namespace, phase="Pending"):
            if (p.get("spec") or {}).get("nodeName"):
                out.append(("pods", change.namespace, p["metadata"]["name"]))
        return out

    # ------------------------------------------------------------ reconcile
    def reconcile(self, ctx: Context, key) -> None:
        _, ns, name = key
        pod = ctx.get("pods", ns, name)
        if pod is None:
            return
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return
        node = ctx.get("nodes", "", node_name)
        if node is None:
            self._orphan(ctx, key, pod)
            return
        if not ps.node_ready(node):
            return  # kubelet stopped or unreachable: nothing changes on this node
        meta = pod["metadata"]
        if meta.get("deletionTimestamp"):
            if not meta.get("finalizers"):
                # no real containers to stop: the kubelet kills them and the pod goes at once
                st = pod.get("status") or {}
                for cs in (st.get("initContainerStatuses") or []) + (st.get("containerStatuses") or []):
                    if "running" in (cs.get("state") or {}):
                        ctx.event(pod, "Normal", "Killing", f"Stopping container {cs['name']}",
                                  component=COMPONENT, host=node_name)
                ctx.delete("pods", ns, name)
                ips = _ip_cache(ctx).get(node_name)
                if ips is not None and (pod.get("status") or {}).get("podIP") and not (pod.get("spec") or {}).get("hostNetwork"):
                    ips.discard(pod["status"]["podIP"])
            return
        status = pod.get("status") or {}
        if status.get("phase") in _TERMINAL:
            return
        run = _PodRun(ctx, pod, node)
        new_status, due = run.sync()
        if new_status != status:
            live = dict(pod)  # update_status takes only the status from it
            live["status"] = new_status
            ctx.update_status("pods", live)
            if new_status.get("phase") in _TERMINAL and new_status.get("podIP") \
                    and not (pod.get("spec") or {}).get("hostNetwork"):
                _ip_cache(ctx).get(node_name, set()).discard(new_status["podIP"])  # a finished pod frees its IP
        if due is not None:
            ctx.requeue_after(self.name, key, max(1.0, due - ctx.now.timestamp()))

    def _orphan(self, ctx: Context, key, pod: dict) -> None:
        uid = pod["metadata"].get("uid", "")
        mk = f"podgc-orphan/{uid}"
        first = ctx.store.get_meta(mk)
        now = ctx.now.timestamp()
        if not first:
            ctx.store.set_meta(mk, str(now))
            first = str(now)
        if now - float(first) >= ORPHAN_QUARANTINE:
            ctx.delete("pods", key[1], key[2])
            return
        ctx.requeue_after(self.name, key, ORPHAN_QUARANTINE - (now - float(first)))


def _ip_cache(ctx: Context) -> dict[str, set[str]]:
    """Per-converge memo of the pod IPs in use on each node (the kubelet keeps it current:
    it allocates, and it removes the pods whose IPs go free)."""
    return ctx.__dict__.setdefault("_kubelet_used_ips", {})


class _PodRun:
    """One kubelet sync of one pod at ctx.now: computes the new status and the next due time."""

    def __init__(self, ctx: Context, pod: dict, node: dict):
        self.ctx = ctx
        self.pod = pod
        self.node = node
        self.node_name = node["metadata"]["name"]
        self.spec = pod.get("spec") or {}
        self.meta = pod["metadata"]
        self.ann = self.meta.get("annotations") or {}
        self.ns = self.meta.get("namespace", "")
        self.uid = self.meta.get("uid", "")
        self.now = ctx.now.timestamp()
        self.now_str = ctx.now_str
        self.status = tree_copy(pod.get("status") or {})
        self.due: list[float] = []
        self.restart_policy = self.spec.get("restartPolicy") or "Always"

    # -------------------------------------------------------- helpers
    def event(self, type_: str, reason: str, message: str) -> None:
        self.ctx.event(self.pod, type_, reason, message, component=COMPONENT, host=self.node_name)

    def _meta_json(self, key: str):
        raw = self.ctx.store.get_meta(key)
        return json.loads(raw) if raw else None

    def _set_meta_json(self, key: str, value) -> None:
        text = json.dumps(value)
        if self.ctx.store.get_meta(key) != text:
            self.ctx.store.set_meta(key, text)

    def _image_present(self, image: str) -> bool:
        return ps.normalize_image(image) in (self._meta_json(f"kubelet-images/{self.node_name}") or [])

    def _remember_image(self, image: str) -> None:
        k = f"kubelet-images/{self.node_name}"
        imgs = self._meta_json(k) or []
        full = ps.normalize_image(image)
        if full not in imgs:
            self._set_meta_json(k, sorted(imgs + [full]))

    # -------------------------------------------------------- sync
    def sync(self) -> tuple[dict, float | None]:
        st = self.status
        mount = volume_mount_error(self.ctx, self.pod)
        if not st.get("startTime"):
            st["startTime"] = self.now_str
            host_ip = ps.node_internal_ip(self.node)
            if host_ip:
                st["hostIP"] = host_ip
                st["hostIPs"] = [{"ip": host_ip}]
        sandbox = bool(st.get("podIP")) or mount is None
        if mount is not None and not st.get("podIP"):
            # volumes are set up before the sandbox: containers wait in ContainerCreating
            self._waiting_all("ContainerCreating")
            self._finish(sandbox=False)
            if self.status != (self.pod.get("status") or {}):
                self.event("Warning", "FailedMount", mount[1])
            return self.status, None
        if not st.get("podIP"):
            ip = self._allocate_ip()
            if ip:
                st["podIP"] = ip
                st["podIPs"] = [{"ip": ip}]
        for _ in range(_MAX_STEPS):
            before = json.dumps(self.status, sort_keys=True)
            self._step()
            if json.dumps(self.status, sort_keys=True) == before:
                break
        self._finish(sandbox=sandbox)
        return self.status, (min(self.due) if self.due else None)

    def _allocate_ip(self) -> str | None:
        if self.spec.get("hostNetwork"):
            return ps.node_internal_ip(self.node)
        cache = _ip_cache(self.ctx)
        used = cache.get(self.node_name)
        if used is None:
            used = set()
            for p in self.ctx.list("pods", None, node_name=self.node_name):
                pst = p.get("status") or {}
                if (p.get("spec") or {}).get("hostNetwork") or pst.get("phase") in _TERMINAL:
                    continue
                if pst.get("podIP"):
                    used.add(pst["podIP"])
            cache[self.node_name] = used
        spec = self.node.get("spec") or {}
        ip = ps.allocate_ip(spec.get("podCIDR") or (spec.get("podCIDRs") or [None])[0], used)
        if ip:
            used.add(ip)
        return ip

    def _waiting_all(self, reason: str) -> None:
        for field, containers in (("initContainerStatuses", self.spec.get("initContainers") or []),
                                  ("containerStatuses", self.spec.get("containers") or [])):
            if not containers:
                continue
            old = {c["name"]: c for c in self.status.get(field) or []}
            out = []
            for c in containers:
                cs = old.get(c["name"]) or self._fresh(c)
                if "running" not in cs.get("state", {}) and "terminated" not in cs.get("state", {}):
                    cs["state"] = {"waiting": {"reason": reason}}
                out.append(cs)
            self.status[field] = out

    def _fresh(self, c: dict) -> dict:
        return {"name": c["name"], "image": c.get("image", ""), "imageID": "", "ready": False,
                "restartCount": 0, "started": False, "state": {"waiting": {"reason": "PodInitializing"}},
                "lastState": {}}

    def _statuses(self, field: str, containers: list[dict]) -> list[dict]:
        old = {c["name"]: c for c in self.status.get(field) or []}
        out = [old.get(c["name"]) or self._fresh(c) for c in containers]
        self.status[field] = out
        return out

    def _step(self) -> None:
        inits = self.spec.get("initContainers") or []
        init_st = self._statuses("initContainerStatuses", inits) if inits else []
        self._statuses("containerStatuses", self.spec.get("containers") or [])
        if not inits:
            self.status.pop("initContainerStatuses", None)
        for c, cs in zip(inits, init_st):
            sidecar = c.get("restartPolicy") == "Always"
            state = cs["state"]
            if sidecar:
                self._container(c, cs, always_restart=True)
                if "running" not in cs["state"]:
                    return
                continue
            if "terminated" in state and state["terminated"].get("exitCode") == 0:
                continue
            if "running" in state:
                # a plain init container runs to completion at once (no sim exit for inits)
                cs["state"] = {"terminated": {"exitCode": 0, "reason": "Completed",
                                              "startedAt": state["running"]["startedAt"],
                                              "finishedAt": self.now_str,
                                              "containerID": cs.get("containerID", "")}}
                cs["ready"] = True
                cs["started"] = False
                continue
            self._start(c, cs)
            return
        conts = self.spec.get("containers") or []
        for c, cs in zip(conts, self._statuses("containerStatuses", conts)):
            self._container(c, cs, always_restart=False)

    def _container(self, c: dict, cs: dict, *, always_restart: bool) -> None:
        """Move one long-running container (regular or sidecar) on at `now`."""
        state = cs["state"]
        policy = "Always" if always_restart else self.restart_policy
        if "running" in state and cs.get("image") and cs["image"] != ps.normalize_image(c.get("image", "")):
            # the container's image was changed in place: the kubelet kills and restarts it
            self.event("Normal", "Killing", f"Container {c['name']} definition changed, will be restarted")
            cs["lastState"] = {"terminated": {"exitCode": 0, "reason": "Completed",
                                              "startedAt": state["running"]["startedAt"],
                                              "finishedAt": self.now_str,
                                              "containerID": cs.get("containerID", "")}}
            cs["restartCount"] = int(cs.get("restartCount") or 0) + 1
            self._start(c, cs)
            return
        if "running" in state:
            exit_plan = None if always_restart else ps.exit_behaviour(self.ann)
            started = _epoch(state["running"]["startedAt"]) or self.now
            if exit_plan is not None:
                code, after = exit_plan
                finish = started + after
                if self.now >= finish:
                    cs["state"] = {"terminated": {
                        "exitCode": code, "reason": "Completed" if code == 0 else "Error",
                        "startedAt": state["running"]["startedAt"], "finishedAt": _ts(finish),
                        "containerID": cs.get("containerID", "")}}
                    cs["ready"] = False
                    cs["started"] = False
                    return
                self.due.append(finish)
            self._readiness(c, cs, started)
            return
        if "terminated" in state:
            term = state["terminated"]
            if not ps.should_restart(policy, int(term.get("exitCode", 0))):
                return
            self._restart_or_back_off(c, cs, term)
            return
        waiting = state.get("waiting") or {}
        reason = waiting.get("reason")
        if reason == "CrashLoopBackOff":
            term = (cs.get("lastState") or {}).get("terminated") or {}
            self._restart_or_back_off(c, cs, term, already_waiting=True)
            return
        self._start(c, cs)

    def _readiness(self, c: dict, cs: dict, started: float) -> None:
        sd = ps.startup_delay(c)
        rd = ps.readiness_delay(c, self.ann)
        is_started = self.now >= started + sd
        is_ready = self.now >= started + rd
        cs["started"] = is_started
        cs["ready"] = is_ready
        if not is_started:
            self.due.append(started + sd)
        if not is_ready:
            self.due.append(started + rd)

    def _restart_or_back_off(self, c: dict, cs: dict, term: dict, already_waiting: bool = False) -> None:
        finished = _epoch(term.get("finishedAt")) or self.now
        bkey = f"kubelet-backoff/{self.uid}/{c['name']}"
        entry = self._meta_json(bkey)
        in_back_off, dur, new_entry = ps.backoff_step(tuple(entry) if entry else None, finished, self.now)
        if in_back_off:
            msg = ps.crash_loop_message(dur, c["name"], self.pod)
            new_state = {"waiting": {"reason": "CrashLoopBackOff", "message": msg}}
            if not already_waiting or cs["state"] != new_state:
                if not already_waiting:
                    cs["lastState"] = {"terminated": term}
                cs["state"] = new_state
                cs["ready"] = False
                cs["started"] = False
                self.event("Warning", "BackOff",
                           f"Back-off restarting failed container {c['name']} in pod {ps.format_pod(self.pod)}")
            self.due.append(finished + dur)
            return
        self._set_meta_json(bkey, list(new_entry))
        cs["lastState"] = {"terminated": term}
        cs["restartCount"] = int(cs.get("restartCount") or 0) + 1
        self._start(c, cs)

    def _start(self, c: dict, cs: dict) -> None:
        """Pull the image, check the config, create and start the container."""
        image = c.get("image", "")
        current = cs["state"].get("waiting") or {}
        retry_key = f"kubelet-config-retry/{self.uid}/{c['name']}"
        if current.get("reason") == "CreateContainerConfigError" and \
                container_config_error(self.ctx, self.ns, c) == current.get("message"):
            # still the same config error: the pod worker retries the failed sync every
            # backOffPeriod, reporting the error again each time (events aggregate)
            last = self._meta_json(retry_key)
            if last is not None and self.now < last + POD_WORKER_BACKOFF:
                self.due.append(last + POD_WORKER_BACKOFF)
                return
        pkey = f"kubelet-pull-backoff/{self.uid}/{image}"
        policy = c.get("imagePullPolicy") or "IfNotPresent"
        present = self._image_present(image)
        waiting_reason = (cs["state"].get("waiting") or {}).get("reason")
        if policy == "Never" and not present and self.ann.get(ps.ANN_IMAGE_PULL_ERROR) != "true":
            present = True  # the simulation has every image; Never only matters for pull errors
        if present and policy != "Always" and self.ann.get(ps.ANN_IMAGE_PULL_ERROR) != "true":
            self.event("Normal", "Pulled", f'Container image "{image}" already present on machine')
        else:
            entry = self._meta_json(pkey)
            if entry and self.now - entry[1] < entry[0]:
                if waiting_reason == "ErrImagePull" and self.now < entry[1] + POD_WORKER_BACKOFF:
                    self.due.append(entry[1] + POD_WORKER_BACKOFF)
                    return  # the failed sync is not retried before the pod worker's back-off
                # in image pull back-off
                prev = (cs["state"].get("waiting") or {}).get("message") if waiting_reason == "ErrImagePull" else None
                if waiting_reason != "ImagePullBackOff":
                    base = prev or ps.pull_error_message(image)
                    cs["state"] = {"waiting": {"reason": "ImagePullBackOff",
                                               "message": f'Back-off pulling image "{image}": ErrImagePull: {base}'}}
                    self.event("Normal", "BackOff", f'Back-off pulling image "{image}"')
                    self.event("Warning", "Failed", "Error: ImagePullBackOff")
                self.due.append(entry[1] + entry[0])
                return
            self.event("Normal", "Pulling", f'Pulling image "{image}"')
            if self.ann.get(ps.ANN_IMAGE_PULL_ERROR) == "true":
                err = ps.pull_error_message(image)
                self.event("Warning", "Failed", f'Failed to pull image "{image}": {err}')
                if entry and self.now - entry[1] <= 2 * ps.BACKOFF_MAX:
                    new = [min(entry[0] * 2, ps.BACKOFF_MAX), self.now]
                else:
                    new = [ps.BACKOFF_INITIAL, self.now]
                self._set_meta_json(pkey, new)
                cs["state"] = {"waiting": {"reason": "ErrImagePull", "message": err}}
                self.event("Warning", "Failed", "Error: ErrImagePull")
                self.due.append(self.now + POD_WORKER_BACKOFF)
                return
            self.event("Normal", "Pulled",
                       f'Successfully pulled image "{image}" in 0s (0s including waiting). '
                       f"Image size: {ps.image_size(image)} bytes.")
            self._remember_image(image)
        err = container_config_error(self.ctx, self.ns, c)
        if err is not None:
            new_state = {"waiting": {"reason": "CreateContainerConfigError", "message": err}}
            self.event("Warning", "Failed", f"Error: {err}")
            cs["state"] = new_state
            cs["image"] = image
            self._set_meta_json(retry_key, self.now)
            self.due.append(self.now + POD_WORKER_BACKOFF)
            return
        restarts = int(cs.get("restartCount") or 0)
        cs["image"] = ps.normalize_image(image)
        cs["imageID"] = ps.image_id(image)
        cs["containerID"] = ps.container_id(self.uid, c["name"], restarts)
        cs["state"] = {"running": {"startedAt": self.now_str}}
        cs["ready"] = False
        cs["started"] = False
        self.event("Normal", "Created", f"Created container: {c['name']}")
        self.event("Normal", "Started", f"Started container {c['name']}")

    # -------------------------------------------------------- conditions and phase
    def _finish(self, *, sandbox: bool) -> None:
        st = self.status
        inits = self.spec.get("initContainers") or []
        init_st = {c["name"]: c for c in st.get("initContainerStatuses") or []}
        pending_init = []
        for c in inits:
            cs = init_st.get(c["name"]) or {}
            state = cs.get("state") or {}
            if c.get("restartPolicy") == "Always":
                if "running" not in state or not cs.get("started", True):
                    pending_init.append(c["name"])
            elif not ("terminated" in state and state["terminated"].get("exitCode") == 0):
                pending_init.append(c["name"])
        init_done = not pending_init
        conts = st.get("containerStatuses") or []
        if not init_done:
            phase = "Pending"
        else:
            phase = ps.pod_phase(self.restart_policy, conts)
        unready = [c["name"] for c in inits if c.get("restartPolicy") == "Always"
                   and not (init_st.get(c["name"]) or {}).get("ready")]
        unready += [c["name"] for c in conts if not c.get("ready")]
        scheduled = next((c for c in st.get("conditions") or [] if c.get("type") == "PodScheduled"), None)
        if scheduled is not None:
            scheduled = {k: v for k, v in scheduled.items() if k != "lastTransitionTime"}
            scheduled["status"] = "True"
            scheduled.pop("reason", None)
            scheduled.pop("message", None)
        conds = ps.pod_conditions(sandbox=sandbox and phase not in _TERMINAL, init_done=init_done,
                                  pending_init=pending_init, unready=unready, phase=phase, scheduled=scheduled,
                                  gate_messages=ps.readiness_gate_messages(self.spec.get("readinessGates"),
                                                                           st.get("conditions")))
        st["conditions"] = ps.merge_conditions(st.get("conditions"), conds, self.now_str)
        st["phase"] = phase
        if phase in _TERMINAL:
            self.due = []
