"""`kctl rollout ...`: exact outputs and exit codes (fake kubelet, frozen clock)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "controllers"))
from deployment_fakes import WEB, use_fake_cluster  # noqa: E402


@pytest.fixture
def cluster(kctl, write, frozen_now, monkeypatch):
    use_fake_cluster(monkeypatch)

    def make(replicas=3, ready_after=0, extra=""):
        path = write("web.yaml", WEB.format(replicas=replicas, ready_after=ready_after) + extra)
        r = kctl("apply", "-f", path)
        assert (r.code, r.out) == (0, "deployment.apps/web created\n"), r.err
        return path

    return make


def rs_names(store_path) -> list[str]:
    from kctl.store import open_store

    s = open_store(str(store_path))
    try:
        rss = sorted(s.list("replicasets.apps", "default"), key=lambda r: (r["metadata"]["creationTimestamp"],
                                                                          r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]))
        return [r["metadata"]["name"] for r in rss]
    finally:
        s.close()


def test_status_of_a_finished_rollout(kctl, cluster):
    cluster()
    r = kctl("rollout", "status", "deployment/web")
    assert (r.code, r.out, r.err) == (0, 'deployment "web" successfully rolled out\n', "")


def test_status_waits_in_cluster_time_until_done(kctl, cluster):
    cluster(ready_after=10)
    r = kctl("rollout", "status", "deploy", "web")
    assert r.code == 0, r.err
    assert r.out == ('Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n'
                     'deployment "web" successfully rolled out\n')
    r = kctl("set", "image", "deployment/web", "web=nginx:1.28")
    assert r.out == "deployment.apps/web image updated\n"
    r = kctl("rollout", "status", "deployment/web")
    assert (r.code, r.err) == (0, "")
    assert r.out == (
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...\n'
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n'
        'deployment "web" successfully rolled out\n')


def test_status_no_watch_prints_once(kctl, cluster):
    cluster(ready_after=10)
    r = kctl("rollout", "status", "deployment/web", "--watch=false")
    assert (r.code, r.out) == (0, 'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\n')


def test_status_timeout_is_cluster_time(kctl, cluster):
    cluster(ready_after=100)
    r = kctl("rollout", "status", "deployment/web", "--timeout=30s")
    assert (r.code, r.err) == (1, "error: timed out waiting for the condition\n")
    r = kctl("rollout", "status", "deployment/web", "--timeout=2m")
    assert (r.code, r.out.splitlines()[-1]) == (0, 'deployment "web" successfully rolled out')


def test_status_progress_deadline(kctl, cluster):
    cluster(ready_after=100000, extra="  progressDeadlineSeconds: 60\n")
    r = kctl("rollout", "status", "deployment/web")
    assert r.code == 1
    assert r.err == 'error: deployment "web" exceeded its progress deadline\n'


def test_status_errors(kctl, cluster):
    cluster()
    r = kctl("rollout", "status")
    assert (r.code, r.err) == (1, "error: required resource not specified\n")
    r = kctl("rollout", "status", "deployment/nope")
    assert (r.code, r.err) == (1, 'Error from server (NotFound): deployments.apps "nope" not found\n')
    r = kctl("rollout", "status", "deployment/web", "--revision=4")
    assert (r.code, r.err) == (1, "error: desired revision (4) is different from the running revision (1)\n")


def test_history_undo_and_revision_details(kctl, cluster, store_path):
    cluster(replicas=1)
    kctl("set", "image", "deployment/web", "web=nginx:1.28")
    r = kctl("rollout", "history", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    r = kctl("rollout", "history", "deployment/web", "--revision=1")
    first, second = rs_names(store_path)
    assert r.out.startswith("deployment.apps/web with revision #1\nPod Template:\n")
    assert f"pod-template-hash={first.split('-', 1)[1]}" in r.out
    assert "    Image:         nginx:1.27\n" in r.out
    r = kctl("rollout", "history", "deployment/web", "--revision=7")
    assert (r.code, r.err) == (1, "error: unable to find the specified revision\n")

    r = kctl("rollout", "undo", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web rolled back\n")
    assert r.err.startswith("Warning: resource deployments.apps/web was previously managed with 'kctl apply'.")
    r = kctl("rollout", "history", "deployment/web")
    assert r.out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    r = kctl("get", "rs", "-o", "name")
    assert sorted(r.out.split()) == sorted(f"replicaset.apps/{n}" for n in (first, second))
    r = kctl("rollout", "undo", "deployment/web", "--to-revision=5")
    assert (r.code, r.err.splitlines()[-1]) == (1, "error: unable to find specified revision 5 in history")
    r = kctl("rollout", "undo", "deployment/web", "--to-revision=3")
    assert r.out == "deployment.apps/web skipped rollback (current template already matches revision 3)\n"


def test_pause_resume_restart(kctl, cluster, store_path):
    cluster(replicas=2)
    r = kctl("rollout", "pause", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web paused\n")
    r = kctl("rollout", "pause", "deployment/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" is already paused\n')
    r = kctl("rollout", "restart", "deployment/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n')
    kctl("set", "image", "deployment/web", "web=nginx:1.28")
    assert len(rs_names(store_path)) == 1  # paused: no rollout
    r = kctl("rollout", "undo", "deployment/web")
    assert r.err.splitlines()[-1] == "error: no rollout history found for deployment \"web\""
    r = kctl("rollout", "resume", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web resumed\n")
    assert len(rs_names(store_path)) == 2
    r = kctl("rollout", "resume", "deployment/web")
    assert (r.code, r.err) == (1, 'error: deployments.apps "web" is not paused\n')
    r = kctl("rollout", "restart", "deployment/web")
    assert (r.code, r.out) == (0, "deployment.apps/web restarted\n")
    r = kctl("get", "deployment", "web", "-o", "jsonpath={.spec.template.metadata.annotations}")
    assert '"kubectl.kubernetes.io/restartedAt":"2026-11-25T12:00:00Z"' in r.out
    assert len(rs_names(store_path)) == 3


def test_events_show_the_rollout_steps(kctl, cluster, store_path):
    cluster(replicas=2)
    kctl("set", "image", "deployment/web", "web=nginx:1.28")
    old, new = rs_names(store_path)
    r = kctl("get", "events", "-o", "custom-columns=REASON:.reason,MESSAGE:.message,FROM:.source.component")
    assert r.code == 0, r.err
    rows = {tuple(re.split(r"\s{2,}", line)) for line in r.out.splitlines() if line.startswith("ScalingReplicaSet")}
    c = "deployment-controller"
    assert rows == {("ScalingReplicaSet", f"Scaled up replica set {old} from 0 to 2", c),
                    ("ScalingReplicaSet", f"Scaled up replica set {new} from 0 to 1", c),
                    ("ScalingReplicaSet", f"Scaled down replica set {old} from 2 to 1", c),
                    ("ScalingReplicaSet", f"Scaled up replica set {new} from 1 to 2", c),
                    ("ScalingReplicaSet", f"Scaled down replica set {old} from 1 to 0", c)}


def _kind(name):
    from kctl.api import kinds

    return kinds.resolve(name)


@pytest.mark.parametrize("kind,obj,want", [
    ("statefulsets", {"metadata": {"name": "db", "generation": 2}, "spec": {"replicas": 3},
                      "status": {"observedGeneration": 1}},
     ("Waiting for statefulset spec update to be observed...\n", False)),
    ("statefulsets", {"metadata": {"name": "db", "generation": 1}, "spec": {"replicas": 3},
                      "status": {"observedGeneration": 1, "readyReplicas": 1}},
     ("Waiting for 2 pods to be ready...\n", False)),
    ("statefulsets", {"metadata": {"name": "db", "generation": 1},
                      "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                                 "rollingUpdate": {"partition": 0}}},
                      "status": {"observedGeneration": 1, "readyReplicas": 3, "updatedReplicas": 3}},
     ("partitioned roll out complete: 3 new pods have been updated...\n", True)),
    ("statefulsets", {"metadata": {"name": "db", "generation": 1}, "spec": {"replicas": 2},
                      "status": {"observedGeneration": 1, "readyReplicas": 2, "currentReplicas": 2,
                                 "currentRevision": "db-7f", "updateRevision": "db-7f"}},
     ("statefulset rolling update complete 2 pods at revision db-7f...\n", True)),
    ("daemonsets", {"metadata": {"name": "agent", "generation": 1}, "spec": {},
                    "status": {"observedGeneration": 1, "desiredNumberScheduled": 3,
                               "updatedNumberScheduled": 1}},
     ('Waiting for daemon set "agent" rollout to finish: 1 out of 3 new pods have been updated...\n', False)),
    ("daemonsets", {"metadata": {"name": "agent", "generation": 1}, "spec": {},
                    "status": {"observedGeneration": 1, "desiredNumberScheduled": 3,
                               "updatedNumberScheduled": 3, "numberAvailable": 3}},
     ('daemon set "agent" successfully rolled out\n', True)),
    ("deployments", {"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": 3},
                     "status": {"observedGeneration": 1}},
     ("Waiting for deployment spec update to be observed...\n", False)),
], ids=["sts-unobserved", "sts-not-ready", "sts-partition-done", "sts-done", "ds-updating", "ds-done",
        "deploy-unobserved"])
def test_status_viewers(kind, obj, want):
    from kctl.cli.rollout import rollout_status

    assert rollout_status(_kind(kind), obj) == want


def test_commands_take_the_object_from_a_file(kctl, cluster):
    path = cluster(replicas=1)
    r = kctl("rollout", "status", "-f", path)
    assert (r.code, r.out) == (0, 'deployment "web" successfully rolled out\n')
    r = kctl("rollout", "pause", "-f", path)
    assert (r.code, r.out) == (0, "deployment.apps/web paused\n")
    r = kctl("rollout", "resume", "-f", path)
    assert (r.code, r.out) == (0, "deployment.apps/web resumed\n")
    r = kctl("scale", "-f", path, "--replicas=2")
    assert (r.code, r.out) == (0, "deployment.apps/web scaled\n")
    r = kctl("set", "image", "-f", path, "web=nginx:1.29")
    assert (r.code, r.out) == (0, "deployment.apps/web image updated\n")
    r = kctl("rollout", "history", "-f", path)
    assert r.out == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    r = kctl("rollout", "status", "-f", path, "deployment/web")
    assert (r.code, r.err) == (1, "error: when paths, URLs, or stdin is provided as input, you may not "
                                  "specify resource arguments as well\n")
