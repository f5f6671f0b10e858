"""apps/v1 semantic validation: exact upstream texts, in upstream order."""

from __future__ import annotations

import copy
import sys
import types

import pytest

try:  # the pod-template rules belong to validation-core; stub them only until they land
    import kctl.api.validation.core  # noqa: F401
except ImportError:  # pragma: no cover
    _stub = types.ModuleType("kctl.api.validation.core")
    _stub.validate_pod_template_spec = lambda template, path, workload_kind=None: []
    sys.modules["kctl.api.validation.core"] = _stub

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import Kind
from kctl.api.validation import validate_create, validate_update

DEPLOYMENT = Kind("apps", "v1", "Deployment", "deployments", "deployment")
REPLICASET = Kind("apps", "v1", "ReplicaSet", "replicasets", "replicaset")
STATEFULSET = Kind("apps", "v1", "StatefulSet", "statefulsets", "statefulset")
DAEMONSET = Kind("apps", "v1", "DaemonSet", "daemonsets", "daemonset")


def ingress_nginx_controller() -> dict:
    """Shaped after the ingress-nginx chart's controller Deployment."""
    labels = {"app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/instance": "ingress-nginx",
              "app.kubernetes.io/component": "controller"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx",
                     "labels": dict(labels, **{"app.kubernetes.io/version": "1.12.0"})},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "replicas": 1,
            "revisionHistoryLimit": 10,
            "minReadySeconds": 0,
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "dnsPolicy": "ClusterFirst",
                    "containers": [{
                        "name": "controller",
                        "image": "registry.k8s.io/ingress-nginx/controller:v1.12.0",
                        "imagePullPolicy": "IfNotPresent",
                        "args": ["/nginx-ingress-controller", "--election-id=ingress-nginx-leader"],
                        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                        "livenessProbe": {"httpGet": {"path": "/healthz", "port": 10254, "scheme": "HTTP"},
                                          "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 1,
                                          "successThreshold": 1, "failureThreshold": 5},
                        "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"},
                                  {"name": "https", "containerPort": 443, "protocol": "TCP"}],
                        "resources": {"requests": {"cpu": "100m", "memory": "90Mi"}},
                    }],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "serviceAccountName": "ingress-nginx",
                    "terminationGracePeriodSeconds": 300,
                },
            },
        },
    }


def postgres_statefulset() -> dict:
    labels = {"app.kubernetes.io/name": "postgresql", "app.kubernetes.io/instance": "db"}
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db-postgresql", "namespace": "default"},
        "spec": {
            "serviceName": "db-postgresql-hl",
            "replicas": 1,
            "updateStrategy": {"type": "RollingUpdate"},
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": [{
                "name": "postgresql", "image": "docker.io/bitnami/postgresql:17.2.0",
                "ports": [{"name": "tcp-postgresql", "containerPort": 5432}],
                "volumeMounts": [{"name": "data", "mountPath": "/bitnami/postgresql"}]}]}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "8Gi"}}}}],
        },
    }


def fluent_bit_daemonset() -> dict:
    labels = {"app.kubernetes.io/name": "fluent-bit"}
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "fluent-bit", "namespace": "logging"},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": {
                "containers": [{"name": "fluent-bit", "image": "cr.fluentbit.io/fluent/fluent-bit:3.2.2",
                                "volumeMounts": [{"name": "varlog", "mountPath": "/var/log"}]}],
                "volumes": [{"name": "varlog", "hostPath": {"path": "/var/log"}}],
                "tolerations": [{"operator": "Exists"}]}},
        },
    }


def replicaset() -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "frontend", "namespace": "default"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"tier": "frontend"}},
                     "template": {"metadata": {"labels": {"tier": "frontend"}},
                                  "spec": {"containers": [{"name": "php-redis", "image": "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5"}]}}}}


def defaulted(kind, obj):
    apply_defaults(kind, obj)
    return obj


def errs(kind, obj):
    return [str(e) for e in validate_create(kind, defaulted(kind, obj))]


@pytest.mark.parametrize(
    "kind, make",
    [(DEPLOYMENT, ingress_nginx_controller), (STATEFULSET, postgres_statefulset),
     (DAEMONSET, fluent_bit_daemonset), (REPLICASET, replicaset)],
    ids=["deployment-ingress-nginx", "statefulset-postgresql", "daemonset-fluent-bit", "replicaset-frontend"],
)
def test_realistic_objects_are_valid(kind, make):
    assert errs(kind, make()) == []


