"""A tiny stand-in for scheduler + kubelet in Deployment tests: pods run at once and turn
Ready `ready-after` seconds after creation (template annotation test.kctl.io/ready-after);
terminating pods are removed at once. Keeps Deployment tests independent of node simulation."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from kctl.controllers.context import Context, parse_time

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
READY_AFTER = "test.kctl.io/ready-after"


class FakeKubelet:
    name = "kubelet"
    resources = ("pods",)

    def keys_for(self, ctx, change):
        return [("pods", change.namespace, change.name)]

    def reconcile(self, ctx: Context, key) -> None:
        _, ns, name = key
        pod = ctx.get("pods", ns, name)
        if pod is None:
            return
        meta = pod["metadata"]
        if meta.get("deletionTimestamp"):
            ctx.delete("pods", ns, name)
            return
        delay = int((meta.get("annotations") or {}).get(READY_AFTER) or 0)
        created = parse_time(meta["creationTimestamp"])
        ready_at = created + timedelta(seconds=delay)
        st = copy.deepcopy(pod.get("status") or {})
        st["phase"] = "Running"
        st.setdefault("startTime", meta["creationTimestamp"])
        ready = ctx.now >= ready_at
        if ready:
            st["conditions"] = [{"type": "Ready", "status": "True",
                                 "lastTransitionTime": ready_at.strftime("%Y-%m-%dT%H:%M:%SZ")}]
        else:
            st["conditions"] = [{"type": "Ready", "status": "False",
                                 "lastTransitionTime": meta["creationTimestamp"]}]
            ctx.requeue_after(self.name, key, (ready_at - ctx.now).total_seconds())
        pod = copy.deepcopy(pod)
        pod["status"] = st
        # bound to a node: a deleted pod then terminates gracefully, as on a real node
        pod["spec"].setdefault("nodeName", "node-1")
        ctx.write("pods", pod)


def controllers():
    from kctl.controllers.deployment import DeploymentController
    from kctl.controllers.replicaset import ReplicaSetController

    return [DeploymentController(), ReplicaSetController(), FakeKubelet()]


def deployment(name="web", replicas=3, image="nginx:1.27", *, surge=None, unavailable=None,
               strategy="RollingUpdate", ready_after=0, **spec_extra) -> dict:
    tmeta = {"labels": {"app": name}}
    if ready_after:
        tmeta["annotations"] = {READY_AFTER: str(ready_after)}
    spec = {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": tmeta,
                         "spec": {"containers": [{"name": name, "image": image}]}}}
    if strategy == "Recreate":
        spec["strategy"] = {"type": "Recreate"}
    elif surge is not None or unavailable is not None:
        ru = {}
        if surge is not None:
            ru["maxSurge"] = surge
        if unavailable is not None:
            ru["maxUnavailable"] = unavailable
        spec["strategy"] = {"type": "RollingUpdate", "rollingUpdate": ru}
    spec.update(spec_extra)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default"}, "spec": spec}


def events(store, kind="Deployment"):
    """(reason, message) of the Events about objects of `kind`, oldest first."""
    evs = [e for e in store.list("events", "default") if e["involvedObject"]["kind"] == kind]
    evs.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["reason"], e["message"]) for e in evs]


def use_fake_cluster(monkeypatch) -> None:
    """CLI tests: converge with the Deployment and ReplicaSet controllers and the fake
    kubelet only, so outputs do not depend on the scheduler / node simulation."""
    import kctl.controllers as registry

    monkeypatch.setattr(registry, "load_controllers", lambda names=None: controllers())


WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web}}
  strategy:
    rollingUpdate: {{maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata:
      labels: {{app: web}}
      annotations: {{test.kctl.io/ready-after: "{ready_after}"}}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
"""
