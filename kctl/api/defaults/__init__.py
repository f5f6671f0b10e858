"""API-server defaulting: what `kubectl get -o yaml` shows that the manifest did not say.

`apply_defaults(kind, obj)` mutates `obj` in place. Admission-plugin mutations (service
account, priority, default storage class), registry-generated fields (uid, clusterIP, Job
selector) and status written by controllers are not defaults and are left to the engine.
"""

from __future__ import annotations

from kctl.api.defaults.apps import GROUP_DEFAULTERS, generate_job_selector
from kctl.api.defaults.core import CORE_DEFAULTERS, normalize_cluster_ips, normalize_secret, prepare_service_update

# Registry steps that are not defaulting but that the engine runs around it:
#   generate_job_selector(job, uid)      Job create: selector + template labels from the uid
#   normalize_cluster_ips(svc[, old])    Service create/update: clusterIP <-> clusterIPs
#   prepare_service_update(new, old)     Service update: keep allocated values, drop stale ones
__all__ = ["apply_defaults", "normalize_secret", "generate_job_selector", "normalize_cluster_ips",
           "prepare_service_update"]


def apply_defaults(kind, obj: dict) -> None:
    """Fill in the API server's defaults for `kind` (a kctl.api.kinds.Kind) in place.

    Kinds with no upstream defaulting are left untouched. Applying twice is harmless.
    """
    if not isinstance(obj, dict):
        return
    group = getattr(kind, "group", "")
    name = getattr(kind, "kind", "")
    if hasattr(kind, "serves"):
        # decoding a Quantity and encoding it again gives its canonical form (`0.5` -> "500m")
        from kctl.api.schema import canonicalize_quantities

        canonicalize_quantities(obj, kind)
    fn = CORE_DEFAULTERS.get(name) if group == "" else GROUP_DEFAULTERS.get((group, name))
    if fn is not None:
        fn(obj)
