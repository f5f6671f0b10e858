"""ConfigMap and Secret validation (and Go's base64 error positions)."""

from __future__ import annotations

import base64
import copy

import pytest

from kctl.api.defaults import apply_defaults
from kctl.api.kinds import Kind
from kctl.api.validation import validate_create, validate_update
from kctl.api.validation.config import base64_error

CONFIGMAP = Kind("", "v1", "ConfigMap", "configmaps", "configmap", ("cm",))
SECRET = Kind("", "v1", "Secret", "secrets", "secret")


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def cm(**fields) -> dict:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app-config", "namespace": "default"}}
    obj.update(fields)
    return obj


def secret(**fields) -> dict:
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app-secret", "namespace": "default"}}
    obj.update(fields)
    apply_defaults(SECRET, obj)
    return obj


def cm_errs(obj):
    return [str(e) for e in validate_create(CONFIGMAP, obj)]


def secret_errs(obj):
    return [str(e) for e in validate_create(SECRET, obj)]


def test_realistic_configmap_is_valid():
    obj = cm(data={"nginx.conf": "events {}\nhttp { server { listen 80; } }\n", "LOG_LEVEL": "info", "app.properties": "a=b"},
             binaryData={"logo.png": b64("\x89PNG")})
    assert cm_errs(obj) == []


CM_CASES = [
    ("bad-key", cm(data={"my key": "v"}),
     ['data[my key]: Invalid value: "my key": a valid config key must consist of alphanumeric characters, \'-\', \'_\' '
      "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]),
    ("dot-dot-key", cm(data={"..": "v"}), ['data[..]: Invalid value: "..": must not be \'..\'']),
    ("duplicate-in-binary", cm(data={"k": "v"}, binaryData={"k": b64("v")}),
     ['data[k]: Invalid value: "k": duplicate of key present in binaryData']),
    ("too-big", cm(data={"a": "x" * (1024 * 1024), "b": "y"}), [": Too long: may not be more than 1048576 bytes"]),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=i) for i, o, e in CM_CASES])
def test_configmap_create(obj, expected):
    assert cm_errs(obj) == expected


def test_immutable_configmap_update():
    old = cm(data={"k": "v"}, immutable=True)
    new = copy.deepcopy(old)
    new["data"]["k"] = "w"
    new["immutable"] = False
    assert [str(e) for e in validate_update(CONFIGMAP, new, old)] == [
        "immutable: Forbidden: field is immutable when `immutable` is set",
        "data: Forbidden: field is immutable when `immutable` is set",
    ]


def test_mutable_configmap_update_allowed():
    old = cm(data={"k": "v"})
    new = cm(data={"k": "w", "k2": "x"})
    assert validate_update(CONFIGMAP, new, old) == []


@pytest.mark.parametrize(
    "stype, data, annotations",
    [
        ("Opaque", {"username": b64("admin"), "password": b64("s3cr3t")}, None),
        ("kubernetes.io/tls", {"tls.crt": b64("-----BEGIN CERTIFICATE-----"), "tls.key": b64("-----BEGIN PRIVATE KEY-----")}, None),
        ("kubernetes.io/dockerconfigjson", {".dockerconfigjson": b64('{"auths":{"ghcr.io":{"auth":"eDp5"}}}')}, None),
        ("kubernetes.io/basic-auth", {"username": b64("admin")}, None),
        ("kubernetes.io/ssh-auth", {"ssh-privatekey": b64("-----BEGIN OPENSSH PRIVATE KEY-----")}, None),
        ("kubernetes.io/service-account-token", {}, {"kubernetes.io/service-account.name": "builder"}),
    ],
    ids=["opaque", "tls", "dockerconfigjson", "basic-auth", "ssh-auth", "sa-token"],
)
def test_realistic_secrets_are_valid(stype, data, annotations):
    obj = secret(type=stype, data=data)
    if annotations:
        obj["metadata"]["annotations"] = annotations
    assert secret_errs(obj) == []


def test_string_data_is_valid_after_defaulting():
    obj = secret(stringData={"password": "pa ss"})
    assert obj["data"] == {"password": b64("pa ss")} and "stringData" not in obj
    assert secret_errs(obj) == []


SECRET_CASES = [
    ("tls-missing-both", secret(type="kubernetes.io/tls", data={}),
     ["data[tls.crt]: Required value", "data[tls.key]: Required value"]),
    ("tls-missing-key", secret(type="kubernetes.io/tls", data={"tls.crt": b64("c")}), ["data[tls.key]: Required value"]),
    ("dockerconfigjson-missing", secret(type="kubernetes.io/dockerconfigjson", data={}),
     ["data[.dockerconfigjson]: Required value"]),
    ("dockerconfigjson-not-json", secret(type="kubernetes.io/dockerconfigjson", data={".dockerconfigjson": b64("{auths")}),
     ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'a\' looking for beginning of object key string']),
    ("dockerconfigjson-empty", secret(type="kubernetes.io/dockerconfigjson", data={".dockerconfigjson": ""}),
     ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input']),
    ("basic-auth-empty", secret(type="kubernetes.io/basic-auth", data={}),
     ["data[username]: Required value", "data[password]: Required value"]),
    ("ssh-auth-empty", secret(type="kubernetes.io/ssh-auth", data={"ssh-privatekey": ""}),
     ["data[ssh-privatekey]: Required value"]),
    ("sa-token-without-annotation", secret(type="kubernetes.io/service-account-token"),
     ["metadata.annotations[kubernetes.io/service-account.name]: Required value"]),
    ("bad-key", secret(data={"a/b": b64("x")}),
     ['data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, \'-\', \'_\' or \'.\' '
      "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]),
    ("not-base64", secret(data={"password": "not base64!"}),
     ['data[password]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3']),
    ("too-big", secret(data={"blob": b64("x" * (1024 * 1024 + 1))}), ["data: Too long: may not be more than 1048576 bytes"]),
]


@pytest.mark.parametrize("obj, expected", [pytest.param(o, e, id=i) for i, o, e in SECRET_CASES])
def test_secret_create(obj, expected):
    assert secret_errs(obj) == expected


def test_secret_type_immutable():
    old = secret(data={"a": b64("x")})
    new = copy.deepcopy(old)
    new["type"] = "kubernetes.io/basic-auth"
    new["data"] = {"username": b64("u")}
    assert [str(e) for e in validate_update(SECRET, new, old)] == ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']


def test_immutable_secret_update():
    old = secret(data={"a": b64("x")}, immutable=True)
    new = copy.deepcopy(old)
    new["data"]["a"] = b64("y")
    assert [str(e) for e in validate_update(SECRET, new, old)] == ["data: Forbidden: field is immutable when `immutable` is set"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("aGVsbG8=", None),
        ("aGVsbG8=\n", None),
        ("aGVs\nbG8=", None),
        ("", None),
        ("abc", "illegal base64 data at input byte 0"),
        ("abcde", "illegal base64 data at input byte 4"),
        ("ab!d", "illegal base64 data at input byte 2"),
        ("a===", "illegal base64 data at input byte 1"),
        ("ab=", "illegal base64 data at input byte 3"),
        ("ab=x", "illegal base64 data at input byte 2"),
        ("aGVsbG8=aGVs", "illegal base64 data at input byte 8"),
        ("hello world", "illegal base64 data at input byte 5"),
    ],
)
def test_go_base64_error_positions(value, expected):
    assert base64_error(value) == expected
