"""Spec rules for two cluster-policy kinds real folders carry next to their workloads:
HorizontalPodAutoscaler (pkg/apis/autoscaling/validation) and PriorityClass
(pkg/apis/scheduling/validation). Objects are already defaulted (HPA minReplicas 1)."""

from __future__ import annotations

from typing import Any

from kctl.api import field
from kctl.api.field import FieldError

HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000
# HPAScaleToZero is alpha (off) in 1.37: minReplicas must be at least 1
MIN_REPLICAS_LOWER_BOUND = 1


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def validate_hpa(obj: dict) -> list[FieldError]:
    """validateHorizontalPodAutoscalerSpec: the replica bounds (scaleTargetRef's required
    fields come from the schema check; metrics and behavior are not checked here)."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    errs: list[FieldError] = []
    mn, mx = _int(spec.get("minReplicas")), _int(spec.get("maxReplicas"))
    if mn is not None and mn < MIN_REPLICAS_LOWER_BOUND:
        errs.append(field.invalid("spec.minReplicas", mn, f"must be greater than or equal to {MIN_REPLICAS_LOWER_BOUND}"))
    mx = 0 if mx is None else mx  # a Go int32 left out is 0
    if mx < 1:
        errs.append(field.invalid("spec.maxReplicas", mx, "must be greater than 0"))
    if mn is not None and mx < mn:
        errs.append(field.invalid("spec.maxReplicas", mx, "must be greater than or equal to `minReplicas`"))
    return errs


def validate_priority_class(obj: dict) -> list[FieldError]:
    """ValidatePriorityClass: a user-defined class (no `system-` prefix) may not rank above
    1000000000 (the system classes' names and values are not checked here)."""
    name = (obj.get("metadata") or {}).get("name") or ""
    value = _int(obj.get("value"))
    if not str(name).startswith("system-") and value is not None and value > HIGHEST_USER_DEFINABLE_PRIORITY:
        return [field.forbidden("value", f"maximum allowed value of a user defined priority is {HIGHEST_USER_DEFINABLE_PRIORITY}")]
    return []
