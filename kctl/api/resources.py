"""Kubernetes 1.37 built-in resource types, as `kubectl api-resources` lists them (data only;
name resolution is in kinds.py).

Kinds and served versions come from the 1.37 schema definitions (schemas/v1.37; List kinds and
subresource-only kinds such as Scale, policy/v1 Eviction, TokenRequest and Status left out);
plural, short names, scope and verbs are kubectl api-resources'. Alpha and beta versions are
listed as served, as on a cluster with those API groups enabled. The first version of each
entry is the preferred one.
"""

from kctl.api.kinds import Kind

_FULL = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
_NO_COLLECTION = ("create", "delete", "get", "list", "patch", "update", "watch")
_CREATE = ("create",)
_ALL = ("all",)

# apply order: lower applies first (and deletes last)
_RANK = {
    "Namespace": 0,
    "CustomResourceDefinition": 1,
    "PriorityClass": 10,
    "StorageClass": 11,
    "VolumeAttributesClass": 11,
    "RuntimeClass": 12,
    "PersistentVolume": 13,
    "Node": 14,
    "NodeInventory": 14,
    "ServiceAccount": 20,
    "ClusterRole": 21,
    "Role": 21,
    "ClusterRoleBinding": 22,
    "RoleBinding": 22,
    "ConfigMap": 25,
    "Secret": 25,
    "LimitRange": 26,
    "ResourceQuota": 26,
    "PersistentVolumeClaim": 30,
    "Service": 40,
    "Deployment": 50,
    "ReplicaSet": 50,
    "StatefulSet": 50,
    "DaemonSet": 50,
    "ReplicationController": 50,
    "Job": 50,
    "CronJob": 50,
    "HorizontalPodAutoscaler": 50,
    "PodDisruptionBudget": 50,
    "Pod": 60,
}
_DEFAULT_RANK = 45


def _k(group, kind, plural, short=(), namespaced=True, versions=("v1",), categories=(), verbs=_FULL):
    return Kind(
        group,
        versions[0],
        kind,
        plural,
        kind.lower(),
        tuple(short),
        namespaced,
        tuple(versions),
        categories,
        _RANK.get(kind, _DEFAULT_RANK),
        verbs,
    )


_ADM = "admissionregistration.k8s.io"
_AUTHN = "authentication.k8s.io"
_AUTHZ = "authorization.k8s.io"
_CERT = "certificates.k8s.io"
_COORD = "coordination.k8s.io"
_FLOW = "flowcontrol.apiserver.k8s.io"
_NET = "networking.k8s.io"
_RBAC = "rbac.authorization.k8s.io"
_RES = "resource.k8s.io"
_SCHED = "scheduling.k8s.io"
_STOR = "storage.k8s.io"

