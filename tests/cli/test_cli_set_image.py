"""`kctl set image`: kubectl's texts; the change starts a rollout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "controllers"))
from deployment_fakes import WEB, use_fake_cluster  # noqa: E402


@pytest.fixture
def web(kctl, write, frozen_now, monkeypatch):
    use_fake_cluster(monkeypatch)
    r = kctl("apply", "-f", write("web.yaml", WEB.format(replicas=2, ready_after=0)))
    assert r.code == 0, r.err


@pytest.mark.parametrize("args,code,out,err", [
    (["set", "image", "deployment/web", "web=nginx:1.28"], 0, "deployment.apps/web image updated\n", ""),
    (["set", "image", "deployment", "web", "*=nginx:1.28"], 0, "deployment.apps/web image updated\n", ""),
    (["set", "image", "deployment/web", "web=nginx:1.27"], 0, "", ""),  # no change: silent
    (["set", "image", "deployment/web", "x=nginx:1.28"], 1, "", 'error: unable to find container named "x"\n'),
    (["set", "image", "deployment/web"], 1, "", "error: at least one image update is required\n"),
    (["set", "image", "web=nginx"], 1, "",
     "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"),
    (["set", "image", "deployment/nope", "web=nginx"], 1, "",
     'Error from server (NotFound): deployments.apps "nope" not found\n'),
], ids=["updated", "star", "unchanged", "unknown-container", "no-images", "no-resource", "not-found"])
def test_set_image_texts(kctl, web, args, code, out, err):
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (code, out, err)


def test_set_image_rolls_out_a_new_replica_set(kctl, web):
    kctl("set", "image", "deployment/web", "web=nginx:1.28")
    r = kctl("get", "rs", "-o", "custom-columns=DESIRED:.spec.replicas,IMAGE:.spec.template.spec.containers[0].image,REV:.metadata.annotations.deployment\\.kubernetes\\.io/revision")
    rows = sorted(r.out.splitlines()[1:])
    assert [row.split() for row in rows] == [["0", "nginx:1.27", "1"], ["2", "nginx:1.28", "2"]]
    r = kctl("rollout", "status", "deployment/web")
    assert r.out == 'deployment "web" successfully rolled out\n'
