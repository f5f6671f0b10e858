"""Semantic validation of apps/v1 workloads (pkg/apis/apps/validation/validation.go) and the
selector-immutability checks of their registry strategies (pkg/registry/apps/*/strategy.go).

Objects are already defaulted. Errors come in upstream's order; texts are upstream's.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from kctl.api import field
from kctl.api.field import FieldError, go_quote
from kctl.api.validation import names
from kctl.api.validation.meta import GoText, validate_label_name, validate_labels, validate_nonnegative

FIELD_IMMUTABLE = "field is immutable"
SELECTOR_MISMATCH = "`selector` does not match template `labels`"
_PERCENT_RX = re.compile(r"^[0-9]+%$")


# --------------------------------------------------------------------------- Go renderings


def _go_str_map(m: Any) -> str:
    if not isinstance(m, dict):
        return "map[string]string(nil)"
    items = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(m.items()))
    return "map[string]string{" + items + "}"


def go_labels(labels: Any) -> Any:
    """Template labels as upstream prints them: a map, or `map[string]string(nil)` when absent."""
    if isinstance(labels, dict):
        return labels
    return GoText("map[string]string(nil)")


def go_label_selector(sel: Any) -> GoText:
    """`%#v` of a metav1.LabelSelector, as in `spec.selector: Invalid value: v1.LabelSelector{...}`."""
    sel = sel if isinstance(sel, dict) else {}
    ml = _go_str_map(sel.get("matchLabels")) if sel.get("matchLabels") is not None else "map[string]string(nil)"
    exprs = sel.get("matchExpressions")
    if exprs is None:
        me = "[]v1.LabelSelectorRequirement(nil)"
    else:
        parts = []
        for e in exprs:
            e = e if isinstance(e, dict) else {}
            vals = e.get("values")
            vs = "[]string(nil)" if vals is None else "[]string{" + ", ".join(go_quote(str(v)) for v in vals) + "}"
            parts.append(
                f'v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get("key", "")))}, '
                f'Operator:{go_quote(str(e.get("operator", "")))}, Values:{vs}}}'
            )
        me = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    return GoText(f"v1.LabelSelector{{MatchLabels:{ml}, MatchExpressions:{me}}}")


def go_int_or_string(v: Any) -> Any:
    """An IntOrString as the 1.37 API server prints it: the int bare, the string quoted
    (`maxUnavailable: Invalid value: 0: ...`, `Invalid value: "0%": ...` on a 1.37.0 cluster;
    older servers printed `intstr.IntOrString{Type:0, IntVal:0, StrVal:""}`)."""
    return v


# --------------------------------------------------------------------------- selectors


def validate_label_selector(sel: Any, path: str) -> list[FieldError]:
    """ValidateLabelSelector with AllowInvalidLabelValueInSelector=false (strict)."""
    errs: list[FieldError] = []
    if not isinstance(sel, dict):
        return errs
    errs.extend(validate_labels(sel.get("matchLabels"), field.child(path, "matchLabels")))
    for i, req in enumerate(sel.get("matchExpressions") or []):
        rp = field.index(field.child(path, "matchExpressions"), i)
        req = req if isinstance(req, dict) else {}
        op = req.get("operator", "")
        values = req.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(field.required(field.child(rp, "values"), "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(field.forbidden(field.child(rp, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(field.invalid(field.child(rp, "operator"), op, "not a valid selector operator"))
        errs.extend(validate_label_name(str(req.get("key", "")), field.child(rp, "key")))
        for j, v in enumerate(values):
            errs.extend(field.invalid(field.index(field.child(rp, "values"), j), v, m) for m in names.label_value(str(v)))
    return errs


def _selector_convertible(sel: Any) -> bool:
    """Would metav1.LabelSelectorAsSelector succeed? (nil and {} do; bad keys/ops/values don't)."""
    return sel is None or not validate_label_selector(sel, "")


def selector_is_empty(sel: Any) -> bool:
    """labels.Selector.Empty(): `{}` selects everything. A nil selector selects nothing."""
    return isinstance(sel, dict) and not sel.get("matchLabels") and not sel.get("matchExpressions")


def selector_matches(sel: Any, labels: Any) -> bool:
    """Does a LabelSelector (dict form) select `labels`? nil selects nothing, {} everything."""
    if sel is None:
        return False
    labels = labels if isinstance(labels, dict) else {}
    for k, v in (sel.get("matchLabels") or {}).items():
        if k not in labels or str(labels[k]) != str(v):
            return False
    for req in sel.get("matchExpressions") or []:
        k, op, vals = req.get("key"), req.get("operator"), [str(v) for v in req.get("values") or []]
        has = k in labels
        if op == "In" and not (has and str(labels[k]) in vals):
            return False
        if op == "NotIn" and has and str(labels[k]) in vals:
            return False
        if op == "Exists" and not has:
            return False
        if op == "DoesNotExist" and has:
            return False
    return True


# --------------------------------------------------------------------------- int-or-percent


def _percent_value(v: Any) -> int | None:
    if isinstance(v, str) and _PERCENT_RX.match(v):
        return int(v[:-1])
    return None


def int_or_percent_value(v: Any) -> int:
    """getIntOrPercentValue: a valid percent's number, else IntValue() (bad strings → 0)."""
    p = _percent_value(v)
    if p is not None:
        return p
    if isinstance(v, bool):
        return 0
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v)
        except ValueError:
            return 0
    return 0


