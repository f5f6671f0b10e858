"""`kctl rollout status|history|undo|restart|pause|resume` (kubectl 1.37's texts).

Every writing subcommand writes in one transaction and converges. `rollout status` waits in
cluster time: it moves the clock to the next due timer (readiness delays, minReadySeconds,
progress deadlines) until the rollout is done or --timeout of cluster time passed
(CLI-CONTRACT.md "waiting"); it never sleeps.
"""

from __future__ import annotations

import copy

import click

from kctl.cli.common import parse_resource_args, ref, report
from kctl.cli.options import global_flags, merge_globals
from kctl.errors import KctlError, NotFound, UsageError

_CTX = {"help_option_names": ["-h", "--help"]}
_REQUIRED = "required resource not specified"


@click.group("rollout", context_settings=_CTX)
def rollout_group():
    """Manage the rollout of one or many resources."""


# ------------------------------------------------------------------ shared helpers
def parse_go_duration(text: str) -> float:
    """`--timeout` as Go's time.ParseDuration reads it; kubectl's flag error when it cannot."""
    from kctl.api.duration import parse_go_duration as parse

    try:
        return parse(text.strip() or "0")
    except ValueError as e:
        raise UsageError(f'invalid argument "{text}" for "--timeout" flag: {e}') from None


def targets(args: tuple[str, ...], namespace: str, filenames=(), recursive: bool = False):
    """[(Kind, namespace, name)] from `-f FILE`, `TYPE NAME...` or `TYPE/NAME...`."""
    if filenames:
        if args:
            raise UsageError("when paths, URLs, or stdin is provided as input, you may not specify "
                             "resource arguments as well")
        return file_targets(filenames, recursive, namespace)
    if not args:
        raise KctlError(_REQUIRED)
    out = []
    for kinds_, names in parse_resource_args(args):
        if not names:
            raise KctlError(_REQUIRED)
        for k in kinds_:
            for n in names:
                out.append((k, namespace if k.namespaced else "", n))
    return out


def file_targets(filenames, recursive: bool, namespace: str):
    """The objects a manifest names (kind, namespace from the file or -n, name)."""
    from kctl.api import kinds as kinds_mod
    from kctl.cli.common import load_manifests

    out = []
    for m in load_manifests(filenames, recursive):
        obj = m.obj
        k = kinds_mod.for_object(obj.get("apiVersion") or "", obj.get("kind") or "")
        if k is None:
            raise KctlError(f'no matches for kind "{obj.get("kind")}" in version "{obj.get("apiVersion")}"',
                            f"{m.source}:{m.line}")
        meta = obj.get("metadata") or {}
        ns = (meta.get("namespace") or namespace) if k.namespaced else ""
        out.append((k, ns, meta.get("name") or ""))
    return out


def file_options(f):
    from kctl.cli.options import filename_options

    return filename_options(f)


def get_live(store, kind, ns: str, name: str) -> dict:
    obj = store.get(kind.resource, ns, name)
    if obj is None:
        raise NotFound(kind.resource, name)
    return obj


def write_update(store, kind, live: dict, new: dict, *, field_manager: str = "kubectl-rollout",
                 subresource: str = "") -> dict:
    """Update an object as the API server would for a client's PUT/PATCH: defaults, registry
    strategy (generation bump), validation, resourceVersion check. No-op → live."""
    from kctl.api import strategy
    from kctl.api.defaults import apply_defaults
    from kctl.api.validation import validate_create, validate_update
    from kctl.errors import Invalid

    new = copy.deepcopy(new)
    apply_defaults(kind, new)
    strategy.prepare_for_update(kind, new, live)
    errs = validate_create(kind, new) + validate_update(kind, new, live)
    if errs:
        seen, uniq = set(), []
        for e in errs:
            if str(e) not in seen:
                seen.add(str(e))
                uniq.append(e)
        raise Invalid(kind.kind, new["metadata"]["name"], uniq)
    if new == live:
        return live
    from kctl.api.managedfields import record_update
    from kctl.engine import cluster_now, rfc3339

    record_update(kind, live, new, field_manager, rfc3339(cluster_now(store)), subresource=subresource)
    return store.update(kind.resource, new, expected_rv=(live.get("metadata") or {}).get("resourceVersion"))


def _is(kind, group: str, name: str) -> bool:
    return (kind.group, kind.kind) == (group, name)


