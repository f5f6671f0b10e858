"""The resource types kctl knows: Kubernetes 1.37's built-in kinds plus kctl's own.

The table itself lives in `kctl.api.resources` (data only); this module resolves names.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from functools import lru_cache


@dataclass(frozen=True)
class Kind:
    group: str  # "" for the core group
    version: str  # preferred version, e.g. "v1"
    kind: str  # "Deployment"
    plural: str  # "deployments"
    singular: str  # "deployment"
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    versions: tuple[str, ...] = ()  # every version served in 1.37 (preferred first)
    categories: tuple[str, ...] = ()  # ("all",) for what `kctl get all` shows
    apply_rank: int = 100  # lower applies first (Namespace first); delete reverses
    verbs: tuple[str, ...] = ("create", "delete", "get", "list", "patch", "update", "watch")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def resource(self) -> str:
        """Plural qualified by group: `deployments.apps`, `pods`. Store key and error texts."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def group_kind(self) -> str:
        """`Deployment.apps`, `Pod`."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def serves(self, version: str) -> bool:
        return version in (self.versions or (self.version,))


def split_api_version(api_version: str) -> tuple[str, str]:
    """`apps/v1` -> ("apps", "v1"); `v1` -> ("", "v1")."""
    if "/" in api_version:
        group, _, version = api_version.partition("/")
        return group, version
    return "", api_version


@lru_cache(maxsize=1)
def _tables():
    from kctl.api.resources import KINDS

    by_gk: dict[tuple[str, str], Kind] = {}
    by_name: dict[str, list[Kind]] = {}
    for k in KINDS:
        by_gk[(k.group, k.kind)] = k
        names = {k.plural, k.singular, k.kind.lower(), *k.short_names}
        for n in names:
            by_name.setdefault(n, []).append(k)
    return by_gk, by_name


def crd_registry():
    """The CRD overlay (kctl.api.crd.registry) if anything imported it, else None: built-in
    only commands never import it, and the static table stays the fast path."""
    return sys.modules.get("kctl.api.crd.registry")


def is_builtin(group: str, kind: str) -> bool:
    """In the static table of built-in kinds (not served through a CRD)."""
    return (group, kind) in _tables()[0]


def all_kinds() -> list[Kind]:
    from kctl.api.resources import KINDS

    reg = crd_registry()
    return list(KINDS) + (reg.registered() if reg is not None else [])


def for_object(api_version: str, kind: str) -> Kind | None:
    """The Kind serving `apiVersion`/`kind`, or None (kubectl: `no matches for kind ...`)."""
    group, version = split_api_version(api_version or "")
    k = by_group_kind(group, kind)
    if k is None or not k.serves(version):
        return None
    return k


def for_object_in(api_version: str, kind: str, k8s: str) -> Kind | None:
    """for_object under Kubernetes `k8s` (`kctl validate --kubernetes-version`): that minor's
    schema files also serve the versions of built-in kinds 1.37 dropped (storage.k8s.io/v1beta1
    VolumeAttributesClass in 1.36). 1.37 keeps the static table alone."""
    k = for_object(api_version, kind)
    if k is not None or k8s == _DEFAULT_K8S:
        return k
    return _older_version(*split_api_version(api_version or ""), kind, k8s)


_DEFAULT_K8S = "1.37"  # kctl.api.schema.DEFAULT_K8S, without importing it on the fast path


@lru_cache(maxsize=256)
def _older_version(group: str, version: str, kind: str, k8s: str) -> Kind | None:
    """1.37's entry for group/kind (plural, scope, verbs), also serving `version` when `k8s`
    has its schema file. Every non-List kind of the 1.35 and 1.36 folders is still a 1.37
    kind (tests/validate/test_validate_k8s_versions.py checks), so no table of removed kinds."""
    from kctl.api import schema

    base = _tables()[0].get((group, kind))
    if base is None or schema.schema_path(group, version, kind, k8s) is None:
        return None
    return replace(base, versions=(*base.versions, version))


def by_group_kind(group: str, kind: str) -> Kind | None:
    k = _tables()[0].get((group, kind))
    if k is None and (reg := crd_registry()) is not None:
        k = reg.lookup(group, kind)
    return k


def resolve(name: str) -> Kind | None:
    """Resolve what a user types after `get`: `po`, `pods`, `pod`, `Pod`, `deployments.apps`,
    `deploy.apps`, `deployments.v1.apps`. Ambiguous names prefer the core group, then apps,
    as kubectl's RESTMapper priority does."""
    if not name:
        return None
    by_gk, by_name = _tables()
    reg = crd_registry()
    low = name.lower()
    if low in by_name or (reg is not None and reg.by_name(low)):
        return _prefer(by_name.get(low, []) + (reg.by_name(low) if reg is not None else []))
    # qualified: resource.group or resource.version.group
    if "." in low:
        head, _, group = low.partition(".")
        for cand in by_name.get(head, []) + (reg.by_name(head) if reg is not None else []):
            if cand.group == group:
                return cand
            ver, _, g2 = group.partition(".")
            if cand.group == g2 and cand.serves(ver):
                # a custom resource answers in the version asked for (kctl.api.crd.admit.with_version)
                return cand if is_builtin(cand.group, cand.kind) else replace(cand, version=ver)
    return None


_GROUP_PRIORITY = ["", "apps", "autoscaling", "batch"]


def _prefer(cands: list[Kind]) -> Kind:
    # built-in groups before CRDs' (the aggregator's group priorities), then by group name
    def rank(k: Kind):
        crd = not is_builtin(k.group, k.kind)
        return (_GROUP_PRIORITY.index(k.group) if k.group in _GROUP_PRIORITY else len(_GROUP_PRIORITY),
                crd, k.group)

    return sorted(cands, key=rank)[0]
