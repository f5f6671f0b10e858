"""kctl.api.schema.check: the API server's strict-decoding texts and schema FieldErrors."""

from __future__ import annotations

import copy
import datetime

import pytest

from kctl.api import schema
from kctl.api.kinds import resolve

DEPLOY = resolve("deployments")
POD = resolve("pods")
SECRET = resolve("secrets")
HPA = resolve("hpa")


def deployment() -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": "nginx:1.27",
                            "ports": [{"containerPort": 80, "name": "http"}],
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                            "env": [{"name": "MODE", "value": "prod"}],
                        },
                        {"name": "side", "image": "busybox"},
                    ]
                },
            },
        },
    }


def _set(obj: dict, path: str, value) -> dict:
    """Set a dotted path (`spec.template.spec.containers.0.name`) in a copy of obj."""
    obj = copy.deepcopy(obj)
    cur = obj
    parts = path.split(".")
    for p in parts[:-1]:
        cur = cur[int(p)] if isinstance(cur, list) else cur[p]
    last = parts[-1]
    if isinstance(cur, list):
        cur[int(last)] = value
    else:
        cur[last] = value
    return obj


C0 = "spec.template.spec.containers.0"

# (id, path to set, value, expected [(field, message, unknown_field)])
ISSUE_CASES = [
    ("valid", "spec.replicas", 3, []),
    (
        "unknown-field-nested",
        "spec.template.spec.containerz",
        [],
        [("spec.template.spec.containerz", 'unknown field "spec.template.spec.containerz"', True)],
    ),
    (
        "unknown-field-in-list-item",
        f"{C0}.imagePullPolicyy",
        "Always",
        [
            (
                "spec.template.spec.containers[0].imagePullPolicyy",
                'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
                True,
            )
        ],
    ),
    ("unknown-field-metadata", "metadata.labelz", {}, [("metadata.labelz", 'unknown field "metadata.labelz"', True)]),
    ("unknown-field-case-sensitive", "spec.Replicas", 2, [("spec.Replicas", 'unknown field "spec.Replicas"', True)]),
    (
        "string-for-int32",
        "spec.replicas",
        "3",
        [("spec.replicas", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32", False)],
    ),
    (
        "bool-for-int32",
        "spec.replicas",
        True,
        [("spec.replicas", "json: cannot unmarshal bool into Go struct field DeploymentSpec.spec.replicas of type int32", False)],
    ),
    (
        "fraction-for-int32",
        "spec.replicas",
        1.5,
        [("spec.replicas", "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32", False)],
    ),
    (
        "int32-overflow",
        "spec.replicas",
        3_000_000_000,
        [
            (
                "spec.replicas",
                "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32",
                False,
            )
        ],
    ),
    ("integral-float-ok", "spec.replicas", 2.0, []),
    (
        "string-for-int32-in-list",
        f"{C0}.ports.0.containerPort",
        "80",
        [
            (
                "spec.template.spec.containers[0].ports[0].containerPort",
                "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
                False,
            )
        ],
    ),
    (
        "object-for-string",
        f"{C0}.image",
        {"name": "nginx"},
        [
            (
                "spec.template.spec.containers[0].image",
                "json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.image of type string",
                False,
            )
        ],
    ),
    (
        "number-for-string-env-value",
        f"{C0}.env.0.value",
        8080,
        [
            (
                "spec.template.spec.containers[0].env[0].value",
                "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string",
                False,
            )
        ],
    ),
    (
        "object-for-list",
        "spec.template.spec.containers",
        {"name": "web"},
        [
            (
                "spec.template.spec.containers",
                "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
                False,
            )
        ],
    ),
    (
        "string-for-list",
        f"{C0}.ports",
        "80",
        [
            (
                "spec.template.spec.containers[0].ports",
                "json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.ports of type []v1.ContainerPort",
                False,
            )
        ],
    ),
    (
        "list-for-object",
        "spec.selector",
        [{"app": "web"}],
        [("spec.selector", "json: cannot unmarshal array into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector", False)],
    ),
    (
        "string-for-struct",
        "spec",
        "oops",
        [("spec", "json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec", False)],
    ),
    (
        "number-label-value",
        "metadata.labels",
        {"version": 1.0},
        [("metadata.labels[version]", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string", False)],
    ),
    (
        "string-for-bool",
        "spec.paused",
        "true",
        [("spec.paused", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool", False)],
    ),
    ("int-or-string-int-ok", "spec.strategy.rollingUpdate.maxSurge", 2, []),
    ("int-or-string-string-ok", "spec.strategy.rollingUpdate.maxUnavailable", "50%", []),
    (
        "int-or-string-bool",
        "spec.strategy.rollingUpdate.maxSurge",
        True,
        [
            (
                "spec.strategy.rollingUpdate.maxSurge",
                "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32",
                False,
            )
        ],
    ),
    ("quantity-int-ok", f"{C0}.resources.requests.cpu", 1, []),
    ("quantity-float-ok", f"{C0}.resources.requests.cpu", 0.5, []),
    (
        "quantity-bad-string",
        f"{C0}.resources.requests.memory",
        "64 MB",
        [
            (
                "spec.template.spec.containers[0].resources.requests[memory]",
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                False,
            )
        ],
    ),
    (
        "resource-list-wrong-type",
        f"{C0}.resources.limits",
        "1Gi",
        [
            (
                "spec.template.spec.containers[0].resources.limits",
                "json: cannot unmarshal string into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList",
                False,
            )
        ],
    ),
    (
        "named-string-type",
        f"{C0}.ports.0.protocol",
        6,
        [
            (
                "spec.template.spec.containers[0].ports[0].protocol",
                "json: cannot unmarshal number into Go struct field ContainerPort.spec.template.spec.containers.ports.protocol of type v1.Protocol",
                False,
            )
        ],
    ),
    (
        "named-slice-element-type",
        f"{C0}.securityContext",
        {"capabilities": {"add": [1]}},
        [
            (
                "spec.template.spec.containers[0].securityContext.capabilities.add[0]",
                "json: cannot unmarshal number into Go struct field Capabilities.spec.template.spec.containers.securityContext.capabilities.add of type v1.Capability",
                False,
            )
        ],
    ),
    (
        "named-top-level-field",
        "spec.strategy.type",
        True,
        [
            (
                "spec.strategy.type",
                "json: cannot unmarshal bool into Go struct field DeploymentStrategy.spec.strategy.type of type v1.DeploymentStrategyType",
                False,
            )
        ],
    ),
    ("null-struct-ok", "spec.strategy", None, []),
    ("null-scalar-ok", "spec.replicas", None, []),
    ("null-list-ok", f"{C0}.ports", None, []),
    ("null-list-item-ok", f"{C0}.ports", [None], []),
    ("null-label-value-ok", "metadata.labels", {"app": None}, []),
    ("yaml-timestamp-as-string-ok", "metadata.annotations", {"built": datetime.datetime(2024, 1, 2, 3, 4, 5)}, []),
    ("time-ok", "metadata.creationTimestamp", "2024-01-02T03:04:05Z", []),
    (
        "time-wrong-type",
        "metadata.creationTimestamp",
        5,
        [
            (
                "metadata.creationTimestamp",
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string",
                False,
            )
        ],
    ),
    ("status-checked-too", "status", {"replicas": "2"}, [
        ("status.replicas", "json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32", False)
    ]),
]


@pytest.mark.parametrize("path,value,expected", [c[1:] for c in ISSUE_CASES], ids=[c[0] for c in ISSUE_CASES])
def test_decode_issues(path, value, expected):
    issues, _errors = schema.check(_set(deployment(), path, value), DEPLOY)
    assert [(i.field, i.message, i.unknown_field) for i in issues] == expected


def test_issues_sorted_in_document_order():
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"] = [{"name": f"c{i}", "image": "x", "bogus": 1} for i in range(12)]
    obj["spec"]["aaa"] = 1
    obj["metadata"]["zzz"] = 1
    issues, _ = schema.check(obj, DEPLOY)
    fields = [i.field for i in issues]
    assert fields[:2] == ["metadata.zzz", "spec.aaa"]
    # list indices compare numerically: [2] before [10]
    assert fields[2:] == [f"spec.template.spec.containers[{i}].bogus" for i in range(12)]


def _as_rc(obj: dict) -> dict:
    """The same pod template in a ReplicationController: a kind kctl does not validate in depth,
    so the schema's required lists are its only check for missing fields."""
    obj = copy.deepcopy(obj)
    obj["apiVersion"], obj["kind"] = "v1", "ReplicationController"
    obj["spec"] = {"selector": {"app": "web"}, "template": obj["spec"]["template"]}
    return obj


RC = resolve("replicationcontrollers")

# (id, path, value, expected str(FieldError) list)
ERROR_CASES = [
    ("valid", "spec.template.spec.containers.0.image", "nginx", []),
    ("required-container-name", f"{C0}.name", None, ["spec.template.spec.containers[0].name: Required value"]),
    (
        "required-in-second-list-item",
        "spec.template.spec.containers.1",
        {"image": "busybox"},
        ["spec.template.spec.containers[1].name: Required value"],
    ),
    (
        "required-port",
        f"{C0}.ports",
        [{"name": "http"}],
        ["spec.template.spec.containers[0].ports[0].containerPort: Required value"],
    ),
    # `required` in OpenAPI that the server's validation never checks
    ("http-header-value-not-enforced", f"{C0}.livenessProbe", {"httpGet": {"port": 80, "httpHeaders": [{"name": "X-A"}]}}, []),
    ("sysctl-value-not-enforced", "spec.template.spec.securityContext", {"sysctls": [{"name": "net.core.somaxconn"}]}, []),
    (
        "preferred-term-preference-not-enforced",
        "spec.template.spec.affinity",
        {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1}]}},
        [],
    ),
    (
        "node-selector-terms-detail",
        "spec.template.spec.affinity",
        {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {}}},
        [
            "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            ".nodeSelectorTerms: Required value: must have at least one node selector term"
        ],
    ),
]


@pytest.mark.parametrize("path,value,expected", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_schema_field_errors(path, value, expected):
    _issues, errors = schema.check(_set(_as_rc(deployment()), path, value), RC)
    assert [str(e) for e in errors] == expected


@pytest.mark.parametrize(
    "path,value",
    [("spec.selector", None), (f"{C0}.name", None), (f"{C0}.ports", [{"name": "http"}])],
    ids=["selector", "container-name", "container-port"],
)
def test_deep_validated_kinds_leave_required_to_validation(path, value):
    """A Deployment without selector gets every error from validation (selector Required AND
    template labels not matching), not a lone schema `Required value` that stops the request."""
    _issues, errors = schema.check(_set(deployment(), path, value), DEPLOY)
    assert errors == []


@pytest.mark.parametrize(
    "kind,obj,expected",
    [
        (
            "ingresses",
            {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i"},
             "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}},
            ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
        ),
        (
            "clusterroles",
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"},
             "rules": [{"apiGroups": [""], "resources": ["pods"]}]},
            ["rules[0].verbs: Required value: verbs must contain at least one value"],
        ),
    ],
    ids=["ingress-path-type", "policy-rule-verbs"],
)
def test_required_detail_as_the_server_words_it(kind, obj, expected):
    _issues, errors = schema.check(obj, resolve(kind))
    assert [str(e) for e in errors] == expected


def test_enum_becomes_not_supported():
    # the 1.37 schemas carry no field enums; exercise the rule on a compiled node directly
    node = schema._Node(schema._STR)
    node.gotype, node.enum = "string", ("Always", "Never")
    ctx = schema._Ctx()
    schema._walk(node, "Sometimes", (None, "restartPolicy"), "PodSpec", ctx)
    assert [str(e) for _, e in ctx.errors] == ['restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never"']


# Secret data is []byte: base64 as Go's StdEncoding decodes it
BASE64_CASES = [
    ("valid", "aGVsbG8=", []),
    ("valid-no-padding-needed", "aGVsbG8h", []),
    ("valid-with-newline", "aGVs\nbG8=", []),
    ("bad-char", "aGV$bG8=", ["illegal base64 data at input byte 3"]),
    ("missing-padding", "aGVsbG8", ["illegal base64 data at input byte 4"]),
    ("plain-text", "hello world", ["illegal base64 data at input byte 5"]),
]


@pytest.mark.parametrize("value,expected", [c[1:] for c in BASE64_CASES], ids=[c[0] for c in BASE64_CASES])
def test_secret_data_base64(value, expected):
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": value}}
    issues, _ = schema.check(obj, SECRET)
    assert [i.message for i in issues] == expected
    assert all(i.field == "data[k]" for i in issues)


def test_number_in_secret_data_is_type_error():
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"k": 1}, "type": 5}
    issues, _ = schema.check(obj, SECRET)
    assert [i.message for i in issues] == [
        "json: cannot unmarshal number into Go struct field Secret.data of type []uint8",
        "json: cannot unmarshal number into Go struct field Secret.type of type v1.SecretType",
    ]


def test_pod_top_level_and_version_choice():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "b"}]}, "extra": 1}
    issues, errors = schema.check(pod, POD)
    assert [i.message for i in issues] == ['unknown field "extra"']
    assert errors == []


