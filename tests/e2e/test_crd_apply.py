"""Real CustomResourceDefinitions and custom resources (tests/e2e/real/crds/, see SOURCES.md
there): prometheus-operator's ServiceMonitor and PrometheusRule, cert-manager's Certificate and Issuer are
installed with their custom resources in one apply, decoded, defaulted and validated against
the real schemas, and go with their CRDs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CRDS = Path(__file__).resolve().parent / "real" / "crds"
PROM = CRDS / "kube-prometheus"
CERT = CRDS / "cert-manager"

SM_CRD = "customresourcedefinition.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com"
PR_CRD = "customresourcedefinition.apiextensions.k8s.io/prometheusrules.monitoring.coreos.com"


def test_kube_prometheus_crd_and_service_monitors_in_one_apply(kctl):
    r = kctl("apply", "-f", str(PROM))
    assert (r.code, r.err) == (0, "")
    assert r.out == (
        f"{PR_CRD} created\n"
        f"{SM_CRD} created\n"
        "servicemonitor.monitoring.coreos.com/kube-state-metrics created\n"
        "namespace/monitoring created\n"
        "prometheusrule.monitoring.coreos.com/node-exporter-rules created\n"
        "servicemonitor.monitoring.coreos.com/node-exporter created\n")
    created = r.out
    r = kctl("get", "servicemonitors", "-n", "monitoring", "-o", "name")
    assert r.out == ("servicemonitor.monitoring.coreos.com/kube-state-metrics\n"
                     "servicemonitor.monitoring.coreos.com/node-exporter\n")
    assert kctl("get", "prometheusrules", "-A", "-o", "name").out == (
        "prometheusrule.monitoring.coreos.com/node-exporter-rules\n")
    again = kctl("apply", "-f", str(PROM))
    assert (again.code, again.out, again.err) == (0, created.replace(" created", " unchanged"), "")


def test_service_monitor_defaults_from_the_schema(kctl, write):
    assert kctl("apply", "-f", str(PROM)).code == 0
    sm = """apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: monitoring
spec:
  endpoints:
  - port: http
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_node_name]
      targetLabel: instance
  selector:
    matchLabels: {app: web}
"""
    r = kctl("apply", "-f", write("sm.yaml", sm))
    assert (r.code, r.out, r.err) == (0, "servicemonitor.monitoring.coreos.com/web created\n", "")
    got = json.loads(kctl("get", "servicemonitors", "web", "-n", "monitoring", "-o", "json").out)
    # `action` defaults to replace (the CRD's `default: replace`)
    assert got["spec"]["endpoints"][0]["relabelings"][0]["action"] == "replace"


@pytest.mark.parametrize("field,value,line,message", [
    ("scheme", "ftp", 9,
     'spec.endpoints[0].scheme: Unsupported value: "ftp": supported values: "http", "https", "HTTP", "HTTPS"'),
    ("interval", "1 minute", 9,
     'spec.endpoints[0].interval: Invalid value: "1 minute": spec.endpoints[0].interval in body should match '
     "'^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'"),
])
def test_service_monitor_validation(kctl, write, field, value, line, message):
    assert kctl("apply", "-f", str(PROM)).code == 0
    path = write("sm.yaml", f"""apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
  namespace: monitoring
spec:
  endpoints:
  - port: http
    {field}: {value}
  selector: {{}}
""")
    r = kctl("apply", "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == f'{path}:{line}: The ServiceMonitor "web" is invalid: {message}\nerror: no objects were changed\n'


def test_service_monitor_unknown_field(kctl, write):
    assert kctl("apply", "-f", str(PROM)).code == 0
    text = (PROM / "nodeExporter-serviceMonitor.yaml").read_text().replace("    scheme: https\n",
                                                                          "    scheme: https\n    schema: 1\n")
    path = write("sm.yaml", text)
    r = kctl("apply", "-f", path)
    assert r.err == (
        f'{path}:24: Error from server (BadRequest): error when creating "{path}": ServiceMonitor in version "v1" '
        'cannot be handled as a ServiceMonitor: strict decoding error: unknown field "spec.endpoints[0].schema"\n'
        "error: no objects were changed\n")


def test_cert_manager_in_one_apply_then_delete_the_crds(kctl):
    r = kctl("apply", "-f", str(CERT))
    assert (r.code, r.err) == (0, "")
    assert r.out == (
        "issuer.cert-manager.io/selfsigned-issuer created\n"
        "certificate.cert-manager.io/test1 created\n"
        "certificate.cert-manager.io/test2 created\n"
        "customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io created\n"
        "customresourcedefinition.apiextensions.k8s.io/issuers.cert-manager.io created\n")
    # short names and label selectors as for built-ins
    assert kctl("get", "certs", "-l", "test=second", "-o", "name").out == "certificate.cert-manager.io/test2\n"
    cert = json.loads(kctl("get", "certificate.cert-manager.io", "test1", "-o", "json").out)
    assert cert["spec"] == {"dnsNames": ["example.com"], "secretName": "test1",
                            "issuerRef": {"group": "cert-manager.io", "kind": "Issuer", "name": "selfsigned-issuer"}}
    assert cert["metadata"]["generation"] == 1
    r = kctl("delete", "crd", "certificates.cert-manager.io")
    assert r.code == 0
    assert kctl("get", "issuers", "-o", "name").out == "issuer.cert-manager.io/selfsigned-issuer\n"
    r = kctl("get", "certs")
    assert (r.code, r.err) == (1, 'error: the server doesn\'t have a resource type "certs"\n')


def test_bad_certificate_leaves_the_store_untouched(kctl, write):
    bad = """apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: bad