def validate_positive_int_or_percent(v: Any, path: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent."""
    if isinstance(v, str):
        return [field.invalid(path, go_int_or_string(v), m) for m in names.percent(v)]
    if isinstance(v, int) and not isinstance(v, bool):
        return validate_nonnegative(v, path)
    return []


def is_not_more_than_100_percent(v: Any, path: str) -> list[FieldError]:
    p = _percent_value(v)
    if p is None or p <= 100:
        return []
    return [field.invalid(path, go_int_or_string(v), "must not be greater than 100%")]


# --------------------------------------------------------------------------- shared pieces


def _template_core(template: Any, path: str, workload_kind: str) -> list[FieldError]:
    """ValidatePodTemplateSpec via validation-core (imported late: it may land after us).

    `workload_kind` is deliberately not passed on: the workload rules that follow it
    (restartPolicy must be Always, activeDeadlineSeconds forbidden) are applied here, in
    apps/validation.go's order and wording.
    """
    from kctl.api.validation.core import validate_pod_template_spec

    return validate_pod_template_spec(template, path)


def _template_meta_only(template: dict, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForStatefulSet: upstream checks only the template's labels and
    annotations (its pod spec is not validated: volume mounts may name claim templates)."""
    from kctl.api.validation.meta import validate_annotations

    meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    errs = validate_labels(meta.get("labels"), field.child(path, "labels"))
    errs.extend(validate_annotations(meta.get("annotations"), field.child(path, "annotations")))
    return errs


def _restart_and_deadline(tspec: dict, path: str, kind_word: str) -> list[FieldError]:
    errs: list[FieldError] = []
    rp = tspec.get("restartPolicy", "")
    if rp != "Always":
        errs.append(field.not_supported(field.child(path, "restartPolicy"), rp or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(field.forbidden(field.child(path, "activeDeadlineSeconds"),
                                    f"activeDeadlineSeconds in {kind_word} is not Supported"))
    return errs


def _selector_block(spec: dict, path: str, word: str) -> list[FieldError]:
    """selector Required / ValidateLabelSelector / `empty selector is invalid for <word>`."""
    errs: list[FieldError] = []
    sel = spec.get("selector")
    sp = field.child(path, "selector")
    if sel is None:
        errs.append(field.required(sp, ""))
    else:
        errs.extend(validate_label_selector(sel, sp))
        if selector_is_empty(sel):
            errs.append(field.invalid(sp, go_label_selector(sel), f"empty selector is invalid for {word}"))
    return errs


def _template_for_replica_set(spec: dict, path: str, kind_word: str, workload_kind: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet, preceded by the selector-conversion check."""
    errs: list[FieldError] = []
    sel = spec.get("selector")
    tp = field.child(path, "template")
    if not _selector_convertible(sel):
        errs.append(field.invalid(field.child(path, "selector"), go_label_selector(sel), "invalid label selector"))
        return errs
    template = spec.get("template")
    if not isinstance(template, dict):
        return [field.required(tp, "")]
    tlabels = (template.get("metadata") or {}).get("labels")
    if not selector_is_empty(sel) and not selector_matches(sel, tlabels):
        errs.append(field.invalid(field.child(tp, "metadata.labels"), go_labels(tlabels), SELECTOR_MISMATCH))
    errs.extend(_template_core(template, tp, workload_kind))
    errs.extend(_restart_and_deadline(template.get("spec") or {}, field.child(tp, "spec"), kind_word))
    return errs


def _nonneg(spec: dict, key: str, path: str) -> list[FieldError]:
    return validate_nonnegative(spec.get(key), field.child(path, key))


# --------------------------------------------------------------------------- Deployment


def _go_deployment_strategy(strategy: dict) -> GoText:
    ru = strategy.get("rollingUpdate")
    ptr = "(*apps.RollingUpdateDeployment)(nil)" if ru is None else "(*apps.RollingUpdateDeployment)(0xc000000000)"
    return GoText(f'apps.DeploymentStrategy{{Type:{go_quote(str(strategy.get("type", "")))}, RollingUpdate:{ptr}}}')


def validate_deployment_strategy(strategy: Any, path: str) -> list[FieldError]:
    """ValidateDeploymentStrategy (+ ValidateRollingUpdateDeployment)."""
    strategy = strategy if isinstance(strategy, dict) else {}
    errs: list[FieldError] = []
    t = strategy.get("type", "")
    if t == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            errs.append(field.forbidden(field.child(path, "rollingUpdate"),
                                        "may not be specified when strategy `type` is 'Recreate'"))
    elif t == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        rp = field.child(path, "rollingUpdate")
        if ru is None:
            errs.append(field.required(rp, "this should be defaulted and never be nil"))
        else:
            mu, ms = ru.get("maxUnavailable", 0), ru.get("maxSurge", 0)
            mup, msp = field.child(rp, "maxUnavailable"), field.child(rp, "maxSurge")
            errs.extend(validate_positive_int_or_percent(mu, mup))
            errs.extend(validate_positive_int_or_percent(ms, msp))
            if int_or_percent_value(mu) == 0 and int_or_percent_value(ms) == 0:
                errs.append(field.invalid(mup, go_int_or_string(mu), "may not be 0 when `maxSurge` is 0"))
            errs.extend(is_not_more_than_100_percent(mu, mup))
    else:
        errs.append(field.not_supported(path, _go_deployment_strategy(strategy), ["Recreate", "RollingUpdate"]))
    return errs


def validate_deployment_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateDeploymentSpec."""
    spec = spec if isinstance(spec, dict) else {}
    errs = _nonneg(spec, "replicas", path)
    errs.extend(_selector_block(spec, path, "deployment"))
    errs.extend(_template_for_replica_set(spec, path, "ReplicaSet", "Deployment"))
    errs.extend(validate_deployment_strategy(spec.get("strategy"), field.child(path, "strategy")))
    errs.extend(_nonneg(spec, "minReadySeconds", path))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(_nonneg(spec, "revisionHistoryLimit", path))
    if isinstance(spec.get("rollbackTo"), dict):
        errs.extend(validate_nonnegative(spec["rollbackTo"].get("revision"), field.child(path, "rollback.version")))
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        errs.extend(_nonneg(spec, "progressDeadlineSeconds", path))
        mrs = spec.get("minReadySeconds") or 0
        if isinstance(pds, int) and isinstance(mrs, int) and pds <= mrs:
            errs.append(field.invalid(field.child(path, "progressDeadlineSeconds"), pds, "must be greater than minReadySeconds"))
    return errs


def _selector_immutable(new: dict, old: dict) -> list[FieldError]:
    ns, os_ = (new.get("spec") or {}).get("selector"), (old.get("spec") or {}).get("selector")
    if _norm_selector(ns) != _norm_selector(os_):
        return [field.invalid("spec.selector", go_label_selector(ns), FIELD_IMMUTABLE)]
    return []


def _norm_selector(sel: Any) -> Any:
    # Semantic equality: an empty map equals a missing one.
    if not isinstance(sel, dict):
        return sel
    return {"matchLabels": sel.get("matchLabels") or {}, "matchExpressions": sel.get("matchExpressions") or []}


def validate_deployment(obj: dict) -> list[FieldError]:
    """Spec part of ValidateDeployment (metadata is the dispatcher's)."""
    return validate_deployment_spec(obj.get("spec"), "spec")


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    """Spec part of ValidateDeploymentUpdate, then the strategy's selector immutability."""
    return validate_deployment_spec(new.get("spec"), "spec") + _selector_immutable(new, old)


# --------------------------------------------------------------------------- ReplicaSet


def validate_replica_set_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateReplicaSetSpec (its empty-selector text says 'deployment', as upstream's does)."""
    spec = spec if isinstance(spec, dict) else {}
    errs = _nonneg(spec, "replicas", path)
    errs.extend(_nonneg(spec, "minReadySeconds", path))
    errs.extend(_selector_block(spec, path, "deployment"))
    errs.extend(_template_for_replica_set(spec, path, "ReplicaSet", "ReplicaSet"))
    return errs


def validate_replica_set(obj: dict) -> list[FieldError]:
    return validate_replica_set_spec(obj.get("spec"), "spec")


def validate_replica_set_update(new: dict, old: dict) -> list[FieldError]:
    return validate_replica_set_spec(new.get("spec"), "spec") + _selector_immutable(new, old)


# --------------------------------------------------------------------------- DaemonSet


def _go_daemon_set_strategy(strategy: dict) -> GoText:
    ru = strategy.get("rollingUpdate")
    ptr = "(*apps.RollingUpdateDaemonSet)(nil)" if ru is None else "(*apps.RollingUpdateDaemonSet)(0xc000000000)"
    return GoText(f'apps.DaemonSetUpdateStrategy{{Type:{go_quote(str(strategy.get("type", "")))}, RollingUpdate:{ptr}}}')


def validate_daemon_set_update_strategy(strategy: Any, path: str) -> list[FieldError]:
    """ValidateDaemonSetUpdateStrategy (+ ValidateRollingUpdateDaemonSet)."""
    strategy = strategy if isinstance(strategy, dict) else {}
    t = strategy.get("type", "")
    if t == "OnDelete":
        return []
    if t != "RollingUpdate":
        return [field.not_supported(path, _go_daemon_set_strategy(strategy), ["RollingUpdate", "OnDelete"])]
    ru = strategy.get("rollingUpdate")
    rp = field.child(path, "rollingUpdate")
    if ru is None:
        return [field.required(rp, "")]
    mu, ms = ru.get("maxUnavailable", 0), ru.get("maxSurge", 0)
    mup, msp = field.child(rp, "maxUnavailable"), field.child(rp, "maxSurge")
    errs = validate_positive_int_or_percent(mu, mup)
    errs.extend(validate_positive_int_or_percent(ms, msp))
    errs.extend(is_not_more_than_100_percent(mu, mup))
    errs.extend(is_not_more_than_100_percent(ms, msp))
    has_u, has_s = int_or_percent_value(mu) != 0, int_or_percent_value(ms) != 0
    if has_u and has_s:
        errs.append(field.invalid(msp, go_int_or_string(ms), "may not be set when maxUnavailable is non-zero"))
    elif not has_u and not has_s:
        errs.append(field.required(mup, "cannot be 0 when maxSurge is 0"))
    return errs


def validate_daemon_set_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateDaemonSetSpec (no Required check on a nil selector upstream: the nil selector
    selects nothing, so the template-labels error reports it)."""
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    sel = spec.get("selector")
    sp = field.child(path, "selector")
    errs.extend(validate_label_selector(sel, sp))
    template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    tlabels = (template.get("metadata") or {}).get("labels")
    if _selector_convertible(sel) and not selector_is_empty(sel) and not selector_matches(sel, tlabels):
        errs.append(field.invalid(field.child(path, "template.metadata.labels"), go_labels(tlabels), SELECTOR_MISMATCH))
    if sel is not None and selector_is_empty(sel):
        errs.append(field.invalid(sp, go_label_selector(sel), "empty selector is invalid for daemonset"))
    tp = field.child(path, "template")
    errs.extend(_template_core(template, tp, "DaemonSet"))
    errs.extend(_restart_and_deadline(template.get("spec") or {}, field.child(tp, "spec"), "DaemonSet"))
    errs.extend(_nonneg(spec, "minReadySeconds", path))
    errs.extend(_nonneg(spec, "templateGeneration", path))
    errs.extend(validate_daemon_set_update_strategy(spec.get("updateStrategy"), field.child(path, "updateStrategy")))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(_nonneg(spec, "revisionHistoryLimit", path))
    return errs


def validate_daemon_set(obj: dict) -> list[FieldError]:
    return validate_daemon_set_spec(obj.get("spec"), "spec")


def validate_daemon_set_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateDaemonSetUpdate (spec part) + the strategy's selector immutability.

    templateGeneration is deprecated and kctl never sets it, so its update rules are skipped.
    """
    return validate_daemon_set_spec(new.get("spec"), "spec") + _selector_immutable(new, old)


# --------------------------------------------------------------------------- StatefulSet


def _go_statefulset_strategy(us: dict) -> GoText:
    ru = us.get("rollingUpdate")
    ptr = "(*apps.RollingUpdateStatefulSetStrategy)(nil)" if ru is None else "(*apps.RollingUpdateStatefulSetStrategy)(0xc000000000)"
    return GoText(f'apps.StatefulSetUpdateStrategy{{Type:{go_quote(str(us.get("type", "")))}, RollingUpdate:{ptr}}}')


def _go_statefulset_rolling(ru: dict) -> GoText:
    part = ru.get("partition", 0)
    mu = ru.get("maxUnavailable")
    mus = "(*intstr.IntOrString)(nil)" if mu is None else "(*intstr.IntOrString)(0xc000000000)"
    return GoText(f"apps.RollingUpdateStatefulSetStrategy{{Partition:{part}, MaxUnavailable:{mus}}}")


def validate_stateful_set_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateStatefulSetSpec."""
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    pmp = spec.get("podManagementPolicy", "")
    if not pmp:
        errs.append(field.required(field.child(path, "podManagementPolicy"), ""))
    elif pmp not in ("OrderedReady", "Parallel"):
        errs.append(field.invalid(field.child(path, "podManagementPolicy"), pmp, "must be 'OrderedReady' or 'Parallel'"))

    us = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
    usp = field.child(path, "updateStrategy")
    t = us.get("type", "")
    ru = us.get("rollingUpdate")
    if not t:
        errs.append(field.required(usp, ""))
    elif t == "OnDelete":
        if ru is not None:
            errs.append(field.invalid(field.child(usp, "rollingUpdate"), _go_statefulset_rolling(ru or {}),
                                      "only allowed for updateStrategy 'RollingUpdate'"))
    elif t == "RollingUpdate":
        if isinstance(ru, dict):
            rup = field.child(usp, "rollingUpdate")
            errs.extend(validate_nonnegative(ru.get("partition", 0), field.child(rup, "partition")))
            mu = ru.get("maxUnavailable")
            if mu is not None:
                mup = field.child(rup, "maxUnavailable")
                errs.extend(validate_positive_int_or_percent(mu, mup))
                if int_or_percent_value(mu) == 0:
                    errs.append(field.invalid(mup, go_int_or_string(mu), "cannot be 0"))
                errs.extend(is_not_more_than_100_percent(mu, mup))
    else:
        errs.append(field.invalid(usp, _go_statefulset_strategy(us), "must be 'RollingUpdate' or 'OnDelete'"))

    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if isinstance(policy, dict):
        pp = field.child(path, "persistentVolumeClaimRetentionPolicy")
        for k in ("whenDeleted", "whenScaled"):
            v = policy.get(k, "")
            if v not in ("Retain", "Delete"):
                errs.append(field.not_supported(field.child(pp, k), v, ["Retain", "Delete"]))

    errs.extend(_nonneg(spec, "replicas", path))
    errs.extend(_nonneg(spec, "minReadySeconds", path))
    if isinstance(spec.get("ordinals"), dict):
        errs.extend(validate_nonnegative(spec["ordinals"].get("start", 0), field.child(path, "ordinals.start")))

    errs.extend(_selector_block(spec, path, "statefulset"))

    sel = spec.get("selector")
    template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    tp = field.child(path, "template")
    if not _selector_convertible(sel):
        errs.append(field.invalid(field.child(path, "selector"), go_label_selector(sel), ""))
    else:
        tlabels = (template.get("metadata") or {}).get("labels")
        if not selector_is_empty(sel) and not selector_matches(sel, tlabels):
            errs.append(field.invalid(field.child(tp, "metadata.labels"), go_labels(tlabels), SELECTOR_MISMATCH))
        errs.extend(_template_meta_only(template, tp))
    errs.extend(_restart_and_deadline(template.get("spec") or {}, field.child(tp, "spec"), "StatefulSet"))
    # Upstream does not validate volumeClaimTemplates here: a bad claim template surfaces
    # when the controller creates the PVC (a FailedCreate event), so kctl does the same.
    return errs


_SS_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
               "persistentVolumeClaimRetentionPolicy", "minReadySeconds")
SS_FORBIDDEN = ("updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
                "and 'minReadySeconds' are forbidden")


def _semantic(v: Any) -> Any:
    """Drop empty maps/lists/None so that semantically equal specs compare equal."""
    if isinstance(v, dict):
        out = {k: _semantic(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x not in (None, {}, [])}
    if isinstance(v, list):
        return [_semantic(x) for x in v]
    return v


def validate_stateful_set(obj: dict) -> list[FieldError]:
    return validate_stateful_set_spec(obj.get("spec"), "spec")


def validate_stateful_set_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateStatefulSetUpdate: the new spec's own rules, then only the mutable fields may differ."""
    errs = validate_stateful_set_spec(new.get("spec"), "spec")
    ns = copy.deepcopy(new.get("spec") or {})
    os_ = copy.deepcopy(old.get("spec") or {})
    for k in _SS_MUTABLE:
        ns.pop(k, None)
        os_.pop(k, None)
    if _semantic(ns) != _semantic(os_):
        errs.append(field.forbidden("spec", SS_FORBIDDEN))
    return errs


# --------------------------------------------------------------------------- batch/v1
# Job and CronJob live in batch, but share the workload machinery above.

COMPLETION_MODES = ["NonIndexed", "Indexed"]
CONCURRENCY_POLICIES = ["Allow", "Forbid", "Replace"]


def _job_template_core(template: Any, path: str, workload_kind: str) -> list[FieldError]:
    # validation-core applies the Job rule (restartPolicy OnFailure or Never) for "Job"/"CronJob"
    from kctl.api.validation.core import validate_pod_template_spec

    return validate_pod_template_spec(template, path, workload_kind=workload_kind)


def _validate_job_spec_common(spec: dict, path: str, workload_kind: str) -> list[FieldError]:
    """validateJobSpec: counts non-negative, completionMode enum, the pod template."""
    errs: list[FieldError] = []
    for k in ("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
              "backoffLimitPerIndex", "maxFailedIndexes", "ttlSecondsAfterFinished"):
        if spec.get(k) is not None:
            errs.extend(_nonneg(spec, k, path))
    mode = spec.get("completionMode")
    if mode is not None and mode not in COMPLETION_MODES:
        errs.append(field.not_supported(field.child(path, "completionMode"), mode, COMPLETION_MODES))
    if mode == "Indexed" and spec.get("completions") is None:
        errs.append(field.required(field.child(path, "completions"),
                                   "when completion mode is Indexed"))
    errs.extend(_job_template_core(spec.get("template"), field.child(path, "template"), workload_kind))
    return errs


def validate_job_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateJobSpec. The selector is checked only when present: the registry generates it
    from the Job's uid on create (the engine's step), so a fresh manifest has none."""
    spec = spec if isinstance(spec, dict) else {}
    errs = _validate_job_spec_common(spec, path, "Job")
    sel = spec.get("selector")
    if sel is not None:
        errs.extend(validate_label_selector(sel, field.child(path, "selector")))
        if _selector_convertible(sel):
            tlabels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
            if not selector_is_empty(sel) and not selector_matches(sel, tlabels):
                errs.append(field.invalid(field.child(path, "template.metadata.labels"), go_labels(tlabels), SELECTOR_MISMATCH))
    return errs


def validate_job(obj: dict) -> list[FieldError]:
    return validate_job_spec(obj.get("spec"), "spec")


def validate_job_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateJobSpecUpdate (subset): completions, selector and template are immutable.

    Upstream prints the whole template struct with %#v; kctl abbreviates it.
    """
    ns, os_ = new.get("spec") or {}, old.get("spec") or {}
    errs = validate_job_spec(ns, "spec")
    if ns.get("completions") != os_.get("completions") and ns.get("completionMode") != "Indexed":
        errs.append(field.invalid("spec.completions", ns.get("completions"), FIELD_IMMUTABLE))
    if os_.get("selector") is not None and _norm_selector(ns.get("selector")) != _norm_selector(os_.get("selector")):
        errs.append(field.invalid("spec.selector", go_label_selector(ns.get("selector")), FIELD_IMMUTABLE))
    if _semantic(ns.get("template")) != _semantic(os_.get("template")):
        errs.append(field.invalid("spec.template", GoText("core.PodTemplateSpec{...}"), FIELD_IMMUTABLE))
    return errs


_CRON_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]
_CRON_NAMES = [None, None, None,
               {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])},
               {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}]
_CRON_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}


