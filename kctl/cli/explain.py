"""`kctl explain`, `kctl api-resources`, `kctl version`: offline, kubectl 1.37's layouts.

The kinds table and the schema files are the "discovery" and "openapi" documents of kctl's
control plane; explain and api-resources also read the store's CustomResourceDefinitions
(read-only, never creating a store), which add their kinds and schemas.
"""

from __future__ import annotations

import click

from kctl.cli.options import merge_globals
from kctl.errors import KctlError, UsageError

K8S_VERSION = "1.37.0"

_SUGGEST = "Use \"kctl api-resources\" for a complete list of supported resources."


@click.command("explain", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@click.option("-R", "--recursive", is_flag=True, default=False,
              help="Print the fields of fields. Use --max-depth to cap the recursion depth.")
@click.option("--api-version", "api_version", default="",
              help="Get different explanations for particular API version (API group/version)")
@click.option("--max-depth", "max_depth", type=int, default=0,
              help="Maximum recursion depth when printing nested fields with --recursive. 0 means no limit.")
@click.option("-o", "--output", "output", default=None,
              help="Format in which to render the schema (plaintext)")
@click.pass_context
def explain_cmd(ctx, args, recursive, api_version, max_depth, output):
    """Describe the fields of a resource type, offline, from kctl's Kubernetes 1.37 schemas.

    Fields are named by a dotted path: TYPE.FIELDNAME[.FIELDNAME]
    """
    from kctl import explain as X
    from kctl.api import kinds
    from kctl.api.schema import load_schema

    fmt = merge_globals(ctx, output=output).output or "plaintext"
    if fmt != "plaintext":
        # kctl renders from its own schema files; kubectl's openapi-v2 fallback has no source here
        raise KctlError(f"unrecognized format: {fmt}")
    if not args:
        raise UsageError(f"You must specify the type of resource to explain. {_SUGGEST}\n")
    if len(args) > 1:
        raise UsageError("We accept only this format: explain RESOURCE\n")
    if max_depth > 0 and not recursive:
        raise UsageError("--max-depth requires --recursive")
    if max_depth < 0:
        raise UsageError("--max-depth must be non-negative")
    crd_of = _serve_stored_crds(ctx)
    try:
        kind, path = X.split_request(args[0], kinds.resolve)
    except X.ExplainError as e:
        raise KctlError(str(e)) from None
    group, version = kind.group, kind.version
    if api_version:
        group, version = kinds.split_api_version(api_version)
        if group != kind.group or not kind.serves(version):
            raise KctlError(f'couldn\'t find resource for "{group}/{version}, Resource={kind.plural}"')
    crd = crd_of(kind)
    if crd is not None:
        # a custom resource: the schema the apiextensions-apiserver publishes for it
        schema = X.crd_schema(crd, version, load_schema("", "v1", "ConfigMap") or {})
    else:
        schema = load_schema(group, version, kind.kind)
    if schema is None:
        raise KctlError(f'couldn\'t find resource for "{group}/{version}, Resource={kind.plural}"')
    try:
        text = X.render(group, version, kind.kind, schema, path, recursive=recursive, max_depth=max_depth,
                        enums=crd is not None)
    except X.ExplainError as e:
        raise KctlError(str(e)) from None
    click.echo(text, nl=False)


def _serve_stored_crds(ctx):
    """Serve the kinds of the store's CRDs (as kubectl's discovery and openapi documents list
    them); returns the registry's crd_of. The store is opened read-only: a missing SQLite
    file reads as empty and is not created."""
    from kctl.api.crd import registry
    from kctl.cli.common import open_store

    store = open_store(merge_globals(ctx).store, readonly=True)
    store.close()
    return registry.crd_of


def _bool_value(name: str, value: str | None) -> bool | None:
    if value is None:
        return None
    low = value.lower()
    if low in ("true", "t", "1"):
        return True
    if low in ("false", "f", "0"):
        return False
    raise UsageError(f'invalid argument "{value}" for "--{name}" flag: strconv.ParseBool: parsing "{value}": invalid syntax')


@click.command("api-resources", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@click.option("--api-group", "api_group", default=None, help="Limit to resources in the specified API group.")
@click.option("--namespaced", "namespaced", default=None, is_flag=False, flag_value="true",
              help="If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.")
@click.option("--verbs", "verbs", multiple=True, help="Limit to resources that support the specified verbs.")
@click.option("--categories", "categories", multiple=True, help="Limit to resources that belong to the specified categories.")
@click.option("--sort-by", "sort_by", default="", help="If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'.")
@click.option("--no-headers", "no_headers", is_flag=True, help="When using the default or custom-column output format, don't print headers (default print headers).")
@click.option("--cached", is_flag=True, help="Accepted for kubectl compatibility (kctl's list is always local).")
@click.option("-o", "--output", "output", default=None, help="Output format. One of: (json, yaml, name, wide).")
@click.pass_context
def api_resources_cmd(ctx, args, api_group, namespaced, verbs, categories, sort_by, no_headers, cached, output):
    """Print the supported API resources (kctl's kinds table)."""
    from kctl import explain as X
    from kctl.api import kinds

    fmt = merge_globals(ctx, output=output).output or ""
    if sort_by and sort_by not in ("name", "kind"):
        raise KctlError("--sort-by accepts only name or kind")
    if fmt not in ("", "wide", "name", "json", "yaml"):
        raise KctlError(f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: '
                        "json,name,wide,yaml")
    if args:
        raise UsageError(f"unexpected arguments: [{' '.join(args)}]\nSee 'kctl api-resources -h' for help and examples")

    def split(values):
        return [p for v in values for p in v.split(",") if p]

    _serve_stored_crds(ctx)
    rows = X.api_resource_rows(kinds.all_kinds(), sort_by=sort_by, api_group=api_group,
                               namespaced=_bool_value("namespaced", namespaced),
                               verbs=split(verbs), categories=split(categories))
    if fmt == "name":
        click.echo("".join(f"{k.resource}\n" for k in rows), nl=False)
        return
    if fmt in ("json", "yaml"):
        from kctl.printers.yaml_json import to_json, to_yaml

        doc = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "",
               "resources": [_resource_obj(k) for k in rows]}
        click.echo(to_json(doc) if fmt == "json" else to_yaml(doc), nl=False)
        return
    from kctl.printers.table import render_table

    headers = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if fmt == "wide":
        headers += ["VERBS", "CATEGORIES"]
    table = []
    for k in rows:
        row = [k.plural, ",".join(k.short_names), k.api_version, "true" if k.namespaced else "false", k.kind]
        if fmt == "wide":
            row += [",".join(k.verbs), ",".join(k.categories)]
        table.append(row)
    click.echo(render_table(None if no_headers else headers, table), nl=False)


def _resource_obj(k) -> dict:
    """One APIResource as discovery serves it (field order of metav1.APIResource)."""
    obj = {"name": k.plural, "singularName": k.singular, "namespaced": k.namespaced,
           "group": k.group, "version": k.version, "kind": k.kind, "verbs": list(k.verbs)}
    if k.short_names:
        obj["shortNames"] = list(k.short_names)
    if k.categories:
        obj["categories"] = list(k.categories)
    if not k.group:
        del obj["group"]
    return obj


def version_info() -> dict:
    """kubectl's version.Info shape; gitVersion is the Kubernetes version kctl implements with
    kctl's own version as semver build metadata (`v1.37.0+kctl.0.1.0`)."""
    import platform

    try:
        from importlib.metadata import version as _v

        kctl_version = _v("kctl")
    except Exception:  # a bare checkout without installed metadata
        kctl_version = "0.0.0"
    major, minor, _patch = K8S_VERSION.split(".")
    machine = platform.machine().lower()
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)
    return {
        "major": major,
        "minor": minor,
        "gitVersion": f"v{K8S_VERSION}+kctl.{kctl_version}",
        "gitCommit": "",
        "gitTreeState": "",
        "buildDate": "",
        "goVersion": "",
        "compiler": "cpython",
        "platform": f"{platform.system().lower()}/{machine}",
    }


@click.command("version", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@click.option("--client", is_flag=True, help="If true, shows client version only (no server required).")
@click.option("-o", "--output", "output", default=None, help="One of 'yaml' or 'json'.")
@click.pass_context
def version_cmd(ctx, args, client, output):
    """Print the client and server version information.

    kctl's "server" is its in-process control plane, so both are the same build."""
    fmt = merge_globals(ctx, output=output).output or ""
    if args:
        raise UsageError(f"unexpected arguments: [{' '.join(args)}]\nSee 'kctl version -h' for help and examples")
    if fmt not in ("", "yaml", "json"):
        raise KctlError("--output must be 'yaml' or 'json'")
    info = version_info()
    doc = {"clientVersion": info}
    if not client:
        doc["serverVersion"] = dict(info)
    if fmt == "json":
        import json

        # kubectl marshals version.Info in struct order with two-space indent
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "yaml":
        from kctl.printers.yaml_json import to_yaml

        click.echo(to_yaml(doc), nl=False)
    else:
        click.echo(f"Client Version: {info['gitVersion']}")
        if not client:
            click.echo(f"Server Version: {info['gitVersion']}")
