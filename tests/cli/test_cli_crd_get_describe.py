"""What a user sees of custom resources: get tables from additionalPrinterColumns, describe,
api-resources, explain, completion and `get all`, through the CLI, with a real CRD
(cert-manager's Certificate, tests/golden/crd/) and two small ones."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "crd"
CERT_CRD = str(GOLDEN / "cert-manager.io_certificates.yaml")

WIDGET_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
    shortNames: [wd]
    categories: [all]
  versions:
  - name: v1
    served: true
    storage: true
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Ratio, type: number, jsonPath: .spec.ratio}
    - {name: Enabled, type: boolean, jsonPath: .spec.enabled}
    - {name: Phase, type: string, jsonPath: .status.phase}
    - {name: Tags, type: string, jsonPath: .spec.tags, priority: 1}
    - {name: Started, type: date, jsonPath: .status.startedAt}
    schema:
      openAPIV3Schema:
        description: A Widget is a test resource.
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, description: How many parts.}
              ratio: {type: number}
              enabled: {type: boolean}
              mode: {type: string, enum: [Fast, Slow]}
              tags: {type: array, items: {type: string}}
          status:
            type: object
            properties:
              phase: {type: string}
              startedAt: {type: string, format: date-time}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Cluster
  names: {kind: Gadget, plural: gadgets, singular: gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"""

OBJECTS = """\
apiVersion: example.com/v1
kind: Widget
metadata: {name: alpha, namespace: default, labels: {tier: front}}
spec: {size: 3, ratio: 0.25, enabled: true, tags: [a, b]}
status: {phase: Running, startedAt: "2026-11-25T11:30:00Z"}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: beta, namespace: default}
spec: {size: 12, ratio: 1234567.5, enabled: false}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: gamma, namespace: team-a, labels: {tier: back}}
spec: {size: 1}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g1}
spec: {anything: [1, 2]}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web-tls, namespace: default}
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
  privateKey: {algorithm: ECDSA, size: 256}
"""


@pytest.fixture
def cluster(kctl, write, frozen_now):
    r = kctl("apply", "-f", CERT_CRD)
    assert r.code == 0, r.err
    r = kctl("apply", "-f", write("crds.yaml", WIDGET_CRD))
    assert r.code == 0, r.err
    r = kctl("apply", "-f", write("objs.yaml", OBJECTS))
    assert r.code == 0, r.err
    frozen_now(datetime(2026, 11, 25, 12, 5, 0, tzinfo=timezone.utc))
    return kctl


def ok(r):
    assert (r.code, r.err) == (0, ""), r
    return r.out


