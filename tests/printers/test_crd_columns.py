"""Custom resource tables: apiextensions-apiserver's tableconvertor + kubectl's table printer."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from kctl.printers import crd_columns as C
from kctl.printers.columns import columns_for
from kctl.printers.table import render_table

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "crd"


def _col(type_, path=".spec.v", name="V", priority=0):
    return C.parse_columns([{"name": name, "type": type_, "jsonPath": path, "priority": priority}])[0]


@pytest.mark.parametrize(
    "type_,value,want",
    [
        # type string: client-go jsonpath's PrintResults of the value
        ("string", "hello", "hello"),
        ("string", 3, "3"),
        ("string", 2.5, "2.5"),
        ("string", 1234567.5, "1.2345675e+06"),  # Go's %v of a float64
        ("string", 3.0, "3"),
        ("string", True, "true"),
        ("string", False, "false"),
        ("string", None, "<no value>"),
        ("string", ["a", "b"], '["a","b"]'),
        ("string", {"b": 1, "a": "<x>"}, '{"a":"\\u003cx\\u003e","b":1}'),
        ("string", "two\nlines", "two..."),
        ("string", "cr\rhere", "cr..."),
        ("string", "\x1b[31mred", "^[[31mred"),
        # integer: int64 as is, floats truncated, anything else a nil cell
        ("integer", 7, "7"),
        ("integer", -7, "-7"),
        ("integer", 2.9, "2"),
        ("integer", -2.9, "-2"),
        ("integer", "7", ""),
        ("integer", True, ""),
        ("integer", [1], ""),
        ("integer", None, ""),
        # number: float64, printed after the JSON round trip (integral -> int64)
        ("number", 3, "3"),
        ("number", 2.5, "2.5"),
        ("number", 1e6, "1000000"),
        ("number", 1234567.5, "1.2345675e+06"),
        ("number", 1e-7, "1e-07"),
        ("number", "2.5", ""),
        ("number", False, ""),
        # boolean
        ("boolean", True, "true"),
        ("boolean", False, "false"),
        ("boolean", "true", ""),
        ("boolean", 1, ""),
        # date: a human duration since then
        ("date", "2026-11-25T11:00:00Z", "60m"),
        ("date", "2026-11-25T11:59:15Z", "45s"),
        ("date", "2026-11-25T13:00:00+02:00", "60m"),
        ("date", "2026-11-25T11:59:50.5Z", "9s"),
        ("date", "2026-11-20T12:00:00Z", "5d"),
        ("date", "2026-11-25T12:00:30Z", "<invalid>"),  # in the future
        ("date", "yesterday", "<invalid>"),
        ("date", "2026-11-25", "<invalid>"),
        ("date", "", "<unknown>"),
        ("date", "null", "<unknown>"),
        ("date", "0001-01-01T00:00:00Z", "<unknown>"),
        ("date", 12, ""),
        # a type the server does not know: nil
        ("other", "x", ""),
    ],
)
def test_cell_formatting(type_, value, want):
    assert C.cell(_col(type_), {"spec": {"v": value}}, NOW) == want


@pytest.mark.parametrize(
    "path,obj,want",
    [
        (".spec.v", {}, ""),  # missing: a nil cell, printed as nothing
        (".spec.v", {"spec": None}, ""),
        (".spec.list[0]", {"spec": {"list": ["a", "b"]}}, "a"),
        (".spec.list[*]", {"spec": {"list": ["a", "b"]}}, "a"),  # the first result only
        (".spec.list[5]", {"spec": {"list": ["a"]}}, ""),  # an execution error: nil
        ('.status.conditions[?(@.type=="Ready")].status',
         {"status": {"conditions": [{"type": "Synced", "status": "False"}, {"type": "Ready", "status": "True"}]}},
         "True"),
        ('.status.conditions[?(@.type=="Ready")].status', {"status": {"conditions": []}}, ""),
        (".metadata.labels.app", {"metadata": {"labels": {"app": "web"}}}, "web"),
    ],
)
def test_cell_paths(path, obj, want):
    assert C.cell(_col("string", path), obj, NOW) == want


def _crd(columns=None, versions=None):
    v = {"name": "v1", "served": True, "storage": True}
    if columns is not None:
        v["additionalPrinterColumns"] = columns
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "spec": {"group": "example.com", "versions": versions or [v]}}


@pytest.mark.parametrize(
    "crd,version,wide,headers",
    [
        # no columns: the server's default Age column
        (_crd(), "v1", False, ["NAME", "AGE"]),
        (_crd([]), "v1", True, ["NAME", "AGE"]),
        # columns given: no AGE added; priority != 0 only with -o wide; names upper-cased
        (_crd([{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}]), "v1", False, ["NAME", "SIZE"]),
        (_crd([{"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
               {"name": "Owner Team", "type": "string", "jsonPath": ".spec.team", "priority": 1},
               {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]), "v1", False,
         ["NAME", "SIZE", "AGE"]),
        (_crd([{"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
               {"name": "Owner Team", "type": "string", "jsonPath": ".spec.team", "priority": 1},
               {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]), "v1", True,
         ["NAME", "SIZE", "OWNER TEAM", "AGE"]),
        # per version: the served version's own columns
        (_crd(versions=[{"name": "v1", "served": True, "storage": True,
                         "additionalPrinterColumns": [{"name": "A", "type": "string", "jsonPath": ".a"}]},
                        {"name": "v2", "served": True, "storage": False,
                         "additionalPrinterColumns": [{"name": "B", "type": "string", "jsonPath": ".b"}]}]),
         "v2", False, ["NAME", "B"]),
        # a path that does not parse ends the columns (the server keeps those before it)
        (_crd([{"name": "A", "type": "string", "jsonPath": ".a"},
               {"name": "Bad", "type": "string", "jsonPath": ".b[?("},
               {"name": "C", "type": "string", "jsonPath": ".c"}]), "v1", False, ["NAME", "A"]),
    ],
)
def test_headers(crd, version, wide, headers):
    assert C.table_for_crd(crd, version, wide)[0] == headers


def test_default_age_row():
    headers, row = C.table_for_crd(_crd(), "v1")
    obj = {"metadata": {"name": "w1", "creationTimestamp": "2026-11-25T11:55:00Z"}}
    assert row(obj, NOW) == ["w1", "5m"]


def _cert_manager_crd():
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load((GOLDEN / "cert-manager.io_certificates.yaml").read_text())


CERTS = [
    {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
     "metadata": {"name": "web-tls", "namespace": "default", "creationTimestamp": "2026-11-25T11:00:00Z"},
     "spec": {"secretName": "web-tls", "issuerRef": {"name": "letsencrypt"}},
     "status": {"conditions": [{"type": "Ready", "status": "True",
                                "message": "Certificate is up to date and has not expired"}],
                "notAfter": "2027-02-23T11:00:00Z"}},
    {"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
     "metadata": {"name": "pending", "namespace": "default", "creationTimestamp": "2026-11-25T11:58:00Z"},
     "spec": {"secretName": "pending-tls", "issuerRef": {"name": "ca"}}},
]


@pytest.mark.parametrize(
    "wide,want",
    [
        (False,
         "NAME      READY   SECRET        AGE\n"
         "web-tls   True    web-tls       60m\n"
         "pending           pending-tls   2m\n"),
        (True,
         "NAME      READY   SECRET        ISSUER        STATUS                                          EXPIRATION             AGE\n"
         "web-tls   True    web-tls       letsencrypt   Certificate is up to date and has not expired   2027-02-23T11:00:00Z   60m\n"
         "pending           pending-tls   ca                                                                                   2m\n"),
    ],
)
def test_cert_manager_certificate_table(wide, want):
    headers, row = C.table_for_crd(_cert_manager_crd(), "v1", wide)
    assert render_table(headers, [row(o, NOW) for o in CERTS]) == want


def test_columns_for_consults_the_registry():
    from kctl.api.crd import registry

    crd = _cert_manager_crd()
    registry.clear()
    try:
        kind = registry.register(crd)
        assert columns_for(kind)[0] == ["NAME", "READY", "SECRET", "AGE"]
        registry.unregister(kind.group, kind.kind)
        assert columns_for(kind)[0] == ["NAME", "AGE"]  # unknown group, not served: name and age
    finally:
        registry.clear()


def test_columns_for_crd_in_a_k8s_io_group():
    """Gateway API's groups end in .k8s.io; their CRDs' columns still apply."""
    from kctl.api.crd import registry

    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "gateways.gateway.networking.k8s.io"},
           "spec": {"group": "gateway.networking.k8s.io", "scope": "Namespaced",
                    "names": {"kind": "Gateway", "plural": "gateways", "singular": "gateway"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "additionalPrinterColumns": [
                                      {"name": "Class", "type": "string", "jsonPath": ".spec.gatewayClassName"}]}]}}
    registry.clear()
    try:
        kind = registry.register(crd)
        assert columns_for(kind)[0] == ["NAME", "CLASS"]
    finally:
        registry.clear()


# ---------------------------------------------------------------- kubectl get crd (1.37)
FOO_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "foos.sample.example.com", "creationTimestamp": "2025-05-03T16:36:32Z"},
    "spec": {"group": "sample.example.com", "scope": "Namespaced",
             "names": {"kind": "Foo", "plural": "foos", "shortNames": ["f"]},
             "versions": [{"name": "v1beta1", "served": True, "storage": False},
                          {"name": "v1", "served": True, "storage": True},
                          {"name": "v1alpha1", "served": False, "storage": False}]},
    "status": {"conditions": [{"type": "NamesAccepted", "status": "True"},
                              {"type": "Established", "status": "True"}]},
}


@pytest.mark.parametrize("crd,wide,want", [
    # upstream's TestPrintCRD: served versions sorted, storage marked
    (FOO_CRD, True, ["foos.sample.example.com", "Namespaced", "v1(storage),v1beta1", "2025-05-03T16:36:32Z",
                     "sample.example.com", "Foo", "f", "true"]),
    (FOO_CRD, False, ["foos.sample.example.com", "Namespaced", "v1(storage),v1beta1", "2025-05-03T16:36:32Z"]),
    ({"metadata": {"name": "bars.x.io", "creationTimestamp": "2026-11-25T13:00:00+01:00"},
      "spec": {"group": "x.io", "scope": "Cluster", "names": {"kind": "Bar"},
               "versions": [{"name": "v2", "served": True, "storage": True}]},
      "status": {"conditions": [{"type": "Established", "status": "False"}]}}, True,
     ["bars.x.io", "Cluster", "v2(storage)", "2026-11-25T12:00:00Z", "x.io", "Bar", "", "false"]),
    ({"metadata": {"name": "empty"}}, True, ["empty", "", "", "0001-01-01T00:00:00Z", "", "", "", "false"]),
])
def test_crd_row(crd, wide, want):
    assert C.crd_row(crd, wide) == want


@pytest.mark.parametrize("wide,headers", [
    (False, ["NAME", "SCOPE", "VERSIONS", "CREATED AT"]),
    (True, ["NAME", "SCOPE", "VERSIONS", "CREATED AT", "GROUP", "KIND", "SHORTNAMES", "ESTABLISHED"]),
])
def test_crd_headers(wide, headers):
    from kctl.api.kinds import resolve

    assert columns_for(resolve("crd"), wide)[0] == headers
