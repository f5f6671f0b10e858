"""metadata.managedFields: who owns which fields, as kube-apiserver's field manager keeps it.

Mirrors k8s.io/apimachinery/pkg/util/managedfields/internal and structured-merge-diff's
merge/update.go:
- Update (create, replace, patch, client-side apply, ...): the manager gains every field the
  write added or changed; other managers lose those and every removed field; entries left
  empty are dropped; the manager's time is set only when it gained something. An object that
  has no managedFields yet is only tracked from its creation (skipNonApplied).
- Apply (server-side apply): the applier owns exactly the fields of its configuration;
  changing a field another manager owns is a conflict unless forced (then that manager loses
  it); what the applier applied before and no longer applies is removed if no one else owns
  it; an object without managedFields first gets a `before-first-apply` Update entry.
- apiVersion, kind and server-owned metadata are never owned (stripMeta); status is not
  owned through the main resource of kinds with a status subresource, nor anything but
  status through the status subresource (reset fields).
Entries are sorted as upstream: Apply before Update, then by time, manager, apiVersion.

Pure: the caller supplies `now` (RFC 3339, seconds) and the kind's TypeNode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kctl.api import fieldpath as fp
from kctl.api import ssa

APPLY = "Apply"
UPDATE = "Update"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
LAST_APPLIED_PATH = ("f:metadata", "f:annotations", "f:" + LAST_APPLIED)
BEFORE_FIRST_APPLY = "before-first-apply"

_STRIP = frozenset({
    ("f:apiVersion",), ("f:kind",), ("f:metadata",),
    *(("f:metadata", "f:" + f) for f in ("name", "namespace", "creationTimestamp", "selfLink", "uid",
                                          "clusterName", "generation", "managedFields", "resourceVersion")),
})


@dataclass
class Entry:
    manager: str
    operation: str
    api_version: str
    fields: set
    time: str | None = None
    subresource: str = ""

    @property
    def ident(self) -> tuple:
        # BuildManagerIdentifier: an Apply entry is one per manager whatever its apiVersion
        return (self.manager, self.operation, "" if self.operation == APPLY else self.api_version,
                self.subresource)


class ApplyConflict(Exception):
    """An apply changed fields other managers own (the server's 409)."""

    def __init__(self, conflicts: list[tuple[Entry, tuple]]):
        self.conflicts = conflicts
        super().__init__(conflict_message(conflicts))


def _print_manager(e: Entry) -> str:
    s = json.dumps(e.manager, ensure_ascii=False)
    if e.subresource:
        s += f" with subresource {json.dumps(e.subresource)}"
    if e.operation == UPDATE:
        s += f" using {e.api_version}"
    return s


def conflict_message(conflicts: list[tuple[Entry, tuple]]) -> str:
    """The apiserver's text (managedfields/internal/conflict.go)."""
    if len(conflicts) == 1:
        e, path = conflicts[0]
        return f"Apply failed with 1 conflict: conflict with {_print_manager(e)}: {fp.path_string(path)}"
    by: dict[str, list] = {}
    for e, path in conflicts:
        by.setdefault(_print_manager(e), []).append(path)
    lines = []
    # upstream sorts the managers' identifiers (JSON, starting with the manager name)
    for printed in sorted(by, key=lambda p: json.loads(p.split(" ")[0]) if p.startswith('"') else p):
        lines.append(f"conflicts with {printed}:")
        lines.extend(f"- {fp.path_string(p)}" for p in by[printed])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


# ---------------------------------------------------------------- encoding
def decode(entries) -> list[Entry]:
    out = []
    for e in entries or []:
        if not isinstance(e, dict) or e.get("operation") not in (APPLY, UPDATE):
            continue
        out.append(Entry(e.get("manager", ""), e["operation"], e.get("apiVersion", ""),
                         fp.from_fields_v1(e.get("fieldsV1")), e.get("time"), e.get("subresource", "")))
    return out


def encode(entries: list[Entry]) -> list[dict]:
    def key(e: Entry):
        return (e.operation, e.time or "", e.manager, e.api_version, e.subresource)

    out = []
    for e in sorted(entries, key=key):
        d = {"apiVersion": e.api_version, "fieldsType": "FieldsV1", "fieldsV1": fp.to_fields_v1(e.fields),
             "manager": e.manager, "operation": e.operation}
        if e.subresource:
            d["subresource"] = e.subresource
        if e.time:
            d["time"] = e.time
        out.append(d)
    return out


def _filter(paths: set, subresource: str, status_subresource: bool, *, strip: bool = True) -> set:
    """stripMeta plus the registry's reset fields."""
    out = paths - _STRIP if strip else paths
    if status_subresource:
        if subresource == "status":
            out = {p for p in out if p[:1] == ("f:status",)}
        else:
            out = {p for p in out if p[:1] != ("f:status",)}
    return out


def _find(entries: list[Entry], ident: tuple) -> Entry | None:
    return next((e for e in entries if e.ident == ident), None)


# ---------------------------------------------------------------- Update
def update(entries: list[Entry], old: dict | None, new: dict, manager: str, api_version: str, now: str,
           t: fp.TypeNode, *, subresource: str = "", status_subresource: bool = False) -> list[Entry]:
    """The entries after `manager` wrote `new` over `old` (None: a create) with an Update."""
    if old is None:
        old = fp.zero_like(new, t)
    elif not entries:
        return entries  # an object created untracked stays untracked (skipNonApplied)
    added, modified, removed = fp.compare(_body(old), _body(new), t)
    changed = _filter(added | modified, subresource, status_subresource)
    removed = _filter(removed, subresource, status_subresource)
    out = []
    for e in entries:
        fields = e.fields - changed - removed
        if fields:
            out.append(Entry(e.manager, e.operation, e.api_version, fields, e.time, e.subresource))
    if changed:
        me = Entry(manager, UPDATE, api_version, set(changed), now, subresource)
        prev = _find(out, me.ident)
        if prev is not None:
            out.remove(prev)
            me.fields |= prev.fields
        out.append(me)
    return out


def _body(obj: dict) -> dict:
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        obj = dict(obj)
        obj["metadata"] = {k: v for k, v in meta.items() if k != "managedFields"}
    return obj


# ---------------------------------------------------------------- Apply
def apply(entries: list[Entry], live: dict | None, config: dict, manager: str, api_version: str, now: str,
          t: fp.TypeNode, *, force: bool = False, status_subresource: bool = False) -> tuple[dict, list[Entry]]:
    """Server-side apply of `config` as `manager`: (the merged object, the new entries).
    Raises ApplyConflict. `live` None: a create (the object starts empty)."""
    live = _body(live) if live is not None else {}
    entries = list(entries)
    if not entries and live:
        entries = update([], None, live, BEFORE_FIRST_APPLY, api_version, now, t,
                         status_subresource=status_subresource)
    try:
        return _apply(entries, live, config, manager, api_version, now, t, force, status_subresource)
    except ApplyConflict as err:
        if manager != "kubectl" or force:
            raise
        # lastAppliedManager: conflicts on fields whose live value is what the client-side
        # apply configuration says are not conflicts for kubectl
        allowed = _allowed_from_last_applied(live, t)
        if allowed is None or any(p not in allowed for _, p in err.conflicts):
            if allowed is not None:
                rest = [(e, p) for e, p in err.conflicts if p not in allowed]
                raise ApplyConflict(rest) from None
            raise
        return _apply(entries, live, config, manager, api_version, now, t, True, status_subresource)


def _apply(entries, live, config, manager, api_version, now, t, force, status_subresource):
    me_ident = (manager, APPLY, "", "")
    previous = _find(entries, me_ident)
    # while pruning the applier owns its whole configuration (name, apiVersion...); what is
    # recorded goes through stripMeta afterwards, as upstream's manager chain does
    applied_set = _filter(fp.to_field_set(config, t), "", status_subresource, strip=False)
    config_set = applied_set - _STRIP
    merged = ssa.merge(live, config, t) or {}
    mine = Entry(manager, APPLY, api_version, config_set, previous.time if previous else None)
    others = [e for e in entries if e.ident != me_ident]
    if previous is not None and previous.fields:
        owned = set(applied_set)
        for e in others:
            owned |= e.fields
        merged = ssa.prune(merged, previous.fields, owned, t)
    added, modified, removed = fp.compare(live, merged, t)
    changed = _filter(added | modified, "", status_subresource)
    removed = _filter(removed, "", status_subresource)
    conflicts = []
    for e in others:
        for p in fp.iterate(e.fields & changed):
            conflicts.append((e, p))
    if conflicts and not force:
        raise ApplyConflict(conflicts)
    out = []
    for e in others:
        fields = e.fields - changed - removed
        if fields:
            out.append(Entry(e.manager, e.operation, e.api_version, fields, e.time, e.subresource))
    if merged != live or mine.time is None:
        mine.time = now
    if mine.fields:
        out.append(mine)
    if manager == "kubectl" and LAST_APPLIED in ((merged.get("metadata") or {}).get("annotations") or {}):
        merged["metadata"]["annotations"][LAST_APPLIED] = last_applied_of(config)
    return merged, out


def last_applied_of(config: dict) -> str:
    """lastAppliedUpdater's annotation: the applied object without the annotation, encoded
    as the unstructured JSON scheme does (sorted keys, newline)."""
    from kctl.api.merge import go_json

    obj = json.loads(json.dumps(config))
    ann = (obj.get("metadata") or {}).get("annotations")
    if isinstance(ann, dict):
        ann.pop(LAST_APPLIED, None)  # an emptied map stays, as Unstructured.SetAnnotations keeps it
    return go_json(obj) + "\n"


def _allowed_from_last_applied(live: dict, t: fp.TypeNode) -> set | None:
    text = ((live.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
    if not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != live.get("apiVersion"):
        return None
    fields = fp.to_field_set(last, t)
    added, modified, removed = fp.compare(last, live, t)
    return fields - added - modified - removed


# ---------------------------------------------------------------- kubectl's client side
def owners_of(entries: list[Entry], operation: str, path: tuple) -> list[Entry]:
    """csaupgrade.FindFieldsOwners for one path."""
    return [e for e in entries if e.operation == operation and path in e.fields]


def upgrade_csa_managers(entries: list[Entry], csa_managers: list[str], ssa_manager: str) -> list[Entry]:
    """csaupgrade.UpgradeManagedFields: fold the client-side-apply Update entries into the
    server-side-apply manager's Apply entry (converting the newest one when there is none)."""
    entries = [Entry(e.manager, e.operation, e.api_version, set(e.fields), e.time, e.subresource)
               for e in encode_order(entries)]
    for csa in csa_managers:
        target = next((e for e in entries if e.manager == ssa_manager and e.operation == APPLY
                       and not e.subresource), None)
        if target is None:
            target = next((e for e in entries if e.manager == csa and e.operation == UPDATE
                           and not e.subresource), None)
            if target is None:
                continue
            target.operation, target.manager = APPLY, ssa_manager
        src = next((e for e in entries if e.manager == csa and e.operation == UPDATE and not e.subresource
                    and e.api_version == target.api_version), None)
        if src is not None:
            target.fields |= src.fields
        entries = [e for e in entries if not (e.manager == csa and e.operation == UPDATE and not e.subresource)]
    return entries


def only_times_differ(new: dict, old: dict) -> bool:
    """IgnoreManagedFieldsTimestampsTransformer: a write whose object and managedFields equal
    the stored ones but for managedFields times is no write (e.g. a Secret's stringData
    applied again: the merge differs, the stored data does not)."""
    def strip(obj: dict) -> tuple:
        meta = obj.get("metadata") or {}
        entries = [{k: v for k, v in e.items() if k != "time"} if isinstance(e, dict) else e
                   for e in meta.get("managedFields") or []]
        return {**obj, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}, entries

    return strip(new) == strip(old)


def encode_order(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.operation, e.time or "", e.manager, e.api_version, e.subresource))


# ---------------------------------------------------------------- objects
def status_subresource(kind) -> bool:
    """Whether the kind's status is written only through /status (a built-in's registry, or
    the CRD's subresources.status for the kind's version)."""
    from kctl.api import kinds, strategy

    if kinds.is_builtin(kind.group, kind.kind):
        return strategy.has_status_subresource(kind)
    from kctl.api.crd import registry

    crd = registry.crd_of(kind)
    return crd is not None and registry.has_status_subresource(crd, kind.version)


def record_update(kind, old: dict | None, new: dict, manager: str, now: str, *, subresource: str = "",
                  requested=None) -> None:
    """Set `new`'s metadata.managedFields for an Update by `manager` over `old` (None: a
    create), in place. `kind` is a kctl.api.kinds.Kind. `requested`: the managedFields the
    request itself carried (a PUT or patch may set them directly, or reset them)."""
    meta = new.setdefault("metadata", {})
    live_entries = base_entries(requested, old, subresource)
    entries = update(live_entries, old, new, manager, kind.api_version, now, fp.type_for(kind),
                     subresource=subresource, status_subresource=status_subresource(kind))
    if entries:
        meta["managedFields"] = encode(entries)
    else:
        meta.pop("managedFields", None)


def base_entries(requested, old: dict | None, subresource: str = "") -> list[Entry]:
    """decodeLiveOrNew: the entries an Update starts from. The request's own managedFields
    when valid and not empty; `[]` or `[{}]` resets them (the object is then untracked until
    the next apply); anything else, or a subresource, keeps the live ones."""
    live = decode(((old or {}).get("metadata") or {}).get("managedFields"))
    if subresource or requested is None:
        return live
    if requested == [] or requested == [{}]:
        return []
    if not isinstance(requested, list) or not all(
            isinstance(e, dict) and e.get("operation") in (APPLY, UPDATE) and e.get("apiVersion")
            and e.get("fieldsType") == "FieldsV1" for e in requested):
        return live
    return decode(requested) or live


#: the manager kubectl applies the last-applied annotation with (apply.go)
LAST_APPLIED_MANAGER = "kubectl-last-applied"

#: kubectl apply's guidance after a server-side apply conflict (pkg/cmd/apply/apply.go)
CONFLICT_GUIDANCE = """Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the `--force-conflicts` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts"""
