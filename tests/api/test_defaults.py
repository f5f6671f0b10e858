"""API-server defaulting (kctl.api.defaults): exact results for realistic fixtures."""

from __future__ import annotations

import base64
import copy

import pytest

from kctl.api.defaults import apply_defaults, normalize_secret
from kctl.api.defaults.core import image_pull_policy
from kctl.api.kinds import Kind


def K(group: str, kind: str, namespaced: bool = True) -> Kind:
    return Kind(group, "v1", kind, kind.lower() + "s", kind.lower(), (), namespaced)


DEPLOYMENT, REPLICASET, STATEFULSET, DAEMONSET = (K("apps", k) for k in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"))
JOB, CRONJOB = K("batch", "Job"), K("batch", "CronJob")
POD, SERVICE, SECRET, PVC = K("", "Pod"), K("", "Service"), K("", "Secret"), K("", "PersistentVolumeClaim")
NAMESPACE, NODE = K("", "Namespace", False), K("", "Node", False)
CONFIGMAP = K("", "ConfigMap")

# What `kubectl get deploy nginx -o yaml` shows (spec) on a 1.37 cluster after
# `kubectl create deployment nginx --image=nginx`.
TEMPLATE_SPEC_DEFAULTED = {
    "containers": [
        {
            "image": "nginx",
            "imagePullPolicy": "Always",
            "name": "nginx",
            "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
        }
    ],
    "dnsPolicy": "ClusterFirst",
    "restartPolicy": "Always",
    "schedulerName": "default-scheduler",
    "securityContext": {},
    "terminationGracePeriodSeconds": 30,
}


def kubectl_create_deployment() -> dict:
    # `kubectl create deployment nginx --image=nginx --dry-run=client -o yaml`
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"labels": {"app": "nginx"}, "name": "nginx"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "nginx"}},
            "strategy": {},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}]},
            },
        },
        "status": {},
    }


def test_deployment_matches_kubectl_get_yaml():
    obj = kubectl_create_deployment()
    apply_defaults(DEPLOYMENT, obj)
    assert obj["spec"] == {
        "progressDeadlineSeconds": 600,
        "replicas": 1,
        "revisionHistoryLimit": 10,
        "selector": {"matchLabels": {"app": "nginx"}},
        "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
        "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": TEMPLATE_SPEC_DEFAULTED},
    }


def test_defaults_are_idempotent():
    obj = kubectl_create_deployment()
    apply_defaults(DEPLOYMENT, obj)
    again = copy.deepcopy(obj)
    apply_defaults(DEPLOYMENT, again)
    assert again == obj


def test_deployment_recreate_gets_no_rolling_update():
    obj = kubectl_create_deployment()
    obj["spec"]["strategy"] = {"type": "Recreate"}
    apply_defaults(DEPLOYMENT, obj)
    assert obj["spec"]["strategy"] == {"type": "Recreate"}


def test_deployment_keeps_given_values():
    obj = kubectl_create_deployment()
    obj["spec"].update(replicas=0, revisionHistoryLimit=0, strategy={"rollingUpdate": {"maxSurge": 1}})
    apply_defaults(DEPLOYMENT, obj)
    assert obj["spec"]["replicas"] == 0
    assert obj["spec"]["revisionHistoryLimit"] == 0
    assert obj["spec"]["strategy"] == {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}, "type": "RollingUpdate"}