KINDS: list[Kind] = [
    # core (v1)
    _k("", "Binding", "bindings", verbs=_CREATE),
    _k("", "ComponentStatus", "componentstatuses", ("cs",), False, verbs=("get", "list")),
    _k("", "ConfigMap", "configmaps", ("cm",)),
    _k("", "Endpoints", "endpoints", ("ep",)),
    _k("", "Event", "events", ("ev",)),
    _k("", "LimitRange", "limitranges", ("limits",)),
    _k("", "Namespace", "namespaces", ("ns",), False, verbs=_NO_COLLECTION),
    _k("", "Node", "nodes", ("no",), False),
    _k("", "PersistentVolumeClaim", "persistentvolumeclaims", ("pvc",)),
    _k("", "PersistentVolume", "persistentvolumes", ("pv",), False),
    _k("", "Pod", "pods", ("po",), categories=_ALL),
    _k("", "PodTemplate", "podtemplates"),
    _k("", "ReplicationController", "replicationcontrollers", ("rc",), categories=_ALL),
    _k("", "ResourceQuota", "resourcequotas", ("quota",)),
    _k("", "Secret", "secrets"),
    _k("", "ServiceAccount", "serviceaccounts", ("sa",)),
    _k("", "Service", "services", ("svc",), categories=_ALL),
    # admissionregistration.k8s.io
    _k(_ADM, "MutatingAdmissionPolicy", "mutatingadmissionpolicies", (), False, ("v1", "v1beta1", "v1alpha1")),
    _k(_ADM, "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", (), False, ("v1", "v1beta1", "v1alpha1")),
    _k(_ADM, "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", (), False),
    _k(_ADM, "ValidatingAdmissionPolicy", "validatingadmissionpolicies", (), False),
    _k(_ADM, "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", (), False),
    _k(_ADM, "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", (), False),
    # apiextensions.k8s.io, apiregistration.k8s.io
    _k("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", ("crd", "crds"), False),
    _k("apiregistration.k8s.io", "APIService", "apiservices", (), False),
    # apps
    _k("apps", "ControllerRevision", "controllerrevisions"),
    _k("apps", "DaemonSet", "daemonsets", ("ds",), categories=_ALL),
    _k("apps", "Deployment", "deployments", ("deploy",), categories=_ALL),
    _k("apps", "ReplicaSet", "replicasets", ("rs",), categories=_ALL),
    _k("apps", "StatefulSet", "statefulsets", ("sts",), categories=_ALL),
    # authentication.k8s.io, authorization.k8s.io (create-only reviews)
    _k(_AUTHN, "SelfSubjectReview", "selfsubjectreviews", (), False, verbs=_CREATE),
    _k(_AUTHN, "TokenReview", "tokenreviews", (), False, verbs=_CREATE),
    _k(_AUTHZ, "LocalSubjectAccessReview", "localsubjectaccessreviews", verbs=_CREATE),
    _k(_AUTHZ, "SelfSubjectAccessReview", "selfsubjectaccessreviews", (), False, verbs=_CREATE),
    _k(_AUTHZ, "SelfSubjectRulesReview", "selfsubjectrulesreviews", (), False, verbs=_CREATE),
    _k(_AUTHZ, "SubjectAccessReview", "subjectaccessreviews", (), False, verbs=_CREATE),
    # autoscaling, batch
    _k("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", ("hpa",), True, ("v2", "v1"), _ALL),
    _k("batch", "CronJob", "cronjobs", ("cj",), categories=_ALL),
    _k("batch", "Job", "jobs", categories=_ALL),
    # certificates.k8s.io
    _k(_CERT, "CertificateSigningRequest", "certificatesigningrequests", ("csr",), False),
    _k(_CERT, "ClusterTrustBundle", "clustertrustbundles", (), False, ("v1", "v1beta1")),
    _k(_CERT, "PodCertificateRequest", "podcertificaterequests", (), True, ("v1", "v1beta1")),
    # coordination.k8s.io
    _k(_COORD, "Lease", "leases"),
    _k(_COORD, "LeaseCandidate", "leasecandidates", (), True, ("v1beta1", "v1alpha2")),
    # discovery.k8s.io, events.k8s.io
    _k("discovery.k8s.io", "EndpointSlice", "endpointslices"),
    _k("events.k8s.io", "Event", "events", ("ev",)),
    # flowcontrol.apiserver.k8s.io, internal.apiserver.k8s.io
    _k(_FLOW, "FlowSchema", "flowschemas", (), False),
    _k(_FLOW, "PriorityLevelConfiguration", "prioritylevelconfigurations", (), False),
    _k("internal.apiserver.k8s.io", "StorageVersion", "storageversions", (), False, ("v1alpha1",)),
    # lifecycle.k8s.io
    _k("lifecycle.k8s.io", "Eviction", "evictions", (), True, ("v1alpha1",)),
    _k("lifecycle.k8s.io", "EvictionRequest", "evictionrequests", (), True, ("v1alpha1",)),
    # networking.k8s.io, node.k8s.io, policy
    _k(_NET, "IngressClass", "ingressclasses", (), False),
    _k(_NET, "Ingress", "ingresses", ("ing",)),
    _k(_NET, "IPAddress", "ipaddresses", ("ip",), False),
    _k(_NET, "NetworkPolicy", "networkpolicies", ("netpol",)),
    _k(_NET, "ServiceCIDR", "servicecidrs", (), False),
    _k("node.k8s.io", "RuntimeClass", "runtimeclasses", (), False),
    _k("policy", "PodDisruptionBudget", "poddisruptionbudgets", ("pdb",)),
    # rbac.authorization.k8s.io
    _k(_RBAC, "ClusterRoleBinding", "clusterrolebindings", (), False),
    _k(_RBAC, "ClusterRole", "clusterroles", (), False),
    _k(_RBAC, "RoleBinding", "rolebindings"),
    _k(_RBAC, "Role", "roles"),
    # resource.k8s.io (dynamic resource allocation)
    _k(_RES, "DeviceClass", "deviceclasses", (), False, ("v1", "v1beta2", "v1beta1")),
    _k(_RES, "DeviceTaintRule", "devicetaintrules", (), False, ("v1", "v1beta2", "v1alpha3")),
    _k(_RES, "ResourceClaim", "resourceclaims", (), True, ("v1", "v1beta2", "v1beta1")),
    _k(_RES, "ResourceClaimTemplate", "resourceclaimtemplates", (), True, ("v1", "v1beta2", "v1beta1")),
    _k(_RES, "ResourcePoolStatusRequest", "resourcepoolstatusrequests", (), False, ("v1alpha3",)),
    _k(_RES, "ResourceSlice", "resourceslices", (), False, ("v1", "v1beta2", "v1beta1")),
    # scheduling.k8s.io
    _k(_SCHED, "CompositePodGroup", "compositepodgroups", (), True, ("v1alpha3",)),
    _k(_SCHED, "PodGroup", "podgroups", (), True, ("v1beta1", "v1alpha3")),
    _k(_SCHED, "PriorityClass", "priorityclasses", ("pc",), False),
    _k(_SCHED, "Workload", "workloads", (), True, ("v1beta1", "v1alpha3")),
    # storage.k8s.io, storagemigration.k8s.io
    _k(_STOR, "CSIDriver", "csidrivers", (), False),
    _k(_STOR, "CSINode", "csinodes", (), False),
    _k(_STOR, "CSIStorageCapacity", "csistoragecapacities"),
    _k(_STOR, "StorageClass", "storageclasses", ("sc",), False),
    _k(_STOR, "VolumeAttachment", "volumeattachments", (), False),
    _k(_STOR, "VolumeAttributesClass", "volumeattributesclasses", ("vac",), False),
    _k("storagemigration.k8s.io", "StorageVersionMigration", "storageversionmigrations", (), False, ("v1", "v1beta1")),
    # kctl's own: a compact node inventory (no schema file; kctl.manifests validates it)
    _k("kctl.io", "NodeInventory", "nodeinventories", (), False, ("v1alpha1",)),
]
