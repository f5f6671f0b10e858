"""kctl.api.resources.KINDS against the schema files and kubectl api-resources' names."""

from __future__ import annotations

import pytest

from kctl.api import kinds, schema
from kctl.api.resources import KINDS

# schema files that are not API resources of their own: subresource bodies and Status
NOT_RESOURCES = {
    ("autoscaling", "v1", "Scale"),
    ("policy", "v1", "Eviction"),
    ("authentication.k8s.io", "v1", "TokenRequest"),
    ("", "v1", "Status"),
}


def _schema_kinds():
    return [gvk for gvk in schema.available() if not gvk[2].endswith("List") and gvk not in NOT_RESOURCES]


def test_schema_folder_is_complete():
    # 197 top-level definitions in 1.37 (List kinds included)
    assert len(schema.available()) == 197


@pytest.mark.parametrize("gvk", _schema_kinds(), ids=lambda g: f"{g[0] or 'core'}.{g[1]}.{g[2]}")
def test_every_schema_kind_is_served(gvk):
    group, version, kind = gvk
    k = kinds.by_group_kind(group, kind)
    assert k is not None, f"{kind}.{group} missing from KINDS"
    assert k.serves(version)


@pytest.mark.parametrize("k", KINDS, ids=lambda k: f"{k.group_kind}")
def test_every_kind_has_schemas_for_all_versions(k):
    if k.kind == "NodeInventory":
        assert schema.schema_path(k.group, k.version, k.kind) is None
        return
    assert k.versions[0] == k.version
    for v in k.versions:
        assert schema.schema_path(k.group, v, k.kind) is not None, f"{k.group}/{v} {k.kind}"


def test_no_duplicate_group_kind_or_resource():
    gks = [(k.group, k.kind) for k in KINDS]
    assert len(gks) == len(set(gks))
    resources = [k.resource for k in KINDS]
    assert len(resources) == len(set(resources))


def test_short_names_unique_except_events():
    seen: dict[str, str] = {}
    for k in KINDS:
        for s in k.short_names:
            if s in seen:
                assert s == "ev", f"{s} used by {seen[s]} and {k.resource}"
            seen[s] = k.resource


def test_category_all_is_exactly_kubectl_get_all():
    assert sorted(k.resource for k in KINDS if "all" in k.categories) == [
        "cronjobs.batch",
        "daemonsets.apps",
        "deployments.apps",
        "horizontalpodautoscalers.autoscaling",
        "jobs.batch",
        "pods",
        "replicasets.apps",
        "replicationcontrollers",
        "services",
        "statefulsets.apps",
    ]


RESOLVE_CASES = [
    ("po", "pods"),
    ("pod", "pods"),
    ("Pod", "pods"),
    ("svc", "services"),
    ("deploy", "deployments.apps"),
    ("deployments.apps", "deployments.apps"),
    ("deployments.v1.apps", "deployments.apps"),
    ("rs", "replicasets.apps"),
    ("sts", "statefulsets.apps"),
    ("ds", "daemonsets.apps"),
    ("cj", "cronjobs.batch"),
    ("hpa", "horizontalpodautoscalers.autoscaling"),
    ("ing", "ingresses.networking.k8s.io"),
    ("netpol", "networkpolicies.networking.k8s.io"),
    ("pvc", "persistentvolumeclaims"),
    ("pv", "persistentvolumes"),
    ("sa", "serviceaccounts"),
    ("cm", "configmaps"),
    ("ep", "endpoints"),
    ("endpoints", "endpoints"),
    ("ev", "events"),
    ("events.events.k8s.io", "events.events.k8s.io"),
    ("limits", "limitranges"),
    ("ns", "namespaces"),
    ("no", "nodes"),
    ("rc", "replicationcontrollers"),
    ("quota", "resourcequotas"),
    ("sc", "storageclasses.storage.k8s.io"),
    ("crd", "customresourcedefinitions.apiextensions.k8s.io"),
    ("crds", "customresourcedefinitions.apiextensions.k8s.io"),
    ("pdb", "poddisruptionbudgets.policy"),
    ("pc", "priorityclasses.scheduling.k8s.io"),
    ("csr", "certificatesigningrequests.certificates.k8s.io"),
    ("cs", "componentstatuses"),
    ("jobs", "jobs.batch"),
    ("clusterrolebindings", "clusterrolebindings.rbac.authorization.k8s.io"),
    ("nodeinventory", "nodeinventories.kctl.io"),
    ("nodeinventories", "nodeinventories.kctl.io"),
    ("tokenreviews", "tokenreviews.authentication.k8s.io"),
    ("nosuchthing", None),
]


@pytest.mark.parametrize("name,resource", RESOLVE_CASES, ids=[c[0] for c in RESOLVE_CASES])
def test_resolve(name, resource):
    k = kinds.resolve(name)
    assert (k.resource if k else None) == resource


SCOPE_CASES = [
    ("namespaces", False),
    ("nodes", False),
    ("persistentvolumes", False),
    ("storageclasses", False),
    ("clusterroles", False),
    ("customresourcedefinitions", False),
    ("nodeinventories", False),
    ("pods", True),
    ("deployments", True),
    ("roles", True),
    ("persistentvolumeclaims", True),
    ("localsubjectaccessreviews", True),
    ("leases", True),
]


@pytest.mark.parametrize("name,namespaced", SCOPE_CASES, ids=[c[0] for c in SCOPE_CASES])
def test_scope(name, namespaced):
    assert kinds.resolve(name).namespaced is namespaced


VERB_CASES = [
    ("pods", ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    ("namespaces", ("create", "delete", "get", "list", "patch", "update", "watch")),
    ("bindings", ("create",)),
    ("tokenreviews", ("create",)),
    ("subjectaccessreviews", ("create",)),
    ("componentstatuses", ("get", "list")),
]


@pytest.mark.parametrize("name,verbs", VERB_CASES, ids=[c[0] for c in VERB_CASES])
def test_verbs(name, verbs):
    assert kinds.resolve(name).verbs == verbs


def test_for_object_versions():
    assert kinds.for_object("autoscaling/v1", "HorizontalPodAutoscaler").version == "v2"
    assert kinds.for_object("apps/v1beta1", "Deployment") is None
    assert kinds.for_object("kctl.io/v1alpha1", "NodeInventory").namespaced is False


APPLY_ORDER = [
    "Namespace",
    "CustomResourceDefinition",
    "PriorityClass",
    "ServiceAccount",
    "ConfigMap",
    "PersistentVolumeClaim",
    "Ingress",  # "everything else" (45) sits between Services and workloads
    "Deployment",
    "Pod",
]


def test_apply_rank_order():
    by_kind = {k.kind: k.apply_rank for k in KINDS if k.group != "events.k8s.io"}
    assert by_kind["Namespace"] == 0
    assert by_kind["CustomResourceDefinition"] == 1
    ranks = [by_kind[k] for k in APPLY_ORDER]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert by_kind["Service"] == 40 and by_kind["Pod"] == 60
    for wl in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "HorizontalPodAutoscaler", "PodDisruptionBudget"):
        assert by_kind[wl] == 50, wl
    for infra in ("StorageClass", "PersistentVolume", "Node", "NodeInventory", "Role", "ClusterRoleBinding", "Secret", "LimitRange", "ResourceQuota"):
        assert 10 <= by_kind[infra] <= 30, infra
