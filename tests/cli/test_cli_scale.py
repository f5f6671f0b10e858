"""`kctl scale`: kubectl's texts, preconditions, and the converged result."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "controllers"))
from deployment_fakes import WEB, use_fake_cluster  # noqa: E402


@pytest.fixture
def web(kctl, write, frozen_now, monkeypatch):
    use_fake_cluster(monkeypatch)
    r = kctl("apply", "-f", write("web.yaml", WEB.format(replicas=3, ready_after=0)))
    assert r.code == 0, r.err


@pytest.mark.parametrize("args,code,out,err", [
    (["scale", "deployment/web", "--replicas=5"], 0, "deployment.apps/web scaled\n", ""),
    (["scale", "--replicas", "1", "deploy", "web"], 0, "deployment.apps/web scaled\n", ""),
    (["scale", "deployment/web", "--replicas=5", "--current-replicas=3"], 0, "deployment.apps/web scaled\n", ""),
    (["scale", "deployment/web", "--replicas=5", "--current-replicas=2"], 1, "",
     "error: Expected replicas to be 2, was 3\n"),
    (["scale", "deployment/web"], 1, "", 'error: required flag(s) "replicas" not set\n'),
    (["scale", "deployment/web", "--replicas=-1"], 1, "",
     "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"),
    (["scale", "deployment/nope", "--replicas=2"], 1, "",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
    (["scale", "deployment", "--replicas=2"], 1, "",
     "error: resource(s) were provided, but no name was specified\n"),
], ids=["scaled", "flag-first", "precondition-ok", "precondition-fails", "no-replicas", "negative",
        "not-found", "no-name"])
def test_scale_texts(kctl, web, args, code, out, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (code, out, err)


def test_scale_converges_pods(kctl, web):
    kctl("scale", "deployment/web", "--replicas=5")
    r = kctl("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.status.availableReplicas}")
    assert r.out == "5 5"
    r = kctl("get", "pods", "-o", "name")
    assert len(r.out.split()) == 5
    kctl("scale", "deployment/web", "--replicas=0")
    r = kctl("get", "pods", "-o", "name")
    assert (r.out, r.err) == ("", "")  # kubectl -o name prints nothing for an empty list


def test_scale_replicaset_directly(kctl, write, frozen_now, monkeypatch):
    use_fake_cluster(monkeypatch)
    rs = WEB.replace("kind: Deployment", "kind: ReplicaSet").replace(
        "  strategy:\n    rollingUpdate: {{maxSurge: 1, maxUnavailable: 0}}\n", "")
    kctl("apply", "-f", write("rs.yaml", rs.format(replicas=1, ready_after=0)))
    r = kctl("scale", "rs", "web", "--replicas=2")
    assert (r.code, r.out) == (0, "replicaset.apps/web scaled\n")
    r = kctl("get", "rs", "web", "-o", "jsonpath={.status.replicas}")
    assert r.out == "2"
