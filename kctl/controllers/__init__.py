"""The control plane run in-process: controllers, scheduler and kubelet as reconcilers.

Each entry of CONTROLLERS names a class by "module:attribute". The runner instantiates them in
this order every pass; an entry whose module does not exist yet is skipped (pieces land one by
one), an entry whose module fails to import is an error.
"""

from __future__ import annotations

CONTROLLERS: list[tuple[str, str]] = [
    ("namespace", "kctl.controllers.namespace:NamespaceController"),
    ("serviceaccount", "kctl.controllers.serviceaccount:ServiceAccountController"),
    ("deployment", "kctl.controllers.deployment:DeploymentController"),
    ("replicaset", "kctl.controllers.replicaset:ReplicaSetController"),
    ("statefulset", "kctl.controllers.statefulset:StatefulSetController"),
    ("daemonset", "kctl.controllers.daemonset:DaemonSetController"),
    ("job", "kctl.controllers.job:JobController"),
    ("cronjob", "kctl.controllers.cronjob:CronJobController"),
    ("endpoints", "kctl.controllers.endpoints:EndpointsController"),
    ("endpointslice", "kctl.controllers.endpoints:EndpointSliceController"),
    ("persistentvolume", "kctl.controllers.volumes:PersistentVolumeController"),
    ("disruption", "kctl.controllers.disruption:DisruptionController"),
    ("crdfinalizer", "kctl.controllers.crd:CRDFinalizer"),
    ("garbagecollector", "kctl.controllers.gc:GarbageCollector"),
    ("nodelifecycle", "kctl.controllers.node_lifecycle:NodeLifecycleController"),
    ("scheduler", "kctl.scheduler.schedule_one:Scheduler"),
    ("kubelet", "kctl.controllers.kubelet:Kubelet"),
]


def load_controllers(names: list[str] | None = None) -> list:
    """Instances of the controllers whose modules exist, in CONTROLLERS order."""
    import importlib
    import importlib.util

    out = []
    for name, target in CONTROLLERS:
        if names is not None and name not in names:
            continue
        module, _, attr = target.partition(":")
        if importlib.util.find_spec(module) is None:
            continue
        out.append(getattr(importlib.import_module(module), attr)())
    return out
