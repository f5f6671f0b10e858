"""`kctl apply -f`: admit a batch atomically, write it, converge, print what changed."""

from __future__ import annotations

import click

from kctl.cli.common import check_output, ref, warn
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.cli.prune import prune_options
from kctl.errors import PendingPods, UsageError

_DRY_RUN = ("none", "client", "server")
# what kubectl apply's printer flags accept
_OUTPUTS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json", "jsonpath-file",
            "kyaml", "name", "template", "templatefile", "yaml")
_VALIDATE = {"strict": "strict", "true": "strict", "warn": "warn", "ignore": "ignore", "false": "ignore"}


@click.command("apply", context_settings={"help_option_names": ["-h", "--help"]})
@filename_options
@global_flags()
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
              help='Must be "none", "server", or "client".')
@click.option("--validate", "validate", default="strict", metavar="MODE",
              help="strict (or true), warn, ignore (or false).")
@click.option("--server-side", "server_side", is_flag=True,
              help="If true, apply runs in the server instead of the client.")
@click.option("--force-conflicts", "force_conflicts", is_flag=True,
              help="If true, server-side apply will force the changes against conflicts.")
@click.option("--field-manager", "field_manager", default=None, metavar="NAME",
              help="Name of the manager used to track field ownership. "
                   "(default kubectl-client-side-apply; kubectl with --server-side)")
@click.option("--show-managed-fields", "show_managed_fields", is_flag=True,
              help="If true, keep the managedFields when printing objects in JSON or YAML format.")
@click.option("--fail-on-pending", is_flag=True,
              help="Exit 3 if, after converging, a pod among the applied objects (or owned by them) is Pending; "
                   "each is listed with its scheduling reason on stderr. With --dry-run=server: "
                   "'does this release fit?' without changing the store.")
@click.option("--schema-location", "schema_locations", multiple=True, metavar="PATH",
              help="Directory (or file) of CustomResourceDefinition manifests (or CRDs-catalog JSON schemas) whose "
                   "custom resources are validated without the CRD being applied (repeatable).")
@prune_options
@click.pass_context
def apply_cmd(ctx, filenames, recursive, store, namespace, all_namespaces, output, dry_run, validate,
              fail_on_pending, schema_locations=(), server_side=False, force_conflicts=False, field_manager=None,
              show_managed_fields=False,
              selector=None, prune=False, prune_allowlist=(), all_=False):
    """Apply a configuration to a resource by file name or stdin.

    All documents are admitted first and written in one transaction: if any is rejected,
    every error is printed and nothing is changed.
    """
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')
    _check_server_side(server_side, force_conflicts, dry_run)
    if validate.lower() not in _VALIDATE:
        raise UsageError(f'invalid - validate option "{validate}"; must be one of: strict (or true), warn, ignore (or false)')
    check_output(g.output, _OUTPUTS)
    file_text = None
    if g.output not in (None, "json", "yaml", "name"):
        from kctl.cli.get import _output_file_text

        file_text = _output_file_text(g.output)  # a bad template or file fails before any write
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    from kctl.cli.prune import check_prune_flags, select_admitted

    allowlist = check_prune_flags(prune=prune, selector=selector, all_=all_, allowlist=prune_allowlist,
                                  server_side=server_side)

    from kctl.cli.common import load_manifests, writable_engine
    from kctl.engine import ApplyOptions, intake

    from kctl.engine import AdmissionFailed
    from kctl.errors import ManifestError

    try:
        manifests = load_manifests(filenames, recursive)
    except ManifestError as e:
        if e.source is None:  # e.g. a missing path: kubectl's single line
            raise
        raise AdmissionFailed(list(getattr(e, "errors", [e]))) from None
    if not manifests:
        raise UsageError("no objects passed to apply")
    opts = ApplyOptions(namespace=g.namespace, dry_run=dry_run, validate=_VALIDATE[validate.lower()])
    opts.field_manager = field_manager or opts.field_manager  # client-side apply's Update manager
    from kctl.cli.common import prepare_crds

    opts.crds = tuple(prepare_crds(g.store, schema_locations))  # the store's CRDs serve intake too
    admitted, intake_errors = intake(manifests, opts, warn)
    admitted = select_admitted(admitted, selector)  # kubectl's builder drops what -l does not match
    if not admitted and not intake_errors:
        raise UsageError("no objects passed to apply")
    if intake_errors and not admitted:
        from kctl.engine import in_file_order

        raise AdmissionFailed(in_file_order(intake_errors, [m.source for m in manifests]))

    store, engine = writable_engine(g.store)
    try:
        with store.transaction(dry_run=dry_run != "none"):
            if server_side:
                results = engine.server_side_apply(admitted, opts, warn, intake_errors,
                                                   field_manager=field_manager or "kubectl",
                                                   force_conflicts=force_conflicts)
            else:
                results = engine.apply(admitted, opts, warn, intake_errors)
            pruned = []
            if prune:
                from kctl.cli.prune import run_prune

                pruned = run_prune(store, engine, results, selector=selector, allowlist=allowlist, all_=all_,
                                   namespace_flag=g.namespace, dry_run=dry_run, output=g.output,
                                   file_text=file_text)
            if dry_run != "client":
                engine.converge()
            pending = []
            if fail_on_pending:
                from kctl.engine import pending_pods

                pending = pending_pods(store, [r.obj for r in results])
    finally:
        store.close()

    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry_run]
    for r in results:
        for w in r.warnings:
            warn(w)
    if g.output in ("json", "yaml"):
        from kctl.printers.yaml_json import to_json, to_yaml

        objs = [r.obj for r in results]
        # kubectl apply prints one object as is, several as a v1 List with empty ListMeta
        doc = objs[0] if len(objs) == 1 else {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {}}
        text = (to_yaml(doc, show_managed_fields=show_managed_fields) if g.output == "yaml"
                else to_json(doc, show_managed_fields=show_managed_fields))
        click.echo(text, nl=not text.endswith("\n"))
    elif g.output and g.output != "name":
        from kctl.errors import KctlError
        from kctl.printers.get import PrinterError, render_get

        try:
            text = render_get([(r.kind, [r.obj]) for r in results], output=g.output, now=None,
                              single_item=len(results) == 1, file_text=file_text)
        except PrinterError as e:
            raise KctlError(str(e)) from None
        click.echo(text, nl=False)
    else:
        for r in results:
            name = r.obj["metadata"]["name"]
            if g.output == "name":
                click.echo(ref(r.kind, name))
            else:
                click.echo(f"{ref(r.kind, name)} {r.action}{suffix}")
    for line in pruned:
        click.echo(line)
    if pending:
        for pod, message in pending:
            meta = pod["metadata"]
            warn(f"pod/{meta['name']} in namespace {meta.get('namespace', '')} is Pending: {message}")
        raise PendingPods(f"{len(pending)} pod(s) Pending after converging")


def _check_server_side(server_side: bool, force_conflicts: bool, dry_run: str) -> None:
    """kubectl apply's flag checks for server-side apply (ApplyOptions.Validate)."""
    if force_conflicts and not server_side:
        raise UsageError("--force-conflicts only works with --server-side")
    if dry_run == "client" and server_side:
        raise UsageError("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)")
