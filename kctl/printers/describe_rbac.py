"""RBAC describers for `kctl describe`: Role, ClusterRole, RoleBinding, ClusterRoleBinding.

Roles show their rules broken down to one (group, resource, verb[, name]) each, then simple
rules re-compacted by verb, sorted by the rule's Go String() form (kubectl's util/rbac).
"""

from __future__ import annotations

from kctl.printers.describe_common import (
    _meta,
    _print_annotations_multiline,
    _print_labels_multiline,
)
from kctl.printers.describe_fmt import LEVEL_0, LEVEL_1

_FIELDS = ("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs")


def _breakdown(rule: dict) -> list[dict]:
    out = []
    for group in rule.get("apiGroups") or []:
        for resource in rule.get("resources") or []:
            for verb in rule.get("verbs") or []:
                names = rule.get("resourceNames") or []
                if names:
                    for n in names:
                        out.append({"apiGroups": [group], "resources": [resource], "verbs": [verb],
                                    "resourceNames": [n]})
                else:
                    out.append({"apiGroups": [group], "resources": [resource], "verbs": [verb]})
    for url in rule.get("nonResourceURLs") or []:
        for verb in rule.get("verbs") or []:
            out.append({"nonResourceURLs": [url], "verbs": [verb]})
    return out


def _compact(rules: list[dict]) -> list[dict]:
    """Merge rules with one group, one resource, at most one name, differing only by verb."""
    compacted: list[dict] = []
    simple: dict[tuple, dict] = {}
    for rule in rules:
        names = rule.get("resourceNames") or []
        if (len(names) <= 1 and not rule.get("nonResourceURLs") and len(rule.get("apiGroups") or []) == 1
                and len(rule.get("resources") or []) == 1):
            key = (rule["apiGroups"][0], rule["resources"][0], bool(names), names[0] if names else "")
            if key in simple:
                for v in rule.get("verbs") or []:
                    if v not in simple[key]["verbs"]:
                        simple[key]["verbs"].append(v)
            else:
                simple[key] = {k: list(rule.get(k) or []) for k in _FIELDS}
        else:
            compacted.append(rule)
    return compacted + list(simple.values())


def _go_rule_string(rule: dict) -> str:
    """rbacv1.PolicyRule.String() (the sort key kubectl uses)."""
    return "&PolicyRule{" + "".join(f"{_go_field(k)}:[{' '.join(rule.get(k) or [])}]," for k in _FIELDS) + "}"


def _go_field(k: str) -> str:
    return {"verbs": "Verbs", "apiGroups": "APIGroups", "resources": "Resources",
            "resourceNames": "ResourceNames", "nonResourceURLs": "NonResourceURLs"}[k]


def _combine_resource_group(resources: list, groups: list) -> str:
    if not resources:
        return ""
    head, _, sub = resources[0].partition("/")
    s = head
    if groups and groups[0]:
        s += "." + groups[0]
    if sub or "/" in resources[0]:
        s += "/" + sub
    return s


def _describe_role(ctx, w, role, events):
    meta = _meta(role)
    rules = []
    for r in role.get("rules") or []:
        rules.extend(_breakdown(r))
    rules = sorted(_compact(rules), key=_go_rule_string)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "PolicyRule:\n")
    w.write(LEVEL_1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(LEVEL_1, "---------\t-----------------\t--------------\t-----\n")
    for r in rules:
        w.write(
            LEVEL_1,
            f"{_combine_resource_group(r.get('resources') or [], r.get('apiGroups') or [])}\t"
            f"[{' '.join(r.get('nonResourceURLs') or [])}]\t[{' '.join(r.get('resourceNames') or [])}]\t"
            f"[{' '.join(r.get('verbs') or [])}]\n",
        )
    # kubectl's RBAC describers show no events


def _describe_binding(ctx, w, binding, events):
    meta = _meta(binding)
    ref = binding.get("roleRef") or {}
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, "Role:\n")
    w.write(LEVEL_1, f"Kind:\t{ref.get('kind', '')}\n")
    w.write(LEVEL_1, f"Name:\t{ref.get('name', '')}\n")
    w.write(LEVEL_0, "Subjects:\n")
    w.write(LEVEL_1, "Kind\tName\tNamespace\n")
    w.write(LEVEL_1, "----\t----\t---------\n")
    for s in binding.get("subjects") or []:
        w.write(LEVEL_1, f"{s.get('kind', '')}\t{s.get('name', '')}\t{s.get('namespace', '')}\n")