def test_pod_template_does_not_get_pod_only_defaults():
    obj = kubectl_create_deployment()
    obj["spec"]["template"]["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "1"}}
    apply_defaults(DEPLOYMENT, obj)
    tspec = obj["spec"]["template"]["spec"]
    assert "enableServiceLinks" not in tspec
    assert tspec["containers"][0]["resources"] == {"limits": {"cpu": "1"}}


def test_replica_set():
    obj = {"metadata": {"name": "rs"}, "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox:1.36"}]}}}}
    apply_defaults(REPLICASET, obj)
    assert obj["spec"]["replicas"] == 1
    assert obj["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_stateful_set():
    obj = {
        "metadata": {"name": "db"},
        "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "pg", "image": "postgres:17"}]}},
            "volumeClaimTemplates": [
                {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
            ],
        },
    }
    apply_defaults(STATEFULSET, obj)
    spec = obj["spec"]
    assert {k: v for k, v in spec.items() if k not in ("template", "selector", "volumeClaimTemplates")} == {
        "serviceName": "db",
        "podManagementPolicy": "OrderedReady",
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
        "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
        "replicas": 1,
        "revisionHistoryLimit": 10,
    }
    assert spec["volumeClaimTemplates"][0] == {
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"},
        "status": {"phase": "Pending"},
    }


def test_stateful_set_on_delete_gets_no_partition():
    obj = {"spec": {"updateStrategy": {"type": "OnDelete"}}}
    apply_defaults(STATEFULSET, obj)
    assert obj["spec"]["updateStrategy"] == {"type": "OnDelete"}


def test_daemon_set():
    obj = {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "fluentd"}]}}}}
    apply_defaults(DAEMONSET, obj)
    assert obj["spec"]["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert obj["spec"]["revisionHistoryLimit"] == 10


def test_job():
    obj = {
        "metadata": {"name": "pi"},
        "spec": {"template": {"metadata": {"labels": {"app": "pi"}},
                              "spec": {"restartPolicy": "Never", "containers": [{"name": "pi", "image": "perl:5.34"}]}}},
    }
    apply_defaults(JOB, obj)
    spec = obj["spec"]
    assert {k: v for k, v in spec.items() if k != "template"} == {
        "completions": 1, "parallelism": 1, "backoffLimit": 6, "completionMode": "NonIndexed",
        "suspend": False, "podReplacementPolicy": "TerminatingOrFailed",
    }
    assert obj["metadata"]["labels"] == {"app": "pi"}
    assert spec["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize(
    "given, expected",
    [
        pytest.param({"parallelism": 3}, {"parallelism": 3}, id="work-queue-keeps-completions-nil"),
        pytest.param({"completions": 5}, {"completions": 5, "parallelism": 1}, id="completions-only"),
        pytest.param({"backoffLimitPerIndex": 1, "completionMode": "Indexed", "completions": 2},
                     {"backoffLimit": 2147483647}, id="per-index-backoff"),
        pytest.param({"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}},
                     {"podReplacementPolicy": "Failed",
                      "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}},
                     id="pod-failure-policy"),
    ],
)
def test_job_variants(given, expected):
    obj = {"spec": dict(given)}
    apply_defaults(JOB, obj)
    for k, v in expected.items():
        assert obj["spec"][k] == v
    if "parallelism" in given and "completions" not in given:
        assert "completions" not in obj["spec"]


def test_cron_job_defaults_only_pod_template_of_job_template():
    obj = {"spec": {"schedule": "*/1 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
        "restartPolicy": "OnFailure", "containers": [{"name": "hello", "image": "busybox:1.28"}]}}}}}}
    apply_defaults(CRONJOB, obj)
    spec = obj["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"], spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == ("Allow", False, 3, 1)
    assert set(spec["jobTemplate"]["spec"]) == {"template"}
    assert spec["jobTemplate"]["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"


def test_pod_full():
    obj = {
        "metadata": {"name": "p"},
        "spec": {
            "containers": [{
                "name": "app", "image": "registry.local:5000/app",
                "ports": [{"containerPort": 8080}],
                "env": [{"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "100m"}},
                "livenessProbe": {"httpGet": {"port": 8080}},
                "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 5},
                "startupProbe": {"grpc": {"port": 9090}},
            }],
            "volumes": [
                {"name": "cfg", "configMap": {"name": "cfg"}},
                {"name": "sec", "secret": {"secretName": "s"}},
                {"name": "tmp"},
                {"name": "host", "hostPath": {"path": "/var/log"}},
                {"name": "proj", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}},
                {"name": "dapi", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            ],
        },
    }
    apply_defaults(POD, obj)
    spec = obj["spec"]
    c = spec["containers"][0]
    assert c["imagePullPolicy"] == "Always"
    assert c["ports"] == [{"containerPort": 8080, "protocol": "TCP"}]
    assert c["env"][0]["valueFrom"]["fieldRef"] == {"apiVersion": "v1", "fieldPath": "metadata.name"}
    assert c["resources"] == {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}
    assert c["livenessProbe"] == {"httpGet": {"port": 8080, "path": "/", "scheme": "HTTP"}, "timeoutSeconds": 1,
                                  "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    assert c["readinessProbe"]["periodSeconds"] == 5
    assert c["startupProbe"]["grpc"] == {"port": 9090, "service": ""}
    assert spec["enableServiceLinks"] is True
    assert spec["volumes"] == [
        {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}},
        {"name": "sec", "secret": {"secretName": "s", "defaultMode": 420}},
        {"name": "tmp", "emptyDir": {}},
        {"name": "host", "hostPath": {"path": "/var/log", "type": ""}},
        {"name": "proj", "projected": {"defaultMode": 420, "sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 3600}}]}},
        {"name": "dapi", "downwardAPI": {"defaultMode": 420, "items": [{"path": "labels", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels"}}]}},
    ]
    for k, v in (("dnsPolicy", "ClusterFirst"), ("restartPolicy", "Always"), ("schedulerName", "default-scheduler"),
                 ("securityContext", {}), ("terminationGracePeriodSeconds", 30)):
        assert spec[k] == v


def test_pod_host_network_ports():
    obj = {"spec": {"hostNetwork": True, "containers": [{"name": "a", "image": "a:1", "ports": [{"containerPort": 53, "protocol": "UDP"}]}]}}
    apply_defaults(POD, obj)
    assert obj["spec"]["containers"][0]["ports"] == [{"containerPort": 53, "protocol": "UDP", "hostPort": 53}]


@pytest.mark.parametrize(
    "image, policy",
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.27", "IfNotPresent"),
        ("localhost:5000/nginx", "Always"),
        ("localhost:5000/nginx:v2", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:latest@sha256:" + "a" * 64, "Always"),  # the explicit tag wins
        # ParseImageName fails: no tag, so IfNotPresent
        (None, "IfNotPresent"),
        ("", "IfNotPresent"),
        ("MyRegistry/App", "IfNotPresent"),
        ("registry.example.com:443/Team/app", "IfNotPresent"),
        ("Registry.Example.com/team/app", "Always"),  # upper case is fine in the domain
    ],
)
def test_image_pull_policy(image, policy):
    assert image_pull_policy(image) == policy


SERVICE_CASES = [
    pytest.param(
        {"spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
        {"type": "ClusterIP", "sessionAffinity": "None", "selector": {"app": "web"},
         "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
         "internalTrafficPolicy": "Cluster", "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]},
        id="clusterip",
    ),
    pytest.param(
        {"spec": {"type": "NodePort", "ports": [{"port": 80, "targetPort": "http"}]}},
        {"type": "NodePort", "sessionAffinity": "None", "ports": [{"port": 80, "protocol": "TCP", "targetPort": "http"}],
         "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster",
         "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]},
        id="nodeport",
    ),
    pytest.param(
        {"spec": {"type": "LoadBalancer", "ports": [{"port": 443}], "sessionAffinity": "ClientIP"}},
        {"type": "LoadBalancer", "sessionAffinity": "ClientIP", "ports": [{"port": 443, "protocol": "TCP", "targetPort": 443}],
         "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True,
         "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}},
         "ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]},
        id="loadbalancer-clientip",
    ),
    pytest.param(
        {"spec": {"type": "ExternalName", "externalName": "db.example.com"}},
        {"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"},
        id="externalname",
    ),
    pytest.param(
        {"spec": {"clusterIP": "None", "ports": [{"port": 5432}]}},
        {"type": "ClusterIP", "clusterIP": "None", "sessionAffinity": "None",
         "ports": [{"port": 5432, "protocol": "TCP", "targetPort": 5432}], "internalTrafficPolicy": "Cluster",
         "ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv4"]},
        id="headless-without-selector",
    ),
]


@pytest.mark.parametrize("given, spec", SERVICE_CASES)
def test_service(given, spec):
    apply_defaults(SERVICE, given)
    assert given["spec"] == spec


def test_secret_string_data_folded_and_type():
    obj = {"metadata": {"name": "s"}, "data": {"a": "eA==", "b": "eQ=="}, "stringData": {"b": "hello", "c": "wörld"}}
    apply_defaults(SECRET, obj)
    assert obj == {
        "metadata": {"name": "s"},
        "type": "Opaque",
        "data": {"a": "eA==", "b": base64.b64encode(b"hello").decode(), "c": base64.b64encode("wörld".encode()).decode()},
    }


def test_normalize_secret_without_string_data_is_a_no_op():
    obj = {"data": {"a": "eA=="}}
    normalize_secret(obj)
    assert obj == {"data": {"a": "eA=="}}


def test_namespace():
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}}
    apply_defaults(NAMESPACE, obj)
    assert obj == {
        "apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": "team-a", "labels": {"kubernetes.io/metadata.name": "team-a"}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def test_pvc():
    obj = {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
    apply_defaults(PVC, obj)
    assert obj == {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}, "volumeMode": "Filesystem"},
                   "status": {"phase": "Pending"}}


def test_node_allocatable_from_capacity():
    obj = {"metadata": {"name": "n1"}, "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"}}}
    apply_defaults(NODE, obj)
    assert obj["status"]["allocatable"] == {"cpu": "4", "memory": "8Gi", "pods": "110"}


def test_kind_without_defaults_is_untouched():
    obj = {"metadata": {"name": "c"}, "data": {"k": "v"}}
    apply_defaults(CONFIGMAP, obj)
    assert obj == {"metadata": {"name": "c"}, "data": {"k": "v"}}


@pytest.mark.parametrize(
    "group, kind, given, expected",
    [
        pytest.param("rbac.authorization.k8s.io", "RoleBinding",
                     {"subjects": [{"kind": "ServiceAccount", "name": "a"}, {"kind": "User", "name": "b"}]},
                     {"subjects": [{"kind": "ServiceAccount", "name": "a", "apiGroup": ""},
                                   {"kind": "User", "name": "b", "apiGroup": "rbac.authorization.k8s.io"}]}, id="rbac-subjects"),
        pytest.param("storage.k8s.io", "StorageClass", {"provisioner": "x"},
                     {"provisioner": "x", "reclaimPolicy": "Delete", "volumeBindingMode": "Immediate"}, id="storageclass"),
        pytest.param("scheduling.k8s.io", "PriorityClass", {"value": 10},
                     {"value": 10, "preemptionPolicy": "PreemptLowerPriority"}, id="priorityclass"),
        pytest.param("networking.k8s.io", "NetworkPolicy", {"spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53}]}]}},
                     {"spec": {"podSelector": {}, "egress": [{"ports": [{"port": 53, "protocol": "TCP"}]}], "policyTypes": ["Ingress", "Egress"]}},
                     id="networkpolicy"),
        pytest.param("autoscaling", "HorizontalPodAutoscaler", {"spec": {"maxReplicas": 5}},
                     {"spec": {"maxReplicas": 5, "minReplicas": 1, "metrics": [
                         {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]}},
                     id="hpa"),
    ],
)
def test_other_groups(group, kind, given, expected):
    apply_defaults(K(group, kind), given)
    assert given == expected


def test_service_external_ips_get_external_traffic_policy_and_none_affinity_drops_config():
    obj = {"spec": {"ports": [{"port": 80}], "externalIPs": ["192.0.2.10"], "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 5}}}}
    apply_defaults(SERVICE, obj)
    assert obj["spec"]["externalTrafficPolicy"] == "Cluster"
    assert "sessionAffinityConfig" not in obj["spec"]


def test_service_client_ip_config_without_timeout_is_replaced():
    obj = {"spec": {"ports": [{"port": 80}], "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {}}}}
    apply_defaults(SERVICE, obj)
    assert obj["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


from kctl.api.defaults.core import normalize_cluster_ips, prepare_service_update  # noqa: E402


def _live_nodeport() -> dict:
    obj = {"metadata": {"name": "web"}, "spec": {"type": "NodePort", "selector": {"app": "web"},
                                                 "ports": [{"name": "http", "port": 80, "nodePort": 30080}]}}
    apply_defaults(SERVICE, obj)
    obj["spec"]["clusterIP"] = "10.96.0.12"
    normalize_cluster_ips(obj)
    return obj


def test_normalize_cluster_ips_on_create():
    obj = {"spec": {"clusterIP": "None"}}
    normalize_cluster_ips(obj)
    assert obj["spec"]["clusterIPs"] == ["None"]


def test_nodeport_to_clusterip_drops_node_ports_and_external_policy():
    old = _live_nodeport()
    new = copy.deepcopy(old)
    new["spec"]["type"] = "ClusterIP"  # what `kubectl apply` of `type: ClusterIP` merges into the live object
    prepare_service_update(new, old)
    assert new["spec"]["ports"] == [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}]
    assert "externalTrafficPolicy" not in new["spec"]
    assert new["spec"]["clusterIPs"] == ["10.96.0.12"]


def test_replace_without_allocated_values_keeps_them():
    old = _live_nodeport()
    new = {"metadata": {"name": "web"}, "spec": {"type": "NodePort", "selector": {"app": "web"},
                                                 "ports": [{"name": "http", "port": 8080}]}}
    apply_defaults(SERVICE, new)
    prepare_service_update(new, old)
    assert new["spec"]["clusterIP"] == "10.96.0.12" and new["spec"]["clusterIPs"] == ["10.96.0.12"]
    assert new["spec"]["ports"][0]["nodePort"] == 30080


def test_to_external_name_drops_cluster_ips_and_families():
    old = _live_nodeport()
    new = copy.deepcopy(old)
    new["spec"]["type"] = "ExternalName"
    new["spec"]["externalName"] = "web.example.com"
    prepare_service_update(new, old)
    for k in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "externalTrafficPolicy"):
        assert k not in new["spec"], k


@pytest.mark.parametrize(
    "given, expected",
    [
        pytest.param({"serviceAccountName": "builder"}, ("builder", "builder"), id="name-copied-to-deprecated"),
        pytest.param({"serviceAccount": "legacy"}, ("legacy", "legacy"), id="deprecated-fills-name"),
        pytest.param({}, (None, None), id="neither"),
    ],
)
def test_service_account_conversion_round_trip(given, expected):
    obj = {"spec": dict(given, containers=[{"name": "c", "image": "busybox:1.36"}])}
    apply_defaults(POD, obj)
    assert (obj["spec"].get("serviceAccountName"), obj["spec"].get("serviceAccount")) == expected


@pytest.mark.parametrize(
    "containers, pod_resources, expected",
    [
        pytest.param([{"resources": {"requests": {"cpu": "250m"}}}, {"resources": {"requests": {"cpu": "250m", "memory": "64Mi"}}}],
                     {"limits": {"cpu": "2", "memory": "1Gi"}},
                     {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "500m", "memory": "64Mi"}},
                     id="requests-from-containers"),
        pytest.param([{}], {"limits": {"cpu": "1"}}, {"limits": {"cpu": "1"}, "requests": {"cpu": "1"}}, id="requests-from-pod-limits"),
        pytest.param([{"resources": {"limits": {"memory": "128Mi"}}}, {"resources": {"limits": {"memory": "256Mi"}}}],
                     {"requests": {"memory": "256Mi"}},
                     {"limits": {"memory": "384Mi"}, "requests": {"memory": "256Mi"}}, id="limits-from-containers"),
    ],
)
def test_pod_level_resources(containers, pod_resources, expected):
    ctrs = [dict(c, name=f"c{i}", image="busybox:1.36") for i, c in enumerate(containers)]
    obj = {"spec": {"containers": ctrs, "resources": copy.deepcopy(pod_resources)}}
    apply_defaults(POD, obj)
    assert obj["spec"]["resources"] == expected


@pytest.mark.parametrize(
    "obj",
    [
        {"spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}}}},
        {"spec": {"selector": {"matchLabels": {"a": "b"}}}},
    ],
    ids=["template-without-spec", "no-template"],
)
def test_absent_pod_template_spec_is_defaulted(obj):
    """Deployment.spec.template(.spec) are Go structs: defaulting fills them even when the
    manifest leaves them out (a kustomize patch applied alone), so validation reports
    `containers: Required value` and no spurious `terminationGracePeriodSeconds` error."""
    from kctl.api.kinds import resolve

    apply_defaults(resolve("deployments"), obj)
    spec = obj["spec"]["template"]["spec"]
    assert (spec["terminationGracePeriodSeconds"], spec["restartPolicy"], spec["dnsPolicy"]) == (30, "Always", "ClusterFirst")


def test_container_without_image_gets_if_not_present():
    obj = {"spec": {"containers": [{"name": "a"}]}}
    apply_defaults(POD, obj)
    assert obj["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(
    "given, stored",
    [
        (0.5, "500m"),
        (1, "1"),
        ("6.5Gi", "6656Mi"),
        ("1024Mi", "1Gi"),
        ("1000Mi", "1000Mi"),
        (1e3, "1k"),  # YAML number: kubectl sends JSON 1000
        ("1e3", "1e3"),
        ("100m", "100m"),
        ("1.5.0Gi", "1.5.0Gi"),  # not a quantity: left for the decoding check to report
    ],
)
def test_quantities_are_stored_canonical(given, stored):
    """The API server decodes resource.Quantity and encodes it again: `kubectl get` shows the
    canonical text, not what the manifest said."""
    obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "q"},
           "spec": {"containers": [{"name": "a", "image": "a:1", "resources": {"limits": {"memory": given}}}],
                    "volumes": [{"name": "v", "emptyDir": {"sizeLimit": given}}]}}
    apply_defaults(POD, obj)
    assert obj["spec"]["containers"][0]["resources"]["limits"]["memory"] == stored
    assert obj["spec"]["volumes"][0]["emptyDir"]["sizeLimit"] == stored


def test_quantities_canonical_in_workload_templates_and_claims():
    from kctl.api.kinds import resolve

    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
           "spec": {"selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}},
                                 "spec": {"containers": [{"name": "a", "image": "a:1", "resources": {"requests": {"cpu": 0.1}}}]}},
                    "volumeClaimTemplates": [{"metadata": {"name": "d"}, "spec": {"resources": {"requests": {"storage": "2048Mi"}}}}]}}
    apply_defaults(resolve("statefulsets"), sts)
    assert sts["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "100m"
    assert sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] == "2Gi"
