"""`kubectl describe` of custom resources and CRDs: kubectl's genericDescriber
(pkg/describe/describe.go printUnstructuredContent + smartLabelFor), exact text."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kctl.api.kinds import Kind
from kctl.printers.describe import _smart_label, _unstructured_value, describe, has_dedicated_describer

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
CERT = Kind("cert-manager.io", "v1", "Certificate", "certificates", "certificate", ("cert", "certs"))
CRD = Kind("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
           "customresourcedefinition", ("crd", "crds"), namespaced=False)


def certificate():
    return {
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {
            "name": "web-tls", "namespace": "shop", "uid": "c1", "resourceVersion": "7", "generation": 2,
            "creationTimestamp": "2026-11-25T11:00:00Z", "labels": {"app": "web"},
            "annotations": {"cert-manager.io/issue-temporary-certificate": "true"},
            "managedFields": [{"manager": "kubectl", "operation": "Update"}],
        },
        "spec": {
            "secretName": "web-tls", "dnsNames": ["web.example.com", "www.example.com"],
            "issuerRef": {"name": "letsencrypt", "kind": "ClusterIssuer", "group": "cert-manager.io"},
            "privateKey": {"algorithm": "ECDSA", "size": 256}, "isCA": False,
            "duration": "2160h0m0s", "renewBefore": "360h0m0s", "usages": [],
        },
        "status": {
            "conditions": [{"lastTransitionTime": "2026-11-25T11:00:05Z",
                            "message": "Certificate is up to date and has not expired",
                            "observedGeneration": 2, "reason": "Ready", "status": "True", "type": "Ready"}],
            "notAfter": "2027-02-23T11:00:00Z", "notBefore": "2026-11-25T11:00:00Z",
            "renewalTime": "2027-01-24T11:00:00Z", "revision": 1,
        },
    }


EVENT = {
    "apiVersion": "v1", "kind": "Event", "metadata": {"name": "web-tls.1", "namespace": "shop"},
    "involvedObject": {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "name": "web-tls",
                       "namespace": "shop", "uid": "c1"},
    "reason": "Issuing", "message": "Issuing certificate as Secret does not exist", "type": "Normal",
    "source": {"component": "cert-manager-certificates-trigger"},
    "firstTimestamp": "2026-11-25T11:00:00Z", "lastTimestamp": "2026-11-25T11:00:00Z", "count": 1,
}

CERT_WANT = """\
Name:         web-tls
Namespace:    shop
Labels:       app=web
Annotations:  cert-manager.io/issue-temporary-certificate: true
API Version:  cert-manager.io/v1
Kind:         Certificate
Metadata:
  Creation Timestamp:  2026-11-25T11:00:00Z
  Generation:          2
  Resource Version:    7
  UID:                 c1
Spec:
  Dns Names:
    web.example.com
    www.example.com
  Duration:  2160h0m0s
  Is CA:     false
  Issuer Ref:
    Group:  cert-manager.io
    Kind:   ClusterIssuer
    Name:   letsencrypt
  Private Key:
    Algorithm:   ECDSA
    Size:        256
  Renew Before:  360h0m0s
  Secret Name:   web-tls
  Usages:
Status:
  Conditions:
    Last Transition Time:  2026-11-25T11:00:05Z
    Message:               Certificate is up to date and has not expired
    Observed Generation:   2
    Reason:                Ready
    Status:                True
    Type:                  Ready
  Not After:               2027-02-23T11:00:00Z
  Not Before:              2026-11-25T11:00:00Z
  Renewal Time:            2027-01-24T11:00:00Z
  Revision:                1
Events:
  Type    Reason   Age   From                               Message
  ----    ------   ----  ----                               -------
  Normal  Issuing  60m   cert-manager-certificates-trigger  Issuing certificate as Secret does not exist
"""


def test_certificate_with_events():
    assert not has_dedicated_describer(CERT)
    assert describe(CERT, certificate(), now=NOW, events=[EVENT]) == CERT_WANT


def test_certificate_without_events_aligns_with_the_last_block():
    got = describe(CERT, certificate(), now=NOW, events=[])
    # "Events:\t<none>" continues the tab block of the lines before it, as kubectl's tabwriter does
    assert got.endswith("  Revision:                1\nEvents:                    <none>\n")


def test_show_events_false_has_no_events_section():
    assert "Events" not in describe(CERT, certificate(), now=NOW, events=None)


def test_cluster_scoped_lists_of_lists_and_nulls():
    kind = Kind("example.com", "v1", "Widget", "widgets", "widget", namespaced=False)
    obj = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
           "spec": {"matrix": [[1, 2], ["a"]], "nothing": None, "ratio": 1234567.5, "whole": 2.0,
                    "items": [{"name": "a", "port": 80}, {"name": "b", "extra": {"k": "v"}}], "empty": {}}}
    assert describe(kind, obj, now=NOW, events=[]) == """\
Name:         w
Namespace:    
Labels:       <none>
Annotations:  <none>
API Version:  example.com/v1
Kind:         Widget
Metadata:
Spec:
  Empty:
  Items:
    Name:  a
    Port:  80
    Extra:
      K:   v
    Name:  b
  Matrix:
    [1 2]
    [a]
  Nothing:  <nil>
  Ratio:    1.2345675e+06
  Whole:    2
Events:     <none>
"""


@pytest.mark.parametrize("field,want", [
    ("apiVersion", "API Version"), ("dnsNames", "Dns Names"), ("isCA", "Is CA"), ("uid", "UID"),
    ("creationTimestamp", "Creation Timestamp"), ("URIs", "URIs"), ("x509", "x509"),
    ("some_field", "some_field"), ("kebab-case", "Kebab - Case"), ("openAPIV3Schema", "openAPIV3Schema"),
    ("targetURL", "Target URL"), ("podGUID", "Pod GUID"), ("HTTPGet", "HTTPGet"),
])
def test_smart_label(field, want):
    assert _smart_label(field) == want


@pytest.mark.parametrize("value,want", [
    (None, "<nil>"), (True, "true"), (3, "3"), (3.0, "3"), (0.5, "0.5"), (1e21, "1e+21"),
    (["a", 1, None], "[a 1 <nil>]"), ({"b": 1, "a": [True]}, "map[a:[true] b:1]"),
])
def test_unstructured_value(value, want):
    assert _unstructured_value(value) == want


def test_crd_uses_the_generic_describer():
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com", "uid": "u", "creationTimestamp": "2026-11-25T11:00:00Z"},
        "spec": {"group": "example.com", "scope": "Cluster",
                 "names": {"kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget"},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object"}}}]},
        "status": {"acceptedNames": {"kind": "Widget", "plural": "widgets"}, "storedVersions": ["v1"]},
    }
    assert not has_dedicated_describer(CRD)
    assert describe(CRD, crd, now=NOW, events=[]) == """\
Name:         widgets.example.com
Namespace:    
Labels:       <none>
Annotations:  <none>
API Version:  apiextensions.k8s.io/v1
Kind:         CustomResourceDefinition
Metadata:
  Creation Timestamp:  2026-11-25T11:00:00Z
  UID:                 u
Spec:
  Group:  example.com
  Names:
    Kind:       Widget
    List Kind:  WidgetList
    Plural:     widgets
    Singular:   widget
  Scope:        Cluster
  Versions:
    Name:  v1
    Schema:
      openAPIV3Schema:
        Type:  object
    Served:    true
    Storage:   true
Status:
  Accepted Names:
    Kind:    Widget
    Plural:  widgets
  Stored Versions:
    v1
Events:  <none>
"""
