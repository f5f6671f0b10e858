"""The kinds CustomResourceDefinitions add: an overlay on the static table of kctl.api.kinds.

Upstream the apiextensions-apiserver serves one REST endpoint per established CRD and the
discovery document lists it. Here the registry holds, per (group, kind), the Kind derived
from the CRD (kind_from_crd) and the CRD itself (crd_of: its schemas drive decoding,
defaulting and validation of the custom resources). It mirrors one store: the CLI calls
load_from_store whenever it opens a store.

Only the standard library is imported here (kctl.api.kinds consults this module through
sys.modules, so built-in-only commands never import it); load_from_dir parses YAML lazily.
"""

from __future__ import annotations

import os
import re

from kctl.api.kinds import Kind

CRD_RESOURCE = "customresourcedefinitions.apiextensions.k8s.io"
CRD_GROUP = "apiextensions.k8s.io"
#: custom resources apply after every built-in kind (the highest built-in rank is Pod's 60)
APPLY_RANK = 70
_VERBS = ("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch")

#: (group, kind) -> (Kind, CRD); insertion order is registration order
_entries: dict[tuple[str, str], tuple[Kind, dict]] = {}


# ---------------------------------------------------------------- versions
_KUBE_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority_key(version: str) -> tuple:
    """Sort key of Kubernetes version priority (apimachinery's CompareKubeAwareVersionStrings):
    GA before beta before alpha, higher numbers first; versions not shaped like `v1beta2`
    after all of those, in lexical order."""
    m = _KUBE_VERSION.match(version)
    if not m:
        return (1, 0, 0, 0, version)
    major = int(m.group(1))
    stage = {None: 0, "beta": 1, "alpha": 2}[m.group(2)]
    minor = int(m.group(3) or 0)
    return (0, stage, -major, -minor, version)


def served_versions(crd: dict) -> list[str]:
    """The CRD's served version names in discovery order (the preferred one first)."""
    vs = [v.get("name") for v in _versions(crd) if isinstance(v, dict) and v.get("served") and v.get("name")]
    return sorted(vs, key=version_priority_key)


def _versions(crd: dict) -> list:
    vs = (crd.get("spec") or {}).get("versions")
    return vs if isinstance(vs, list) else []


version_entries = _versions  # spec.versions (a list whatever the manifest holds)


def version_entry(crd: dict, version: str) -> dict | None:
    """spec.versions[i] named `version`, or None."""
    for v in _versions(crd):
        if isinstance(v, dict) and v.get("name") == version:
            return v
    return None


def storage_version(crd: dict) -> str | None:
    for v in _versions(crd):
        if isinstance(v, dict) and v.get("storage"):
            return v.get("name")
    return None


