"""`kctl replace -f FILE` and `kctl patch TYPE NAME -p PATCH [--type strategic|merge|json]`.

Both end in the API server's update path (`update_object`): defaults, registry steps,
strategy (server metadata kept, generation bumped), admission, validation (create rules and
update rules such as immutability), a resourceVersion-checked write. kubectl 1.37's texts.
"""

from __future__ import annotations

import copy

import click

from kctl.cli.common import ref, warn
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import Invalid, KctlError, StatusError, UsageError

_PATCH_TYPES = ("json", "merge", "strategic")
_DRY_RUN = ("none", "client", "server")


# ---------------------------------------------------------------- the update path
def update_object(store, engine, kind, live: dict, new: dict, *, expected_rv: str | None = None,
                  verb_source: str | None = None, extra_errors=()) -> tuple[dict, bool]:
    """The API server's PUT of `new` over `live` (what engine.apply does for its update
    branch, minus the merge). Returns (stored object, changed). Raises Invalid or StatusError.

    `verb_source` ("replacing \"f.yaml\"") goes into non-validation server errors as kubectl
    adds it: `Error from server (Conflict): error when replacing "f.yaml": ...`."""
    from kctl.api import strategy
    from kctl.api.defaults import apply_defaults
    from kctl.api.validation import validate_create, validate_update
    from kctl.controllers import admission
    from kctl.controllers.context import Context
    from kctl.engine import dedup_errors, registry_update
    from kctl.errors import Conflict

    def server_error(reason: str, message: str) -> StatusError:
        where = f"error when {verb_source}: " if verb_source else ""
        return StatusError(f"Error from server ({reason}): {where}{message}")

    new = copy.deepcopy(new)
    name = live["metadata"]["name"]
    live_rv = (live.get("metadata") or {}).get("resourceVersion")
    if expected_rv is None:
        expected_rv = live_rv
    apply_defaults(kind, new)
    registry_update(kind, new, live)
    strategy.prepare_for_update(kind, new, live)
    try:
        errs = admission.admit(Context(store, engine.now), kind, new, live)
    except StatusError as e:
        raise server_error(e.reason, e.message) from None
    if errs:
        raise Invalid(kind.kind, name, errs)
    errs = dedup_errors(list(extra_errors) + validate_create(kind, new) + validate_update(kind, new, live))
    if errs:
        raise Invalid(kind.kind, name, errs)
    if expected_rv != live_rv:
        raise server_error("Conflict", f'Operation cannot be fulfilled on {kind.resource} "{name}": {Conflict.TEXT}')
    if new == live:
        return live, False
    return store.update(kind.resource, new, expected_rv=live_rv), True


def _check_name(kind, obj: dict, name: str, verb_source: str | None = None) -> None:
    got = (obj.get("metadata") or {}).get("name") if isinstance(obj.get("metadata"), dict) else None
    if got != name:
        where = f"error when {verb_source}: " if verb_source else ""
        raise StatusError(f"Error from server (BadRequest): {where}the name of the object ({got or ''}) "
                          f"does not match the name on the URL ({name})")


def _decode_checks(kind, obj: dict, verb_source: str | None) -> list:
    """Schema decoding of the object the server would store: unknown fields are dropped with
    a warning (the server's default field validation for requests without one), wrong types
    are a BadRequest; returns the schema's field errors (required fields...)."""
    from kctl.api import kinds as kinds_mod
    from kctl.api import schema
    from kctl.engine import drop_path

    issues, field_errors = schema.check(obj, kind)
    hard = [i for i in issues if not i.unknown_field]
    if hard:
        version = kinds_mod.split_api_version(obj.get("apiVersion") or "")[1]
        where = f"error when {verb_source}: " if verb_source else ""
        raise StatusError(f"Error from server (BadRequest): {where}{schema.decode_message(hard, kind, version)}")
    for i in issues:
        warn(f"Warning: {i.message}")
        drop_path(obj, i.field)
    return list(field_errors)


# ---------------------------------------------------------------- patch
def parse_patch(text: str):
    """The -p value: JSON, or YAML (kubectl converts YAML to JSON first)."""
    import json

    try:
        return json.loads(text)
    except ValueError:
        pass
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    try:
        return YAML(typ="safe").load(text)
    except MarkedYAMLError as e:
        line = e.problem_mark.line if e.problem_mark is not None else 0
        raise KctlError(f'unable to parse "{text}": yaml: line {line}: {e.problem}') from None
    except Exception as e:  # noqa: BLE001 - any other YAML failure is a parse error too
        raise KctlError(f'unable to parse "{text}": yaml: {e}') from None


def patched_object(kind, live: dict, patch, patch_type: str) -> dict:
    """`live` with `patch` applied as the API server applies each patch type."""
    from kctl.api import merge

    if patch_type == "json":
        from kctl.api.jsonpatch import JSONPatchError, apply_patch

        try:
            return apply_patch(live, patch)
        except JSONPatchError as e:
            raise KctlError(str(e)) from None
    if not isinstance(patch, dict):
        from kctl.api.jsonpatch import _go_type

        raise StatusError("Error from server (BadRequest): json: cannot unmarshal "
                          f"{_go_type(patch)} into Go value of type map[string]interface {{}}")
    if patch_type == "merge":
        out = merge.json_merge_patch(live, patch)
    else:
        try:
            out = merge.strategic_merge_patch(live, patch, merge.merge_keys_for(kind))
        except merge.MergeError as e:
            raise StatusError(f"Error from server (BadRequest): {e}") from None
    if not isinstance(out, dict):
        raise StatusError("Error from server (BadRequest): the patch did not produce an object")
    return out


