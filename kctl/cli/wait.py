"""`kctl wait --for=condition=...|jsonpath=...|delete|create TYPE/NAME|TYPE -l ...`.

kubectl 1.37's conditions and texts; instead of watching with a real clock, kctl moves
cluster time to the next due timer and converges (CLI-CONTRACT.md "waiting") until the
condition holds or --timeout of cluster time has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import click

from kctl.cli.common import parse_resource_args, ref, select_objects
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, NotFound, UsageError

WEEK = 168 * 3600  # kubectl: a negative --timeout means wait for a week
TIMED_OUT = "timed out waiting for the condition"


# ---------------------------------------------------------------------------- conditions
@dataclass
class Condition:
    kind: str  # "delete" | "create" | "condition" | "jsonpath"
    name: str = ""  # condition type
    value: str = ""  # condition status / jsonpath value ("" = any value)
    path: object = None  # parsed JSONPath


def split_jsonpath_input(text: str) -> list[str]:
    """wait.go splitJSONPathInput: split on single '='; '==' stays inside an element."""
    out, cur, i = [], [], 0
    while i < len(text):
        if text[i] == "=":
            if i < len(text) - 1 and text[i + 1] == "=":
                cur.append("==")
                i += 2
                continue
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(text[i])
        i += 1
    out.append("".join(cur))
    return out


def parse_conditions(specs: list[str]) -> list[Condition]:
    """conditionFuncsFor: --for values -> Conditions, with kubectl's errors."""
    from kctl.printers.jsonpath import JSONPath, JSONPathError, relaxed

    out = []
    for spec in specs:
        low = spec.lower()
        if low == "delete":
            out.append(Condition("delete"))
        elif low == "create":
            out.append(Condition("create"))
        elif spec.startswith("condition="):
            rest = spec[len("condition="):]
            name, eq, value = rest.partition("=")
            out.append(Condition("condition", name, value if eq else "true"))
        elif spec.startswith("jsonpath="):
            parts = split_jsonpath_input(spec[len("jsonpath="):])
            if len(parts) not in (1, 2):
                raise KctlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                                "--for=jsonpath='{.status.readyReplicas}'")
            try:
                expr = relaxed(parts[0])
            except JSONPathError as e:
                raise KctlError(str(e)) from None
            value = ""
            if len(parts) == 2:
                value = parts[1].strip("'\"")
                if not value:
                    raise KctlError("jsonpath wait has to have a value after equal sign, like "
                                    "--for=jsonpath='{.status.readyReplicas}'=3")
            if not expr:
                raise KctlError("jsonpath expression cannot be empty")
            try:
                jp = JSONPath(expr, allow_missing_keys=True, name="wait")
            except JSONPathError as e:
                raise KctlError(str(e)) from None
            out.append(Condition("jsonpath", value=value, path=jp))
        else:
            raise KctlError(f'unrecognized condition: "{spec}"')
    if not out:
        raise KctlError("unrecognized condition: []")
    return out


def condition_met(obj: dict, name: str, value: str) -> bool:
    """ConditionalWait.checkCondition: a status condition of that type (case-insensitive)
    with that status, observed at the current generation."""
    for c in (obj.get("status") or {}).get("conditions") or []:
        if not isinstance(c, dict) or str(c.get("type", "")).lower() != name.lower():
            continue
        if "status" not in c:
            continue
        gen = (obj.get("metadata") or {}).get("generation")
        if gen is not None:
            observed = c.get("observedGeneration", (obj.get("status") or {}).get("observedGeneration"))
            if observed is not None and int(observed) < int(gen):
                return False
        return str(c.get("status")).lower() == value.lower()
    return False


def jsonpath_met(obj: dict, cond: Condition) -> bool:
    """JSONPathWait.checkCondition (errors raise KctlError)."""
    from kctl.printers.jsonpath import JSONPathError, value_text

    try:
        results = cond.path.find_results(obj)
    except JSONPathError as e:
        raise KctlError(str(e)) from None
    if not results or not results[0]:
        return False
    if len(results) > 1:
        raise KctlError("given jsonpath expression matches more than one list")
    if len(results[0]) > 1:
        raise KctlError("given jsonpath expression matches more than one value")
    if not cond.value:
        return True
    v = results[0][0]
    if isinstance(v, (dict, list)):
        raise KctlError("jsonpath leads to a nested object or list which is not supported")
    return value_text(v).strip() == cond.value.strip()