def _run_writes(g, args, fn, filenames=(), recursive=False):
    """Open the store, apply `fn(store, engine, kind, ns, name) -> line|None` to each target in
    one transaction, converge; print lines, then raise the errors (kubectl aggregates)."""
    from kctl.cli.common import writable_engine

    store, engine = writable_engine(g.store)
    lines: list[str] = []
    errors: list[KctlError] = []
    try:
        with store.transaction():
            for kind, ns, name in targets(args, g.effective_namespace, filenames, recursive):
                try:
                    line = fn(store, engine, kind, ns, name)
                except KctlError as e:
                    errors.append(e)
                    continue
                if line:
                    lines.append(line)
            engine.converge()
    finally:
        store.close()
    report(lines, errors)


# ------------------------------------------------------------------ pause / resume / restart
def _simple(verb: str):
    @click.command(verb, context_settings=_CTX, help=_DOCS[verb])
    @click.argument("args", nargs=-1)
    @file_options
    @global_flags(all_namespaces=False)
    @click.pass_context
    def cmd(ctx, args, filenames, recursive, store, namespace, output):
        g = merge_globals(ctx, store=store, namespace=namespace, output=output)
        _run_writes(g, args, _ACTIONS[verb], filenames, recursive)

    return cmd


def _pause(store, engine, kind, ns, name):
    live = get_live(store, kind, ns, name)
    if not _is(kind, "apps", "Deployment"):
        raise KctlError(f'{_resource_string(kind)} "{name}" pausing is not supported')
    if (live.get("spec") or {}).get("paused"):
        raise KctlError(f'{_resource_string(kind)} "{name}" is already paused')
    new = copy.deepcopy(live)
    new["spec"]["paused"] = True
    write_update(store, kind, live, new)
    return f"{ref(kind, name)} paused"


def _resume(store, engine, kind, ns, name):
    live = get_live(store, kind, ns, name)
    if not _is(kind, "apps", "Deployment"):
        raise KctlError(f'{_resource_string(kind)} "{name}" resuming is not supported')
    if not (live.get("spec") or {}).get("paused"):
        raise KctlError(f'{_resource_string(kind)} "{name}" is not paused')
    new = copy.deepcopy(live)
    new["spec"].pop("paused", None)
    write_update(store, kind, live, new)
    return f"{ref(kind, name)} resumed"


def _restart(store, engine, kind, ns, name):
    from kctl.controllers.context import rfc3339

    live = get_live(store, kind, ns, name)
    if not any(_is(kind, "apps", k) for k in ("Deployment", "DaemonSet", "StatefulSet")):
        raise KctlError(f'{_resource_string(kind)} "{name}" restarting is not supported')
    if _is(kind, "apps", "Deployment") and (live.get("spec") or {}).get("paused"):
        raise KctlError(f'{_resource_string(kind)} "{name}" can\'t restart paused deployment '
                        "(run rollout resume first)")
    new = copy.deepcopy(live)
    tmeta = new["spec"].setdefault("template", {}).setdefault("metadata", {})
    stamp = rfc3339(engine.now)
    ann = tmeta.setdefault("annotations", {})
    if ann.get("kubectl.kubernetes.io/restartedAt") == stamp:
        raise KctlError(f"failed to create patch for {name}: if restart has already been triggered "
                        "within the past second, please wait before attempting to trigger another")
    ann["kubectl.kubernetes.io/restartedAt"] = stamp
    write_update(store, kind, live, new)
    return f"{ref(kind, name)} restarted"


def _resource_string(kind) -> str:
    return kind.resource


_ACTIONS = {"pause": _pause, "resume": _resume, "restart": _restart}
_DOCS = {
    "pause": "Mark the provided resource as paused.",
    "resume": "Resume a paused resource.",
    "restart": "Restart a resource (new pods through a rollout of the pod template).",
}
for _verb in ("pause", "resume", "restart"):
    rollout_group.add_command(_simple(_verb))


