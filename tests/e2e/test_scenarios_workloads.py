"""End-to-end scenarios of issue 4 from the CLI: the bundled example, rollouts, self-healing.

Each test drives the in-process CLI on a fresh SQLite store with the wall clock frozen, so the
names, IPs, ages and events are exact."""

from __future__ import annotations

import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MANIFESTS = os.path.join(REPO, "manifests")
NODES = os.path.join(MANIFESTS, "10-nodes.yaml")
ENDPOINTS_WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"


def ok(r) -> str:
    assert (r.code, r.err) == (0, ""), r.err
    return r.out


def test_bundled_example_converges_and_becomes_ready(kctl, frozen_now):
    assert ok(kctl("apply", "-f", MANIFESTS)) == (
        "namespace/shop created\nnode/general-0 created\nnode/general-1 created\nnode/batch-0 created\n"
        "serviceaccount/web created\nconfigmap/web-config created\nsecret/web-credentials created\n"
        "deployment.apps/web created\nservice/web created\nservice/db created\nstatefulset.apps/db created\n")
    # every pod Running at once, on the untainted nodes, with IPs from their node's podCIDR;
    # web is not Ready before its readinessProbe's initialDelaySeconds (5s) of cluster time
    assert ok(kctl("get", "pods", "-n", "shop", "-o", "wide")) == """\
NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE        NOMINATED NODE   READINESS GATES
db-0                   1/1     Running   0          0s    10.244.0.2   general-0   <none>           <none>
db-1                   1/1     Running   0          0s    10.244.1.4   general-1   <none>           <none>
web-689dfc84b6-htxbl   0/1     Running   0          0s    10.244.1.2   general-1   <none>           <none>
web-689dfc84b6-vl8nq   0/1     Running   0          0s    10.244.0.3   general-0   <none>           <none>
web-689dfc84b6-wchfj   0/1     Running   0          0s    10.244.1.3   general-1   <none>           <none>
"""
    assert ok(kctl("get", "deploy", "-n", "shop")) == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    0/3     3            0           0s\n")
    r = kctl("get", "endpoints", "-n", "shop")
    assert (r.code, r.err) == (0, ENDPOINTS_WARNING)
    assert r.out == ("NAME   ENDPOINTS                         AGE\n"
                     "db     10.244.0.2:5432,10.244.1.4:5432   0s\n"
                     "web                                      0s\n")
    assert ok(kctl("rollout", "status", "deploy/web", "-n", "shop")) == (
        'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n'
        'deployment "web" successfully rolled out\n')
    assert ok(kctl("get", "deploy", "-n", "shop")) == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           5s\n")
    r = kctl("get", "endpoints", "-n", "shop")
    assert (r.code, r.err) == (0, ENDPOINTS_WARNING)
    assert r.out == ("NAME   ENDPOINTS                                         AGE\n"
                     "db     10.244.0.2:5432,10.244.1.4:5432                   5s\n"
                     "web    10.244.0.3:8080,10.244.1.2:8080,10.244.1.3:8080   5s\n")
    assert ok(kctl("get", "endpointslices", "-n", "shop")) == """\
NAME        ADDRESSTYPE   PORTS   ENDPOINTS                          AGE
db-b77dq    IPv4          5432    10.244.0.2,10.244.1.4              5s
web-dt47z   IPv4          8080    10.244.1.2,10.244.0.3,10.244.1.3   5s
"""
    assert ok(kctl("get", "endpointslice", "web-dt47z", "-n", "shop", "-o",
                   "jsonpath={range .endpoints[*]}{.targetRef.name} {.conditions.ready} {.nodeName}{\"\\n\"}{end}")) == (
        "web-689dfc84b6-htxbl true general-1\nweb-689dfc84b6-vl8nq true general-0\n"
        "web-689dfc84b6-wchfj true general-1\n")
    # nothing on the tainted node
    r = kctl("get", "pods", "-A", "--field-selector", "spec.nodeName=batch-0")
    assert (r.code, r.out, r.err) == (0, "", "No resources found\n")
    assert ok(kctl("get", "pvc", "-n", "shop", "-o", "custom-columns=NAME:.metadata.name,STATUS:.status.phase")) == (
        "NAME        STATUS\ndata-db-0   Bound\ndata-db-1   Bound\n")


def _example_ready(kctl):
    ok(kctl("apply", "-f", MANIFESTS))
    ok(kctl("rollout", "status", "deploy/web", "-n", "shop"))