def cron_schedule_error(schedule: str) -> str | None:
    """robfig/cron v3 ParseStandard's error text for the common mistakes, or None when valid."""
    s = schedule.strip()
    if s.startswith("TZ=") or s.startswith("CRON_TZ="):
        parts = s.split(None, 1)
        s = parts[1] if len(parts) > 1 else ""
    if s.startswith("@"):
        if s in _CRON_DESCRIPTORS:
            return None
        if s.startswith("@every "):
            return None
        return f"unrecognized descriptor: {s}"
    fields = s.split()
    if len(fields) != 5:
        return f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]"
    for f, (lo, hi), names_ in zip(fields, _CRON_RANGES, _CRON_NAMES):
        for part in f.split(","):
            rng, _, step = part.partition("/")
            if rng in ("*", "?"):
                start, end = lo, hi
            else:
                a, _, b = rng.partition("-")
                vals = []
                for x in (a, b) if b else (a,):
                    if names_ and x.lower() in names_:
                        vals.append(names_[x.lower()])
                    elif x.isdigit():
                        vals.append(int(x))
                    else:
                        return f'failed to parse int from {x}: strconv.Atoi: parsing "{x}": invalid syntax'
                start, end = vals[0], vals[-1]
            if start < lo:
                return f"beginning of range ({start}) below minimum ({lo}): {part}"
            if end > hi:
                return f"end of range ({end}) above maximum ({hi}): {part}"
            if start > end:
                return f"beginning of range ({start}) beyond end of range ({end}): {part}"
            if step:
                if not step.isdigit():
                    return f'failed to parse int from {step}: strconv.Atoi: parsing "{step}": invalid syntax'
                if int(step) == 0:
                    return f"step of range should be a positive number: {part}"
    return None


