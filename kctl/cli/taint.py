"""`kctl taint nodes NODE key=value:Effect | key:Effect- | key-`: kubectl 1.37's parsing,
checks and texts (pkg/cmd/taint). A NoExecute taint evicts the pods that do not tolerate it
in the converge that follows (taint eviction, tolerationSeconds timers)."""

from __future__ import annotations

import copy

import click

from kctl.cli.options import global_flags, merge_globals
from kctl.errors import KctlError, NotFound

_CTX = {"help_option_names": ["-h", "--help"]}
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def taint_str(t: dict) -> str:
    """corev1.Taint.ToString: key=value:effect, key:effect, key=value, key."""
    s = t.get("key", "")
    if t.get("value"):
        s += "=" + t["value"]
    if t.get("effect"):
        s += ":" + t["effect"]
    return s


def parse_taint(spec: str) -> dict:
    """`key=value:effect`, `key:effect` or `key` (removal form); kubectl's errors."""
    from kctl.api.validation import names

    parts = spec.split(":")
    value, effect = "", ""
    if len(parts) == 1:
        key = parts[0]
    elif len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise KctlError(f"invalid taint effect: {effect}, unsupported taint effect")
        kv = parts[0].split("=")
        if len(kv) > 2:
            raise KctlError(f"invalid taint spec: {spec}")
        key = kv[0]
        if len(kv) == 2:
            value = kv[1]
            errs = names.label_value(value)
            if errs:
                raise KctlError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    else:
        raise KctlError(f"invalid taint spec: {spec}")
    errs = names.qualified_name(key)
    if errs:
        raise KctlError(f"invalid taint spec: {spec}, {'; '.join(errs)}")
    out = {"key": key}
    if value:
        out["value"] = value
    if effect:
        out["effect"] = effect
    return out


def parse_taints(specs: list[str]) -> tuple[list[dict], list[dict]]:
    """(to add, to remove) from the taint arguments, as kubectl's parseTaints."""
    add, remove, seen = [], [], set()
    for spec in specs:
        if spec.endswith("-"):
            t = parse_taint(spec[:-1])
            remove.append({k: v for k, v in t.items() if k != "value"})
            continue
        t = parse_taint(spec)
        if not t.get("effect"):
            raise KctlError(f"invalid taint spec: {spec}")
        if (t["key"], t["effect"]) in seen:
            raise KctlError(f"duplicated taints with the same key and effect: {_go_taint(t)}")
        seen.add((t["key"], t["effect"]))
        add.append(t)
    return add, remove


def _go_taint(t: dict) -> str:
    # %v of a corev1.Taint value: {key value effect <nil>}
    return "{" + f"{t.get('key', '')} {t.get('value', '')} {t.get('effect', '')} <nil>" + "}"


