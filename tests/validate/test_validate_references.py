"""kctl.validate.references: cross-document checks on plain objects."""

from __future__ import annotations

import pytest

from kctl.validate.references import RefDoc, check


def deploy(name="web", ns="default", labels=None, spec=None):
    return RefDoc("apps", "Deployment", ns, name, {
        "metadata": {"name": name},
        "spec": {"template": {"metadata": {"labels": labels or {"app": name}},
                              "spec": spec or {"containers": [{"name": "c", "image": "x"}]}}},
    }, "d.yaml", 1)


def obj(kind, name, ns="default", group="", body=None, line=1, checked=True):
    return RefDoc(group, kind, ns, name, dict(body or {}, metadata={"name": name}), "o.yaml", line, checked)


def service(selector, ns="default", type_=None):
    spec = {"selector": selector}
    if type_:
        spec["type"] = type_
    return obj("Service", "svc", ns, body={"spec": spec}, line=5)


def pod_with(spec):
    return RefDoc("", "Pod", "default", "p", {"metadata": {"name": "p"}, "spec": spec}, "p.yaml", 3)


CONTAINER_ENV = {"containers": [{"name": "c", "image": "x", "env": [
    {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "a"}}},
    {"name": "B", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "b", "optional": True}}},
]}]}
ENV_FROM = {"containers": [{"name": "c", "image": "x", "envFrom": [{"secretRef": {"name": "creds"}}]}]}
VOLUMES = {"containers": [{"name": "c", "image": "x"}], "volumes": [
    {"name": "a", "persistentVolumeClaim": {"claimName": "data"}},
    {"name": "b", "configMap": {"name": "kube-root-ca.crt"}},
    {"name": "c", "projected": {"sources": [{"secret": {"name": "tls"}}]}},
]}

CASES = [
    # (id, docs, [(doc index, field, rule, message)])
    ("selector-matches", [deploy(), service({"app": "web"})], []),
    ("selector-matches-nothing", [deploy(), service({"app": "api"})], [
        (1, "spec.selector", "service-selector",
         'warning: Service "svc" selector app=api matches no pod template in namespace "default" among the inputs')]),
    ("selector-other-namespace", [deploy(ns="a"), service({"app": "web"}, ns="b")], [
        (1, "spec.selector", "service-selector",
         'warning: Service "svc" selector app=web matches no pod template in namespace "b" among the inputs')]),
    ("external-name-ignored", [service({"app": "x"}, type_="ExternalName")], []),
    ("env-configmap-missing-optional-secret-ok", [pod_with(CONTAINER_ENV)], [
        (0, "spec.containers[0].env[0].valueFrom.configMapKeyRef.name", "missing-reference",
         'warning: Pod "p" references ConfigMap "cfg", which is not among the inputs (namespace "default")')]),
    ("env-configmap-present", [obj("ConfigMap", "cfg"), pod_with(CONTAINER_ENV)], []),
    ("envfrom-secret", [deploy(spec=ENV_FROM)], [
        (0, "spec.template.spec.containers[0].envFrom[0].secretRef.name", "missing-reference",
         'warning: Deployment "web" references Secret "creds", which is not among the inputs (namespace "default")')]),
    ("volumes-pvc-and-projected", [pod_with(VOLUMES)], [
        (0, "spec.volumes[0].persistentVolumeClaim.claimName", "missing-reference",
         'warning: Pod "p" references PersistentVolumeClaim "data", which is not among the inputs (namespace "default")'),
        (0, "spec.volumes[2].projected.sources[0].secret.name", "missing-reference",
         'warning: Pod "p" references Secret "tls", which is not among the inputs (namespace "default")')]),
    ("service-account-default-ok", [pod_with({"serviceAccountName": "default", "containers": []})], []),
    ("service-account-missing", [pod_with({"serviceAccountName": "robot", "containers": []})], [
        (0, "spec.serviceAccountName", "missing-reference",
         'warning: Pod "p" references ServiceAccount "robot", which is not among the inputs (namespace "default")')]),
    ("service-account-present", [obj("ServiceAccount", "robot"), pod_with({"serviceAccountName": "robot"})], []),
    ("duplicate", [obj("ConfigMap", "c", line=1), obj("ConfigMap", "c", line=9)], [
        (1, "metadata.name", "duplicate",
         'warning: ConfigMap "c" in namespace "default" is defined more than once (also at o.yaml:1)')]),
    ("duplicate-cluster-scoped", [obj("Namespace", "n", ns=""), obj("Namespace", "n", ns="", line=4)], [
        (1, "metadata.name", "duplicate", 'warning: Namespace "n" is defined more than once (also at o.yaml:1)')]),
    ("same-name-other-namespace-not-duplicate", [obj("ConfigMap", "c", "a"), obj("ConfigMap", "c", "b")], []),
    ("skipped-doc-counts-as-present-but-unchecked",
     [obj("ConfigMap", "cfg", checked=False), pod_with(CONTAINER_ENV),
      RefDoc("", "Pod", "default", "q", {"spec": {"serviceAccountName": "x"}}, "q.yaml", 1, False)], []),
]


@pytest.mark.parametrize("docs,want", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_reference_findings(docs, want):
    got = [(i, f.field, f.rule, f.message) for i, f in check(docs)]
    assert got == want
    assert all(f.severity == "warning" and f.line == docs[i].line and f.column == 1 for i, f in check(docs))


def test_strict_makes_errors():
    got = check([deploy(), service({"app": "api"})], strict=True)
    assert [(f.severity, f.message.split(":")[0], f.object) for _, f in got] == [("error", "error", "Service/svc")]


def test_cronjob_template_labels_and_refs():
    cron = RefDoc("batch", "CronJob", "default", "cj", {"spec": {"jobTemplate": {"spec": {"template": {
        "metadata": {"labels": {"app": "cj"}},
        "spec": {"volumes": [{"name": "v", "secret": {"secretName": "s"}}]}}}}}}, "c.yaml", 1)
    got = [(f.field, f.rule) for _, f in check([cron, service({"app": "cj"})])]
    assert got == [("spec.jobTemplate.spec.template.spec.volumes[0].secret.secretName", "missing-reference")]