@pytest.mark.parametrize("args,want", [
    (["get", "widgets"],
     "NAME    SIZE   RATIO           ENABLED   PHASE     STARTED\n"
     "alpha   3      0.25            true      Running   35m\n"
     "beta    12     1.2345675e+06   false               \n"),
    (["get", "wd", "-o", "wide"],
     "NAME    SIZE   RATIO           ENABLED   PHASE     TAGS        STARTED\n"
     "alpha   3      0.25            true      Running   [\"a\",\"b\"]   35m\n"
     "beta    12     1.2345675e+06   false                           \n"),
    (["get", "widgets", "-A"],
     "NAMESPACE   NAME    SIZE   RATIO           ENABLED   PHASE     STARTED\n"
     "default     alpha   3      0.25            true      Running   35m\n"
     "default     beta    12     1.2345675e+06   false               \n"
     "team-a      gamma   1                                          \n"),
    (["get", "widgets", "-A", "--no-headers", "--sort-by", ".spec.size"],
     # without a header line, columns are as wide as their cells
     "team-a    gamma   1                                       \n"
     "default   alpha   3     0.25            true    Running   35m\n"
     "default   beta    12    1.2345675e+06   false             \n"),
    (["get", "widget", "alpha", "--show-labels"],
     "NAME    SIZE   RATIO   ENABLED   PHASE     STARTED   LABELS\n"
     "alpha   3      0.25    true      Running   35m       tier=front\n"),
    (["get", "widgets.example.com", "-L", "tier"],
     "NAME    SIZE   RATIO           ENABLED   PHASE     STARTED   TIER\n"
     "alpha   3      0.25            true      Running   35m       front\n"
     "beta    12     1.2345675e+06   false                         \n"),
    (["get", "widgets", "-o", "name"], "widget.example.com/alpha\nwidget.example.com/beta\n"),
    (["get", "gadgets"], "NAME   AGE\ng1     5m\n"),
    (["get", "gadgets", "-A"], "NAME   AGE\ng1     5m\n"),  # cluster scoped: no NAMESPACE
    (["get", "certs"], "NAME      READY   SECRET    AGE\nweb-tls           web-tls   5m\n"),
    (["get", "certificates.cert-manager.io", "-o", "wide"],
     "NAME      READY   SECRET    ISSUER        STATUS   EXPIRATION   AGE\n"
     "web-tls           web-tls   letsencrypt                         5m\n"),
    (["get", "crd"],
     "NAME                           SCOPE        VERSIONS      CREATED AT\n"
     "certificates.cert-manager.io   Namespaced   v1(storage)   2026-11-25T12:00:00Z\n"
     "gadgets.example.com            Cluster      v1(storage)   2026-11-25T12:00:00Z\n"
     "widgets.example.com            Namespaced   v1(storage)   2026-11-25T12:00:00Z\n"),
    (["get", "crds", "widgets.example.com", "certificates.cert-manager.io", "-o", "wide"],
     "NAME                           SCOPE        VERSIONS      CREATED AT             GROUP             KIND"
     "          SHORTNAMES   ESTABLISHED\n"
     "widgets.example.com            Namespaced   v1(storage)   2026-11-25T12:00:00Z   example.com       Widget"
     "        wd           true\n"
     "certificates.cert-manager.io   Namespaced   v1(storage)   2026-11-25T12:00:00Z   cert-manager.io   Certificate"
     "   cert,certs   true\n"),
], ids=["table", "wide", "all-namespaces", "sorted-no-headers", "show-labels", "label-column", "name",
        "default-columns", "cluster-scoped-A", "cert-manager", "cert-manager-wide", "crds", "crds-wide"])
def test_get_tables(cluster, args, want):
    assert ok(cluster(*args)) == want


def test_get_several_kinds_prefixes_names(cluster):
    assert ok(cluster("get", "widgets,gadgets")) == (
        "NAME                       SIZE   RATIO           ENABLED   PHASE     STARTED\n"
        "widget.example.com/alpha   3      0.25            true      Running   35m\n"
        "widget.example.com/beta    12     1.2345675e+06   false               \n"
        "\n"
        "NAME                    AGE\n"
        "gadget.example.com/g1   5m\n"
    )


def test_get_all_includes_category_all(cluster):
    out = ok(cluster("get", "all"))
    assert out.endswith(
        "\n"
        "NAME                       SIZE   RATIO           ENABLED   PHASE     STARTED\n"
        "widget.example.com/alpha   3      0.25            true      Running   35m\n"
        "widget.example.com/beta    12     1.2345675e+06   false               \n"
    )
    assert "certificate" not in out and "gadget" not in out  # not in category all


def test_get_cr_empty_namespace(cluster):
    r = cluster("get", "widgets", "-n", "kube-system")
    assert (r.code, r.out, r.err) == (0, "", "No resources found in kube-system namespace.\n")


def test_describe_custom_resource(cluster):
    assert ok(cluster("describe", "widget", "alpha")).split("Metadata:\n")[0] == (
        "Name:         alpha\n"
        "Namespace:    default\n"
        "Labels:       tier=front\n"
        "Annotations:  <none>\n"
        "API Version:  example.com/v1\n"
        "Kind:         Widget\n"
    )
    tail = ok(cluster("describe", "widget", "alpha")).split("Spec:\n")[1]
    assert tail == (
        "  Enabled:  true\n"
        "  Ratio:    0.25\n"
        "  Size:     3\n"
        "  Tags:\n"
        "    a\n"
        "    b\n"
        "Status:\n"
        "  Phase:       Running\n"
        "  Started At:  2026-11-25T11:30:00Z\n"
        "Events:        <none>\n"
    )


