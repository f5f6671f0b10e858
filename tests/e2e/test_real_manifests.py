"""Real manifests from public projects (tests/e2e/real/, see SOURCES.md) are admitted exactly
as a Kubernetes 1.37 API server admits them: every project folder applies in one go, a second
apply changes nothing, and `kctl get -o json` gives back every field that was written."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent / "real"
# Folders that are not one applicable project: custom/removed kinds, and follow-up patches.
NOT_PROJECTS = {"crd-kinds", "followups"}
PROJECTS = sorted(p.name for p in REAL.iterdir() if p.is_dir() and p.name not in NOT_PROJECTS)

# Namespaces some manifests use without creating them (in their project they come from a
# kustomization or from an earlier install step); a cluster admin would have made them first.
PRE_NAMESPACES = {"eks-workshop": ["ui", "other"]}

# Fields whose values the API server re-serialises in canonical quantity form.
_QUANTITY_PARENTS = {"requests", "limits", "capacity", "hard", "overhead"}
_QUANTITY_KEYS = {"sizeLimit", "storage", "averageValue"}


def _load_docs(path: Path) -> list[dict]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    return [d for d in yaml.load_all(path.read_text()) if d]


def _objects(folder: Path) -> list[dict]:
    out: list[dict] = []
    for f in sorted(folder.rglob("*")):
        if f.suffix not in (".yaml", ".yml", ".json") or not f.is_file():
            continue
        for doc in _load_docs(f):
            if doc.get("kind", "").endswith("List") and "items" in doc:
                out.extend(doc["items"])
            else:
                out.append(doc)
    return out


def _kind_ref(obj: dict) -> str:
    """`deployment.apps`, `service`: what kubectl prints before /name (and accepts in get)."""
    api_version = obj["apiVersion"]
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    return obj["kind"].lower() + (f".{group}" if group else "")


def _ns_create(names: list[str]) -> str:
    return "".join(f"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n" for n in names)


def _same_scalar(path: str, want, got) -> bool:
    if want == got and type(want) is type(got):
        return True
    parts = path.replace("]", "").replace("[", ".").split(".")
    is_quantity = (parts[-1] in _QUANTITY_KEYS or (len(parts) > 1 and parts[-2] in _QUANTITY_PARENTS)
                   or parts[-2:] == ["target", "value"])  # HPA v2 MetricTarget
    if is_quantity and isinstance(want, (str, int, float)) and isinstance(got, str):
        # the server answers with the canonical text (`6.5Gi` -> `6656Mi`, `0.5` -> `500m`)
        from kctl.api.quantity import parse_quantity

        return got == str(parse_quantity(want if isinstance(want, str) else str(want)))
    return False


def _missing(want, got, path: str = "") -> list[str]:
    """Every non-null field of `want` must be in `got` with the same value (lists: same length)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: want a map, got {got!r}"]
        errs: list[str] = []
        for k, v in want.items():
            if v is None:
                continue
            sub = f"{path}.{k}" if path else str(k)
            if k not in got:
                errs.append(f"{sub}: missing")
            else:
                errs.extend(_missing(v, got[k], sub))
        return errs
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return [f"{path}: want {want!r}, got {got!r}"]
        errs = []
        for i, (w, g) in enumerate(zip(want, got)):
            errs.extend(_missing(w, g, f"{path}[{i}]"))
        return errs
    return [] if _same_scalar(path, want, got) else [f"{path}: want {want!r}, got {got!r}"]


def _as_stored(obj: dict) -> dict:
    """What the API server keeps of a manifest: Secret stringData is folded into data."""
    obj = dict(obj)
    if obj.get("kind") == "Secret" and obj.get("stringData"):
        data = dict(obj.get("data") or {})
        for k, v in obj.pop("stringData").items():
            data[k] = base64.b64encode(str(v).encode()).decode()
        obj["data"] = data
    return obj


def test_corpus_is_present():
    assert len(PROJECTS) >= 8
    kinds = {o["kind"] for p in PROJECTS for o in _objects(REAL / p)}
    for k in ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "ConfigMap",
              "Secret", "ClusterRole", "RoleBinding", "ServiceAccount", "Ingress", "IngressClass",
              "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler", "PriorityClass",
              "ValidatingWebhookConfiguration", "Namespace", "APIService", "PersistentVolumeClaim"):
        assert k in kinds, k


@pytest.mark.parametrize("project", PROJECTS)
def test_real_project_applies(project, kctl):
    folder = REAL / project
    objs = _objects(folder)
    if project in PRE_NAMESPACES:
        r = kctl("apply", "-f", "-", stdin=_ns_create(PRE_NAMESPACES[project]))
        assert r.code == 0, r.err

    r = kctl("apply", "-f", str(folder), "-R")
    assert r.code == 0, r.err
    assert r.err == ""
    want = sorted(f"{_kind_ref(o)}/{o['metadata']['name']} created" for o in objs)
    assert sorted(r.out.splitlines()) == want

    again = kctl("apply", "-f", str(folder), "-R")
    assert again.code == 0, again.err
    assert sorted(again.out.splitlines()) == [line.replace(" created", " unchanged") for line in want]

    for o in objs:
        ns = o["metadata"].get("namespace", "default")
        g = kctl("get", _kind_ref(o), o["metadata"]["name"], "-n", ns, "-o", "json")
        assert g.code == 0, g.err
        import json

        got = json.loads(g.out)
        assert _missing(_as_stored(o), got) == [], f"{_kind_ref(o)}/{o['metadata']['name']}"


def test_followup_customization_is_configured(kctl):
    """ingress-nginx's documented custom configuration ConfigMap, applied over the install."""
    assert kctl("apply", "-f", str(REAL / "ingress-nginx"), "-R").code == 0
    f = REAL / "followups" / "ingress-nginx-custom-configuration-configmap.yaml"
    r = kctl("apply", "-f", str(f))
    assert (r.code, r.out, r.err) == (0, "configmap/ingress-nginx-controller configured\n", "")
    g = kctl("get", "configmap", "ingress-nginx-controller", "-n", "ingress-nginx",
             "-o", "jsonpath={.data.proxy-read-timeout}")
    assert g.out == "120"


@pytest.mark.parametrize(
    "name,kind,version",
    [
        ("kube-prometheus/alertmanager-alertmanager.yaml", "Alertmanager", "monitoring.coreos.com/v1"),
        ("kube-prometheus/prometheus-prometheus.yaml", "Prometheus", "monitoring.coreos.com/v1"),
        ("kube-prometheus/nodeExporter-serviceMonitor.yaml", "ServiceMonitor", "monitoring.coreos.com/v1"),
        ("kubernetes/nginx-statefulset-apps-v1beta2.yaml", "StatefulSet", "apps/v1beta2"),
        ("metrics-server-pdb-policy-v1beta1.yaml", "PodDisruptionBudget", "policy/v1beta1"),
    ],
)
def test_custom_and_removed_kinds_are_not_found(name, kind, version, kctl):
    path = REAL / "crd-kinds" / name
    if kind in ("Alertmanager", "Prometheus", "ServiceMonitor"):
        kctl("apply", "-f", "-", stdin=_ns_create(["monitoring"]))
    before = kctl("store", "info").out
    r = kctl("apply", "-f", str(path))
    assert r.code == 1
    assert f'no matches for kind "{kind}" in version "{version}"' in r.err
    assert r.err.startswith(f"{path}:")
    assert "ensure CRDs are installed first" in r.err
    assert r.err.endswith("error: no objects were changed\n")
    assert "Traceback" not in r.err
    assert kctl("store", "info").out == before
