"""Defaulting for workloads and the smaller API groups (apps/v1, batch/v1, autoscaling/v2,
networking/v1, rbac/v1, storage/v1, scheduling/v1, discovery/v1), as each group's
pkg/apis/<group>/<version>/defaults.go plus the generated nested calls (pod templates get
the core pod spec defaults; StatefulSet claim templates get the PVC defaults).
"""

from __future__ import annotations

from kctl.api.defaults.core import default_pod_template, default_pvc


def _spec(obj: dict) -> dict:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


def _sub(d: dict, key: str) -> dict:
    v = d.get(key)
    if not isinstance(v, dict):
        v = d[key] = {}
    return v


# --------------------------------------------------------------------------- apps/v1


def default_deployment(obj: dict) -> None:
    """SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10,
    progressDeadlineSeconds 600."""
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = _sub(spec, "strategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = _sub(strategy, "rollingUpdate")
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = "25%"
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(_sub(spec, "template"))  # a struct in Go: defaulted when absent


def default_replica_set(obj: dict) -> None:
    """SetDefaults_ReplicaSet: replicas 1."""
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(_sub(spec, "template"))  # a struct in Go: defaulted when absent


def default_daemon_set(obj: dict) -> None:
    """SetDefaults_DaemonSet: RollingUpdate maxUnavailable 1 / maxSurge 0, revisionHistoryLimit 10."""
    spec = _spec(obj)
    us = _sub(spec, "updateStrategy")
    if not us.get("type"):
        us["type"] = "RollingUpdate"
    if us["type"] == "RollingUpdate":
        ru = _sub(us, "rollingUpdate")
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(_sub(spec, "template"))  # a struct in Go: defaulted when absent


def default_stateful_set(obj: dict) -> None:
    """SetDefaults_StatefulSet: podManagementPolicy OrderedReady, RollingUpdate partition 0,
    PVC retention Retain/Retain (StatefulSetAutoDeletePVC is GA), replicas 1,
    revisionHistoryLimit 10; claim templates get PVC defaults (volumeMode, phase Pending).
    """
    spec = _spec(obj)
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    us = _sub(spec, "updateStrategy")
    if not us.get("type"):
        us["type"] = "RollingUpdate"
        if us.get("rollingUpdate") is None:
            us["rollingUpdate"] = {}
    # partition is defaulted only when rollingUpdate is present (upstream checks != nil)
    if us["type"] == "RollingUpdate" and isinstance(us.get("rollingUpdate"), dict):
        if us["rollingUpdate"].get("partition") is None:
            us["rollingUpdate"]["partition"] = 0
    policy = _sub(spec, "persistentVolumeClaimRetentionPolicy")
    if not policy.get("whenDeleted"):
        policy["whenDeleted"] = "Retain"
    if not policy.get("whenScaled"):
        policy["whenScaled"] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(_sub(spec, "template"))  # a struct in Go: defaulted when absent
    for pvc in spec.get("volumeClaimTemplates") or []:
        if isinstance(pvc, dict):
            default_pvc(pvc)


def default_controller_revision(obj: dict) -> None:  # nothing upstream
    return None


# --------------------------------------------------------------------------- batch/v1


def _default_job_spec_fields(spec: dict) -> None:
    # Both unset → both 1; parallelism alone unset → 1 (completions stays nil: work queue).
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        # backoffLimitPerIndex given → effectively unlimited global limit (MaxInt32)
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    if not spec.get("completionMode"):
        spec["completionMode"] = "NonIndexed"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    pfp = spec.get("podFailurePolicy")
    if isinstance(pfp, dict):
        for rule in pfp.get("rules") or []:
            for pattern in (rule or {}).get("onPodConditions") or []:
                if isinstance(pattern, dict) and not pattern.get("status"):
                    pattern["status"] = "True"
    if not spec.get("podReplacementPolicy"):
        spec["podReplacementPolicy"] = "Failed" if isinstance(pfp, dict) else "TerminatingOrFailed"


def default_job(obj: dict) -> None:
    """SetDefaults_Job: completions/parallelism 1, backoffLimit 6, completionMode NonIndexed,
    suspend false, podReplacementPolicy, pod-failure-policy condition status True, and the
    Job's labels from its template when the Job has none. The selector / controller-uid labels
    are generated by the registry on create (needs the uid): that is the engine's job.
    """
    spec = _spec(obj)
    _default_job_spec_fields(spec)
    template = spec.get("template")
    tlabels = ((template or {}).get("metadata") or {}).get("labels") if isinstance(template, dict) else None
    if tlabels:
        meta = _sub(obj, "metadata")
        if not meta.get("labels"):
            meta["labels"] = dict(tlabels)
    default_pod_template(template)


def default_cron_job(obj: dict) -> None:
    """SetDefaults_CronJob: concurrencyPolicy Allow, suspend false, history limits 3 and 1.

    The jobTemplate's spec is a JobSpec but not a Job: only its pod template is defaulted.
    """
    spec = _spec(obj)
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    jt = spec.get("jobTemplate")
    if isinstance(jt, dict) and isinstance(jt.get("spec"), dict):
        default_pod_template(jt["spec"].get("template"))


# --------------------------------------------------------------------------- other groups


def default_hpa(obj: dict) -> None:
    """autoscaling/v2 SetDefaults_HorizontalPodAutoscaler: minReplicas 1, metrics default to
    80% average CPU utilization, and behavior's policy defaults when behavior is given."""
    spec = _spec(obj)
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [
            {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
        ]
    beh = spec.get("behavior")
    if isinstance(beh, dict):
        up = _sub(beh, "scaleUp")
        up.setdefault("stabilizationWindowSeconds", 0)
        up.setdefault("selectPolicy", "Max")
        if not up.get("policies"):
            up["policies"] = [
                {"type": "Pods", "value": 4, "periodSeconds": 15},
                {"type": "Percent", "value": 100, "periodSeconds": 15},
            ]
        down = _sub(beh, "scaleDown")
        down.setdefault("selectPolicy", "Max")
        if not down.get("policies"):
            down["policies"] = [{"type": "Percent", "value": 100, "periodSeconds": 15}]


def default_network_policy(obj: dict) -> None:
    """networking/v1: ports protocol TCP; policyTypes [Ingress] (+Egress when egress rules)."""
    spec = _spec(obj)
    for direction, peers in (("ingress", "ports"), ("egress", "ports")):
        for rule in spec.get(direction) or []:
            for p in (rule or {}).get(peers) or []:
                if isinstance(p, dict) and not p.get("protocol"):
                    p["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        types = ["Ingress"]
        if spec.get("egress"):
            types.append("Egress")
        spec["policyTypes"] = types


def _default_subjects(obj: dict) -> None:
    """rbac/v1 SetDefaults_Subject: apiGroup "" for ServiceAccount, rbac group for User/Group."""
    for s in obj.get("subjects") or []:
        if not isinstance(s, dict) or s.get("apiGroup"):
            continue
        if s.get("kind") == "ServiceAccount":
            s["apiGroup"] = ""
        elif s.get("kind") in ("User", "Group"):
            s["apiGroup"] = "rbac.authorization.k8s.io"


def default_storage_class(obj: dict) -> None:
    """storage/v1: reclaimPolicy Delete, volumeBindingMode Immediate."""
    if not obj.get("reclaimPolicy"):
        obj["reclaimPolicy"] = "Delete"
    if not obj.get("volumeBindingMode"):
        obj["volumeBindingMode"] = "Immediate"


def default_priority_class(obj: dict) -> None:
    """scheduling/v1: preemptionPolicy PreemptLowerPriority."""
    if not obj.get("preemptionPolicy"):
        obj["preemptionPolicy"] = "PreemptLowerPriority"


def default_endpoint_slice(obj: dict) -> None:
    """discovery/v1 SetDefaults_EndpointPort: name "" and protocol TCP."""
    for p in obj.get("ports") or []:
        if isinstance(p, dict):
            if p.get("name") is None:
                p["name"] = ""
            if not p.get("protocol"):
                p["protocol"] = "TCP"


GROUP_DEFAULTERS = {
    ("apps", "Deployment"): default_deployment,
    ("apps", "ReplicaSet"): default_replica_set,
    ("apps", "DaemonSet"): default_daemon_set,
    ("apps", "StatefulSet"): default_stateful_set,
    ("batch", "Job"): default_job,
    ("batch", "CronJob"): default_cron_job,
    ("autoscaling", "HorizontalPodAutoscaler"): default_hpa,
    ("networking.k8s.io", "NetworkPolicy"): default_network_policy,
    ("rbac.authorization.k8s.io", "RoleBinding"): _default_subjects,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _default_subjects,
    ("storage.k8s.io", "StorageClass"): default_storage_class,
    ("scheduling.k8s.io", "PriorityClass"): default_priority_class,
    ("discovery.k8s.io", "EndpointSlice"): default_endpoint_slice,
}


def generate_job_selector(obj: dict, uid: str) -> None:
    """The Job registry's PrepareForCreate step (not defaulting; needs the new uid): unless
    spec.manualSelector is true, label the pod template with job-name/controller-uid (legacy
    and batch.kubernetes.io/ forms, keeping labels the user set) and select
    `batch.kubernetes.io/controller-uid: <uid>`. Call after apply_defaults, before validation.
    """
    spec = _spec(obj)
    if spec.get("manualSelector") is True:
        return
    name = (obj.get("metadata") or {}).get("name", "")
    template = _sub(spec, "template")
    meta = _sub(template, "metadata")
    labels = meta.get("labels")
    if not isinstance(labels, dict):
        labels = meta["labels"] = {}
    for key in ("job-name", "batch.kubernetes.io/job-name"):
        labels.setdefault(key, name)
    for key in ("controller-uid", "batch.kubernetes.io/controller-uid"):
        labels.setdefault(key, uid)
    sel = _sub(spec, "selector")
    ml = sel.get("matchLabels")
    if not isinstance(ml, dict):
        ml = sel["matchLabels"] = {}
    ml.setdefault("batch.kubernetes.io/controller-uid", uid)
