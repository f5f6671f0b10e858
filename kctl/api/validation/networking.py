"""Ingress spec rules (pkg/apis/networking/validation): rule hosts, path types and paths,
service backend port numbers. Wildcard hosts, TLS and resource backends are not checked."""

from __future__ import annotations

import ipaddress
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError
from kctl.api.validation import names

SUPPORTED_PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]
_INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"]
_INVALID_PATH_SUFFIXES = ["/..", "/."]


def _d(v: Any) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v: Any) -> list:
    return v if isinstance(v, list) else []


def _is_ip(s: str) -> bool:
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


def _backend(backend: dict, path: str) -> list[FieldError]:
    port = _d(_d(backend.get("service")).get("port"))
    num = port.get("number")
    if isinstance(num, int) and not isinstance(num, bool) and num != 0 and not port.get("name"):
        pp = field.child(path, "service.port.number")
        return [field.invalid(pp, num, m) for m in names.is_valid_port_num(num)]
    return []


def _http_path(p: dict, path: str) -> list[FieldError]:
    pt = p.get("pathType")
    if pt is None:
        return []  # the schema check reports `pathType must be specified`
    value = p.get("path") or ""
    errs: list[FieldError] = []
    vp = field.child(path, "path")
    if pt in ("Exact", "Prefix"):
        if not value.startswith("/"):
            errs.append(field.invalid(vp, value, "must be an absolute path"))
        if value:
            for seq in _INVALID_PATH_SEQUENCES:
                if seq in value:
                    errs.append(field.invalid(vp, value, f"must not contain '{seq}'"))
            for suffix in _INVALID_PATH_SUFFIXES:
                if value.endswith(suffix):
                    errs.append(field.invalid(vp, value, f"cannot end with '{suffix}'"))
    elif pt == "ImplementationSpecific":
        if value and not value.startswith("/"):
            errs.append(field.invalid(vp, value, "must be an absolute path"))
    else:
        errs.append(field.not_supported(field.child(path, "pathType"), pt, SUPPORTED_PATH_TYPES))
    errs.extend(_backend(_d(p.get("backend")), field.child(path, "backend")))
    return errs


def validate_ingress(obj: dict) -> list[FieldError]:
    """ValidateIngressSpec, the parts above (in upstream's order: defaultBackend, rules)."""
    spec = _d(obj.get("spec"))
    errs: list[FieldError] = []
    if isinstance(spec.get("defaultBackend"), dict):
        errs.extend(_backend(spec["defaultBackend"], "spec.defaultBackend"))
    for i, rule in enumerate(_l(spec.get("rules"))):
        rule = _d(rule)
        rp = field.index("spec.rules", i)
        host = rule.get("host")
        wildcard = False
        if isinstance(host, str) and host:
            hp = field.child(rp, "host")
            if _is_ip(host):
                errs.append(field.invalid(hp, host, "must be a DNS name, not an IP address"))
            if "*" in host:
                wildcard = True  # IsWildcardDNS1123Subdomain: not checked here
            else:
                errs.extend(field.invalid(hp, host, m) for m in names.dns1123_subdomain(host))
        if wildcard:
            continue
        http = rule.get("http")
        if isinstance(http, dict):
            for j, p in enumerate(_l(http.get("paths"))):
                errs.extend(_http_path(_d(p), field.index(field.child(rp, "http.paths"), j)))
    return errs