# ------------------------------------------------------------------ undo
@rollout_group.command("undo", context_settings=_CTX)
@click.argument("args", nargs=-1)
@file_options
@global_flags(all_namespaces=False)
@click.option("--to-revision", "to_revision", type=int, default=0,
              help="The revision to rollback to. Default to 0 (last revision).")
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.pass_context
def undo_cmd(ctx, args, filenames, recursive, store, namespace, output, to_revision, dry_run):
    """Roll back to a previous rollout."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if dry_run not in ("none", "client", "server"):
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')

    def undo(store_, engine, kind, ns, name):
        from kctl.api import merge
        from kctl.controllers.deployment import history, util

        live = get_live(store_, kind, ns, name)
        if not any(_is(kind, "apps", k) for k in ("Deployment", "DaemonSet", "StatefulSet")):
            raise KctlError(f'no rollbacker has been implemented for "{kind.kind}"'
                            if kind.group == "" else
                            f'no rollbacker has been implemented for "{kind.kind}.{kind.group}"')
        if merge.LAST_APPLIED in util.annotations(live):
            click.echo(f"Warning: resource {kind.resource}/{name} was previously managed with 'kctl apply'. "
                       f"Rolling back will not update the {merge.LAST_APPLIED} annotation, which may cause "
                       "unexpected behavior on future 'kctl apply' operations. Consider using 'kctl apply' "
                       "with your previous configuration file instead.", err=True)
        if not _is(kind, "apps", "Deployment"):
            return _undo_revision_history(store_, engine, kind, live, to_revision, dry_run)
        rss = history.owned_replica_sets(store_, live)
        try:
            target = history.rollback_target(live, rss, to_revision)
        except ValueError as e:
            raise KctlError(str(e))
        if dry_run == "client":
            return f"{ref(kind, name)} " + _template_text(util.spec(target).get("template"), engine) + " (dry run)"
        if (live.get("spec") or {}).get("paused"):
            raise KctlError("you cannot rollback a paused deployment; resume it first with "
                            "'kctl rollout resume' and try again")
        rev = util.revision_of(target)
        if util.equal_ignore_hash(util.spec(target).get("template"), util.spec(live).get("template")):
            return f"{ref(kind, name)} skipped rollback (current template already matches revision {to_revision})"
        new = copy.deepcopy(live)
        new["spec"]["template"] = util.template_without_hash(util.spec(target).get("template"))
        # kubectl's annotations: the Deployment keeps its skipped ones, takes the rest from
        # the ReplicaSet of that revision
        ann = {k: v for k, v in util.annotations(live).items() if k in util.ANNOTATIONS_TO_SKIP}
        ann.update({k: v for k, v in util.annotations(target).items() if k not in util.ANNOTATIONS_TO_SKIP})
        if ann:
            new["metadata"]["annotations"] = ann
        else:
            new["metadata"].pop("annotations", None)
        if dry_run == "server":
            return f"{ref(kind, name)} rolled back (server dry run)"
        write_update(store_, kind, live, new, field_manager="kubectl")  # no --field-manager: the user agent names it
        return f"{ref(kind, name)} rolled back"

    _run_writes(g, args, undo, filenames, recursive)


# ------------------------------------------------------------------ StatefulSet / DaemonSet history
def controller_revisions(store, live: dict) -> dict[int, dict]:
    """revision -> ControllerRevision controlled by `live` (a StatefulSet or DaemonSet), as
    kubectl's statefulSetHistory/daemonSetHistory collect them."""
    meta = live.get("metadata") or {}
    out: dict[int, dict] = {}
    for cr in store.list("controllerrevisions.apps", meta.get("namespace", "")):
        refs = (cr.get("metadata") or {}).get("ownerReferences") or []
        if any(r.get("controller") and r.get("uid") == meta.get("uid") for r in refs):
            out[int(cr.get("revision") or 0)] = cr
    return out


def revision_template(cr: dict) -> dict:
    """The pod template a ControllerRevision's patch (spec.template with $patch: replace) restores."""
    t = copy.deepcopy((((cr.get("data") or {}).get("spec") or {}).get("template")) or {})
    t.pop("$patch", None)
    return t


