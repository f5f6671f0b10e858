"""Helpers the verbs share: opening the store, reading manifests, printing object refs."""

from __future__ import annotations

import sys

import click

from kctl.api.kinds import Kind
from kctl.errors import KctlError, UsageError


def open_store(value: str | None, *, readonly: bool = False):
    from kctl.store import open_store as _open

    store = _open(value, readonly=readonly)
    load_crds(store)
    return store


def load_crds(store) -> None:
    """Serve the store's CustomResourceDefinitions (kctl.api.crd.registry): one list of one
    resource; the registry (and kctl.api.crd's schema code) is not even imported when there
    are none."""
    crds = store.list("customresourcedefinitions.apiextensions.k8s.io")
    if crds:
        from kctl.api.crd import registry

        registry.load(crds)
    else:
        from kctl.api.kinds import crd_registry

        if (reg := crd_registry()) is not None:
            reg.clear()  # an earlier store's, in this process


def prepare_crds(store_value: str | None, schema_locations=()) -> list[dict]:
    """The CRDs of `--schema-location` directories, for intake (the store's CRDs are served
    by load_manifests when the inputs have kinds the built-in table does not know)."""
    if not schema_locations:
        return []
    from kctl.api.crd import registry

    out: list[dict] = []
    for d in schema_locations:
        out.extend(registry.load_from_dir(d))
    return out


def writable_engine(store_value: str | None):
    """Open the store for writing and make sure the bootstrap objects exist."""
    from kctl.engine import Engine

    store = open_store(store_value)
    engine = Engine(store)
    if not store.get_meta("bootstrapped"):
        with store.transaction():
            engine.bootstrap()
            engine.converge()
    return store, engine


def load_manifests(filenames, recursive: bool):
    """`-f` inputs -> Manifests. `-f -` reads stdin."""
    from kctl import manifests

    stdin_text = None
    if "-" in filenames:
        stdin_text = sys.stdin.read()
    items = manifests.load(list(filenames), recursive=recursive, stdin_text=stdin_text)
    from kctl.api.kinds import is_builtin, split_api_version

    if any(not is_builtin(split_api_version(str(m.obj.get("apiVersion") or ""))[0], m.obj.get("kind"))
           for m in items):
        crds_for_command()  # custom resources: intake (before the store is opened) needs its CRDs
    return items


def ref(kind: Kind, name: str) -> str:
    """`deployment.apps/web`, `pod/web-1` (kubectl's resource/name form)."""
    return f"{kind.kind.lower()}{'.' + kind.group if kind.group else ''}/{name}"


def warn(text: str) -> None:
    click.echo(text, err=True)


def check_output(output: str | None, allowed: tuple[str, ...]) -> None:
    if output is None:
        return
    base = output.split("=", 1)[0]
    if base not in allowed:
        raise UsageError(
            f'unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {','.join(sorted(allowed))}"
        )


def fail(message: str) -> None:
    raise KctlError(message)