# ---------------------------------------------------------------------------- command
@click.command("wait", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@filename_options
@global_flags()
@click.option("--for", "for_", multiple=True, metavar="CONDITION",
              help="The condition to wait on: [create|delete|condition=condition-name[=condition-value]|"
                   "jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. "
                   "Multiple conditions are AND'ed in order.")
@click.option("--timeout", "timeout", default="30s", metavar="DURATION",
              help="How much cluster time to wait before giving up (Go duration, default 30s). Zero "
                   "means check once and don't wait, negative means wait for a week. Cluster time "
                   "jumps from timer to timer: nothing sleeps.")
@click.option("-l", "--selector", "selector", default="", help="Selector (label query) to filter on.")
@click.option("--field-selector", "field_selector", default="", help="Selector (field query) to filter on.")
@click.option("--all", "all_", is_flag=True, help="Select all resources in the namespace of the specified resource types.")
@click.pass_context
def wait_cmd(ctx, args, filenames, recursive, store, namespace, all_namespaces, output, for_, timeout, selector,
             field_selector, all_):
    """Wait for a specific condition on one or many resources.

    \b
    kctl wait --for=condition=Available deployment/web
    kctl wait --for=jsonpath='{.status.phase}'=Running pod/web-0 --timeout=2m
    kctl wait --for=delete pod -l app=web
    """
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    from kctl.api.duration import parse_go_duration

    try:
        seconds = parse_go_duration(timeout)
    except ValueError as e:
        raise click.UsageError(f'invalid argument "{timeout}" for "--timeout" flag: {e}', ctx=ctx) from None
    if seconds < 0:
        seconds = WEEK
    conds = parse_conditions(list(for_))
    if not args and not filenames:
        raise UsageError("You must provide one or more resources by argument or filename.\n"
                         "Example resource specifications include:\n"
                         "   '-f rsrc.yaml'\n"
                         "   '--filename=rsrc.json'\n"
                         "   '<resource> <name>'\n"
                         "   '<resource>'")

    from kctl.cli.common import writable_engine
    from kctl.controllers import runner

    store_, engine = writable_engine(g.store)
    failure: KctlError | None = None
    try:
        with store_.transaction():
            start = engine.now
            deadline = start + timedelta(seconds=seconds)
            state = {"now": start}

            def wait_until(pred: Callable[[], bool]) -> bool:
                """Advance cluster time until pred() holds or the deadline passes."""
                remaining = (deadline - state["now"]).total_seconds()
                state["now"] = runner.advance(store_, state["now"], max(0.0, remaining),
                                              until=lambda _now: pred())
                return pred()

            try:
                _wait(store_, g, args, filenames, recursive, selector, field_selector, all_, conds,
                      seconds, wait_until)
            except KctlError as e:
                failure = e  # cluster time spent waiting stays spent: commit, then report
    finally:
        store_.close()
    if failure is not None:
        raise failure


def _wait(store, g, args, filenames, recursive, selector, field_selector, all_, conds, seconds, wait_until):
    is_delete = any(c.kind == "delete" for c in conds)
    is_create = any(c.kind == "create" for c in conds)
    if is_create:
        if seconds == 0:
            found = bool(_targets(store, g, args, filenames, recursive, selector, field_selector, all_, True))
        else:
            found = wait_until(lambda: bool(_targets(store, g, args, filenames, recursive, selector,
                                                     field_selector, all_, True)))
        if not found:
            raise KctlError(TIMED_OUT)
    targets = _targets(store, g, args, filenames, recursive, selector, field_selector, all_, is_delete)
    if not targets and not is_delete:
        raise KctlError("no matching resources found")
    for kind, obj in targets:
        meta = obj["metadata"]
        ns, name, uid = meta.get("namespace", ""), meta["name"], meta.get("uid")
        object_name = f"{kind.plural}/{name}"
        for cond in conds:
            if cond.kind == "create":
                click.echo(f"{ref(kind, name)} condition met")
                continue
            if cond.kind == "delete":
                def gone():
                    live = store.get(kind.resource, ns, name)
                    return live is None or (live.get("metadata") or {}).get("uid") != uid
                met = gone() if seconds == 0 else wait_until(gone)
            else:
                def check(c=cond):
                    live = store.get(kind.resource, ns, name)
                    if live is None:
                        raise NotFound(kind.resource, name)
                    return condition_met(live, c.name, c.value) if c.kind == "condition" else jsonpath_met(live, c)
                met = check() if seconds == 0 else wait_until(check)
            if not met:
                if seconds == 0:
                    raise KctlError(f"condition not met for {object_name}")
                raise KctlError(f"{TIMED_OUT} on {object_name}")
            click.echo(f"{ref(kind, name)} condition met")


def _targets(store, g, args, filenames, recursive, selector, field_selector, all_, ignore_not_found):
    """[(kind, object)] in kubectl's visiting order; NotFound raises unless ignored."""
    out = []
    if filenames:
        from kctl.api import kinds as kinds_mod
        from kctl.cli.common import load_manifests

        pairs = []
        for m in load_manifests(filenames, recursive):
            k = kinds_mod.for_object(m.obj.get("apiVersion") or "", m.obj.get("kind") or "")
            if k is None:
                continue
            meta = m.obj.get("metadata") or {}
            pairs.append((k, (meta.get("namespace") or g.effective_namespace) if k.namespaced else "", meta.get("name") or ""))
    else:
        pairs = []
        for kinds_, names in parse_resource_args(tuple(args)):
            for kind in kinds_:
                ns = g.effective_namespace if kind.namespaced else ""
                if names:
                    pairs.extend((kind, ns, n) for n in names)
                    continue
                if not (selector or all_ or field_selector):
                    raise UsageError("resource(s) were provided, but no name was specified")
                scope = None if (g.all_namespaces or not kind.namespaced) else ns
                objs = select_objects(store, kind, scope, selector=selector, field_selector=field_selector)
                out.extend((kind, o) for o in objs)
    for kind, ns, name in pairs:
        live = store.get(kind.resource, ns, name)
        if live is None:
            if ignore_not_found:
                continue
            raise NotFound(kind.resource, name)
        out.append((kind, live))
    return out