def _undo_revision_history(store_, engine, kind, live: dict, to_revision: int, dry_run: str) -> str:
    """kubectl's StatefulSetRollbacker / DaemonSetRollbacker: restore a ControllerRevision."""
    name = live["metadata"]["name"]
    if to_revision < 0:
        raise KctlError(f"unable to find specified revision {to_revision} in history")
    revs = controller_revisions(store_, live)
    if to_revision == 0 and len(revs) <= 1:
        raise KctlError("no last revision to roll back to")
    if to_revision == 0:
        target = revs[sorted(revs)[-2]]
    elif to_revision in revs:
        target = revs[to_revision]
    else:
        raise KctlError(f"unable to find specified revision {to_revision} in history")
    template = revision_template(target)
    if dry_run == "client":
        return f"{ref(kind, name)} " + _template_text(template, engine) + " (dry run)"
    if template == (live.get("spec") or {}).get("template"):
        return f"{ref(kind, name)} skipped rollback (current template already matches revision {to_revision})"
    new = copy.deepcopy(live)
    new["spec"]["template"] = template
    if dry_run == "server":
        return f"{ref(kind, name)} rolled back (server dry run)"
    write_update(store_, kind, live, new, field_manager="kubectl")
    return f"{ref(kind, name)} rolled back"


def _template_text(template, engine) -> str:
    from datetime import timezone

    from kctl.printers.describe_common import _Ctx
    from kctl.printers.describe_fmt import PrefixWriter
    from kctl.printers.describe_pod import _describe_pod_template

    w = PrefixWriter()
    _describe_pod_template(_Ctx(engine.now.astimezone(timezone.utc), None), w, template or {})
    return w.getvalue()


# ------------------------------------------------------------------ history
@rollout_group.command("history", context_settings=_CTX)
@click.argument("args", nargs=-1)
@file_options
@global_flags(all_namespaces=False)
@click.option("--revision", type=int, default=0,
              help="See the details, including podTemplate of the revision specified")
@click.pass_context
def history_cmd(ctx, args, filenames, recursive, store, namespace, output, revision):
    """View previous rollout revisions and configurations."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if not args and not filenames:
        raise KctlError(_REQUIRED)
    if revision < 0:
        raise KctlError(f"revision must be a positive integer: {revision}")
    from kctl.cli.common import read_store
    from kctl.controllers.deployment import history, util
    from kctl.engine import Engine

    store_ = read_store(g.store)
    out: list[str] = []
    try:
        for kind, ns, name in targets(args, g.effective_namespace, filenames, recursive):
            live = get_live(store_, kind, ns, name)
            if not any(_is(kind, "apps", k) for k in ("Deployment", "DaemonSet", "StatefulSet")):
                raise KctlError(f'no history viewer has been implemented for "{kind.kind}.{kind.group}"'
                                if kind.group else f'no history viewer has been implemented for "{kind.kind}"')
            by_crs = not _is(kind, "apps", "Deployment")
            if by_crs:
                revs = controller_revisions(store_, live)
            else:
                revs = history.revisions(history.owned_replica_sets(store_, live))
            if g.output:
                if by_crs:
                    out.append(_cr_history_output(kind, live, revs, revision, g.output))
                else:
                    out.append(_history_output(revs, revision, g.output))
                continue
            if not revs:
                text = "No rollout history found."
            elif revision > 0:
                if revision not in revs:
                    raise KctlError("unable to find the specified revision")
                template = revision_template(revs[revision]) if by_crs else _with_change_cause(revs[revision])
                text = _template_text(template, Engine(store_))
            else:
                from kctl.printers.table import render_table

                rows = []
                for r in sorted(revs):
                    cause = (_change_cause(revs[r]) if not by_crs else
                             ((revs[r].get("metadata") or {}).get("annotations") or {}).get(
                                 "kubernetes.io/change-cause", "")) or "<none>"
                    rows.append([str(r), cause])
                # kubectl's tabwriter here pads with 2 spaces
                text = _tabbed(["REVISION", "CHANGE-CAUSE"], rows)
            head = f"with revision #{revision}" if revision > 0 else ""
            out.append(f"{ref(kind, name)} {head}\n{text}\n")
    finally:
        store_.close()
    click.echo("".join(out), nl=False)


def _cr_history_output(kind, live: dict, revs: dict, revision: int, output: str) -> str:
    """-o for a StatefulSet/DaemonSet history: the object with each revision applied, as
    kubectl's GetHistory (applyStatefulSetHistory/applyDaemonSetHistory) returns them."""
    from kctl.printers import yaml_json

    if revision > 0:
        if revision not in revs:
            raise KctlError("unable to find the specified revision")
        picked = [revs[revision]]
    else:
        picked = [revs[r] for r in sorted(revs)]
    fmt = output.split("=", 1)[0]
    if fmt not in ("yaml", "json", "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{output}", '
                         "allowed formats are: json,name,yaml")
    objs = []
    for cr in picked:
        o = copy.deepcopy(live)
        o["spec"]["template"] = revision_template(cr)
        objs.append(o)
    if fmt == "name":
        return "".join(f"{ref(kind, o['metadata']['name'])}\n" for o in objs)
    text = [yaml_json.to_yaml(o) if fmt == "yaml" else yaml_json.to_json(o) for o in objs]
    return ("---\n" if fmt == "yaml" else "").join(text)