def crds_for_command() -> None:
    """Type names are resolved before the verb opens its store: on a name the built-in table
    does not know (or `all`), serve the CRDs of the command's store first (once)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.meta.get("kctl.crds"):
        return
    ctx.meta["kctl.crds"] = True
    value = ctx.params.get("store") or (ctx.find_root().obj or {}).get("store")
    try:
        open_store(value, readonly=True).close()
    except KctlError:
        pass  # the verb reports an unusable store when it opens it


def resolve_type(name: str) -> Kind:
    from kctl.api import kinds

    k = kinds.resolve(name)
    if k is None or not kinds.is_builtin(k.group, k.kind):
        crds_for_command()  # the command's store decides which custom kinds exist
        k = kinds.resolve(name)
    if k is None:
        if "." in name:
            # kubectl falls back to resource.group and names both parts
            head, _, group = name.partition(".")
            raise KctlError(f'the server doesn\'t have a resource type "{head}" in group "{group}"')
        raise KctlError(f'the server doesn\'t have a resource type "{name}"')
    low = name.lower()
    if "." in low and kinds.resolve(low.partition(".")[0]) is not None and low not in (k.plural, k.singular, k.kind.lower()):
        # qualified: resource.group or resource.version.group (`pods.v1.` for the core group)
        head, _, rest = low.partition(".")
        ver, dot, grp = rest.partition(".")
        if not (rest == k.group or (dot and grp == k.group)):
            raise KctlError(f'the server doesn\'t have a resource type "{head}" in group "{rest}"')
    others = [o for o in kinds.all_kinds() if low in o.short_names and o is not k]
    for o in others:
        # kubectl's shortcut expander warns when a short name is served by several groups
        warn(f'Warning: short name "{name}" could also match lower priority resource {o.resource}')
    return k


def expand_types(spec: str) -> list[Kind]:
    """`deploy,svc` or `all` -> Kinds, in the order given (`all` in kubectl's order)."""
    from kctl.api import kinds

    out: list[Kind] = []
    for part in spec.split(","):
        if not part:
            continue
        if part == "all":
            # kubectl get all: the "all" category, in discovery order (CRDs' too)
            crds_for_command()
            out.extend(k for k in kinds.all_kinds() if "all" in k.categories)
        else:
            try:
                out.append(resolve_type(part))
            except KctlError:
                # a CRD's category (`kubectl get gateway-api`): its resources, in discovery order
                in_category = [k for k in kinds.all_kinds() if part in k.categories]
                if not in_category:
                    raise
                out.extend(in_category)
    seen, uniq = set(), []
    for k in out:
        if k.resource not in seen:
            seen.add(k.resource)
            uniq.append(k)
    return uniq


def parse_resource_args(args: tuple[str, ...]) -> list[tuple[list[Kind], list[str]]]:
    """kubectl's argument forms: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME [TYPE/NAME...]`.

    Returns [(kinds, names)], names empty meaning "all of that type"."""
    if not args:
        return []
    if any("/" in a for a in args):
        if not all("/" in a for a in args):
            raise UsageError(
                "there is no need to specify a resource type as a separate argument when passing "
                "arguments in resource/name form (e.g. 'kctl get resource/<resource_name>' instead of "
                "'kctl get resource resource/<resource_name>'"
            )
        out = []
        for a in args:
            t, _, n = a.partition("/")
            if not n:
                raise UsageError(f"arguments in resource/name form must have a single resource and name")
            out.append(([resolve_type(t)], [n]))
        return out
    kinds_ = expand_types(args[0])
    names = list(args[1:])
    # `get svc,deploy web`: kubectl looks the names up in every listed type
    return [(kinds_, names)]


def delete_ref(kind: Kind) -> str:
    """kubectl's operation-printer form: `deployment.apps`, `pod`."""
    return f"{kind.kind.lower()}{'.' + kind.group if kind.group else ''}"


def read_store(value: str | None):
    """A read-only store. The very first command of a new store creates the bootstrap
    namespaces (CLI-CONTRACT.md: they exist from the first command)."""
    store = open_store(value, readonly=True)
    if store.get_meta("bootstrapped"):
        return store
    store.close()
    store, _engine = writable_engine(value)
    return store


def check_names_with_selector(args, selecting: bool) -> None:
    """kubectl's builder refuses names together with -l/--field-selector."""
    if not selecting or not args:
        return
    if any("/" in a for a in args):
        raise KctlError("selectors and the all flag cannot be used when passing resource/name arguments")
    if len(args) > 1:
        raise KctlError("name cannot be provided when a selector is specified")


def select_objects(store, kind: Kind, namespace: str | None, *, selector: str | None = None,
                   field_selector: str | None = None) -> list[dict]:
    """Objects of `kind` in `namespace` (None = all) matching kubectl's -l and
    --field-selector, as the API server filters a list request."""
    from kctl.api.selectors import SelectorError, parse_field_selector, parse_label_selector

    try:
        label_sel = parse_label_selector(selector) if selector else None
        field_sel = parse_field_selector(field_selector, kind.kind) if field_selector else None
    except SelectorError as e:
        from kctl.api.selectors import unable_to_find_message
        from kctl.errors import StatusError

        raise StatusError("Error from server (BadRequest): " + unable_to_find_message(
            kind.group, kind.version, kind.plural, selector or "", field_selector or "", e)) from None
    objs = store.list(kind.resource, namespace, label_filter=label_sel)
    if field_sel is not None:
        objs = [o for o in objs if field_sel.matches(o)]
    return objs


def report(lines: list[str], errors: list[KctlError]) -> None:
    """kubectl's end of a multi-object command: results on stdout, every error on stderr,
    exit 1 through the last error."""
    for line in lines:
        click.echo(line)
    if errors:
        for e in errors[:-1]:
            click.echo(e.render(), err=True)
        raise errors[-1]
