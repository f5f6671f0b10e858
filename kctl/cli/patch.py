"""`kctl replace -f FILE [--force]` and `kctl patch (TYPE NAME | -f FILE) -p PATCH
[--type strategic|merge|json]`, with kubectl's printers (`-o yaml|json|name|jsonpath=...`).

Both end in the API server's update path (`update_object`): defaults, registry steps,
strategy (server metadata kept, generation bumped), admission, validation (create rules and
update rules such as immutability), a resourceVersion-checked write. `replace --force`
deletes the file's objects, waits (in cluster time) until they are gone, then creates them
(kubectl's forceReplace). kubectl 1.37's texts (pkg/cmd/patch/patch.go, pkg/cmd/replace).
"""

from __future__ import annotations

import copy

import click

from kctl.cli.common import ref, warn
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import Invalid, KctlError, StatusError, UsageError

_PATCH_TYPES = ("json", "merge", "strategic")
_DRY_RUN = ("none", "client", "server")
_SUFFIX = {"none": "", "client": " (dry run)", "server": " (server dry run)"}
# kubectl's PrintFlags (json/yaml, name, templates, jsonpath), as apply accepts
_OUTPUTS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
            "kyaml", "name", "template", "templatefile", "yaml")
_FORCE_REPLACE_TIMEOUT = 300.0  # kubectl: 5 minutes when --timeout is 0


# ---------------------------------------------------------------- the update path
def update_object(store, engine, kind, live: dict, new: dict, *, expected_rv: str | None = None,
                  verb_source: str | None = None, extra_errors=(),
                  field_manager: str | None = None, stored: dict | None = None) -> tuple[dict, bool]:
    """The API server's PUT of `new` over `live` (what engine.apply does for its update
    branch, minus the merge). Returns (stored object, changed). Raises Invalid or StatusError.

    `verb_source` ("replacing \"f.yaml\"") goes into non-validation server errors as kubectl
    adds it: `Error from server (Conflict): error when replacing "f.yaml": ...`.

    `stored` is the object as stored when `live` is a custom resource read in the request's
    version (the write goes over it, in the storage version)."""
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
    requested = (new.get("metadata") or {}).get("managedFields")  # the registry resets them below
    name = live["metadata"]["name"]
    live_rv = (live.get("metadata") or {}).get("resourceVersion")
    if expected_rv is None:
        expected_rv = live_rv
    apply_defaults(kind, new)
    registry_update(kind, new, live)
    strategy.prepare_for_update(kind, new, live)
    custom_errs = engine.custom_update(kind, new, live)  # CRDs and custom resources
    try:
        errs = admission.admit(Context(store, engine.now), kind, new, live)
    except StatusError as e:
        raise server_error(e.reason, e.message) from None
    if errs:
        raise Invalid(kind.kind, name, errs)
    errs = dedup_errors(list(extra_errors) + validate_create(kind, new) + validate_update(kind, new, live)
                        + custom_errs)
    if errs:
        raise Invalid(kind.kind, name, errs)
    if expected_rv != live_rv:
        raise server_error("Conflict", f'Operation cannot be fulfilled on {kind.resource} "{name}": {Conflict.TEXT}')
    if field_manager:  # before the no-op check: managedFields set or reset are a change
        from kctl.api.managedfields import record_update
        from kctl.engine import rfc3339

        record_update(kind, live, new, field_manager, rfc3339(engine.now), requested=requested)
    stored = live if stored is None else stored
    if new == stored:
        return stored, False
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


# ---------------------------------------------------------------- printing
def _check_output(output: str | None) -> str | None:
    """-o checked before any write; returns the template text of the *-file formats."""
    from kctl.cli.common import check_output

    check_output(output, _OUTPUTS)
    if output in (None, "json", "yaml", "name"):
        return None
    from kctl.cli.get import _output_file_text

    return _output_file_text(output)


