"""`kctl cordon|uncordon|drain NODE`: kubectl 1.37's rules and texts (pkg/cmd/drain,
pkg/drain). Eviction honours PodDisruptionBudgets as the eviction subresource does; waiting
(eviction retries every 5 s, pods terminating) moves cluster time, never wall time."""

from __future__ import annotations

import click

from kctl.cli.options import global_flags, merge_globals
# the budget numbers are the disruption controller's: one source of truth for get pdb and drain
from kctl.controllers.disruption import budget_numbers
from kctl.errors import KctlError, NotFound, UsageError

_CTX = {"help_option_names": ["-h", "--help"]}
DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"
PDB_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
EVICT_RETRY = 5  # seconds: drain's EvictErrorRetryDelay
IDLE_LIMIT = 3600  # seconds of cluster time without progress after which --timeout 0 gives up


# ---------------------------------------------------------------- pure: pod filters
def _controller(pod: dict) -> dict | None:
    for r in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if r.get("controller"):
            return r
    return None


def _terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def filter_pod(pod: dict, *, force: bool, ignore_daemonsets: bool, delete_emptydir: bool,
               daemonset_exists) -> tuple[bool, str, str]:
    """kubectl's drain filters in order (daemonSet, mirror, localStorage, unreplicated):
    (delete, kind "Okay"|"Skip"|"Warning"|"Error", message). The last filter's warning wins."""
    status = (True, "Okay", "")
    meta = pod.get("metadata") or {}
    # daemonSetFilter
    ref = _controller(pod)
    if ref is not None and ref.get("kind") == "DaemonSet" and ref.get("apiVersion") == "apps/v1" \
            and not _terminal(pod):
        if not daemonset_exists(meta.get("namespace", ""), ref.get("name", "")):
            msg = f'daemonsets.apps "{ref.get("name", "")}" not found'
            if force:
                status = (True, "Warning", msg)
            else:
                return (False, "Error", msg)
        elif not ignore_daemonsets:
            return (False, "Error", DAEMONSET_FATAL)
        else:
            return (False, "Warning", DAEMONSET_WARNING)
    # mirrorPodFilter
    if "kubernetes.io/config.mirror" in (meta.get("annotations") or {}):
        return (False, "Skip", "")
    # localStorageFilter
    if any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []) and not _terminal(pod):
        if not delete_emptydir:
            return (False, "Error", LOCAL_STORAGE_FATAL)
        status = (True, "Warning", LOCAL_STORAGE_WARNING)
    # unreplicatedFilter
    if not _terminal(pod) and _controller(pod) is None:
        if force:
            status = (True, "Warning", UNMANAGED_WARNING)
        else:
            return (False, "Error", UNMANAGED_FATAL)
    return status


def pods_for_deletion(pods: list[dict], **kw) -> tuple[list[dict], list[str], list[str]]:
    """(pods to evict, warnings text list, error texts) as GetPodsForDeletion reports them:
    messages grouped, pods as ns/name, in order of first appearance."""
    deletable, warn, err = [], {}, {}
    for p in pods:
        delete, kind, msg = filter_pod(p, **kw)
        ref = f"{p['metadata'].get('namespace', '')}/{p['metadata']['name']}"
        if kind == "Warning":
            warn.setdefault(msg, []).append(ref)
        elif kind == "Error":
            err.setdefault(msg or "unexpected error", []).append(ref)
        if delete:
            deletable.append(p)
    warnings = [f"{m}: {', '.join(ps)}" for m, ps in warn.items()]
    errors = [f"cannot delete {m}: {', '.join(ps)}" for m, ps in err.items()]
    return deletable, warnings, errors


# ---------------------------------------------------------------- pure: disruption budgets
def _pod_ready(pod: dict) -> bool:
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or [])


def eviction_check(store, pod: dict) -> str | None:
    """None when the eviction subresource would delete the pod, else its error text."""
    from kctl.api.selectors import from_label_selector_spec

    meta = pod["metadata"]
    phase = (pod.get("status") or {}).get("phase")
    if meta.get("deletionTimestamp") or phase in ("Succeeded", "Failed", "Pending"):
        return None
    ns = meta.get("namespace", "")
    labels = meta.get("labels") or {}
    pdbs = []
    for pdb in store.list("poddisruptionbudgets.policy", ns):
        sel_spec = (pdb.get("spec") or {}).get("selector")
        if sel_spec is None:
            continue
        sel = from_label_selector_spec(sel_spec)
        if sel.matches(labels):
            pdbs.append((pdb, sel))
    if not pdbs:
        return None
    if len(pdbs) > 1:
        return "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    pdb, sel = pdbs[0]
    pods = [p for p in store.list("pods", ns) if sel.matches((p.get("metadata") or {}).get("labels") or {})]
    healthy, desired, allowed = budget_numbers(pdb, pods, _expected_scale(store, pods))
    if not _pod_ready(pod):
        policy = (pdb.get("spec") or {}).get("unhealthyPodEvictionPolicy") or "IfHealthyBudget"
        if policy == "AlwaysAllow" or healthy >= desired:
            return None
        return PDB_VIOLATION
    if allowed <= 0:
        return PDB_VIOLATION
    return None


