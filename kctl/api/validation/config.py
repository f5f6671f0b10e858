"""ConfigMap and Secret validation (ValidateConfigMap/ValidateSecret and their updates in
pkg/apis/core/validation/validation.go), plus the base64 decoding of Secret `data` that the
API server does while decoding the request (Go's encoding/base64 error positions).

Go iterates maps in random order; we use the manifest's key order.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError
from kctl.api.validation import names

MAX_SECRET_SIZE = 1 * 1024 * 1024  # core.MaxSecretSize, also the ConfigMap limit
IMMUTABLE_SET = "field is immutable when `immutable` is set"
REDACTED = "<secret contents redacted>"

_B64 = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def base64_error(s: str) -> str | None:
    """Go's base64.StdEncoding.DecodeString error text for `s`, or None when it decodes.

    Mirrors decodeQuantum: CR/LF are skipped; a bad byte reports its own offset; a short
    final quantum reports where it began; bad padding reports the offending '='.
    """
    src = s.encode("utf-8", "surrogatepass")
    n = len(src)
    si = 0
    while si < n:
        j = 0
        while j < 4:
            if si == n:
                if j == 0:
                    return None
                return f"illegal base64 data at input byte {si - j}"
            c = src[si]
            si += 1
            if c in _B64:
                j += 1
                continue
            if c in (0x0A, 0x0D):
                continue
            if c != 0x3D:  # '='
                return f"illegal base64 data at input byte {si - 1}"
            # padding
            if j in (0, 1):
                return f"illegal base64 data at input byte {si - 1}"
            if j == 2:
                while si < n and src[si] in (0x0A, 0x0D):
                    si += 1
                if si == n:
                    return f"illegal base64 data at input byte {n}"
                if src[si] != 0x3D:
                    return f"illegal base64 data at input byte {si - 1}"
                si += 1
            while si < n and src[si] in (0x0A, 0x0D):
                si += 1
            if si < n:
                return f"illegal base64 data at input byte {si}"
            return None
    return None


def decode_data(value: Any) -> bytes | None:
    """Decode one Secret data value (None when it is not valid base64)."""
    if not isinstance(value, str) or base64_error(value) is not None:
        return None
    try:
        return base64.b64decode(value.replace("\n", "").replace("\r", ""), validate=False)
    except (binascii.Error, ValueError):
        return None


def secret_decoding_errors(obj: dict) -> list[FieldError]:
    """Secret `data` values that are not base64. Upstream fails the whole request while decoding
    (`illegal base64 data at input byte N`); kctl reports it as an Invalid on `data[key]`."""
    errs: list[FieldError] = []
    data = obj.get("data")
    if not isinstance(data, dict):
        return errs
    for k, v in data.items():
        if not isinstance(v, str):
            continue
        msg = base64_error(v)
        if msg:
            errs.append(field.invalid(field.key("data", str(k)), REDACTED, msg, rule="base64"))
    return errs


def _go_json_error(raw: bytes) -> str | None:
    """encoding/json.Unmarshal(raw, &map[string]interface{}) error text, approximately."""
    text = raw.decode("utf-8", "replace")
    if not text.strip():
        return "unexpected end of JSON input"
    try:
        v = json.loads(text)
    except json.JSONDecodeError as e:
        if e.pos >= len(text):
            return "unexpected end of JSON input"
        ch = text[e.pos]
        ctx = "looking for beginning of value" if "Expecting value" in e.msg else "after top-level value" if "Extra data" in e.msg else "looking for beginning of object key string"
        return f"invalid character {_go_char(ch)} {ctx}"
    if not isinstance(v, dict):
        kind = {list: "array", str: "string", bool: "bool", int: "number", float: "number"}.get(type(v), "null")
        if v is None:
            return None
        return f"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
    return None


def _go_char(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    return f"'{ch}'"


# --------------------------------------------------------------------------- ConfigMap


def _config_keys(m: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if isinstance(m, dict):
        for k in m:
            errs.extend(field.invalid(field.key(path, str(k)), str(k), msg) for msg in names.config_map_key(str(k)))
    return errs


def validate_config_map(obj: dict) -> list[FieldError]:
    """ValidateConfigMap minus metadata: keys, no key in both maps, total size ≤ 1 MiB."""
    errs: list[FieldError] = []
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    binary = obj.get("binaryData") if isinstance(obj.get("binaryData"), dict) else {}
    total = 0
    for k, v in data.items():
        k = str(k)
        errs.extend(field.invalid(field.key("data", k), k, m) for m in names.config_map_key(k))
        if k in binary:
            errs.append(field.invalid(field.key("data", k), k, "duplicate of key present in binaryData"))
        total += len(str(v if v is not None else "").encode("utf-8"))
    for k, v in binary.items():
        k = str(k)
        errs.extend(field.invalid(field.key("binaryData", k), k, m) for m in names.config_map_key(k))
        decoded = decode_data(v)
        total += len(decoded) if decoded is not None else len(str(v or ""))
    if total > MAX_SECRET_SIZE:
        # upstream passes the empty path: the error is about the whole object
        errs.append(field.too_long("", "", MAX_SECRET_SIZE))
    return errs


def _immutable_rules(new: dict, old: dict, keys: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(field.forbidden("immutable", IMMUTABLE_SET))
        for k in keys:
            if (new.get(k) or {}) != (old.get(k) or {}):
                errs.append(field.forbidden(k, IMMUTABLE_SET))
    return errs


def validate_config_map_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateConfigMapUpdate minus metadata."""
    return _immutable_rules(new, old, ("data", "binaryData")) + validate_config_map(new)