# ---------------------------------------------------------------- Kind of a CRD
def kind_from_crd(crd: dict) -> Kind:
    """The Kind a CRD serves, as discovery lists it."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    kind = names.get("kind") or ""
    plural = names.get("plural") or ""
    served = served_versions(crd)
    if _names_conflict(crd):
        # an established CRD whose new names clash keeps serving under the names it had
        # (status.acceptedNames), as discovery lists them
        names = {**names, **{k: v for k, v in (crd["status"].get("acceptedNames") or {}).items()
                             if k in ("singular", "shortNames", "categories")}}
        if "shortNames" not in (crd["status"].get("acceptedNames") or {}):
            names.pop("shortNames", None)
    return Kind(
        group=spec.get("group") or "",
        version=served[0] if served else "",
        kind=kind,
        plural=plural,
        singular=names.get("singular") or kind.lower(),
        short_names=tuple(names.get("shortNames") or ()),
        namespaced=spec.get("scope", "Namespaced") != "Cluster",
        versions=tuple(served),
        categories=tuple(names.get("categories") or ()),
        apply_rank=APPLY_RANK,
        verbs=_VERBS,
    )


def _names_conflict(crd: dict) -> bool:
    status = crd.get("status")
    return isinstance(status, dict) and isinstance(status.get("acceptedNames"), dict) and any(
        isinstance(c, dict) and c.get("type") == "NamesAccepted" and c.get("status") == "False"
        for c in status.get("conditions") or [])


def is_crd(obj) -> bool:
    """A CustomResourceDefinition manifest (any apiextensions version)."""
    return (isinstance(obj, dict) and obj.get("kind") == "CustomResourceDefinition"
            and str(obj.get("apiVersion") or "").startswith(CRD_GROUP + "/"))


def has_status_subresource(crd: dict, version: str | None = None) -> bool:
    """`subresources.status` set for `version` (per version, or top-level in v1beta1 CRDs)."""
    spec = crd.get("spec") or {}
    if isinstance(spec.get("subresources"), dict) and "status" in spec["subresources"]:
        return True
    v = version_entry(crd, version) if version else None
    if v is None:
        v = version_entry(crd, storage_version(crd) or "") or {}
    sub = v.get("subresources")
    return isinstance(sub, dict) and "status" in sub


# ---------------------------------------------------------------- the overlay
def register(crd: dict) -> Kind:
    """Serve the CRD's kind (replacing an earlier registration of the same CRD). A CRD whose
    names were never accepted is not served; nor does a CRD take a kind another CRD serves
    (the naming controller gives it to the first)."""
    k = kind_from_crd(crd)
    name = _name(crd)
    if not serving(crd):
        for key, (_k, c) in list(_entries.items()):
            if _name(c) == name:
                del _entries[key]
        return k
    prev = _entries.get((k.group, k.kind))
    if prev is not None and name and _name(prev[1]) not in ("", name):
        return k
    _entries[(k.group, k.kind)] = (k, crd)
    return k


def _name(crd: dict) -> str:
    return str((crd.get("metadata") or {}).get("name") or "")


def serving(crd: dict) -> bool:
    """NamesAccepted or Established True (the crdHandler's test), or no status yet (a manifest)."""
    conds = [c for c in ((crd.get("status") or {}).get("conditions") or []) if isinstance(c, dict)]
    return not conds or any(c.get("type") in ("NamesAccepted", "Established") and c.get("status") == "True"
                            for c in conds)


def unregister(group: str, kind: str) -> None:
    _entries.pop((group, kind), None)


def clear() -> None:
    _entries.clear()


def crd_of(kind_or_group_kind) -> dict | None:
    """The CRD behind a registered Kind (a Kind, or a (group, kind) pair)."""
    if isinstance(kind_or_group_kind, Kind):
        key = (kind_or_group_kind.group, kind_or_group_kind.kind)
    else:
        key = tuple(kind_or_group_kind)
    entry = _entries.get(key)
    return entry[1] if entry else None


def registered() -> list[Kind]:
    """Registered kinds in discovery order: groups by name, a group's resources by plural
    (the CRD discovery controller sorts them by resource name)."""
    return sorted((k for k, _ in _entries.values()), key=lambda k: (k.group, k.plural))


def serves_resource(resource: str) -> bool:
    """Whether `plural.group` is a registered custom resource."""
    return any(k.resource == resource for k, _ in _entries.values())


def lookup(group: str, kind: str) -> Kind | None:
    entry = _entries.get((group, kind))
    if entry is None:
        entry = _catalog_match(group, kind)
    return entry[0] if entry else None


def _catalog_match(group: str, kind: str):
    """A CRDs-catalog schema (lowercase file name) answering to `kind` in any case: registered
    again under the kind's spelling so messages name the kind as the manifest does."""
    for (g, _k), (_kind, crd) in list(_entries.items()):
        cat = ((crd.get("metadata") or {}).get("annotations") or {}).get("kctl.io/catalog-kind")
        if g == group and cat and cat == kind.lower():
            import copy

            crd = copy.deepcopy(crd)
            crd["spec"]["names"]["kind"] = kind
            crd["spec"]["names"]["listKind"] = kind + "List"
            register(crd)
            return _entries[(group, kind)]
    return None


def by_name(name: str) -> list[Kind]:
    """Registered kinds answering to a lowercase plural, singular, kind or short name."""
    out = []
    for k, _ in _entries.values():
        if name in (k.plural, k.singular, k.kind.lower()) or name in k.short_names:
            out.append(k)
    return out


def load_from_store(store) -> None:
    """Mirror the store's CRDs (one list of one resource). Replaces whatever was registered
    before."""
    load(store.list(CRD_RESOURCE))


def load(crds: list[dict]) -> None:
    """Serve exactly these (stored) CRDs."""
    clear()
    for crd in crds:
        if served_versions(crd) and ((crd.get("spec") or {}).get("names") or {}).get("kind"):
            register(crd)


# ---------------------------------------------------------------- --schema-location
_EXTENSIONS = (".yaml", ".yml", ".json")
#: datreeio/CRDs-catalog layout: <group>/<kind>_<version>.json (lowercase)
_CATALOG_FILE = re.compile(r"^([a-z0-9]+)_([a-z0-9]+)\.json$")


def load_from_dir(path) -> list[dict]:
    """Every CRD manifest under `path` (.yaml/.yml/.json, recursive; multi-document YAML and
    v1 Lists allowed), plus JSON schemas laid out like the datreeio/CRDs-catalog
    (`<group>/<kind>_<version>.json`) turned into single-version CRDs. Files that are
    neither are ignored. `path` may also be one manifest file (its CRDs are taken).
    Raises KctlError for a missing path or an unparsable file."""
    from kctl.errors import KctlError

    path = os.fspath(path)
    if os.path.isfile(path):
        return [d for d in _read_docs(path) if is_crd(d)]
    if not os.path.isdir(path):
        raise KctlError(f'--schema-location "{path}": no such file or directory')
    out: list[dict] = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for fname in sorted(files):
            if not fname.lower().endswith(_EXTENSIONS):
                continue
            full = os.path.join(root, fname)
            docs = _read_docs(full)
            crds = [d for d in docs if is_crd(d)]
            if crds:
                out.extend(crds)
                continue
            rel = os.path.relpath(full, path).split(os.sep)
            m = _CATALOG_FILE.match(rel[-1])
            if m and len(rel) >= 2 and len(docs) == 1 and _looks_like_schema(docs[0]):
                out.append(catalog_crd(rel[-2], m.group(1), m.group(2), docs[0]))
    return out


def _read_docs(path: str) -> list:
    from kctl.errors import KctlError

    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise KctlError(f"error reading {path}: {e.strerror}") from None
    if path.lower().endswith(".json"):
        import json

        try:
            docs = [json.loads(text)]
        except ValueError as e:
            raise KctlError(f"error parsing {path}: {e}") from None
    else:
        # kubectl's own manifest reader (libyaml): CRDs are large
        from kctl import manifests

        docs = [m.obj for m in manifests.load_text(text, path)]
    out = []
    for d in docs:
        if isinstance(d, dict) and d.get("kind") == "List" and isinstance(d.get("items"), list):
            out.extend(d["items"])
        elif d is not None:
            out.append(d)
    return out


def _looks_like_schema(doc) -> bool:
    return isinstance(doc, dict) and ("properties" in doc or doc.get("type") == "object")


def catalog_crd(group: str, kind_lower: str, version: str, schema: dict) -> dict:
    """A CRD standing for a CRDs-catalog JSON schema. The catalog's file names are lowercase,
    so the kind is matched case-insensitively (the schema's `kind` enum, if any, wins). The
    schema serves as the version's openAPIV3Schema: fields it does not list are pruned, i.e.
    reported as unknown like a CRD's."""
    kind = kind_lower
    enum = (((schema.get("properties") or {}).get("kind") or {}).get("enum")) or []
    if enum and isinstance(enum[0], str):
        kind = enum[0]
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{kind_lower}s.{group}", "annotations": {"kctl.io/catalog-kind": kind_lower}},
        "spec": {
            "group": group,
            "names": {"kind": kind, "plural": kind_lower + "s", "singular": kind_lower, "listKind": kind + "List"},
            "scope": "Namespaced",
            "versions": [{"name": version, "served": True, "storage": True,
                          "schema": {"openAPIV3Schema": schema}}],
        },
    }