@click.command("patch", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@global_flags(all_namespaces=False)
@click.option("-p", "--patch", "patch", default=None, help="The patch to be applied to the resource JSON file.")
@click.option("--patch-file", "patch_file", default=None, help="A file containing a patch to be applied to the resource.")
@click.option("--type", "patch_type", default="strategic",
              help="The type of patch being provided; one of [json merge strategic]")
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.pass_context
def patch_cmd(ctx, args, store, namespace, output, patch, patch_file, patch_type, dry_run):
    """Update fields of a resource using a strategic merge patch, a JSON merge patch, or a JSON patch."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    if patch is not None and patch_file is not None:
        raise KctlError("cannot specify --patch and --patch-file together")
    if patch is None and patch_file is None:
        raise KctlError("must specify --patch or --patch-file containing the contents of the patch")
    if patch_type.lower() not in _PATCH_TYPES:
        raise KctlError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    patch_type = patch_type.lower()
    if g.output not in (None, "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{g.output}", '
                         "allowed formats are: name")
    if patch_file is not None:
        try:
            with open(patch_file, encoding="utf-8") as fh:
                patch = fh.read()
        except OSError as e:
            raise KctlError(f"unable to read patch file: open {patch_file}: {e.strerror.lower()}") from None
    doc = parse_patch(patch)

    from kctl.cli.common import parse_resource_args, writable_engine
    from kctl.cli.rollout import get_live

    targets = []
    for kinds_, names in parse_resource_args(args):
        if not names:
            raise UsageError("resource(s) were provided, but no name was specified")
        for kind in kinds_:
            ns = g.effective_namespace if kind.namespaced else ""
            targets.extend((kind, ns, n) for n in names)
    if not targets:
        raise KctlError("no objects passed to patch")

    store_, engine = writable_engine(g.store)
    lines: list[str] = []
    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry_run]
    try:
        with store_.transaction(dry_run=dry_run != "none"):
            for kind, ns, name in targets:
                live = get_live(store_, kind, ns, name)
                new = patched_object(kind, live, doc, patch_type)
                _check_name(kind, new, name)
                extra = _decode_checks(kind, new, None)
                _obj, changed = update_object(store_, engine, kind, live, new, extra_errors=extra)
                if g.output == "name":
                    lines.append(ref(kind, name))
                else:
                    lines.append(f"{ref(kind, name)} patched{'' if changed else ' (no change)'}{suffix}")
            if dry_run == "none":
                engine.converge()
    finally:
        store_.close()
    for line in lines:
        click.echo(line)


# ---------------------------------------------------------------- replace
@click.command("replace", context_settings={"help_option_names": ["-h", "--help"]})
@filename_options
@global_flags(all_namespaces=False)
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.pass_context
def replace_cmd(ctx, filenames, recursive, store, namespace, output, dry_run):
    """Replace a resource by file name or stdin: the object must exist; the file's object
    replaces it whole (server-owned metadata and status kept)."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    if g.output not in (None, "name"):
        raise UsageError(f'unable to match a printer suitable for the output format "{g.output}", '
                         "allowed formats are: name")
    if not filenames:
        raise UsageError("must specify --filename to replace")

    from kctl.cli.common import load_manifests, writable_engine
    from kctl.engine import ApplyOptions, intake, in_file_order

    manifests = load_manifests(filenames, recursive)
    if not manifests:
        raise KctlError("no objects passed to replace")
    admitted, intake_errors = intake(manifests, ApplyOptions(namespace=g.namespace), warn)
    for e in intake_errors:
        e.message = e.message.replace("error when creating \"", "error when replacing \"")
    errors: list[KctlError] = list(intake_errors)
    lines: list[str] = []
    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry_run]
    store_, engine = writable_engine(g.store)
    try:
        with store_.transaction(dry_run=dry_run != "none"):
            for a in admitted:
                kind, obj = a.kind, a.obj
                meta = obj.get("metadata") or {}
                name = meta.get("name") or ""
                ns = meta.get("namespace", "") if kind.namespaced else ""
                verb_source = f'replacing "{a.file}"'
                try:
                    live = store_.get(kind.resource, ns, name) if name else None
                    if live is None:
                        raise StatusError(f'Error from server (NotFound): error when {verb_source}: '
                                          f'{kind.resource} "{name}" not found')
                    _obj, _changed = update_object(store_, engine, kind, live, obj,
                                                   expected_rv=meta.get("resourceVersion") or None,
                                                   verb_source=verb_source, extra_errors=a.schema_errors)
                except KctlError as e:
                    errors.append(e)
                    continue
                lines.append(ref(kind, name) if g.output == "name" else f"{ref(kind, name)} replaced{suffix}")
            if dry_run == "none" and lines:
                engine.converge()
    finally:
        store_.close()
    for line in lines:
        click.echo(line)
    if errors:
        errors = in_file_order(errors, [m.source for m in manifests])
        if len(errors) == 1:
            raise errors[0]
        raise _Errors(errors)


class _Errors(KctlError):
    """Several independent errors (kubectl prints each); no "nothing changed" line, since
    replace writes object by object as kubectl does."""

    def __init__(self, errors: list[KctlError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)