def test_describe_certificate_and_its_crd(cluster):
    out = ok(cluster("describe", "cert", "web-tls"))
    assert "Spec:\n  Dns Names:\n    web.example.com\n  Issuer Ref:\n    Kind:  ClusterIssuer\n" in out
    assert "  Private Key:\n    Algorithm:  ECDSA\n    Size:       256\n" in out
    crd = ok(cluster("describe", "crd", "widgets.example.com"))
    assert crd.startswith("Name:         widgets.example.com\nNamespace:    \nLabels:       <none>\n")
    assert "Kind:         CustomResourceDefinition\n" in crd
    assert "  Names:\n    Categories:\n      all\n    Kind:       Widget\n" in crd


def test_api_resources(cluster):
    assert ok(cluster("api-resources", "--api-group", "example.com")) == (
        "NAME      SHORTNAMES   APIVERSION       NAMESPACED   KIND\n"
        "gadgets                example.com/v1   false        Gadget\n"
        "widgets   wd           example.com/v1   true         Widget\n"
    )
    assert ok(cluster("api-resources", "--api-group", "cert-manager.io", "-o", "wide")) == (
        "NAME           SHORTNAMES   APIVERSION           NAMESPACED   KIND          VERBS"
        "                                                        CATEGORIES\n"
        "certificates   cert,certs   cert-manager.io/v1   true         Certificate   "
        "delete,deletecollection,get,list,patch,create,update,watch   cert-manager\n"
    )
    assert ok(cluster("api-resources", "--categories", "all", "-o", "name")).endswith("widgets.example.com\n")
    names = ok(cluster("api-resources", "--namespaced=false", "-o", "name")).split()
    assert "gadgets.example.com" in names and "widgets.example.com" not in names


def test_explain(cluster):
    assert ok(cluster("explain", "widgets.spec")) == (
        "GROUP:      example.com\nKIND:       Widget\nVERSION:    v1\n\n"
        "FIELD: spec <Object>\n\n\n"
        "DESCRIPTION:\n    <empty>\n"
        "FIELDS:\n"
        "  enabled\t<boolean>\n    <no description>\n\n"
        "  mode\t<string>\n  enum: Fast, Slow\n    <no description>\n\n"
        "  ratio\t<number>\n    <no description>\n\n"
        "  size\t<integer>\n    How many parts.\n\n"
        "  tags\t<[]string>\n    <no description>\n\n\n"
    )
    assert ok(cluster("explain", "certs")) == (GOLDEN / "explain-certificates.txt").read_text()
    assert ok(cluster("explain", "certificate.spec.privateKey")) == (
        GOLDEN / "explain-certificates.spec.privateKey.txt").read_text()
    r = cluster("explain", "widgets.spec.nope")
    assert (r.code, r.out, r.err) == (1, "", 'error: field "nope" does not exist\n')


def test_explain_and_api_resources_do_not_create_a_store(kctl, store_path):
    assert kctl("explain", "configmaps.data").code == 0
    assert kctl("api-resources", "-o", "name").code == 0
    assert not store_path.exists()


@pytest.fixture
def complete(cluster, monkeypatch):
    def run(line: str) -> list[str]:
        words = line.split(" ")
        monkeypatch.setenv("COMP_WORDS", line)
        monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
        r = cluster("completion", "__complete", "bash")
        assert (r.code, r.err) == (0, "")
        return [ln.split(",", 1)[1] for ln in r.out.splitlines()]

    return run


@pytest.mark.parametrize("line,want", [
    ("kctl get widg", ["widgets"]),
    ("kctl get gadgets,wid", ["gadgets,widgets"]),
    ("kctl explain certificates", ["certificates", "certificatesigningrequests"]),
    ("kctl get widgets ", ["alpha", "beta"]),
    ("kctl describe wd a", ["alpha"]),
    ("kctl get widget/b", ["widget/beta"]),
    ("kctl get gadgets ", ["g1"]),
])
def test_completion(complete, line, want):
    assert complete(line) == want
