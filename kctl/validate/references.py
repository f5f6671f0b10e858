"""Cross-document checks of `kctl validate` (pure: plain objects in, findings out).

- a Service whose selector matches no pod template (or Pod) of the inputs in its namespace;
- a pod spec referencing a ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that is
  not among the inputs (env valueFrom, envFrom, volumes incl. projected sources,
  imagePullSecrets, serviceAccountName other than "default"); references marked
  `optional: true` and the per-namespace `kube-root-ca.crt` ConfigMap (the cluster makes it)
  are not reported;
- the same object (group, kind, namespace, name) defined twice.

Warnings by default; errors with `strict` (`--strict-references`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kctl.validate.findings import ERROR, WARNING, Finding

# where the pod template sits, per workload (group, kind)
_TEMPLATE = {
    ("apps", "Deployment"): ("spec", "template"),
    ("apps", "ReplicaSet"): ("spec", "template"),
    ("apps", "StatefulSet"): ("spec", "template"),
    ("apps", "DaemonSet"): ("spec", "template"),
    ("batch", "Job"): ("spec", "template"),
    ("", "ReplicationController"): ("spec", "template"),
    ("", "PodTemplate"): ("template",),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template"),
}
# objects the cluster itself provides in every namespace (CLI-CONTRACT.md bootstrap objects)
_PROVIDED = {("ConfigMap", "kube-root-ca.crt"), ("ServiceAccount", "default")}


@dataclass(frozen=True)
class RefDoc:
    """One input object: its kind, effective namespace ("" if cluster scoped) and name."""

    group: str
    kind: str
    namespace: str
    name: str
    obj: dict
    file: str
    line: int
    checked: bool = True  # False for skipped documents: they count as present only


def _dig(obj, path):
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return obj


def pod_template(doc: RefDoc) -> tuple[str, dict] | None:
    """(field path, template) of a workload, or ("", pod) for a Pod; None otherwise."""
    if (doc.group, doc.kind) == ("", "Pod"):
        return "", doc.obj
    path = _TEMPLATE.get((doc.group, doc.kind))
    if path is None:
        return None
    t = _dig(doc.obj, path)
    return (".".join(path), t) if isinstance(t, dict) else None


def _spec_refs(spec: dict, base: str):
    """(referenced kind, name, field path) for every reference of a pod spec."""
    def lst(v):
        return v if isinstance(v, list) else []

    def opt(d):
        return isinstance(d, dict) and d.get("optional") is True

    for group in ("initContainers", "containers", "ephemeralContainers"):
        for i, c in enumerate(lst(spec.get(group))):
            if not isinstance(c, dict):
                continue
            cp = f"{base}.{group}[{i}]"
            for j, e in enumerate(lst(c.get("env"))):
                vf = e.get("valueFrom") if isinstance(e, dict) else None
                if not isinstance(vf, dict):
                    continue
                for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                    ref = vf.get(key)
                    if isinstance(ref, dict) and ref.get("name") and not opt(ref):
                        yield kind, ref["name"], f"{cp}.env[{j}].valueFrom.{key}.name"
            for j, e in enumerate(lst(c.get("envFrom"))):
                if not isinstance(e, dict):
                    continue
                for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    ref = e.get(key)
                    if isinstance(ref, dict) and ref.get("name") and not opt(ref):
                        yield kind, ref["name"], f"{cp}.envFrom[{j}].{key}.name"
    for i, v in enumerate(lst(spec.get("volumes"))):
        if not isinstance(v, dict):
            continue
        vp = f"{base}.volumes[{i}]"
        cm, sec, pvc = v.get("configMap"), v.get("secret"), v.get("persistentVolumeClaim")
        if isinstance(cm, dict) and cm.get("name") and not opt(cm):
            yield "ConfigMap", cm["name"], f"{vp}.configMap.name"
        if isinstance(sec, dict) and sec.get("secretName") and not opt(sec):
            yield "Secret", sec["secretName"], f"{vp}.secret.secretName"
        if isinstance(pvc, dict) and pvc.get("claimName"):
            yield "PersistentVolumeClaim", pvc["claimName"], f"{vp}.persistentVolumeClaim.claimName"
        for j, s in enumerate(lst(_dig(v, ("projected", "sources")))):
            if not isinstance(s, dict):
                continue
            for key, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                ref = s.get(key)
                if isinstance(ref, dict) and ref.get("name") and not opt(ref):
                    yield kind, ref["name"], f"{vp}.projected.sources[{j}].{key}.name"
    for i, s in enumerate(lst(spec.get("imagePullSecrets"))):
        if isinstance(s, dict) and s.get("name"):
            yield "Secret", s["name"], f"{base}.imagePullSecrets[{i}].name"
    for key in ("serviceAccountName", "serviceAccount"):
        sa = spec.get(key)
        if isinstance(sa, str) and sa:
            yield "ServiceAccount", sa, f"{base}.{key}"
            break


def _join(*parts: str) -> str:
    return ".".join(p for p in parts if p)


def _selector_text(sel: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(sel.items()))


def check(docs: list[RefDoc], *, strict: bool = False) -> list[tuple[int, Finding]]:
    """Cross-document findings as (index into `docs`, Finding). A Finding's line is its
    document's start line and column 1; callers may refine them from `field`."""
    severity = ERROR if strict else WARNING
    prefix = f"{severity}: "
    out: list[tuple[int, Finding]] = []

    def add(i: int, field: str, rule: str, text: str) -> None:
        d = docs[i]
        out.append((i, Finding(d.file, d.line, 1, field, rule, prefix + text, severity, f"{d.kind}/{d.name}")))

    present: set[tuple[str, str, str]] = set()
    first: dict[tuple[str, str, str, str], int] = {}
    labels_by_ns: dict[str, list[dict]] = {}
    for i, d in enumerate(docs):
        present.add((d.kind, d.namespace, d.name))
        key = (d.group, d.kind, d.namespace, d.name)
        if key in first:
            if d.checked:
                f = docs[first[key]]
                where = f' in namespace "{d.namespace}"' if d.namespace else ""
                add(i, "metadata.name", "duplicate",
                    f'{d.kind} "{d.name}"{where} is defined more than once (also at {f.file}:{f.line})')
        else:
            first[key] = i
        t = pod_template(d)
        if t is not None:
            labels = _dig(t[1], ("metadata", "labels"))
            labels_by_ns.setdefault(d.namespace, []).append(labels if isinstance(labels, dict) else {})

    for i, d in enumerate(docs):
        if not d.checked:
            continue
        if (d.group, d.kind) == ("", "Service"):
            spec = d.obj.get("spec") if isinstance(d.obj.get("spec"), dict) else {}
            sel = spec.get("selector")
            if isinstance(sel, dict) and sel and spec.get("type") != "ExternalName":
                if not any(all(lab.get(k) == v for k, v in sel.items()) for lab in labels_by_ns.get(d.namespace, [])):
                    add(i, "spec.selector", "service-selector",
                        f'Service "{d.name}" selector {_selector_text(sel)} matches no pod template '
                        f'in namespace "{d.namespace}" among the inputs')
        t = pod_template(d)
        if t is None:
            continue
        spec = t[1].get("spec")
        if not isinstance(spec, dict):
            continue
        seen = set()
        for kind, name, path in _spec_refs(spec, _join(t[0], "spec")):
            if (kind, name) in _PROVIDED or (kind, d.namespace, name) in present or (kind, name, path) in seen:
                continue
            seen.add((kind, name, path))
            add(i, path, "missing-reference",
                f'{d.kind} "{d.name}" references {kind} "{name}", which is not among the inputs '
                f'(namespace "{d.namespace}")')
    return out


def relocate(f: Finding, line: int, column: int) -> Finding:
    """The same finding at a more precise position."""
    return replace(f, line=line, column=column)
