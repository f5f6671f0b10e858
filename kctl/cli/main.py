"""Root command: global flags, lazy verb loading, and errors -> kubectl texts and exit codes."""

from __future__ import annotations

import sys

import click

from kctl.errors import KctlError

# verb -> "module:attribute"; modules are imported only when the verb runs (start-up budget).
VERBS = {
    "apply": ("kctl.cli.apply:apply_cmd", "Apply a configuration to a resource by file name or stdin"),
    "get": ("kctl.cli.get:get_cmd", "Display one or many resources"),
    "describe": ("kctl.cli.describe:describe_cmd", "Show details of a specific resource or group of resources"),
    "delete": ("kctl.cli.delete:delete_cmd", "Delete resources by file names, stdin, resources and names, or by resources and label selector"),
    "store": ("kctl.cli.store:store_group", "Inspect or reset the store that holds the cluster"),
    "rollout": ("kctl.cli.rollout:rollout_group", "Manage the rollout of a resource"),
    "scale": ("kctl.cli.scale:scale_cmd", "Set a new size for a deployment, replica set, or stateful set"),
    "set": ("kctl.cli.set_cmd:set_group", "Set specific features on objects"),
    "wait": ("kctl.cli.wait:wait_cmd", "Wait for a specific condition on one or many resources"),
    "label": ("kctl.cli.label:label_cmd", "Update the labels on a resource"),
    "annotate": ("kctl.cli.label:annotate_cmd", "Update the annotations on a resource"),
    "cordon": ("kctl.cli.drain:cordon_cmd", "Mark node as unschedulable"),
    "uncordon": ("kctl.cli.drain:uncordon_cmd", "Mark node as schedulable"),
    "drain": ("kctl.cli.drain:drain_cmd", "Drain node in preparation for maintenance"),
    "taint": ("kctl.cli.taint:taint_cmd", "Update the taints on one or more nodes"),
    "top": ("kctl.cli.top:top_group", "Display resource (CPU/memory) requests against allocatable"),
    "node": ("kctl.cli.node:node_group", "Simulate node failure and recovery (kctl node fail|recover NODE)"),
    "explain-schedule": ("kctl.cli.explain_schedule:explain_schedule_cmd", "Explain the scheduler's decision for a pod"),
    "reconcile": ("kctl.cli.reconcile:reconcile_cmd", "Converge the cluster now, or move cluster time forward"),
    "validate": ("kctl.cli.validate:validate_cmd", "Validate manifests offline, as the API server would admit them"),
    "create": ("kctl.cli.create:create_group", "Create a resource from a file or from stdin, or generate one"),
    "replace": ("kctl.cli.patch:replace_cmd", "Replace a resource by file name or stdin"),
    "patch": ("kctl.cli.patch:patch_cmd", "Update fields of a resource"),
    "diff": ("kctl.cli.diff:diff_cmd", "Diff the live version against a would-be applied version"),
    "explain": ("kctl.cli.explain:explain_cmd", "Get documentation for a resource"),
    "api-resources": ("kctl.cli.explain:api_resources_cmd", "Print the supported API resources"),
    "version": ("kctl.cli.explain:version_cmd", "Print the client version information"),
    "completion": ("kctl.cli.completion:completion_cmd", "Output shell completion code for bash, zsh or fish"),
}


