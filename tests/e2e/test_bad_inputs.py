"""Typical mistakes, each made in a real manifest of tests/e2e/real/: kctl rejects the whole
apply with the API server's (or kubectl's) exact text, pointing at the file and line, and
leaves the store as it was."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent / "real"
QRE = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"


@dataclass
class Case:
    id: str
    base: str  # file under tests/e2e/real/ the mistake is made in
    edits: list[tuple[str, str]]  # (old, new): each old must occur exactly once
    line_at: str | tuple[str, int]  # the error's line: the (nth) line that starts with this
    texts: list[str]  # each must appear in stderr verbatim
    pre: list[str] = field(default_factory=list)  # namespaces to create first
    xfail: str = ""  # a known kctl bug outside kctl/api (see the report)


FRONTEND = "kubernetes-examples/guestbook/frontend-deployment.yaml"
REDIS_SVC = "kubernetes-examples/guestbook/redis-master-service.yaml"
ETCD_SVC = "kubernetes/statefulset-etcd/service.yaml"
SECRET = "kubernetes/doc-yaml/secret.yaml"
INGRESS = "kubernetes-examples/model-serving-tensorflow/ingress.yaml"
CRONJOB = "eks-workshop/catalog-cleanup.yaml"
HPA = "kubernetes-examples/vllm/horizontal-pod-autoscaler.yaml"
PRIORITY = "eks-workshop/priority-class.yaml"
MS_BASE = "metrics-server-base-deployment"  # kustomize input, see test_missing_selector

CASES = [
    Case("unknown-field-typo", FRONTEND, [("- containerPort: 80", "- containerport: 80")],
         "- containerport",
         ['Error from server (BadRequest): error when creating "{file}": Deployment in version "v1" '
          'cannot be handled as a Deployment: strict decoding error: unknown field '
          '"spec.template.spec.containers[0].ports[0].containerport"']),
    Case("string-replicas", FRONTEND, [("replicas: 3", 'replicas: "3"')], "replicas:",
         ['Error from server (BadRequest): error when creating "{file}": Deployment in version "v1" '
          'cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field '
          'DeploymentSpec.spec.replicas of type int32']),
    Case("list-indented-as-map", FRONTEND,
         [("      - name: php-redis\n        image:", "        name: php-redis\n        image:")],
         "containers:",
         ['Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal '
          'object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container']),
    Case("duplicate-container-name", FRONTEND,
         [("        ports:\n        - containerPort: 80",
           "        ports:\n        - containerPort: 80\n      - name: php-redis\n        image: busybox")],
         ("- name: php-redis", 2),
         ['The Deployment "frontend" is invalid: spec.template.spec.containers[1].name: '
          'Duplicate value: "php-redis"']),
    Case("port-out-of-range", REDIS_SVC, [("  - port: 6379", "  - port: 70000")], "- port: 70000",
         ['The Service "redis-master" is invalid: spec.ports[0].port: Invalid value: 70000: '
          "must be between 1 and 65535, inclusive"]),
    Case("invalid-label-value", REDIS_SVC, [("  labels:\n    app: redis\n", "  labels:\n    app: redis cache\n")],
         "labels:",
         ['The Service "redis-master" is invalid: metadata.labels: Invalid value: "redis cache": '
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
          "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
          "'my_value',  or '12345', regex used for validation is "
          "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]),
    Case("two-unnamed-ports", ETCD_SVC, [("    name: etcd-server\n", ""), ("    name: etcd-client\n", "")],
         "- port: 2380",
         # kctl reports each field error on its own line (see the report: kubectl joins them)
         ['The Service "etcd" is invalid: spec.ports[0].name: Required value',
          ':10: The Service "etcd" is invalid: spec.ports[1].name: Required value']),
    Case("bad-quantity", FRONTEND, [("memory: 100Mi", "memory: 1.5.0Gi")], "memory: 1.5.0Gi",
         ['Deployment in version "v1" cannot be handled as a Deployment: quantities must match '
          f"the regular expression '{QRE}'"]),
    Case("secret-not-base64", SECRET, [("data-1: dmFsdWUtMQ0K", "data-1: value-1")], "data-1:",
         ['Error from server (BadRequest): error when creating "{file}": Secret in version "v1" '
          "cannot be handled as a Secret: illegal base64 data at input byte 5"]),
    Case("tls-secret-without-key", SECRET,
         [("data:\n  data-1: dmFsdWUtMQ0K\n  data-2: dmFsdWUtMg0KDQo=",
           "type: kubernetes.io/tls\ndata:\n  tls.crt: dmFsdWUtMQ0K")],
         "data:",
         ['The Secret "test-secret" is invalid: data[tls.key]: Required value']),
    Case("recreate-with-rolling-update", FRONTEND,
         [("  replicas: 3\n", "  replicas: 3\n  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n")],
         "rollingUpdate:",
         ['The Deployment "frontend" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be '
          "specified when strategy `type` is 'Recreate'"]),
    Case("surge-and-unavailable-zero", FRONTEND,
         [("  replicas: 3\n", "  replicas: 3\n  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n")],
         "maxUnavailable: 0",
         ['The Deployment "frontend" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid '
          "value: 0: may not be 0 when `maxSurge` is 0"]),
    Case("deployment-restart-on-failure", FRONTEND,
         [("      containers:\n", "      restartPolicy: OnFailure\n      containers:\n")],
         "restartPolicy: OnFailure",
         ['The Deployment "frontend" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
          '"OnFailure": supported values: "Always"']),
    Case("probe-two-handlers", FRONTEND,
         [("        ports:\n", "        livenessProbe:\n          httpGet:\n            path: /\n            port: 80\n"
           "          tcpSocket:\n            port: 80\n        ports:\n")],
         "tcpSocket:",
         ['The Deployment "frontend" is invalid: spec.template.spec.containers[0].livenessProbe.tcpSocket: '
          "Forbidden: may not specify more than 1 handler type"]),
    Case("mount-undeclared-volume", FRONTEND,
         [("        ports:\n", "        volumeMounts:\n        - name: cache\n          mountPath: /cache\n        ports:\n")],
         "- name: cache",
         ['The Deployment "frontend" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: '
          'Not found: "cache"']),
    Case("ingress-without-path-type", INGRESS, [("            pathType: Prefix\n", "")], "- path:",
         ['The Ingress "tf-serving-ingress" is invalid: spec.rules[0].http.paths[0].pathType: '
          "Required value: pathType must be specified"]),
    Case("uppercase-name", REDIS_SVC, [("name: redis-master", "name: Redis-Master")], "name: Redis-Master",
         ['The Service "Redis-Master" is invalid: metadata.name: Invalid value: "Redis-Master": a DNS-1035 '
          "label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
          "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
          "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]),
    Case("cron-schedule-four-fields", CRONJOB, [('schedule: "*/1 * * * *"', 'schedule: "*/1 * * *"')],
         "schedule:",
         ['The CronJob "catalog-cleanup" is invalid: spec.schedule: Invalid value: "*/1 * * *": '
          "expected exactly 5 fields, found 4: [*/1 * * *]"], pre=["catalog"]),
    Case("hpa-max-below-min", HPA, [("  minReplicas: 1\n  maxReplicas: 5", "  minReplicas: 5\n  maxReplicas: 1")],
         "maxReplicas: 1",
         ['The HorizontalPodAutoscaler "gemma-server-hpa" is invalid: spec.maxReplicas: Invalid value: 1: '
          "must be greater than or equal to `minReplicas`"]),
    Case("priority-above-user-ceiling", PRIORITY, [("value: 1000000", "value: 2000000000")], "value:",
         ['The PriorityClass "high-priority" is invalid: value: Forbidden: maximum allowed value of a user '
          "defined priority is 1000000000"]),
    Case("removed-extensions-ingress", INGRESS,
         [("apiVersion: networking.k8s.io/v1", "apiVersion: extensions/v1beta1")], "apiVersion:",
         ['error: resource mapping not found for name: "tf-serving-ingress" namespace: "" from "{file}": '
          'no matches for kind "Ingress" in version "extensions/v1beta1"\nensure CRDs are installed first']),
    Case("missing-kind", REDIS_SVC, [("kind: Service\n", "")], "apiVersion:",
         ['error: error validating "{file}": error validating data: kind not set; if you choose to '
          "ignore these errors, turn validation off with --validate=false"]),
    Case("yaml-syntax-error", REDIS_SVC, [("  labels:\n    app: redis\n    role: master\n", "  labels:\n    app: redis\n   role: master\n")],
         "   role: master",
         ["yaml"]),
    Case("duplicate-key", FRONTEND,
         [("        image: gcr.io/google-samples/gb-frontend:v5\n",
           "        image: gcr.io/google-samples/gb-frontend:v5\n        image: gcr.io/google-samples/gb-frontend:v6\n")],
         "image: gcr.io/google-samples/gb-frontend:v6",
         ['key "image" already set in map']),
]


def _make(case: Case, tmp_path: Path) -> tuple[str, int]:
    text = (REAL / case.base).read_text()
    for old, new in case.edits:
        assert text.count(old) == 1, (case.id, old)
        text = text.replace(old, new)
    want, nth = case.line_at if isinstance(case.line_at, tuple) else (case.line_at, 1)
    lines = [i for i, s in enumerate(text.splitlines(), 1) if s.strip().startswith(want.strip())]
    line = lines[nth - 1]
    path = tmp_path / f"{case.id}.yaml"
    path.write_text(text)
    return str(path), line


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(reason=c.xfail, strict=True)) if c.xfail else c for c in CASES],
    ids=[c.id for c in CASES],
)
def test_bad_input_is_rejected(case, tmp_path, kctl):
    # a valid object first, so "unchanged store" means something
    assert kctl("apply", "-f", str(REAL / "kubernetes-examples/guestbook/redis-master-deployment.yaml")).code == 0
    if case.pre:
        ns = "".join(f"---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {n}\n" for n in case.pre)
        assert kctl("apply", "-f", "-", stdin=ns).code == 0
    path, line = _make(case, tmp_path)
    before = kctl("store", "info").out

    r = kctl("apply", "-f", path)

    assert r.code == 1, r.out
    assert r.out == ""
    assert r.err.startswith(f"{path}:{line}:"), r.err
    for t in case.texts:
        assert t.format(file=path) in r.err, r.err
    assert r.err.endswith("error: no objects were changed\n"), r.err
    assert "Traceback" not in r.err
    assert kctl("store", "info").out == before


def test_bad_object_in_a_real_folder_blocks_the_whole_apply(tmp_path, kctl):
    """One broken Service among a real project's files: nothing of the project is created."""
    import shutil

    folder = tmp_path / "guestbook"
    shutil.copytree(REAL / "kubernetes-examples/guestbook", folder)
    svc = folder / "redis-master-service.yaml"
    svc.write_text(svc.read_text().replace("  - port: 6379", "  - port: 70000"))
    before = kctl("store", "info").out
    r = kctl("apply", "-f", str(folder))
    assert r.code == 1
    assert r.err.startswith(f"{svc}:11:")
    assert r.err.endswith("error: no objects were changed\n")
    assert kctl("store", "info").out == before
    assert kctl("get", "deployments").err == "No resources found in default namespace.\n"


def test_missing_selector(tmp_path, kctl):
    """metrics-server's kustomize base deployment applied as is: kustomize adds the selector and
    the labels, the API server rejects the raw file (apps/v1 has no selector defaulting)."""
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: metrics-server\n  namespace: kube-system\n"
        "spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 0\n  template:\n    spec:\n"
        "      containers:\n      - name: metrics-server\n        image: registry.k8s.io/metrics-server/metrics-server:v0.8.0\n"
    )
    path = tmp_path / "deployment.yaml"
    path.write_text(text)
    before = kctl("store", "info").out
    r = kctl("apply", "-f", str(path))
    assert r.code == 1
    # both of the server's errors, each at its line (kubectl would print them as one `* ` list)
    assert r.err.splitlines()[:2] == [
        f'{path}:6: The Deployment "metrics-server" is invalid: spec.selector: Required value',
        f'{path}:10: The Deployment "metrics-server" is invalid: spec.template.metadata.labels: '
        "Invalid value: map[string]string(nil): `selector` does not match template `labels`",
    ], r.err
    assert r.err.endswith("error: no objects were changed\n")
    assert kctl("store", "info").out == before