@pytest.mark.parametrize(
    "api_version,field,ok",
    [("autoscaling/v2", "metrics", True), ("autoscaling/v1", "targetCPUUtilizationPercentage", True), ("autoscaling/v1", "metrics", False)],
    ids=["v2-metrics", "v1-target-cpu", "v1-has-no-metrics"],
)
def test_checks_the_objects_served_version(api_version, field, ok):
    obj = {
        "apiVersion": api_version,
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "h"},
        "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 3, field: [] if field == "metrics" else 50},
    }
    issues, _ = schema.check(obj, HPA)
    assert (issues == []) is ok


def test_kind_without_schema_gives_nothing():
    issues, errors = schema.check({"apiVersion": "kctl.io/v1alpha1", "kind": "NodeInventory", "x": 1}, resolve("nodeinventory"))
    assert (issues, errors) == ([], [])


DECODE_MESSAGE_CASES = [
    ("none", {}, None),
    (
        "unknown-fields-joined",
        {"spec.foo": 1, "spec.bar": 2},
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bar", unknown field "spec.foo"',
    ),
    (
        "type-error-wins",
        {"spec.foo": 1, "spec.replicas": "x"},
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ),
]


@pytest.mark.parametrize("changes,expected", [c[1:] for c in DECODE_MESSAGE_CASES], ids=[c[0] for c in DECODE_MESSAGE_CASES])
def test_decode_message(changes, expected):
    obj = deployment()
    for path, value in changes.items():
        obj = _set(obj, path, value)
    issues, _ = schema.check(obj, DEPLOY)
    assert schema.decode_message(issues, DEPLOY) == expected