def _available(name: str) -> bool:
    """Verbs land one module at a time; a verb whose module is not there yet is not offered."""
    import importlib.util

    module = VERBS[name][0].partition(":")[0]
    return importlib.util.find_spec(module) is not None


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [n for n in VERBS if _available(n)]

    def get_command(self, ctx, name):
        target = VERBS.get(name)
        if target is None or not _available(name):
            return None
        module, _, attr = target[0].partition(":")
        import importlib

        return getattr(importlib.import_module(module), attr)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name is not None and not (name in VERBS and _available(name)) and not name.startswith("-"):
            raise KctlError(f'unknown command "{name}" for "kctl"')
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        # Help text from the table, so `kctl --help` imports no verb module.
        rows = [(name, help_) for name, (_, help_) in VERBS.items() if _available(name)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", metavar="VALUE", help="Store: an SQLite file path or an SQLAlchemy URL (env KCTL_STORE; default ~/.kctl/state.db).")
@click.option("-n", "--namespace", "namespace", metavar="NS", help="If present, the namespace scope for this CLI request.")
@click.option("-A", "--all-namespaces", "all_namespaces", is_flag=True, default=None, help="List the requested object(s) across all namespaces.")
@click.option("-o", "--output", "output", metavar="FORMAT", help="Output format.")
@click.version_option(package_name="kctl", prog_name="kctl", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx, store, namespace, all_namespaces, output):
    """kctl controls a local Kubernetes cluster that lives in one SQLite file.

    It reads real Kubernetes manifests, admits them as a Kubernetes 1.37 API server would,
    and shows them back the way kubectl does.
    """
    ctx.obj = {"store": store, "namespace": namespace, "all_namespaces": all_namespaces, "output": output}


def _kubectl_usage_text(err: click.UsageError) -> str:
    """Translate click's usage errors into kubectl (cobra/pflag) wording."""
    if isinstance(err, click.NoSuchOption):
        opt = err.option_name
        if opt.startswith("--"):
            return f"unknown flag: {opt}"
        return f"unknown shorthand flag: '{opt.lstrip('-')[:1]}' in {opt}"
    if isinstance(err, click.BadOptionUsage) and "requires an argument" in err.message:
        opt = err.option_name or ""
        if opt.startswith("--"):
            return f"flag needs an argument: {opt}"
        return f"flag needs an argument: '{opt.lstrip('-')}' in {opt}"
    return err.format_message()


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run, then exit with kubectl's codes (usage errors exit 1)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        args = _pflag_args(list(args))
        cli.main(args=args, prog_name="kctl", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.Abort:
        sys.exit(1)
    except click.UsageError as e:
        cmd = e.ctx.command_path if e.ctx else _command_path(args)
        click.echo(f"error: {_kubectl_usage_text(e)}", err=True)
        click.echo(f"See '{cmd} --help' for usage.", err=True)
        sys.exit(1)
    except click.ClickException as e:
        click.echo(f"error: {e.format_message()}", err=True)
        sys.exit(1)
    except KctlError as e:
        report_error(e)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as e:  # a bug: say so plainly; KCTL_DEBUG=1 shows the traceback
        import os

        if os.environ.get("KCTL_DEBUG"):
            raise
        click.echo(f"error: internal error: {type(e).__name__}: {e} (this is a kctl bug; "
                   "run with KCTL_DEBUG=1 for details)", err=True)
        sys.exit(1)
    sys.exit(0)


_TRUE = {"true", "t", "1", "TRUE", "True", "T"}
_FALSE = {"false", "f", "0", "FALSE", "False", "F"}


def _pflag_args(args: list[str]) -> list[str]:
    """kubectl's flag library (pflag) spellings click does not know: `-o=json` (short flag with
    "="), and `--no-headers=true|false` for boolean flags."""
    out: list[str] = []
    for i, a in enumerate(args):
        if a == "--":
            return out + args[i:]
        if len(a) > 3 and a[0] == "-" and a[1].isalpha() and a[2] == "=":
            out += [a[:2], a[3:]]
        else:
            out.append(a)
    if not any(a.startswith("--") and "=" in a for a in out):
        return out
    flags = _bool_flags(out)
    fixed: list[str] = []
    for a in out:
        name, eq, value = a.partition("=")
        if eq and name in flags and (value in _TRUE or value in _FALSE):
            if value in _TRUE:
                fixed.append(name)
            continue
        fixed.append(a)
    return fixed


def _bool_flags(args: list[str]) -> set[str]:
    """Long names of the boolean flags of the command these args run (and the root's)."""
    names = {"--all-namespaces"}
    path = _command_path(args).split()[1:]
    cmd = cli
    ctx = click.Context(cli)
    for word in path:
        if not isinstance(cmd, click.Group):
            break
        sub = cmd.get_command(ctx, word)
        if sub is None:
            break
        cmd = sub
    for p in cmd.params:
        if isinstance(p, click.Option) and p.is_flag and not p.secondary_opts:
            names.update(o for o in p.opts if o.startswith("--"))
    return names


_GROUPS = {"rollout", "set", "store", "top", "node"}
_VALUED = {"--store", "-n", "--namespace", "-o", "--output"}


def _command_path(args: list[str]) -> str:
    """`kctl get` for an error click raised without a context (an option missing its value)."""
    words, skip = ["kctl"], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in _VALUED:
            skip = True
            continue
        if a.startswith("-"):
            continue
        if len(words) == 1 and a in VERBS:
            words.append(a)
            if a not in _GROUPS:
                break
        elif len(words) == 2:
            words.append(a)
            break
        else:
            break
    return " ".join(words)


def report_error(e: KctlError) -> None:
    click.echo(e.render(), err=True)