def validate_cron_job_spec(spec: Any, path: str = "spec") -> list[FieldError]:
    """ValidateCronJobSpec."""
    spec = spec if isinstance(spec, dict) else {}
    errs: list[FieldError] = []
    schedule = spec.get("schedule") or ""
    sp = field.child(path, "schedule")
    if not schedule:
        errs.append(field.required(sp, ""))
    else:
        msg = cron_schedule_error(str(schedule))
        if msg:
            errs.append(field.invalid(sp, schedule, msg))
        if "TZ" in str(schedule):
            errs.append(field.invalid(sp, schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
    if spec.get("startingDeadlineSeconds") is not None:
        errs.extend(_nonneg(spec, "startingDeadlineSeconds", path))
    cp = spec.get("concurrencyPolicy") or ""
    if not cp:
        errs.append(field.required(field.child(path, "concurrencyPolicy"), ""))
    elif cp not in CONCURRENCY_POLICIES:
        errs.append(field.not_supported(field.child(path, "concurrencyPolicy"), cp, CONCURRENCY_POLICIES))
    jt = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), dict) else {}
    jtp = field.child(path, "jobTemplate")
    jspec = jt.get("spec") if isinstance(jt.get("spec"), dict) else {}
    errs.extend(_validate_job_spec_common(jspec, field.child(jtp, "spec"), "CronJob"))
    if jspec.get("selector") is not None:
        errs.append(field.invalid(field.child(jtp, "spec.selector"), go_label_selector(jspec["selector"]), "`selector` will be auto-generated"))
    if jspec.get("manualSelector") is True:
        errs.append(field.not_supported(field.child(jtp, "spec.manualSelector"), True, ["nil", "false"]))
    for k in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(k) is not None:
            errs.extend(_nonneg(spec, k, path))
    return errs