class _Printer:
    """kubectl's ResourcePrinter for one operation: `deployment.apps/web replaced`, `-o name`'s
    `deployment.apps/web`, or the object itself. One instance prints several objects as one
    kubectl printer does: YAML documents after the first start with `---` (replace builds one
    printer for the command; patch one per object)."""

    def __init__(self, output: str | None, file_text: str | None, dry_run: str):
        self.output, self.file_text, self.suffix = output, file_text, _SUFFIX[dry_run]
        self.count = 0

    def text(self, kind, obj: dict, operation: str) -> str:
        self.count += 1
        name = (obj.get("metadata") or {}).get("name", "")
        if not self.output:
            return f"{ref(kind, name)} {operation}{self.suffix}\n"
        if self.output == "name":
            return f"{ref(kind, name)}\n"
        if self.output in ("json", "yaml"):
            from kctl.printers.yaml_json import to_json, to_yaml

            if self.output == "json":
                return to_json(obj)
            return ("---\n" if self.count > 1 else "") + to_yaml(obj)
        from kctl.printers.get import PrinterError, render_get

        try:
            return render_get([(kind, [obj])], output=self.output, now=None, single_item=True,
                              file_text=self.file_text)
        except PrinterError as e:
            raise KctlError(str(e)) from None


def _emit(chunks: list[str]) -> None:
    for c in chunks:
        click.echo(c, nl=False)