def _tabbed(headers, rows) -> str:
    table = [headers] + rows
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for r in table:
        cells = [c.ljust(widths[i] + 2) if i < len(r) - 1 else c for i, c in enumerate(r)]
        lines.append("".join(cells))
    return "\n".join(lines) + "\n"


def _change_cause(rs: dict) -> str:
    from kctl.controllers.deployment import util

    return util.annotations(rs).get(util.CHANGE_CAUSE, "")


def _with_change_cause(rs: dict) -> dict:
    from kctl.controllers.deployment import util

    t = copy.deepcopy(util.spec(rs).get("template") or {})
    cause = _change_cause(rs)
    if cause:
        t.setdefault("metadata", {}).setdefault("annotations", {})[util.CHANGE_CAUSE] = cause
    return t


def _history_output(revs: dict, revision: int, output: str) -> str:
    from kctl.printers import yaml_json

    if revision > 0:
        if revision not in revs:
            raise KctlError("unable to find the specified revision")
        objs = [revs[revision]]
    else:
        objs = [revs[r] for r in sorted(revs)]
    fmt = output.split("=", 1)[0]
    if fmt not in ("yaml", "json", "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{output}", '
                         "allowed formats are: json,name,yaml")
    if fmt == "name":
        return "".join(f"replicaset.apps/{o['metadata']['name']}\n" for o in objs)
    text = []
    for o in objs:
        text.append(yaml_json.to_yaml(o) if fmt == "yaml" else yaml_json.to_json(o))
    return ("---\n" if fmt == "yaml" else "").join(text)


# ------------------------------------------------------------------ status
@rollout_group.command("status", context_settings=_CTX)
@click.argument("args", nargs=-1)
@file_options
@global_flags(all_namespaces=False)
@click.option("-w", "--watch", "watch", type=click.BOOL, default=True,
              help="Watch the status of the rollout until it's done.")
@click.option("--timeout", default="0s",
              help="The length of time (cluster time) to wait before ending watch, zero means never.")