# --------------------------------------------------------------------------- Secret


def validate_secret(obj: dict) -> list[FieldError]:
    """ValidateSecret minus metadata: keys, size, and the per-type required keys."""
    errs: list[FieldError] = []
    data = obj.get("data") if isinstance(obj.get("data"), dict) else {}
    total = 0
    decoded: dict[str, bytes | None] = {}
    for k, v in data.items():
        k = str(k)
        errs.extend(field.invalid(field.key("data", k), k, m) for m in names.config_map_key(k))
        b = decode_data(v) if v is not None else b""
        decoded[k] = b
        total += len(b) if b is not None else 0
    if total > MAX_SECRET_SIZE:
        errs.append(field.too_long("data", "", MAX_SECRET_SIZE))

    stype = obj.get("type") or ""
    if stype == "kubernetes.io/service-account-token":
        ann = ((obj.get("metadata") or {}).get("annotations") or {})
        if not ann.get("kubernetes.io/service-account.name"):
            errs.append(field.required("metadata.annotations[kubernetes.io/service-account.name]", ""))
    elif stype in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if stype == "kubernetes.io/dockercfg" else ".dockerconfigjson"
        if key not in data:
            errs.append(field.required(field.key("data", key), ""))
        elif decoded.get(key) is not None:
            msg = _go_json_error(decoded[key] or b"")
            if msg:
                errs.append(field.invalid(field.key("data", key), REDACTED, msg))
    elif stype == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs.append(field.required("data[username]", ""))
            errs.append(field.required("data[password]", ""))
    elif stype == "kubernetes.io/ssh-auth":
        if not decoded.get("ssh-privatekey"):
            errs.append(field.required("data[ssh-privatekey]", ""))
    elif stype == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(field.required("data[tls.crt]", ""))
        if "tls.key" not in data:
            errs.append(field.required("data[tls.key]", ""))
    return errs


def validate_secret_create(obj: dict) -> list[FieldError]:
    """Decoding errors first (the server would stop there), then ValidateSecret."""
    dec = secret_decoding_errors(obj)
    if dec:
        return dec
    return validate_secret(obj)


def validate_secret_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateSecretUpdate minus metadata: type immutable, immutable secrets frozen."""
    dec = secret_decoding_errors(new)
    if dec:
        return dec
    errs: list[FieldError] = []
    nt, ot = new.get("type") or "", old.get("type") or ""
    if nt != ot:
        errs.append(field.invalid("type", nt, "field is immutable"))
    errs.extend(_immutable_rules(new, old, ("data",)))
    errs.extend(validate_secret(new))
    return errs
