"""ObjectMeta validation (apimachinery pkg/api/validation/objectmeta.go plus core's additions).

Errors come in upstream's order: generateName, name, namespace, generation, labels,
annotations, ownerReferences, finalizers. Map keys (labels, annotations) are checked
in the order the manifest gives them (Go's map order is random, so any order is upstream's).
"""

from __future__ import annotations

from typing import Any, Callable

from kctl.api import field
from kctl.api.field import FieldError
from kctl.api.validation import names

FIELD_IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * (1 << 10)  # 262144 bytes
STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")

NameFn = Callable[..., list]


class GoText:
    """A value printed verbatim in an error (Go's fmt.Stringer case), not quoted."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, GoText) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"GoText({self.text!r})"


def go_time(value: Any) -> GoText:
    """metav1.Time as Go's time.Time.String() prints it (`2024-01-02 03:04:05 +0000 UTC`)."""
    if not value:
        return GoText("0001-01-01 00:00:00 +0000 UTC")
    s = str(value)
    if len(s) >= 19 and s[10] == "T":
        return GoText(f"{s[:10]} {s[11:19]} +0000 UTC")
    return GoText(s)


def validate_nonnegative(value: Any, path: str) -> list[FieldError]:
    """ValidateNonnegativeField."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return [field.invalid(path, value, IS_NEGATIVE)]
    return []


def validate_label_name(name: str, path: str) -> list[FieldError]:
    """ValidateLabelName: every message as Invalid on `path` (no key in the path, as upstream)."""
    return [field.invalid(path, name, m, rule="label-key") for m in names.qualified_name(name)]


def validate_labels(labels: Any, path: str) -> list[FieldError]:
    """ValidateLabels: keys are qualified names, values label values; errors on `path` itself."""
    errs: list[FieldError] = []
    if not isinstance(labels, dict):
        return errs
    for k, v in labels.items():
        k = str(k)
        v = "" if v is None else str(v)
        errs.extend(validate_label_name(k, path))
        errs.extend(field.invalid(path, v, m, rule="label-value") for m in names.label_value(v))
    return errs


def validate_annotations(annotations: Any, path: str) -> list[FieldError]:
    """ValidateAnnotations: keys are qualified names (case-insensitive); total size <= 256 KiB."""
    errs: list[FieldError] = []
    if not isinstance(annotations, dict):
        return errs
    total = 0
    for k, v in annotations.items():
        k = str(k)
        v = "" if v is None else str(v)
        errs.extend(field.invalid(path, k, m, rule="annotation-key") for m in names.qualified_name(k.lower()))
        # Go's len() counts bytes
        total += len(k.encode()) + len(v.encode())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(field.too_long(path, "", TOTAL_ANNOTATION_SIZE_LIMIT, rule="annotations-size"))
    return errs


def _gv_kind(api_version: str, kind: str) -> tuple[str, str, str]:
    """schema.FromAPIVersionAndKind: (group, version, kind); bad apiVersion -> empty group/version."""
    if not api_version:
        return "", "", kind
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", parts[0], kind
    if len(parts) == 2:
        return parts[0], parts[1], kind
    return "", "", kind


def validate_owner_references(refs: Any, path: str) -> list[FieldError]:
    """ValidateOwnerReferences: apiVersion/kind/name/uid present; Event may not own; one controller."""
    errs: list[FieldError] = []
    if not isinstance(refs, list):
        return errs
    first_controller = ""
    for ref in refs:
        if not isinstance(ref, dict):
            continue
        api_version = str(ref.get("apiVersion") or "")
        kind = str(ref.get("kind") or "")
        group, version, kind = _gv_kind(api_version, kind)
        if not version:
            errs.append(field.invalid(field.child(path, "apiVersion"), api_version, "version must not be empty"))
        if not kind:
            errs.append(field.invalid(field.child(path, "kind"), kind, "must not be empty"))
        name = str(ref.get("name") or "")
        if not name:
            errs.append(field.invalid(field.child(path, "name"), name, "must not be empty"))
        uid = str(ref.get("uid") or "")
        if not uid:
            errs.append(field.invalid(field.child(path, "uid"), uid, "must not be empty"))
        if (group, version, kind) == ("", "v1", "Event"):
            errs.append(field.invalid(path, GoText(repr(ref)), f"{group}/{version}, Kind={kind} is disallowed from being an owner"))
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errs.append(field.invalid(
                    path, GoText(repr(refs)),
                    f'Only one reference can have Controller set to true. Found "true" in references for '
                    f"{first_controller} and {current}"))
            else:
                first_controller = current
    return errs


def validate_finalizers(finalizers: Any, path: str, *, kube: bool = True) -> list[FieldError]:
    """ValidateFinalizers (+ core's validateKubeFinalizerName per index when `kube`)."""
    errs: list[FieldError] = []
    if not isinstance(finalizers, list):
        return errs
    for f in finalizers:
        errs.extend(field.invalid(path, str(f), m) for m in names.qualified_name(str(f)))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        errs.append(field.invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"))
    if kube:
        for i, f in enumerate(finalizers):
            errs.extend(_validate_kube_finalizer(str(f), field.index(path, i)))
    return errs


def _validate_kube_finalizer(value: str, path: str) -> list[FieldError]:
    """core's validateKubeFinalizerName: an unprefixed finalizer must be a standard one."""
    if "/" not in value and value not in STANDARD_FINALIZERS:
        return [field.invalid(path, value, "name is neither a standard finalizer name nor is it fully qualified")]
    return []


def validate_object_meta(meta: Any, path: str = "metadata", *, namespaced: bool,
                         name_fn: NameFn = names.name_is_dns_subdomain,
                         kube_finalizers: bool = True) -> list[FieldError]:
    """ValidateObjectMeta (core flavour) for a create.

    `name_fn(name, prefix=False) -> list[str]` is the kind's name rule
    (names.name_is_dns_subdomain, names.name_is_dns_label, names.name_is_dns1035_label ...).
    """
    meta = meta if isinstance(meta, dict) else {}
    errs: list[FieldError] = []
    generate_name = meta.get("generateName") or ""
    name = meta.get("name") or ""
    if generate_name:
        errs.extend(field.invalid(field.child(path, "generateName"), generate_name, m, rule="name")
                    for m in name_fn(str(generate_name), True))
    if not name:
        errs.append(field.required(field.child(path, "name"), "name or generateName is required", rule="name"))
    else:
        errs.extend(field.invalid(field.child(path, "name"), name, m, rule="name") for m in name_fn(str(name), False))
    namespace = meta.get("namespace") or ""
    if namespaced:
        if not namespace:
            errs.append(field.required(field.child(path, "namespace"), "", rule="namespace"))
        else:
            errs.extend(field.invalid(field.child(path, "namespace"), namespace, m, rule="namespace")
                        for m in names.validate_namespace_name(str(namespace), False))
    elif namespace:
        errs.append(field.forbidden(field.child(path, "namespace"), "not allowed on this type", rule="namespace"))
    errs.extend(_common(meta, path))
    if kube_finalizers:  # False: apimachinery's generic flavour (CRDs, custom resources)
        errs.extend(_kube_finalizers(meta, path))
    return errs


def _common(meta: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if "generation" in meta:
        errs.extend(validate_nonnegative(meta.get("generation"), field.child(path, "generation")))
    errs.extend(validate_labels(meta.get("labels"), field.child(path, "labels")))
    errs.extend(validate_annotations(meta.get("annotations"), field.child(path, "annotations")))
    errs.extend(validate_owner_references(meta.get("ownerReferences"), field.child(path, "ownerReferences")))
    errs.extend(validate_finalizers(meta.get("finalizers"), field.child(path, "finalizers"), kube=False))
    return errs


def _kube_finalizers(meta: dict, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    fins = meta.get("finalizers")
    if isinstance(fins, list):
        for i, f in enumerate(fins):
            errs.extend(_validate_kube_finalizer(str(f), field.index(field.child(path, "finalizers"), i)))
    return errs


def validate_object_meta_create(meta: Any, path: str = "metadata", *, namespaced: bool,
                                name_fn: NameFn = names.name_is_dns_subdomain) -> list[FieldError]:
    """Alias of validate_object_meta (kept for readability at call sites)."""
    return validate_object_meta(meta, path, namespaced=namespaced, name_fn=name_fn)


def validate_object_meta_update(new: Any, old: Any, path: str = "metadata", *,
                                require_resource_version: bool = False,
                                kube_finalizers: bool = True) -> list[FieldError]:
    """ValidateObjectMetaUpdate: identity fields immutable, generation not decremented, plus the
    label/annotation/ownerReference/finalizer rules on the new metadata.

    `require_resource_version`: upstream rejects an update without metadata.resourceVersion
    (`must be specified for an update`); the engine decides whether its objects carry one here.
    """
    new = new if isinstance(new, dict) else {}
    old = old if isinstance(old, dict) else {}
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        added = sorted(set(new.get("finalizers") or []) - set(old.get("finalizers") or []))
        if added:
            listed = ", ".join(field.go_quote(str(f)) for f in added)
            errs.append(field.forbidden(
                field.child(path, "finalizers"),
                f"no new finalizers can be added if the object is being deleted, found new finalizers []string{{{listed}}}"))
    if require_resource_version and not new.get("resourceVersion"):
        errs.append(field.invalid(field.child(path, "resourceVersion"), "", "must be specified for an update"))
    new_gen, old_gen = new.get("generation") or 0, old.get("generation") or 0
    if isinstance(new_gen, int) and isinstance(old_gen, int) and new_gen < old_gen:
        errs.append(field.invalid(field.child(path, "generation"), new_gen, "must not be decremented"))
    for name in ("name", "namespace", "uid"):
        nv, ov = new.get(name) or "", old.get(name) or ""
        if nv != ov:
            errs.append(field.invalid(field.child(path, name), nv, FIELD_IMMUTABLE))
    for name in ("creationTimestamp", "deletionTimestamp"):
        nv, ov = new.get(name), old.get(name)
        if (nv or None) != (ov or None):
            errs.append(field.invalid(field.child(path, name), go_time(nv) if nv else None, FIELD_IMMUTABLE))
    nv, ov = new.get("deletionGracePeriodSeconds"), old.get("deletionGracePeriodSeconds")
    if nv != ov:
        errs.append(field.invalid(field.child(path, "deletionGracePeriodSeconds"), nv, FIELD_IMMUTABLE))
    errs.extend(validate_labels(new.get("labels"), field.child(path, "labels")))
    errs.extend(validate_annotations(new.get("annotations"), field.child(path, "annotations")))
    errs.extend(validate_owner_references(new.get("ownerReferences"), field.child(path, "ownerReferences")))
    errs.extend(validate_finalizers(new.get("finalizers"), field.child(path, "finalizers"), kube=False))
    if kube_finalizers:  # False: apimachinery's generic flavour (CRDs, custom resources)
        errs.extend(_kube_finalizers(new, path))
    return errs
