"""Ingress spec rules, with the API server's texts."""

from __future__ import annotations

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import resolve
from kctl.api.validation import validate_create

ING = resolve("ingresses")


def _ing(host=None, path="/", path_type="Prefix", port=None) -> dict:
    rule = {"http": {"paths": [{"path": path, "pathType": path_type,
                                "backend": {"service": {"name": "web", "port": port or {"number": 80}}}}]}}
    if host is not None:
        rule["host"] = host
    obj = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "i", "namespace": "default"},
           "spec": {"rules": [rule]}}
    apply_defaults(ING, obj)
    return obj


P0 = "spec.rules[0].http.paths[0]"
DNS = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
       "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
       "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"host": "shop.example.com"}, []),
        ({"host": "*.example.com"}, []),
        ({"path": "/tf(/|$)(.*)"}, []),  # ingress-nginx rewrite style: the API server allows it
        ({"path_type": "ImplementationSpecific", "path": ""}, []),
        ({"port": {"name": "http"}}, []),
        ({"host": "Shop.Example.com"}, [f'spec.rules[0].host: Invalid value: "Shop.Example.com": {DNS}']),
        ({"host": "10.0.0.1"}, ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']),
        ({"path": "api"}, [f'{P0}.path: Invalid value: "api": must be an absolute path']),
        ({"path": "/a//b"}, [f"{P0}.path: Invalid value: \"/a//b\": must not contain '//'"]),
        ({"path_type": "Regex"}, [f'{P0}.pathType: Unsupported value: "Regex": supported values: '
                                  '"Exact", "ImplementationSpecific", "Prefix"']),
        ({"port": {"number": 70000}}, [f"{P0}.backend.service.port.number: Invalid value: 70000: "
                                       "must be between 1 and 65535, inclusive"]),
    ],
    ids=["host", "wildcard-host", "regex-path", "impl-specific-empty", "port-name", "upper-case-host", "ip-host",
         "relative-path", "double-slash", "bad-path-type", "port-out-of-range"],
)
def test_ingress_rules(kw, expected):
    assert [str(e) for e in validate_create(ING, _ing(**kw))] == expected