@click.option("--revision", type=int, default=0, help="Pin to a specific revision for showing its status.")
@click.pass_context
def status_cmd(ctx, args, filenames, recursive, store, namespace, output, watch, timeout, revision):
    """Show the status of the rollout."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if not args and not filenames:
        raise KctlError(_REQUIRED)
    if revision < 0:
        raise KctlError(f"revision must be a positive integer: {revision}")
    limit = parse_go_duration(timeout)
    tgts = targets(args, g.effective_namespace, filenames, recursive)
    if len(tgts) != 1:
        raise UsageError("rollout status is only supported on individual resources and resource "
                         f"collections, but {len(tgts)} resources were found")
    kind, ns, name = tgts[0]
    if not any(_is(kind, "apps", k) for k in ("Deployment", "DaemonSet", "StatefulSet")):
        raise KctlError(f'no status viewer has been implemented for {kind.kind}'
                        + (f".{kind.group}" if kind.group else ""))
    from kctl.cli.common import writable_engine

    store_, engine = writable_engine(g.store)
    printed: list[str] = []

    def check(_now=None) -> bool:
        obj = get_live(store_, kind, ns, name)
        text, done = rollout_status(kind, obj, revision)
        if not printed or printed[-1] != text:
            printed.append(text)
            click.echo(text, nl=False)
        return done

    failure: KctlError | None = None
    try:
        # the moved clock and everything that converged on the way stay, also on a timeout
        with store_.transaction():
            try:
                engine.converge()
                if not check() and watch:
                    wait_until(store_, engine.now, limit, check)
            except KctlError as e:
                failure = e
    finally:
        store_.close()
    if failure is not None:
        raise failure


def wait_until(store, start, limit_seconds: float, check) -> None:
    """Move cluster time timer by timer until `check()` holds; `limit_seconds` 0 = no limit
    (then a cluster with no pending timer can never change: that is a timeout too)."""
    from kctl.controllers.runner import advance, next_timer

    if limit_seconds > 0:
        advance(store, start, limit_seconds, until=lambda now: check(now))
        if not check():
            raise KctlError("timed out waiting for the condition")
        return
    now = start
    for _ in range(100000):
        due = next_timer(store)
        if due is None:
            raise KctlError("timed out waiting for the condition")
        step = max(0.0, (due - now).total_seconds())
        now = advance(store, now, step, until=lambda t: check(t))
        if check():
            return
    raise KctlError("timed out waiting for the condition")


def rollout_status(kind, obj: dict, revision: int = 0) -> tuple[str, bool]:
    """kubectl's status viewers: (message, done). Raises KctlError as kubectl errors."""
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    name = obj["metadata"]["name"]
    gen = int(obj["metadata"].get("generation") or 0)
    observed = int(st.get("observedGeneration") or 0)

    def n(k):
        return int(st.get(k) or 0)

    if _is(kind, "apps", "Deployment"):
        from kctl.controllers.deployment import util

        if revision > 0:
            cur = util.revision_of(obj)
            if cur != revision:
                raise KctlError(f"desired revision ({revision}) is different from the running revision ({cur})")
        if gen <= observed:
            cond = util.get_condition(st, "Progressing")
            if cond is not None and cond.get("reason") == util.TIMED_OUT:
                raise KctlError(f'deployment "{name}" exceeded its progress deadline')
            want = spec.get("replicas", 1)
            if want is not None and n("updatedReplicas") < int(want):
                return (f'Waiting for deployment "{name}" rollout to finish: {n("updatedReplicas")} out of '
                        f'{int(want)} new replicas have been updated...\n', False)
            if n("replicas") > n("updatedReplicas"):
                return (f'Waiting for deployment "{name}" rollout to finish: '
                        f'{n("replicas") - n("updatedReplicas")} old replicas are pending termination...\n', False)
            if n("availableReplicas") < n("updatedReplicas"):
                return (f'Waiting for deployment "{name}" rollout to finish: {n("availableReplicas")} of '
                        f'{n("updatedReplicas")} updated replicas are available...\n', False)
            return f'deployment "{name}" successfully rolled out\n', True
        return "Waiting for deployment spec update to be observed...\n", False
    if _is(kind, "apps", "DaemonSet"):
        if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
            raise KctlError("rollout status is only available for RollingUpdate strategy type")
        if gen <= observed:
            if n("updatedNumberScheduled") < n("desiredNumberScheduled"):
                return (f'Waiting for daemon set "{name}" rollout to finish: {n("updatedNumberScheduled")} out '
                        f'of {n("desiredNumberScheduled")} new pods have been updated...\n', False)
            if n("numberAvailable") < n("desiredNumberScheduled"):
                return (f'Waiting for daemon set "{name}" rollout to finish: {n("numberAvailable")} of '
                        f'{n("desiredNumberScheduled")} updated pods are available...\n', False)
            return f'daemon set "{name}" successfully rolled out\n', True
        return "Waiting for daemon set spec update to be observed...\n", False
    # StatefulSet
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise KctlError("rollout status is only available for RollingUpdate strategy type")
    if observed == 0 or gen > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    want = int(spec.get("replicas", 1) or 0)
    if n("readyReplicas") < want:
        return f"Waiting for {want - n('readyReplicas')} pods to be ready...\n", False
    ru = strategy.get("rollingUpdate")
    if ru is not None:
        if ru.get("partition") is not None:
            part = int(ru["partition"])
            if n("updatedReplicas") < want - part:
                return (f"Waiting for partitioned roll out to finish: {n('updatedReplicas')} out of "
                        f"{want - part} new pods have been updated...\n", False)
        return f"partitioned roll out complete: {n('updatedReplicas')} new pods have been updated...\n", True
    if st.get("updateRevision") != st.get("currentRevision"):
        return (f"waiting for statefulset rolling update to complete {n('updatedReplicas')} pods at "
                f"revision {st.get('updateRevision')}...\n", False)
    return (f"statefulset rolling update complete {n('currentReplicas')} pods at revision "
            f"{st.get('currentRevision')}...\n", True)
