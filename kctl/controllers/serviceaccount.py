"""ServiceAccountController plus the root-CA publisher: every active namespace holds a
`default` ServiceAccount (pkg/controller/serviceaccount) and a `kube-root-ca.crt` ConfigMap
(pkg/controller/certificates/rootcacertpublisher).

Both are re-created when deleted, and the ConfigMap's data/annotation are put back when
edited, as upstream's controllers do. Nothing is created in a Terminating namespace.
"""

from __future__ import annotations

import base64
import hashlib
import textwrap
from typing import Iterable

from kctl.controllers.context import Context

DEFAULT_SA = "default"
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)


def root_ca_pem(seed: str = "kctl") -> str:
    """A PEM-shaped CA bundle. kctl has no real PKI: the body is deterministic filler (not a
    parseable certificate), stable for a store's seed."""
    raw = b""
    block = hashlib.sha256(f"{seed}:kube-root-ca".encode()).digest()
    while len(raw) < 768:
        raw += block
        block = hashlib.sha256(block).digest()
    body = "\n".join(textwrap.wrap(base64.b64encode(raw[:768]).decode(), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"


def namespace_active(ns: dict | None) -> bool:
    if ns is None:
        return False
    if (ns.get("metadata") or {}).get("deletionTimestamp"):
        return False
    return (ns.get("status") or {}).get("phase") != "Terminating"


def desired_root_ca(namespace: str, seed: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": ROOT_CA_CONFIGMAP,
            "namespace": namespace,
            "annotations": {"kubernetes.io/description": ROOT_CA_DESCRIPTION},
        },
        "data": {"ca.crt": root_ca_pem(seed)},
    }


def ensure_namespace(ctx: Context, namespace: str) -> None:
    """Create/repair the `default` ServiceAccount and the root CA ConfigMap of an active
    namespace (idempotent: writes only what is missing or changed)."""
    if not namespace_active(ctx.get("namespaces", "", namespace)):
        return
    if ctx.get("serviceaccounts", namespace, DEFAULT_SA) is None:
        ctx.create("serviceaccounts", {
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": DEFAULT_SA, "namespace": namespace},
        })
    seed = ctx.store.get_meta("seed") or "kctl"
    want = desired_root_ca(namespace, seed)
    live = ctx.get("configmaps", namespace, ROOT_CA_CONFIGMAP)
    if live is None:
        ctx.create("configmaps", want)
        return
    # the publisher resets data and its annotation; other metadata edits are kept
    ann = dict((live.get("metadata") or {}).get("annotations") or {})
    if live.get("data") != want["data"] or ann.get("kubernetes.io/description") != ROOT_CA_DESCRIPTION \
            or live.get("binaryData"):
        new = dict(live)
        new["metadata"] = dict(live["metadata"])
        ann["kubernetes.io/description"] = ROOT_CA_DESCRIPTION
        new["metadata"]["annotations"] = ann
        new["data"] = want["data"]
        new.pop("binaryData", None)
        ctx.update("configmaps", new)


class ServiceAccountController:
    """Keys are ("namespaces", "", <namespace>)."""

    name = "serviceaccount"
    resources = ("namespaces", "serviceaccounts", "configmaps")

    def keys_for(self, ctx: Context, change) -> Iterable[tuple]:
        if change.resource == "namespaces":
            return [("namespaces", "", change.name)]
        if change.resource == "serviceaccounts" and change.name == DEFAULT_SA and change.op == "DELETED":
            return [("namespaces", "", change.namespace)]
        if change.resource == "configmaps" and change.name == ROOT_CA_CONFIGMAP and change.op != "ADDED":
            return [("namespaces", "", change.namespace)]
        return []

    def reconcile(self, ctx: Context, key: tuple) -> None:
        ensure_namespace(ctx, key[2])