def test_check_does_not_mutate_and_is_repeatable():
    obj = _set(deployment(), "spec.replicas", "3")
    before = copy.deepcopy(obj)
    first = schema.check(obj, DEPLOY)
    assert schema.check(obj, DEPLOY) == first
    assert obj == before


@pytest.mark.parametrize(
    "obj,expected",
    [
        ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}, []),
        ({**deployment(), "status": {"conditions": [{"type": "Available"}]}}, []),
    ],
    ids=["top-level-spec-not-required", "status-required-not-enforced"],
)
def test_required_not_enforced_at_top_or_in_status(obj, expected):
    _issues, errors = schema.check(obj, DEPLOY)
    assert [str(e) for e in errors] == expected


GO_NUMBER_CASES = [
    (3, "3"),
    (2.0, "2"),
    (1.5, "1.5"),
    (3e9, "3000000000"),
    (0.00005, "0.00005"),
    (1e-7, "1e-7"),
    (1e21, "1e+21"),
    (1.5e300, "1.5e+300"),
]


@pytest.mark.parametrize("value,text", GO_NUMBER_CASES, ids=[c[1] for c in GO_NUMBER_CASES])
def test_numbers_render_as_go_json(value, text):
    # the decoder quotes the JSON literal kubectl sent, which Go's encoder wrote
    assert schema._go_number(value) == text
