"""Field errors in apimachinery's form (k8s.io/apimachinery/pkg/util/validation/field).

`str(FieldError)` is what the API server puts in a StatusCause and kubectl prints, e.g.
`spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
Paths are plain strings in apimachinery's notation: `spec.containers[0].ports[1].name`,
`metadata.labels[app.kubernetes.io/name]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Any

REQUIRED = "Required value"
INVALID = "Invalid value"
NOT_SUPPORTED = "Unsupported value"
DUPLICATE = "Duplicate value"
FORBIDDEN = "Forbidden"
TOO_LONG = "Too long"
TOO_MANY = "Too many"
NOT_FOUND = "Not found"
INTERNAL = "Internal error"

_OMIT = object()  # apimachinery's omitValue: print only the type


def child(path: str, name: str) -> str:
    """`child("spec", "replicas")` -> `spec.replicas`."""
    return f"{path}.{name}" if path else name


def index(path: str, i: int) -> str:
    """`index("spec.containers", 0)` -> `spec.containers[0]`."""
    return f"{path}[{i}]"


def key(path: str, k: str) -> str:
    """`key("metadata.labels", "app")` -> `metadata.labels[app]`."""
    return f"{path}[{k}]"


def go_value(value: Any) -> str:
    """Format a bad value as Go's fmt would in field.Error.ErrorBody()."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, dict):
        # Go prints map[string]string{"a":"b"} for label maps
        items = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(value.items()))
        return "map[string]string{" + items + "}"
    if isinstance(value, (list, tuple)):
        items = ", ".join(go_quote(v) if isinstance(v, str) else go_value(v) for v in value)
        return "[]string{" + items + "}"
    return str(value)


def go_quote(s: str) -> str:
    """Go's %q for a string (close enough: escapes quotes, backslashes, control chars)."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


@dataclass(frozen=True)
class FieldError:
    type: str
    field: str
    value: Any = _OMIT
    detail: str = ""
    #: machine-readable rule id for reports (e.g. "dns1123-subdomain"); not printed
    rule: str = dc_field(default="", compare=False)

    def body(self) -> str:
        if self.type in (REQUIRED, FORBIDDEN, TOO_LONG, INTERNAL) or self.value is _OMIT:
            s = self.type
        else:
            s = f"{self.type}: {go_value(self.value)}"
        if self.detail:
            s += f": {self.detail}"
        return s

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: str, detail: str = "", rule: str = "") -> FieldError:
    return FieldError(REQUIRED, path, _OMIT, detail, rule)


def invalid(path: str, value: Any, detail: str = "", rule: str = "") -> FieldError:
    return FieldError(INVALID, path, value, detail, rule)


def not_supported(path: str, value: Any, supported: list[str], rule: str = "") -> FieldError:
    detail = "supported values: " + ", ".join(go_quote(s) for s in supported) if supported else ""
    return FieldError(NOT_SUPPORTED, path, value, detail, rule)


def duplicate(path: str, value: Any, rule: str = "") -> FieldError:
    return FieldError(DUPLICATE, path, value, "", rule)


def forbidden(path: str, detail: str, rule: str = "") -> FieldError:
    return FieldError(FORBIDDEN, path, _OMIT, detail, rule)


def too_long(path: str, value: Any, max_length: int, rule: str = "") -> FieldError:
    # apimachinery 1.37: "may not be more than %d bytes" (TooLong with a known max)
    detail = f"may not be more than {max_length} bytes" if max_length >= 0 else "value is too long"
    return FieldError(TOO_LONG, path, value, detail, rule)


def too_many(path: str, actual: int, max_items: int, rule: str = "") -> FieldError:
    return FieldError(TOO_MANY, path, actual, f"must have at most {max_items} items", rule)


def not_found(path: str, value: Any, rule: str = "") -> FieldError:
    return FieldError(NOT_FOUND, path, value, "", rule)
