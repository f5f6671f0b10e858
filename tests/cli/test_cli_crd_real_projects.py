"""kubectl behaviour found by using real CRDs (tests/e2e/real/crds/, see SOURCES.md there) as an
outside user would: categories, discovery order, status defaults in printer columns."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent.parent / "e2e" / "real" / "crds"
GW = REAL / "gateway-api"


@pytest.mark.parametrize("args,out", [
    # a CRD category names its resources (kubectl's category expander), in discovery order:
    # a group's resources sorted by plural (gatewayclasses < gateways), not by kind
    (["get", "gateway-api", "-o", "name"],
     "gatewayclass.gateway.networking.k8s.io/example\n"
     "gateway.gateway.networking.k8s.io/my-gateway\n"
     "httproute.gateway.networking.k8s.io/http-app-1\n"),
    (["get", "httproutes,gateway-api", "-o", "name"],
     "httproute.gateway.networking.k8s.io/http-app-1\n"
     "gatewayclass.gateway.networking.k8s.io/example\n"
     "gateway.gateway.networking.k8s.io/my-gateway\n"),
], ids=["category", "type-and-category"])
def test_gateway_api_category(kctl, args, out):
    assert kctl("apply", "-f", str(GW)).code == 0
    r = kctl(*args)
    assert (r.code, r.out, r.err) == (0, out, "")


def test_unknown_category_is_an_unknown_type(kctl):
    assert kctl("apply", "-f", str(GW)).code == 0
    r = kctl("get", "gateway-apis")
    assert (r.code, r.out, r.err) == (1, "", 'error: the server doesn\'t have a resource type "gateway-apis"\n')


_PENDING = ("Status:\n"
            "  Conditions:\n"
            "    Last Transition Time:  1970-01-01T00:00:00Z\n"
            "    Message:               Waiting for controller\n"
            "    Reason:                Pending\n"
            "    Status:                Unknown\n"
            "    Type:                  Accepted\n"
            "    Last Transition Time:  1970-01-01T00:00:00Z\n"
            "    Message:               Waiting for controller\n"
            "    Reason:                Pending\n"
            "    Status:                Unknown\n"
            "    Type:                  Programmed\n"
            "Events:                    <none>\n")


def test_status_default_is_served_on_read(kctl):
    """Create drops the status (status subresource) after defaulting it; the storage decoder
    defaults it again on every read, so a Gateway with no controller reads as Pending."""
    assert kctl("apply", "-f", str(GW)).code == 0
    r = kctl("get", "gateways", "-o", "jsonpath={.items[*].status.conditions[*].type}")
    assert (r.code, r.out, r.err) == (0, "Accepted Programmed", "")
    r = kctl("get", "gateway", "my-gateway", "-o", "custom-columns=PROGRAMMED:.status.conditions[1].status")
    assert r.out == "PROGRAMMED\nUnknown\n"
    r = kctl("describe", "gateway", "my-gateway")
    assert r.code == 0
    assert r.out.endswith("    Protocol:  HTTP\n" + _PENDING)


def test_gateway_tls_terminate_without_certificates(kctl, write):
    # neither field set: cel-go's || answers with the first operand's error
    path = write("gw.yaml", """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
spec:
  gatewayClassName: example
  listeners:
  - name: https
    port: 443
    protocol: HTTPS
    tls:
      mode: Terminate
""")
    r = kctl("validate", "-f", path, "--schema-location", str(GW))
    assert (r.code, r.out) == (1, (
        f'{path}:11: The Gateway "web" is invalid: spec.listeners[0].tls: Invalid value: "object": no such key: '
        "certificateRefs evaluating rule: certificateRefs or options must be specified when mode is Terminate\n"))