def _set(obj, dotted, value):
    cur = obj
    parts = dotted.split(".")
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    if value is _DELETE:
        cur.pop(parts[-1], None)
    else:
        cur[parts[-1]] = value


_DELETE = object()
LABELS_MAP = ('map[string]string{"app.kubernetes.io/component":"controller", '
              '"app.kubernetes.io/instance":"ingress-nginx", "app.kubernetes.io/name":"ingress-nginx"}')

DEPLOYMENT_CASES = [
    ("replicas-negative", {"spec.replicas": -1}, ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
    ("selector-missing", {"spec.selector": _DELETE}, [
        "spec.selector: Required value",
        f"spec.template.metadata.labels: Invalid value: {LABELS_MAP}: `selector` does not match template `labels`",
    ]),
    ("selector-empty", {"spec.selector": {}}, [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ]),
    ("selector-mismatch", {"spec.selector": {"matchLabels": {"app": "other"}}}, [
        f"spec.template.metadata.labels: Invalid value: {LABELS_MAP}: `selector` does not match template `labels`",
    ]),
    ("selector-bad-operator", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "Is", "values": ["x"]}]}}, [
        'spec.selector.matchExpressions[0].operator: Invalid value: "Is": not a valid selector operator',
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:'
        '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Is", Values:[]string{"x"}}}}: '
        'invalid label selector',
    ]),
    ("selector-in-without-values", {"spec.selector": {"matchExpressions": [{"key": "app", "operator": "In"}]}}, [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:'
        '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string(nil)}}}: '
        'invalid label selector',
    ]),
    ("restart-policy-never", {"spec.template.spec.restartPolicy": "Never"}, [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]),
    ("active-deadline", {"spec.template.spec.activeDeadlineSeconds": 30}, [
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
    ]),
    ("strategy-unknown", {"spec.strategy": {"type": "BlueGreen"}}, [
        'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
        'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]),
    ("recreate-with-rolling-update", {"spec.strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}}, [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]),
    ("both-zero", {"spec.strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}}, [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
    ]),
    ("both-zero-percent", {"spec.strategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}}}, [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    ]),
    ("bad-percent", {"spec.strategy": {"rollingUpdate": {"maxSurge": "25", "maxUnavailable": 1}}}, [
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be a numeric string '
        "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]),
    ("negative-surge", {"spec.strategy": {"rollingUpdate": {"maxSurge": -1, "maxUnavailable": 1}}}, [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0",
    ]),
    ("over-100-percent", {"spec.strategy": {"rollingUpdate": {"maxUnavailable": "150%"}}}, [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
    ]),
    ("min-ready-negative", {"spec.minReadySeconds": -5, "spec.progressDeadlineSeconds": 600}, [
        "spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0",
    ]),
    ("revision-history-negative", {"spec.revisionHistoryLimit": -1}, [
        "spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0",
    ]),
    ("progress-deadline-not-above-min-ready", {"spec.minReadySeconds": 600}, [
        "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds",
    ]),
    ("name-invalid", {"metadata.name": "Web_1"}, [
        'metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]),
]


@pytest.mark.parametrize("changes, expected", [pytest.param(c, e, id=i) for i, c, e in DEPLOYMENT_CASES])
def test_deployment_create(changes, expected):
    obj = ingress_nginx_controller()
    for k, v in changes.items():
        _set(obj, k, v if v is _DELETE else copy.deepcopy(v))
    assert errs(DEPLOYMENT, obj) == expected


def test_deployment_errors_in_upstream_order():
    obj = ingress_nginx_controller()
    obj["spec"].update(replicas=-1, minReadySeconds=-1, strategy={"type": "Recreate", "rollingUpdate": {}})
    obj["spec"]["selector"] = {"matchLabels": {"app": "x"}}
    assert [e.split(":")[0] for e in errs(DEPLOYMENT, obj)] == [
        "spec.replicas", "spec.template.metadata.labels", "spec.strategy.rollingUpdate", "spec.minReadySeconds",
    ]


def test_deployment_update_selector_immutable():
    old = defaulted(DEPLOYMENT, ingress_nginx_controller())
    new = copy.deepcopy(old)
    new["spec"]["selector"]["matchLabels"]["tier"] = "edge"
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "edge"
    assert [str(e) for e in validate_update(DEPLOYMENT, new, old)] == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app.kubernetes.io/component":'
        '"controller", "app.kubernetes.io/instance":"ingress-nginx", "app.kubernetes.io/name":"ingress-nginx", '
        '"tier":"edge"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]


def test_deployment_update_replicas_and_image_allowed():
    old = defaulted(DEPLOYMENT, ingress_nginx_controller())
    new = copy.deepcopy(old)
    new["spec"]["replicas"] = 5
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.k8s.io/ingress-nginx/controller:v1.12.1"
    assert validate_update(DEPLOYMENT, new, old) == []


def test_replicaset_update_selector_immutable_and_empty_text():
    old = defaulted(REPLICASET, replicaset())
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {}
    assert [str(e) for e in validate_update(REPLICASET, new, old)] == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
    ]


STATEFULSET_CASES = [
    ("pod-management-policy", {"spec.podManagementPolicy": "Random"},
     ["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"]),
    ("update-strategy-unknown", {"spec.updateStrategy": {"type": "Canary"}},
     ['spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Canary", '
      "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"]),
    ("partition-negative", {"spec.updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
     ["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0"]),
    ("max-unavailable-zero", {"spec.updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0}}},
     ["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"]),
    ("on-delete-with-rolling-update", {"spec.updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}},
     ["spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, "
      "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]),
    ("retention-policy", {"spec.persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep", "whenScaled": "Delete"}},
     ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"']),
    ("ordinals-negative", {"spec.ordinals": {"start": -1}},
     ["spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0"]),
    ("selector-empty", {"spec.selector": {}},
     ["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
      "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset"]),
    ("active-deadline", {"spec.template.spec.activeDeadlineSeconds": 10},
     ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"]),
    ("name-is-a-dns-label", {"metadata.name": "db.primary"},
     ['metadata.name: Invalid value: "db.primary": must not contain dots']),
    # upstream leaves claim templates to PVC creation time
    ("claim-template-not-validated", {"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}, []),
    # and does not validate the pod spec (volume mounts may name claim templates)
    ("pod-spec-not-validated", {"spec.template.spec.containers": [{"name": "pg", "image": "postgres:17",
                                                                   "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}, []),
]


@pytest.mark.parametrize("changes, expected", [pytest.param(c, e, id=i) for i, c, e in STATEFULSET_CASES])
def test_statefulset_create(changes, expected):
    obj = postgres_statefulset()
    for k, v in changes.items():
        _set(obj, k, v if v is _DELETE else copy.deepcopy(v))
    assert errs(STATEFULSET, obj) == expected


SS_FORBIDDEN = ("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
                "are forbidden")


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param({"spec.replicas": 3, "spec.minReadySeconds": 5, "spec.revisionHistoryLimit": 3,
                      "spec.updateStrategy": {"type": "OnDelete"},
                      "spec.persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"}},
                     [], id="mutable-fields"),
        pytest.param({"spec.serviceName": "other"}, [SS_FORBIDDEN], id="service-name"),
        pytest.param({"spec.podManagementPolicy": "Parallel"}, [SS_FORBIDDEN], id="pod-management-policy"),
        pytest.param({"spec.volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "16Gi"}}, "volumeMode": "Filesystem"},
            "status": {"phase": "Pending"}}]}, [SS_FORBIDDEN], id="claim-template-size"),
    ],
)
def test_statefulset_update(changes, expected):
    old = defaulted(STATEFULSET, postgres_statefulset())
    new = copy.deepcopy(old)
    for k, v in changes.items():
        _set(new, k, v if v is _DELETE else copy.deepcopy(v))
    assert [str(e) for e in validate_update(STATEFULSET, new, old)] == expected


DAEMONSET_CASES = [
    ("selector-missing", {"spec.selector": _DELETE},
     ['spec.template.metadata.labels: Invalid value: map[string]string{"app.kubernetes.io/name":"fluent-bit"}: '
      "`selector` does not match template `labels`"]),
    ("strategy-unknown", {"spec.updateStrategy": {"type": "Surge"}},
     ['spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Surge", '
      'RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"']),
    ("both-set", {"spec.updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": "10%"}}},
     ['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero']),
    ("both-zero", {"spec.updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}}},
     ["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"]),
    ("restart-policy", {"spec.template.spec.restartPolicy": "OnFailure"},
     ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']),
]


@pytest.mark.parametrize("changes, expected", [pytest.param(c, e, id=i) for i, c, e in DAEMONSET_CASES])
def test_daemonset_create(changes, expected):
    obj = fluent_bit_daemonset()
    for k, v in changes.items():
        _set(obj, k, v if v is _DELETE else copy.deepcopy(v))
    assert errs(DAEMONSET, obj) == expected


def test_daemonset_update_selector_immutable():
    old = defaulted(DAEMONSET, fluent_bit_daemonset())
    new = copy.deepcopy(old)
    new["spec"]["selector"]["matchLabels"] = {"app": "fb"}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "fb"}
    assert [str(e) for e in validate_update(DAEMONSET, new, old)] == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"fb"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
    ]


# --------------------------------------------------------------------------- batch

from kctl.api.defaults.apps import generate_job_selector  # noqa: E402
from kctl.api.validation.apps import cron_schedule_error  # noqa: E402

JOB = Kind("batch", "v1", "Job", "jobs", "job")
CRONJOB = Kind("batch", "v1", "CronJob", "cronjobs", "cronjob")


def pi_job() -> dict:
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi", "namespace": "default"},
            "spec": {"backoffLimit": 4, "template": {"spec": {"restartPolicy": "Never", "containers": [
                {"name": "pi", "image": "perl:5.34.0", "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}]}}}}


def hello_cronjob() -> dict:
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello", "namespace": "default"},
            "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure",
                "containers": [{"name": "hello", "image": "busybox:1.28", "command": ["/bin/sh", "-c", "date"]}]}}}}}}


def test_job_valid_with_and_without_generated_selector():
    obj = defaulted(JOB, pi_job())
    assert validate_create(JOB, obj) == []
    obj["metadata"]["uid"] = "0f6a2c1e-0000-4000-8000-000000000001"
    generate_job_selector(obj, obj["metadata"]["uid"])
    assert obj["spec"]["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": "0f6a2c1e-0000-4000-8000-000000000001"}}
    assert obj["spec"]["template"]["metadata"]["labels"] == {
        "job-name": "pi", "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "0f6a2c1e-0000-4000-8000-000000000001",
        "batch.kubernetes.io/controller-uid": "0f6a2c1e-0000-4000-8000-000000000001"}
    assert validate_create(JOB, obj) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param({"spec.template.spec.restartPolicy": _DELETE},
                     ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
                     id="restart-policy-defaulted-always"),
        pytest.param({"spec.backoffLimit": -1}, ["spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"], id="backoff"),
        pytest.param({"spec.completionMode": "Sometimes"},
                     ['spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"'], id="completion-mode"),
    ],
)
def test_job_create(changes, expected):
    obj = pi_job()
    for k, v in changes.items():
        _set(obj, k, v if v is _DELETE else copy.deepcopy(v))
    assert errs(JOB, obj) == expected


def test_job_update_template_immutable():
    old = defaulted(JOB, pi_job())
    new = copy.deepcopy(old)
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "perl:5.36"
    assert [str(e) for e in validate_update(JOB, new, old)] == ["spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable"]


def test_cronjob_valid():
    assert errs(CRONJOB, hello_cronjob()) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param({"spec.schedule": ""}, ["spec.schedule: Required value"], id="schedule-missing"),
        pytest.param({"spec.schedule": "every minute"},
                     ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]'], id="schedule-fields"),
        pytest.param({"spec.schedule": "0 25 * * *"},
                     ['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25'], id="schedule-range"),
        pytest.param({"spec.concurrencyPolicy": "Sometimes"},
                     ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"'], id="concurrency"),
        pytest.param({"spec.jobTemplate.spec.template.spec.restartPolicy": "Always"},
                     ['spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"'],
                     id="restart-policy"),
    ],
)
def test_cronjob_create(changes, expected):
    obj = hello_cronjob()
    for k, v in changes.items():
        _set(obj, k, v if v is _DELETE else copy.deepcopy(v))
    assert errs(CRONJOB, obj) == expected


@pytest.mark.parametrize("schedule", ["*/5 * * * *", "0 0 * * MON-FRI", "0 12 1 JAN,jul *", "@daily", "15 3 * * 0"])
def test_cron_schedules_accepted(schedule):
    assert cron_schedule_error(schedule) is None