spec:
  secretName: bad
  privateKey:
    algorithm: DSA
"""
    path = write("bad.yaml", bad)
    r = kctl("apply", "-f", str(CERT), "-f", path)
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        f'{path}:5: The Certificate "bad" is invalid: spec.issuerRef: Required value\n'
        f'{path}:8: The Certificate "bad" is invalid: spec.privateKey.algorithm: Unsupported value: "DSA": '
        'supported values: "RSA", "ECDSA", "Ed25519"\n'
        "error: no objects were changed\n")
    assert kctl("get", "crd").err == "No resources found\n"


def test_validate_with_the_real_crds_as_schema_location(kctl):
    r = kctl("validate", "-f", str(CRDS / "kube-prometheus" / "nodeExporter-serviceMonitor.yaml"),
             "-f", str(CERT / "cert-manager-resources.yaml"), "--schema-location", str(CRDS), "--assume-namespace", "monitoring", "--summary")
    assert (r.code, r.out, r.err) == (0, "4 documents: 4 valid, 0 invalid, 0 skipped; 0 errors, 0 warnings\n", "")


# Gateway API, KEDA and Flux (see SOURCES.md): each project's CRDs and examples in one apply, then
# again as `unchanged`, then one broken copy of an example validated against the CRD folder.
# (file, old, new, line, expected error) - the broken variant is a one-string replacement.
_REAL_PROJECTS = {
    "gateway-api": ("basic-http.yaml", "value: /bar", "value: bar", 36,
                    'The HTTPRoute "http-app-1" is invalid: spec.rules[0].matches[0].path: Invalid value: '
                    "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"),
    "keda": ("keda_v1alpha1_scaledobject.yaml", "minReplicaCount: 0", "minReplicaCount: 200", 5,
             'The ScaledObject "example-scaledobject" is invalid: spec: Invalid value: '
             "minReplicaCount must be less than or equal to maxReplicaCount"),
    "flux": ("kustomize_v1_kustomization.yaml", "interval: 5m", "interval: 5 minutes", 6,
             'The Kustomization "webapp-dev" is invalid: spec.interval: Invalid value: "5 minutes": '
             "spec.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'"),
}


@pytest.mark.parametrize("project", sorted(_REAL_PROJECTS))
def test_real_project_crds_apply_reapply_and_validate(kctl, write, project):
    folder = CRDS / project
    r = kctl("apply", "-f", str(folder))
    assert (r.code, r.err) == (0, "")
    lines = r.out.splitlines()
    n_crds = sum("kind: CustomResourceDefinition" in f.read_text() for f in folder.glob("*.yaml"))
    assert sum(" created" in ln for ln in lines) == len(lines)
    assert sum(ln.startswith("customresourcedefinition.") for ln in lines) == n_crds
    again = kctl("apply", "-f", str(folder))
    assert (again.code, again.out, again.err) == (0, r.out.replace(" created\n", " unchanged\n"), "")
    example, old, new, line, message = _REAL_PROJECTS[project]
    text = (folder / example).read_text()
    assert old in text
    path = write("broken.yaml", text.replace(old, new, 1))
    r = kctl("validate", "-f", path, "--schema-location", str(CRDS))
    assert (r.code, r.out) == (1, f"{path}:{line}: {message}\n")
    r = kctl("validate", "-f", str(folder / example), "--schema-location", str(CRDS))
    assert (r.code, r.out, r.err) == (0, "", "")