def validate_cron_job(obj: dict) -> list[FieldError]:
    """ValidateCronJobCreate minus metadata: name ≤ 52 characters, then the spec."""
    errs: list[FieldError] = []
    name = ((obj.get("metadata") or {}).get("name")) or ""
    if len(name) > 52:
        # the Jobs it creates append 11 characters to a 63-character label
        errs.append(field.invalid("metadata.name", name, "must be no more than 52 characters"))
    errs.extend(validate_cron_job_spec(obj.get("spec"), "spec"))
    return errs


def validate_cron_job_update(new: dict, old: dict) -> list[FieldError]:
    return validate_cron_job_spec(new.get("spec"), "spec")


# --------------------------------------------------------------------------- ReplicationController (core/v1)


def validate_replication_controller(obj: dict) -> list[FieldError]:
    """ValidateReplicationControllerSpec: a map selector that must be non-empty and match the
    template's labels (the defaulting copies template labels into an empty selector)."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    path = "spec"
    errs = _nonneg(spec, "minReadySeconds", path)
    selector = spec.get("selector") or {}
    if not selector:
        errs.append(field.required(field.child(path, "selector"), ""))
    errs.extend(_nonneg(spec, "replicas", path))
    tp = field.child(path, "template")
    template = spec.get("template")
    if not isinstance(template, dict):
        errs.append(field.required(tp, ""))
        return errs
    tlabels = (template.get("metadata") or {}).get("labels") or {}
    if selector and any(tlabels.get(k) != v for k, v in selector.items()):
        errs.append(field.invalid(field.child(tp, "metadata.labels"), go_labels(tlabels), SELECTOR_MISMATCH))
    errs.extend(_template_core(template, tp, "ReplicationController"))
    tspec = template.get("spec") or {}
    if tspec.get("restartPolicy", "") != "Always":
        errs.append(field.not_supported(field.child(tp, "spec.restartPolicy"), tspec.get("restartPolicy", ""), ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(field.invalid(field.child(tp, "spec.activeDeadlineSeconds"), tspec["activeDeadlineSeconds"],
                                  "activeDeadlineSeconds in ReplicationController is not Supported"))
    return errs


def validate_replication_controller_update(new: dict, old: dict) -> list[FieldError]:
    return validate_replication_controller(new)