# ---------------------------------------------------------------- patch
@click.command("patch", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("args", nargs=-1)
@filename_options
@global_flags(all_namespaces=False)
@click.option("-p", "--patch", "patch", default=None, help="The patch to be applied to the resource JSON file.")
@click.option("--patch-file", "patch_file", default=None, help="A file containing a patch to be applied to the resource.")
@click.option("--type", "patch_type", default="strategic",
              help="The type of patch being provided; one of [json merge strategic]")
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.pass_context
def patch_cmd(ctx, args, filenames, recursive, store, namespace, output, patch, patch_file, patch_type, dry_run):
    """Update fields of a resource using a strategic merge patch, a JSON merge patch, or a JSON patch.

    The resource is named by TYPE NAME, TYPE/NAME, or the objects of -f FILE."""
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
    file_text = _check_output(g.output)
    if patch_file is not None:
        try:
            with open(patch_file, encoding="utf-8") as fh:
                patch = fh.read()
        except OSError as e:
            raise KctlError(f"unable to read patch file: open {patch_file}: {e.strerror.lower()}") from None
    doc = parse_patch(patch)

    from kctl.cli.common import report, writable_engine

    targets, errors = _patch_targets(args, filenames, recursive, g)
    if not targets and not errors:
        raise KctlError("no objects passed to patch")

    from kctl.engine import cr_version_warnings, is_custom

    store_, engine = writable_engine(g.store)
    chunks: list[str] = []
    warned: set = set()  # the server's warnings of a custom resource's version, once per command
    try:
        with store_.transaction(dry_run=dry_run != "none"):
            for kind, ns, name, file_obj in targets:
                if is_custom(kind) and not (dry_run == "client" and file_obj is not None):
                    cr_version_warnings(kind, kind.version, warn, warned)
                try:
                    chunks.append(_patch_one(store_, engine, kind, ns, name, file_obj, doc, patch_type,
                                             dry_run, _Printer(g.output, file_text, dry_run)))
                except KctlError as e:
                    errors.append(e)
            if dry_run == "none" and chunks:
                engine.converge()
    finally:
        store_.close()
    _emit(chunks)
    report([], errors)


def _patch_targets(args, filenames, recursive, g) -> tuple[list, list[KctlError]]:
    """(kind, namespace, name, file object or None) per object to patch, and the errors of
    objects that could not be resolved (kubectl's builder, ContinueOnError)."""
    from kctl.cli.common import parse_resource_args

    if filenames:
        # cli-runtime's visitByPaths refuses resource arguments next to -f
        if any("/" in a for a in args):
            raise KctlError("resource/name arguments cannot be provided when a path is specified")
        if args:
            raise KctlError("when paths, URLs, or stdin is provided as input, you may not specify "
                            "resource arguments as well")
        from kctl.cli.common import load_manifests
        from kctl.engine import ApplyOptions, intake

        # no schema: kubectl's patch builder decodes the file as unstructured objects
        admitted, errors = intake(load_manifests(filenames, recursive),
                                  ApplyOptions(namespace=g.namespace, validate="ignore"), lambda _w: None)
        targets = []
        for a in admitted:
            meta = a.obj.get("metadata") or {}
            ns = meta.get("namespace", "") if a.kind.namespaced else ""
            targets.append((a.kind, ns, meta.get("name") or "", a.obj))
        return targets, list(errors)
    if not args:
        from kctl.cli.delete import _NO_ARGS

        raise UsageError(_NO_ARGS)
    targets = []
    for kinds_, names in parse_resource_args(args):
        if not names:
            raise UsageError("resource(s) were provided, but no name was specified")
        for kind in kinds_:
            ns = g.effective_namespace if kind.namespaced else ""
            targets.extend((kind, ns, n, None) for n in names)
    return targets, []


def _patch_one(store, engine, kind, ns: str, name: str, file_obj: dict | None, doc, patch_type: str,
               dry_run: str, printer: _Printer) -> str:
    """Patch one object; returns what kubectl prints for it. kubectl compares the result with
    the object its builder holds: the live one for TYPE NAME, the file's for -f (so a file's
    object is practically always "patched"); --dry-run=client patches that object locally."""
    from kctl.cli.rollout import get_live

    if dry_run == "client" and file_obj is not None:
        out = patched_object(kind, file_obj, doc, patch_type)
        return printer.text(kind, out, "patched" if out != file_obj else "patched (no change)")
    stored = get_live(store, kind, ns, name)
    # custom resources: patched, defaulted and validated in the version requested (or the
    # preferred one), stored in the storage version, printed in the requested one
    live = engine.in_version_of(kind, stored, {"apiVersion": kind.api_version})
    new = patched_object(kind, live, doc, patch_type)
    _check_name(kind, new, name)
    extra = _decode_checks(kind, new, None)
    obj, changed = update_object(store, engine, kind, live, new, extra_errors=extra, field_manager="kubectl-patch",
                                 stored=stored)
    obj = engine.in_version_of(kind, obj, live)
    if file_obj is not None:
        changed = obj != file_obj
    return printer.text(kind, obj, "patched" if changed else "patched (no change)")


# ---------------------------------------------------------------- replace

@click.command("replace", context_settings={"help_option_names": ["-h", "--help"]})
@filename_options
@global_flags(all_namespaces=False)
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.option("--force", is_flag=True, default=False,
              help="Delete the file's objects, wait until they are gone, then create them again "
                   "(a new uid; what they owned goes with them unless --cascade=orphan).")
@click.option("--grace-period", "grace_period", type=int, default=-1,
              help="Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. "
                   "Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).")
@click.option("--timeout", "timeout", default="0s", metavar="DURATION",
              help="With --force: how much cluster time to wait for the deleted objects to be gone "
                   "(0: 5m), as `kctl wait` moves cluster time.")
@click.option("--cascade", "cascade", default="background", metavar="MODE",
              help='Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for '
                   "the dependents (e.g. Pods created by a ReplicationController). Defaults to background.")
@click.option("--wait", "wait", is_flag=True, default=False,
              help="Accepted for kubectl compatibility: --force always waits for the objects to be gone.")
@click.pass_context
def replace_cmd(ctx, filenames, recursive, store, namespace, output, dry_run, force, grace_period, timeout,
                cascade, wait):
    """Replace a resource by file name or stdin: the object must exist; the file's object
    replaces it whole (server-owned metadata and status kept). With --force: delete, wait
    (in cluster time) until gone, re-create."""
    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    file_text = _check_output(g.output)
    from kctl.cli.delete import _CASCADE  # delete's --cascade values (replace shares DeleteFlags)

    if cascade.lower() not in _CASCADE:
        raise UsageError(f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan"')
    if cascade.lower() in ("true", "false"):
        warn(f"warning: --cascade={cascade.lower()} is deprecated (boolean value) and can be replaced "
             f"with --cascade={_CASCADE[cascade.lower()]}.")
    cascade = _CASCADE[cascade.lower()]
    from kctl.api.duration import parse_go_duration

    try:
        timeout_s = parse_go_duration(timeout)
    except ValueError as e:
        raise click.UsageError(f'invalid argument "{timeout}" for "--timeout" flag: {e}', ctx=ctx) from None
    # ReplaceOptions.Validate, in its order
    if grace_period >= 0 and not force:
        raise UsageError("--grace-period must have --force specified")
    if timeout_s != 0 and not force:
        raise UsageError("--timeout must have --force specified")
    if force and dry_run != "none":
        raise UsageError("--dry-run can not be used when --force is set")
    if not filenames:
        raise UsageError("must specify one of -f and -k")

    from kctl.cli.common import load_manifests, writable_engine
    from kctl.engine import ApplyOptions, intake, in_file_order

    manifests = load_manifests(filenames, recursive)
    if not manifests:
        raise KctlError("no objects passed to replace")
    admitted, intake_errors = intake(manifests, ApplyOptions(namespace=g.namespace), warn)
    for e in intake_errors:
        e.message = e.message.replace("error when creating \"", "error when replacing \"")
    if force and intake_errors:
        # kubectl would already have deleted the good objects before failing on these; kctl
        # stops before deleting anything
        errors_ = in_file_order(intake_errors, [m.source for m in manifests])
        raise errors_[0] if len(errors_) == 1 else _Errors(errors_)
    errors: list[KctlError] = list(intake_errors)
    chunks: list[str] = []
    printer = _Printer(g.output, file_text, dry_run)
    store_, engine = writable_engine(g.store)
    try:
        if force:
            # replace's Complete: a zero grace period becomes 1 (and is waited for)
            gp = None if grace_period < 0 else (grace_period or 1)
            with store_.transaction():
                chunks, errors = _force_replace(store_, engine, admitted, errors, printer, cascade=cascade,
                                                grace_period=gp, timeout=timeout_s or _FORCE_REPLACE_TIMEOUT)
        else:
            with store_.transaction(dry_run=dry_run != "none"):
                for a in admitted:
                    try:
                        obj = _replace_one(store_, engine, a)
                    except KctlError as e:
                        errors.append(e)
                        continue
                    chunks.append(printer.text(a.kind, obj, "replaced"))
                if dry_run == "none" and chunks:
                    engine.converge()
    finally:
        store_.close()
    _emit(chunks)
    if errors:
        errors = in_file_order(errors, [m.source for m in manifests])
        if len(errors) == 1:
            raise errors[0]
        raise _Errors(errors)


def _replace_one(store, engine, a) -> dict:
    kind, obj = a.kind, a.obj
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    ns = meta.get("namespace", "") if kind.namespaced else ""
    verb_source = f'replacing "{a.file}"'
    live = store.get(kind.resource, ns, name) if name else None
    if live is None:
        raise StatusError(f'Error from server (NotFound): error when {verb_source}: {kind.resource} "{name}" not found')
    written, _changed = update_object(store, engine, kind, live, obj, expected_rv=meta.get("resourceVersion") or None,
                                      verb_source=verb_source, extra_errors=a.schema_errors,
                                      field_manager="kubectl-replace")
    return written


def _force_replace(store, engine, admitted, errors, printer: _Printer, *, cascade: str,
                   grace_period: int | None, timeout: float):
    """kubectl's forceReplace: delete every object of the files (not found is fine), wait
    until each is gone (here: cluster time moves to the next timers, as `kctl wait`), then
    create each from the file. Not atomic, as kubectl: a create that fails leaves the object
    deleted. Returns (printed chunks, errors)."""
    from kctl.cli.common import delete_ref
    from kctl.cli.create import create_one
    from kctl.controllers import runner
    from kctl.engine import Engine
    from kctl.errors import NotFound

    chunks: list[str] = []
    keys = []
    for a in admitted:
        meta = a.obj.get("metadata") or {}
        ns = meta.get("namespace", "") if a.kind.namespaced else ""
        name = meta.get("name") or ""
        try:
            engine.delete(a.kind, ns, name, cascade=cascade, grace_period=grace_period)
        except NotFound:
            continue  # replace sets IgnoreNotFound
        except KctlError as e:
            errors.append(e)
            return chunks, errors
        keys.append((a.kind.resource, ns, name))
        if printer.output == "name":
            chunks.append(f"{delete_ref(a.kind)}/{name}\n")
        else:
            where = f" from {ns} namespace" if a.kind.namespaced else ""
            verb = "force deleted" if grace_period == 0 else "deleted"
            chunks.append(f'{delete_ref(a.kind)} "{name}" {verb}{where}\n')

    def gone(_now=None) -> bool:
        return all(store.get(*k) is None for k in keys)

    now = engine.now
    engine.converge()
    if not gone():
        now = runner.advance(store, now, timeout, until=gone)
        if not gone():
            errors.append(KctlError("context deadline exceeded"))
            return chunks, errors
    engine = Engine(store, now)
    created = 0
    for a in admitted:
        try:
            obj = create_one(engine, a, save_config=False, field_manager="kubectl-replace")
        except KctlError as e:
            # forceReplace returns the create error as is (no `error when ...` source)
            for err in getattr(e, "errors", None) or [e]:
                err.message = err.message.replace(f'error when creating "{a.file}": ', "")
                errors.append(err)
            continue
        created += 1
        chunks.append(printer.text(a.kind, obj, "replaced"))
    if created:
        engine.converge()
    return chunks, errors


class _Errors(KctlError):
    """Several independent errors (kubectl prints each); no "nothing changed" line, since
    replace writes object by object as kubectl does."""

    def __init__(self, errors: list[KctlError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)
