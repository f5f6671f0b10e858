"""Shared option decorators and the merge of global flags given before or after the verb."""

from __future__ import annotations

from dataclasses import dataclass

import click

from kctl.errors import UsageError


def global_flags(namespace=True, all_namespaces=True, output=True):
    """Accept the global flags after the verb too (`kctl get pods -n shop`)."""

    def deco(f):
        if output:
            f = click.option("-o", "--output", "output", metavar="FORMAT", help="Output format.")(f)
        if all_namespaces:
            f = click.option("-A", "--all-namespaces", "all_namespaces", is_flag=True, default=None,
                             help="List the requested object(s) across all namespaces.")(f)
        if namespace:
            f = click.option("-n", "--namespace", "namespace", metavar="NS",
                             help="If present, the namespace scope for this CLI request.")(f)
        f = click.option("--store", "store", metavar="VALUE", help="Store location (see `kctl --help`).")(f)
        return f

    return deco


@dataclass
class Globals:
    store: str | None
    namespace: str | None  # explicitly given, else None
    all_namespaces: bool
    output: str | None

    @property
    def effective_namespace(self) -> str:
        return self.namespace or "default"


def merge_globals(ctx: click.Context, **local) -> Globals:
    """The verb's own value wins over the one given before the verb."""
    root = (ctx.find_root().obj or {}) if ctx else {}

    def pick(name):
        v = local.get(name)
        return v if v is not None else root.get(name)

    ns = pick("namespace")
    if ns == "":
        raise UsageError("namespace must not be empty")
    return Globals(pick("store"), ns, bool(pick("all_namespaces")), pick("output"))


def filename_options(f):
    f = click.option("-R", "--recursive", is_flag=True, default=False,
                     help="Process the directory used in -f, --filename recursively.")(f)
    f = click.option("-f", "--filename", "filenames", multiple=True, metavar="PATH",
                     help="Files, directories or - (stdin) that contain the configuration.")(f)
    return f