def split_args(args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Resources first, then taint changes (kubectl's ordering rule)."""
    resources, taints, met = [], [], False
    for s in args:
        is_taint = "=" in s or ":" in s or s.endswith("-")
        if is_taint:
            met = True
            taints.append(s)
        elif met:
            raise KctlError(f"all resources must be specified before taint changes: {s}")
        else:
            resources.append(s)
    return resources, taints


def update_taints(node: dict, add: list[dict], remove: list[dict], overwrite: bool, now: str) -> tuple[str, list[dict]]:
    """(operation tainted|untainted|modified, new taints) as kubectl's updateTaints /
    reorganizeTaints; raises KctlError with kubectl's text."""
    name = node["metadata"]["name"]
    old = list((node.get("spec") or {}).get("taints") or [])
    if not overwrite:
        exists = [t["key"] for t in add for o in old if o.get("key") == t["key"] and o.get("effect") == t.get("effect")]
        if exists:
            raise KctlError(f"node {name} already has {','.join(exists)} taint(s) with same effect(s) and --overwrite is false")
    new = []
    for t in add:
        t = dict(t)
        prev = next((o for o in old if o.get("key") == t["key"] and o.get("effect") == t.get("effect")), None)
        if t.get("effect") == "NoExecute":
            # the taint's start for tolerationSeconds (kept when only the value changes)
            t["timeAdded"] = (prev or {}).get("timeAdded") or now
        new.append(t)
    for o in old:
        if not any(o.get("key") == t["key"] and o.get("effect") == t.get("effect") for t in new):
            new.append(o)
    added = len(old) != len(new)
    errs, removed = [], False
    for r in remove:
        before = len(new)
        if r.get("effect"):
            new = [t for t in new if not (t.get("key") == r["key"] and t.get("effect") == r["effect"])]
        else:
            new = [t for t in new if t.get("key") != r["key"]]
        removed = len(new) != before
        if not removed:
            errs.append(f'taint "{taint_str(r)}" not found')
    if errs:
        raise KctlError(errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]")
    if (added and removed) or overwrite:
        op = "modified"
    elif added:
        op = "tainted"
    else:
        op = "untainted"
    return op, new


@click.command("taint", context_settings=_CTX)
@click.argument("args", nargs=-1)
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.option("--overwrite", is_flag=True,
              help="If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.")
@click.option("--all", "all_", is_flag=True, help="Select all nodes in the cluster")
@click.option("-l", "--selector", default="", help="Selector (label query) to filter on.")
@click.option("--dry-run", "dry_run", is_flag=False, flag_value="client", default=None,
              help='Must be "none", "server", or "client".')
@click.pass_context
def taint_cmd(ctx, args, store, overwrite, all_, selector, dry_run):
    """Update the taints on one or more nodes.

    \b
    kctl taint nodes NODE key=value:NoSchedule     add (prints node/NODE tainted)
    kctl taint nodes NODE key:NoSchedule-          remove one effect (node/NODE untainted)
    kctl taint nodes NODE key-                     remove every effect of key
    kctl taint nodes NODE key=new:NoSchedule --overwrite   (node/NODE modified)
    Effects: NoSchedule, PreferNoSchedule, NoExecute.
    """
    from kctl.cli.common import writable_engine
    from kctl.cli.drain import _dry_run_value, _suffix
    from kctl.controllers.context import Context

    g = merge_globals(ctx, store=store, namespace=None, all_namespaces=None, output=None)
    dry = _dry_run_value(dry_run)
    resources, taint_args = split_args(args)
    if not resources:
        raise KctlError("one or more resources must be specified as <resource> <name>")
    if not taint_args:
        raise KctlError("at least one taint update is required")
    add, remove = parse_taints(taint_args)
    conflicts = [f"{r['key']}={r.get('effect', '')}" for r in remove for a in add
                 if a["key"] == r["key"] and a.get("effect") == r.get("effect")]
    if conflicts:
        raise KctlError(f"can not both modify and remove the following taint(s) in the same command: {', '.join(conflicts)}")
    if all_ and selector:
        raise KctlError("setting 'all' parameter with a non empty selector is prohibited")

    names: list[str] = []
    if "/" in resources[0]:
        for r in resources:
            t, _, n = r.partition("/")
            if t not in ("node", "nodes", "no"):
                raise KctlError(f"invalid resource type {t}, only node types are supported")
            names.append(n)
    else:
        if resources[0] not in ("node", "nodes", "no"):
            raise KctlError(f"invalid resource type {resources[0]}, only node types are supported")
        names = resources[1:]
    if not names and not all_ and not selector:
        raise KctlError("at least one resource name must be specified since 'all' parameter is not set")

    store_, engine = writable_engine(g.store)
    lines: list[str] = []
    try:
        with store_.transaction():
            cctx = Context(store_, engine.now)
            if all_ or selector:
                from kctl.api.selectors import parse_label_selector

                sel = parse_label_selector(selector) if selector else None
                nodes = [n for n in store_.list("nodes")
                         if sel is None or sel.matches((n.get("metadata") or {}).get("labels") or {})]
            else:
                nodes = []
                for n in names:
                    node = store_.get("nodes", "", n)
                    if node is None:
                        raise NotFound("nodes", n)
                    nodes.append(node)
            for node in nodes:
                op, taints = update_taints(node, add, remove, overwrite, cctx.now_str)
                if dry == "none":
                    new = copy.deepcopy(node)
                    spec = new.setdefault("spec", {})
                    if taints:
                        spec["taints"] = taints
                    else:
                        spec.pop("taints", None)
                    cctx.write("nodes", new)
                lines.append(f"node/{node['metadata']['name']} {op}{_suffix(dry)}")
            engine.converge()
    finally:
        store_.close()
    for line in lines:
        click.echo(line)