def _expected_scale(store, pods: list[dict]) -> int | None:
    from kctl.controllers.disruption import expected_scale

    return expected_scale(store, pods)


# ---------------------------------------------------------------- shared
def _dry_run_value(dry_run: str | None) -> str:
    if dry_run is None:
        return "none"
    if dry_run in ("", "true"):
        return "client"
    if dry_run not in ("none", "client", "server", "false"):
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    return "none" if dry_run == "false" else dry_run


def _suffix(dry: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")


def _nodes(store, names: tuple[str, ...], selector: str | None) -> list[dict]:
    if names and selector:
        raise UsageError("error: cannot specify both a node name and a --selector option")
    if selector:
        from kctl.api.selectors import parse_label_selector

        sel = parse_label_selector(selector)
        return [n for n in store.list("nodes") if sel.matches((n.get("metadata") or {}).get("labels") or {})]
    out = []
    for name in names:
        node = store.get("nodes", "", name)
        if node is None:
            raise NotFound("nodes", name)
        out.append(node)
    return out


def _cordon(store, engine, nodes: list[dict], desired: bool, dry: str) -> list[str]:
    from kctl.controllers.context import Context
    import copy

    lines = []
    ctx = Context(store, engine.now)
    for node in nodes:
        name = node["metadata"]["name"]
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == desired:
            lines.append(f"node/{name} already {'cordoned' if desired else 'uncordoned'}{_suffix(dry)}")
            continue
        if dry == "none":
            new = copy.deepcopy(node)
            spec = new.setdefault("spec", {})
            if desired:
                spec["unschedulable"] = True
            else:
                spec.pop("unschedulable", None)
            ctx.write("nodes", new)
        lines.append(f"node/{name} {'cordoned' if desired else 'uncordoned'}{_suffix(dry)}")
    return lines


def _cordon_command(ctx, node, store, selector, dry_run, desired: bool):
    from kctl.cli.common import writable_engine

    g = merge_globals(ctx, store=store, namespace=None, all_namespaces=None, output=None)
    dry = _dry_run_value(dry_run)
    if not node and not selector:
        raise UsageError(f"USAGE: {'cordon' if desired else 'uncordon'} NODE [flags]")
    store_, engine = writable_engine(g.store)
    try:
        with store_.transaction():
            lines = _cordon(store_, engine, _nodes(store_, (node,) if node else (), selector), desired, dry)
            engine.converge()
    finally:
        store_.close()
    for line in lines:
        click.echo(line)


_DRY_HELP = 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent.'


@click.command("cordon", context_settings=_CTX)
@click.argument("node", required=False)
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.option("-l", "--selector", help="Selector (label query) to filter on.")
@click.option("--dry-run", "dry_run", is_flag=False, flag_value="client", default=None, help=_DRY_HELP)
@click.pass_context
def cordon_cmd(ctx, node, store, selector, dry_run):
    """Mark node as unschedulable (prints `node/NODE cordoned`)."""
    _cordon_command(ctx, node, store, selector, dry_run, True)


@click.command("uncordon", context_settings=_CTX)
@click.argument("node", required=False)
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.option("-l", "--selector", help="Selector (label query) to filter on.")
@click.option("--dry-run", "dry_run", is_flag=False, flag_value="client", default=None, help=_DRY_HELP)
@click.pass_context
def uncordon_cmd(ctx, node, store, selector, dry_run):
    """Mark node as schedulable (prints `node/NODE uncordoned`)."""
    _cordon_command(ctx, node, store, selector, dry_run, False)


# ---------------------------------------------------------------- drain
@click.command("drain", context_settings=_CTX)
@click.argument("node", required=False)
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.option("--force", is_flag=True, help="Continue even if there are pods that do not declare a controller.")
@click.option("--ignore-daemonsets", is_flag=True, help="Ignore DaemonSet-managed pods.")
@click.option("--delete-emptydir-data", is_flag=True,
              help="Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).")
@click.option("--grace-period", type=int, default=-1,
              help="Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.")
@click.option("--timeout", default="0s", help="The length of time (cluster time) to wait before giving up, zero means infinite.")
@click.option("--pod-selector", default="", help="Label selector to filter pods on the node")
@click.option("--disable-eviction", is_flag=True,
              help="Force drain to use delete, even if eviction is supported. This will bypass checking PodDisruptionBudgets, use with caution.")
@click.option("--skip-wait-for-delete-timeout", type=int, default=0,
              help="If pod DeletionTimestamp older than N seconds, skip waiting for the pod.  Seconds must be greater than 0 to skip.")
@click.option("--chunk-size", type=int, default=500, help="Accepted for kubectl compatibility.")
@click.option("-l", "--selector", help="Selector (label query) to filter on.")
@click.option("--dry-run", "dry_run", is_flag=False, flag_value="client", default=None, help=_DRY_HELP)
@click.pass_context
def drain_cmd(ctx, node, store, force, ignore_daemonsets, delete_emptydir_data, grace_period, timeout,
              pod_selector, disable_eviction, skip_wait_for_delete_timeout, chunk_size, selector, dry_run):
    """Drain node in preparation for maintenance.

    The node is cordoned, then its pods are evicted (PodDisruptionBudgets respected: a
    blocked eviction is retried every 5 s of cluster time). DaemonSet-managed pods need
    --ignore-daemonsets, pods without a controller --force, pods with emptyDir volumes
    --delete-emptydir-data. Waiting moves cluster time; --timeout is cluster time too (0 =
    until nothing pending in the cluster can change any more, or an hour of cluster time
    passes without any pod going).
    """
    from kctl.cli.common import writable_engine
    from kctl.api.duration import format_go_duration, parse_go_duration

    g = merge_globals(ctx, store=store, namespace=None, all_namespaces=None, output=None)
    dry = _dry_run_value(dry_run)
    if not node and not selector:
        raise UsageError("USAGE: drain NODE [flags]")
    try:
        timeout_s = parse_go_duration(timeout)
    except ValueError as e:
        raise UsageError(f'invalid argument "{timeout}" for "--timeout" flag: {e}')
    pod_sel = None
    if pod_selector:
        from kctl.api.selectors import parse_label_selector

        try:
            pod_sel = parse_label_selector(pod_selector)
        except Exception:
            raise KctlError("--pod-selector=<pod_selector> must be a valid label selector")

    def say(line: str, err: bool = False) -> None:
        click.echo(line, err=err)

    store_, engine = writable_engine(g.store)
    fatal: list[str] = []
    remaining: list[str] = []
    try:
        with store_.transaction(dry_run=(dry == "server")):
            nodes = _nodes(store_, (node,) if node else (), selector)
            for line in _cordon(store_, engine, nodes, True, dry):
                say(line)
            engine.converge()
            for n in nodes:
                name = n["metadata"]["name"]
                err = _drain_node(store_, engine, name, say, dry=dry, force=force,
                                  ignore_daemonsets=ignore_daemonsets, delete_emptydir=delete_emptydir_data,
                                  grace=None if grace_period < 0 else grace_period, timeout=timeout_s,
                                  pod_sel=pod_sel, disable_eviction=disable_eviction,
                                  skip_wait=skip_wait_for_delete_timeout, fmt=format_go_duration)
                if err is None:
                    say(f"node/{name} drained{_suffix(dry)}")
                else:
                    say(f'error: unable to drain node "{name}" due to error: {err}, continuing command...', True)
                    fatal.append(err)
                    remaining.append(name)
    finally:
        store_.close()
    if remaining:
        say("There are pending nodes to be drained:", True)
        for name in remaining:
            say(f" {name}", True)
    if fatal:
        raise KctlError(fatal[0] if len(fatal) == 1 else "[" + ", ".join(fatal) + "]")


def _aggregate(errs: list[str]) -> str:
    return errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"


def _drain_node(store, engine, name: str, say, *, dry: str, force: bool, ignore_daemonsets: bool,
                delete_emptydir: bool, grace, timeout: float, pod_sel, disable_eviction: bool,
                skip_wait: int, fmt) -> str | None:
    """Evict (or delete) the node's pods; None when drained, else the error text."""
    from kctl.controllers.context import Context, parse_time
    from kctl.controllers.gc import delete_object
    from kctl.controllers.runner import advance, next_timer

    def list_pods():
        pods = store.list("pods", None, node_name=name)
        if pod_sel is not None:
            pods = [p for p in pods if pod_sel.matches((p.get("metadata") or {}).get("labels") or {})]
        if skip_wait > 0:
            now = engine.now
            pods = [p for p in pods if not (p["metadata"].get("deletionTimestamp") and
                    (now - parse_time(p["metadata"]["deletionTimestamp"])).total_seconds() > skip_wait)]
        return pods

    def ds_exists(ns, ds):
        return store.get("daemonsets.apps", ns, ds) is not None

    kw = dict(force=force, ignore_daemonsets=ignore_daemonsets, delete_emptydir=delete_emptydir,
              daemonset_exists=ds_exists)
    pods, warnings, errors = pods_for_deletion(list_pods(), **kw)
    if errors:
        return _aggregate(errors)
    if warnings:
        say("Warning: " + "; ".join(warnings), True)
    if dry == "client":
        for p in pods:
            say(f"evicting pod {p['metadata'].get('namespace', '')}/{p['metadata']['name']} (dry run)")
        return None
    if dry == "server":
        for p in pods:
            say(f"evicting pod {p['metadata'].get('namespace', '')}/{p['metadata']['name']} (server dry run)")
        return None

    start = engine.now
    now = start
    pending = list(pods)  # still to evict
    deleting: list[dict] = []  # evicted, waiting for removal
    errs: list[str] = []
    verb = "deleted" if disable_eviction else "evicted"
    last_progress = start
    if disable_eviction:
        ctx = Context(store, now)
        for p in pending:
            delete_object(ctx, "pods", p["metadata"].get("namespace", ""), p["metadata"]["name"],
                          "background", grace_period=grace)
        from kctl.controllers.runner import converge

        converge(store, now)
        deleting, pending = pending, []
    while True:
        progressed = False
        if pending:
            ctx = Context(store, now)
            still = []
            expired = timeout > 0 and (now - start).total_seconds() >= timeout
            for p in pending:
                ns, pname = p["metadata"].get("namespace", ""), p["metadata"]["name"]
                say(f"evicting pod {ns}/{pname}")
                if expired:
                    errs.append(f'error when evicting pods/"{pname}" -n "{ns}": global timeout reached: {fmt(timeout)}')
                    progressed = True
                    continue
                live = store.get("pods", ns, pname)
                if live is None or live["metadata"].get("uid") != p["metadata"].get("uid"):
                    progressed = True
                    continue  # NotFound: done, nothing to wait for
                why = eviction_check(store, live)
                if why is None:
                    delete_object(ctx, "pods", ns, pname, "background", grace_period=grace)
                    deleting.append(p)
                    progressed = True
                elif why == PDB_VIOLATION:
                    say(f'error when evicting pods/"{pname}" -n "{ns}" (will retry after {EVICT_RETRY}s): {why}', True)
                    still.append(p)
                else:
                    errs.append(f'error when evicting pods/"{pname}" -n "{ns}": {why}')
                    progressed = True
            pending = still
            from kctl.controllers.runner import converge

            converge(store, now)
        left = []
        for p in deleting:
            ns, pname = p["metadata"].get("namespace", ""), p["metadata"]["name"]
            live = store.get("pods", ns, pname)
            if live is None or live["metadata"].get("uid") != p["metadata"].get("uid"):
                say(f"pod/{pname} {verb}")
                progressed = True
            else:
                left.append(p)
        deleting = left
        if not pending and not deleting:
            break
        elapsed = (now - start).total_seconds()
        nt = next_timer(store)
        # the next moment anything can change: the eviction retry (5 s) or the next timer
        if pending:
            step = EVICT_RETRY
        elif nt is not None:
            step = max(1.0, (nt - now).total_seconds())
        else:
            step = None
        if progressed:
            last_progress = now
        # kubectl would wait for ever with --timeout 0; the simulation gives up once nothing
        # pending can change the outcome, or after IDLE_LIMIT of cluster time without progress
        idle = step is not None and (now - last_progress).total_seconds() + step > IDLE_LIMIT
        stuck = step is None or (pending and nt is None and not deleting and not progressed) or idle
        if pending and timeout > 0 and elapsed + step >= timeout:
            now = advance(store, now, timeout - elapsed)  # the last attempt finds the deadline passed
            continue
        if timeout > 0 and (step is None or elapsed + step > timeout):
            if elapsed < timeout:
                now = advance(store, now, timeout - elapsed)
            reason = f"global timeout reached: {fmt(timeout)}"
        elif timeout <= 0 and stuck:
            reason = (f"no pod went away in {fmt(IDLE_LIMIT)} of cluster time (use --timeout to bound the wait)"
                      if idle and not (step is None or (pending and nt is None and not deleting and not progressed))
                      else "nothing pending in the cluster can change this (use --timeout to bound the wait)")
        else:
            reason = None
        if reason is not None:
            for p in pending:
                errs.append(f'error when evicting pods/"{p["metadata"]["name"]}" -n '
                            f'"{p["metadata"].get("namespace", "")}": {reason}')
            for p in deleting:
                errs.append(f'error when waiting for pod "{p["metadata"]["name"]}" in namespace '
                            f'"{p["metadata"].get("namespace", "")}" to terminate: {reason}')
            break
        now = advance(store, now, step)
    if errs:
        agg = _aggregate(errs)
        left, _w, _e = pods_for_deletion(list_pods(), **kw)
        if left:
            say(f'There are pending pods in node "{name}" when an error occurred: {agg}', True)
            for p in left:
                say(f"pod/{p['metadata']['name']}", True)
        return agg
    return None