def test_rolling_update_steps_within_surge_and_unavailability(kctl, frozen_now):
    _example_ready(kctl)
    assert ok(kctl("set", "image", "deploy/web", "web=nginx:1.28.0", "-n", "shop")) == \
        "deployment.apps/web image updated\n"
    # 3 replicas, 25%/25%: maxSurge 1 (rounded up), maxUnavailable 0 (rounded down)
    assert ok(kctl("get", "rs", "-n", "shop")) == """\
NAME             DESIRED   CURRENT   READY   AGE
web-689dfc84b6   3         3         3       5s
web-8675f5f947   1         1         0       0s
"""
    assert ok(kctl("rollout", "status", "deploy/web", "-n", "shop")) == (
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'
        'deployment "web" successfully rolled out\n')
    assert ok(kctl("get", "rs", "-n", "shop")) == """\
NAME             DESIRED   CURRENT   READY   AGE
web-689dfc84b6   0         0         0       20s
web-8675f5f947   3         3         3       15s
"""
    steps = """\
  Normal  ScalingReplicaSet  20s   deployment-controller  Scaled up replica set web-689dfc84b6 from 0 to 3
  Normal  ScalingReplicaSet  15s   deployment-controller  Scaled up replica set web-8675f5f947 from 0 to 1
  Normal  ScalingReplicaSet  10s   deployment-controller  Scaled down replica set web-689dfc84b6 from 3 to 2
  Normal  ScalingReplicaSet  10s   deployment-controller  Scaled up replica set web-8675f5f947 from 1 to 2
  Normal  ScalingReplicaSet  5s    deployment-controller  Scaled down replica set web-689dfc84b6 from 2 to 1
  Normal  ScalingReplicaSet  5s    deployment-controller  Scaled up replica set web-8675f5f947 from 2 to 3
  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled down replica set web-689dfc84b6 from 1 to 0
"""
    describe = ok(kctl("describe", "deploy", "web", "-n", "shop"))
    assert describe.endswith("Events:\n  Type    Reason             Age   From                   Message\n"
                             "  ----    ------             ----  ----                   -------\n" + steps)
    assert "OldReplicaSets:  web-689dfc84b6 (0/0 replicas created)\n" \
           "NewReplicaSet:   web-8675f5f947 (3/3 replicas created)\n" in describe
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n" in describe

    r = kctl("rollout", "undo", "deploy/web", "-n", "shop")
    assert (r.code, r.out) == (0, "deployment.apps/web rolled back\n")
    assert r.err == ("Warning: resource deployments.apps/web was previously managed with 'kctl apply'. Rolling back "
                     "will not update the kubectl.kubernetes.io/last-applied-configuration annotation, which may cause "
                     "unexpected behavior on future 'kctl apply' operations. Consider using 'kctl apply' with your "
                     "previous configuration file instead.\n")
    ok(kctl("rollout", "status", "deploy/web", "-n", "shop"))
    assert ok(kctl("rollout", "history", "deploy/web", "-n", "shop")) == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    assert ok(kctl("get", "rs", "-n", "shop")) == """\
NAME             DESIRED   CURRENT   READY   AGE
web-689dfc84b6   3         3         3       35s
web-8675f5f947   0         0         0       30s
"""
    r = kctl("rollout", "undo", "deploy/web", "-n", "shop", "--to-revision=9")
    assert (r.code, r.out, r.err.splitlines()[-1]) == (1, "", "error: unable to find specified revision 9 in history")


