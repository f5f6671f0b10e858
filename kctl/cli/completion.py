"""`kctl completion bash|zsh|fish`: click's shell completion, answering through a hidden
`kctl completion __complete SHELL` call (like kubectl's `__complete`).

The scripts click generates call the program with `_KCTL_COMPLETE=<shell>_complete`; kctl's
scripts call `kctl completion __complete <shell>` instead, so the completion logic (resource
types from the kinds table, object names from the store) lives here and is imported only
when a shell asks for completions, never on the normal command path.
"""

from __future__ import annotations

import click

SHELLS = ("bash", "zsh", "fish")
_SEE = "See 'kctl completion -h' for help and examples"

# verbs whose positional arguments are `TYPE [NAME...]` or `TYPE/NAME...`
TYPE_AND_NAME_VERBS = frozenset({"get", "describe", "delete", "label", "annotate", "scale", "wait"})
# verbs that take node names only
NODE_VERBS = frozenset({"cordon", "uncordon", "drain", "taint"})


def type_candidates(incomplete: str) -> list[str]:
    """Resource type names (plural, as `kctl api-resources` lists them) starting with `incomplete`;
    after a comma (`deploy,s`) the earlier types are kept as a prefix."""
    from kctl.api.kinds import all_kinds

    head, comma, tail = incomplete.rpartition(",")
    prefix = head + comma
    names = sorted({k.plural for k in all_kinds()})
    return [prefix + n for n in names if n.startswith(tail)]


def name_candidates(type_name: str, incomplete: str, *, store_value: str | None, namespace: str | None) -> list[str]:
    """Names of stored objects of `type_name` starting with `incomplete` (read-only; none when the
    type is unknown or the store cannot be read)."""
    from kctl.api.kinds import resolve

    kind = resolve(type_name.partition(",")[0])
    if kind is None:
        return []
    try:
        from kctl.cli.common import open_store

        store = open_store(store_value, readonly=True)
        try:
            objs = store.list(kind.resource, (namespace or "default") if kind.namespaced else "")
        finally:
            store.close()
    except Exception:  # completion must never print a traceback into the user's shell
        return []
    names = sorted({(o.get("metadata") or {}).get("name", "") for o in objs})
    return [n for n in names if n and n.startswith(incomplete)]


def serve_stored_crds(store_value: str | None) -> None:
    """Make the store's CRDs' kinds resolvable (read-only; silently nothing when the store
    cannot be read: completion never prints errors into the user's shell)."""
    try:
        from kctl.cli.common import open_store

        open_store(store_value, readonly=True).close()
    except Exception:
        pass


def candidates(verb: str, previous: list[str], incomplete: str, *, store_value=None, namespace=None) -> list[str]:
    """What to offer for a verb's positional argument, given the positionals already typed."""
    if verb == "explain" or verb in TYPE_AND_NAME_VERBS:
        serve_stored_crds(store_value)  # custom resource types and their objects complete too
    if verb in NODE_VERBS:
        return name_candidates("nodes", incomplete, store_value=store_value, namespace=None)
    if verb == "explain":
        return type_candidates(incomplete) if not previous else []
    if verb not in TYPE_AND_NAME_VERBS:
        return []
    if "/" in incomplete:
        t, _, n = incomplete.partition("/")
        return [f"{t}/{x}" for x in name_candidates(t, n, store_value=store_value, namespace=namespace)]
    if not previous:
        return type_candidates(incomplete)
    if any("/" in p for p in previous):
        return []
    return name_candidates(previous[0], incomplete, store_value=store_value, namespace=namespace)


def _classes():
    """ShellComplete subclasses whose scripts call `kctl completion __complete SHELL`."""
    from click import shell_completion as sc

    class _Mixin:
        def get_completions(self, args, incomplete):
            try:
                ctx = sc._resolve_context(self.cli, self.ctx_args, self.prog_name, args)
                obj, incomplete = sc._resolve_incomplete(ctx, args, incomplete)
            except Exception:  # e.g. an unknown verb: nothing to offer
                return []
            if isinstance(obj, click.Argument) and obj.name == "args" and ctx.command.name:
                root = ctx.find_root().params
                namespace = ctx.params.get("namespace") or root.get("namespace")
                store_value = ctx.params.get("store") or root.get("store")
                previous = list(ctx.params.get("args") or ())
                return [sc.CompletionItem(v) for v in
                        candidates(ctx.command.name, previous, incomplete,
                                   store_value=store_value, namespace=namespace)]
            return obj.shell_complete(ctx, incomplete)

    def script(cls, shell):
        template = cls.source_template
        old = f"%(complete_var)s={shell}_complete"
        # `env _KCTL_COMPLETE=bash_complete $1` -> `env $1 completion __complete bash`
        if shell == "bash":
            template = template.replace(old + " $1", f"$1 completion __complete {shell}")
        elif shell == "zsh":
            template = template.replace(old + " %(prog_name)s", f"%(prog_name)s completion __complete {shell}")
        else:
            template = template.replace(old + " ", "").replace(
                "%(prog_name)s);", f"%(prog_name)s completion __complete {shell});", 1)
        return template

    out = {}
    for shell, base in (("bash", sc.BashComplete), ("zsh", sc.ZshComplete), ("fish", sc.FishComplete)):
        out[shell] = type(f"Kctl{base.__name__}", (_Mixin, base), {"source_template": script(base, shell)})
    return out


@click.command("completion", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
def completion_cmd(args):
    """Output shell completion code for bash, zsh or fish.

    \b
    bash:  source <(kctl completion bash)
    zsh:   source <(kctl completion zsh)
    fish:  kctl completion fish | source
    """
    from kctl.errors import UsageError

    if args[:1] == ("__complete",):
        shell = args[1] if len(args) > 1 else ""
        if shell not in SHELLS:
            raise UsageError(f'Unsupported shell type "{shell}".\n{_SEE}')
        from kctl.cli.main import cli

        comp = _classes()[shell](cli, {}, "kctl", "_KCTL_COMPLETE")
        text = comp.complete()
        if text:
            click.echo(text)
        return
    if not args:
        raise UsageError(f"Shell not specified.\n{_SEE}")
    if len(args) > 1:
        raise UsageError(f"Too many arguments. Expected only the shell type.\n{_SEE}")
    if args[0] not in SHELLS:
        raise UsageError(f'Unsupported shell type "{args[0]}".\n{_SEE}')
    comp = _classes()[args[0]](None, {}, "kctl", "_KCTL_COMPLETE")
    click.echo(comp.source())