def test_pause_resume_and_recreate(kctl, frozen_now, write):
    f = write("rc.yaml", """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: rc}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector: {matchLabels: {app: rc}}
  template:
    metadata: {labels: {app: rc}}
    spec:
      containers: [{name: c, image: "nginx:1"}]
""")
    ok(kctl("apply", "-f", NODES, "-f", f))
    assert ok(kctl("set", "image", "deploy/rc", "c=nginx:2")) == "deployment.apps/rc image updated\n"
    assert ok(kctl("get", "pods")) == """\
NAME                  READY   STATUS    RESTARTS   AGE
rc-58d54f6d6c-htxbl   1/1     Running   0          0s
rc-58d54f6d6c-vl8nq   1/1     Running   0          0s
"""
    # Recreate: the old ReplicaSet goes to 0 before the new one is scaled up
    assert ok(kctl("describe", "deploy", "rc")).endswith("""\
  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set rc-8659fdbb6b from 0 to 2
  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled down replica set rc-8659fdbb6b from 2 to 0
  Normal  ScalingReplicaSet  0s    deployment-controller  Scaled up replica set rc-58d54f6d6c from 0 to 2
""")
    assert ok(kctl("rollout", "pause", "deploy/rc")) == "deployment.apps/rc paused\n"
    r = kctl("rollout", "pause", "deploy/rc")
    assert (r.code, r.err) == (1, 'error: deployments.apps "rc" is already paused\n')
    ok(kctl("set", "image", "deploy/rc", "c=nginx:3"))
    assert ok(kctl("get", "rs")) == """\
NAME            DESIRED   CURRENT   READY   AGE
rc-58d54f6d6c   2         2         2       0s
rc-8659fdbb6b   0         0         0       0s
"""
    r = kctl("rollout", "undo", "deploy/rc")
    assert (r.code, r.err.splitlines()[-1]) == (1, "error: you cannot rollback a paused deployment; resume it "
                                                   "first with 'kctl rollout resume' and try again")
    assert ok(kctl("rollout", "resume", "deploy/rc")) == "deployment.apps/rc resumed\n"
    assert ok(kctl("get", "rs")) == """\
NAME            DESIRED   CURRENT   READY   AGE
rc-559959bf49   2         2         2       0s
rc-58d54f6d6c   0         0         0       0s
rc-8659fdbb6b   0         0         0       0s
"""


def test_self_healing_scale_and_cascading_delete(kctl, frozen_now):
    _example_ready(kctl)
    assert ok(kctl("delete", "pod", "web-689dfc84b6-htxbl", "-n", "shop")) == \
        'pod "web-689dfc84b6-htxbl" deleted from shop namespace\n'
    pods = ok(kctl("get", "pods", "-n", "shop", "-l", "app.kubernetes.io/name=web", "-o", "name"))
    assert pods == "pod/web-689dfc84b6-tcjxw\npod/web-689dfc84b6-vl8nq\npod/web-689dfc84b6-wchfj\n"
    assert "Normal   SuccessfulCreate        replicaset/web-689dfc84b6         Created pod: web-689dfc84b6-tcjxw\n" \
        in ok(kctl("get", "events", "-n", "shop"))
    assert ok(kctl("scale", "deploy/web", "--replicas=5", "-n", "shop")) == "deployment.apps/web scaled\n"
    assert ok(kctl("get", "deploy", "web", "-n", "shop", "-o", "jsonpath={.status.replicas}")) == "5"
    # scale down removes the not-ready (newest) pods first
    ok(kctl("scale", "deploy/web", "--replicas=2", "-n", "shop", "--current-replicas=5"))
    assert ok(kctl("get", "pods", "-n", "shop", "-l", "app.kubernetes.io/name=web", "-o", "name")) == \
        "pod/web-689dfc84b6-vl8nq\npod/web-689dfc84b6-wchfj\n"
    r = kctl("scale", "deploy/web", "--replicas=3", "-n", "shop", "--current-replicas=5")
    assert (r.code, r.err) == (1, "error: Expected replicas to be 5, was 2\n")

    # --cascade=orphan: the ReplicaSet and its pods stay, without ownerReferences on the RS
    assert ok(kctl("delete", "deploy", "web", "-n", "shop", "--cascade=orphan")) == \
        'deployment.apps "web" deleted from shop namespace\n'
    assert ok(kctl("get", "rs", "-n", "shop", "-o",
                   "jsonpath={range .items[*]}{.metadata.name}:{.metadata.ownerReferences}:{.spec.replicas}{\"\\n\"}{end}")) \
        == "web-689dfc84b6::2\n"
    assert ok(kctl("get", "pods", "-n", "shop", "-l", "app.kubernetes.io/name=web", "-o", "name")) == \
        "pod/web-689dfc84b6-vl8nq\npod/web-689dfc84b6-wchfj\n"


def test_delete_deployment_cascades_to_replicasets_and_pods(kctl, frozen_now):
    _example_ready(kctl)
    ok(kctl("delete", "deploy", "web", "-n", "shop"))
    r = kctl("get", "rs,pods", "-n", "shop", "-l", "app.kubernetes.io/name=web")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in shop namespace.\n")
    assert ok(kctl("get", "pods", "-n", "shop", "-o", "name")) == "pod/db-0\npod/db-1\n"
