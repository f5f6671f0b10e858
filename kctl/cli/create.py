"""`kctl create -f` and kubectl's `create <kind>` generators.

`create -f` admits each object as `apply` does (same intake, defaults, admission,
validation) but only ever creates: an existing object is an AlreadyExists error, and the
last-applied annotation is written only with --save-config. Unlike apply, kubectl's create
handles objects one by one: those that can be created are, the others are reported, exit 1.
"""

from __future__ import annotations

import copy
import json

import click

from kctl.cli import generators as gen
from kctl.cli.common import check_output, ref, warn
from kctl.cli.options import filename_options, global_flags, merge_globals
from kctl.errors import KctlError, UsageError

_DRY_RUN = ("none", "client", "server")
_OUTPUTS = ("json", "name", "yaml")
_VALIDATE = {"strict": "strict", "true": "strict", "warn": "warn", "ignore": "ignore", "false": "ignore"}
_SUFFIX = {"none": "", "client": " (dry run)", "server": " (server dry run)"}
_CTX = {"help_option_names": ["-h", "--help"]}


def _check_dry_run(dry_run: str) -> None:
    if dry_run not in _DRY_RUN:
        raise UsageError(f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".')


# ---------------------------------------------------------------- the create path
def create_one(engine, a, *, save_config: bool, field_manager: str = "kubectl-create") -> dict:
    """Create one admitted object (kctl.engine.Admitted) in the store: the create branch of
    Engine.apply without the last-applied annotation (unless `save_config`). Raises
    KctlError (or kctl.engine.AdmissionFailed with several errors); returns the written object."""
    from kctl.api import merge, strategy
    from kctl.api.defaults import apply_defaults
    from kctl.api.validation import validate_create
    from kctl.engine import AdmissionFailed, dedup_errors, next_uid, registry_create, rfc3339, stamp_conditions
    from kctl.errors import AlreadyExists, StatusError

    kind, obj = a.kind, a.obj
    file_status = None
    if a.from_inventory:
        obj = {k: v for k, v in obj.items() if k != "status"}
        file_status = copy.deepcopy(a.obj.get("status") or {})
    meta = obj.get("metadata") or {}
    name = meta.get("name") or ""
    ns = meta.get("namespace", "") if kind.namespaced else ""
    store = engine.store
    if kind.namespaced and store.get("namespaces", "", ns) is None:
        where = f'error when creating "{a.file}": ' if a.file else ""
        raise StatusError(f'Error from server (NotFound): {where}namespaces "{ns}" not found', a.source)
    if name and store.get(kind.resource, ns, name) is not None:
        err = AlreadyExists(kind.resource, name, a.source)
        if a.file:
            err.message = (f'Error from server (AlreadyExists): error when creating "{a.file}": '
                           f'{kind.resource} "{name}" already exists')
        raise err
    from kctl.controllers.gc import create_forbidden

    forbidden = create_forbidden(store, kind, ns, name, a.file)
    if forbidden is not None:
        forbidden.source = a.source
        raise forbidden
    if save_config:
        new = merge.for_create(obj, namespace=ns or None, namespaced=kind.namespaced)
    else:
        new = merge.prune_nulls(merge.kubectl_processed(obj, namespace=ns or None, namespaced=kind.namespaced))
    if file_status is not None:
        new["status"] = stamp_conditions(file_status, None, rfc3339(engine.now))
    apply_defaults(kind, new)
    uid = next_uid(store)
    registry_create(kind, new, uid)
    request_errors: list = []
    custom_errs = engine._custom_admission(kind, new, None, a, True, request_errors)  # CRDs, custom resources
    if custom_errs is None:
        raise AdmissionFailed(request_errors)
    adm = engine._admit(kind, new, None, a, "creating")
    if adm is not None:
        raise AdmissionFailed(adm)
    errs = dedup_errors(list(a.schema_errors) + validate_create(kind, new) + custom_errs)
    if errs:
        raise AdmissionFailed(engine._invalid(kind, name, errs, a))
    strategy.prepare_for_create(kind, new, uid=uid, now=rfc3339(engine.now), keep_status=a.from_inventory)
    engine._custom_prepare(kind, new, None)
    from kctl.api.managedfields import record_update

    record_update(kind, None, new, field_manager, rfc3339(engine.now))
    return store.create(kind.resource, new)


def _client_side(a, save_config: bool) -> dict:
    from kctl.api import merge

    ns = (a.obj.get("metadata") or {}).get("namespace") if a.kind.namespaced else None
    if save_config:
        return merge.for_create(a.obj, namespace=ns or None, namespaced=a.kind.namespaced)
    return merge.prune_nulls(merge.kubectl_processed(a.obj, namespace=ns or None, namespaced=a.kind.namespaced))


def _errors_of(e: KctlError) -> list[KctlError]:
    return list(getattr(e, "errors", None) or [e])


class _PartialFailure(KctlError):
    """Some objects failed: each error is printed on its own (kubectl's create)."""

    def __init__(self, errors: list[KctlError]):
        super().__init__(errors[0].message)
        self.errors = errors

    def render(self) -> str:
        return "\n".join(e.render() for e in self.errors)


def _print_objects(objs: list[dict], output: str | None, kinds, dry_run: str, *, typed: bool = False) -> None:
    """kubectl's create printer. `typed`: a generator's object, whose JSON keeps Go struct
    field order; objects read from files (or the store) are maps and print with sorted keys."""
    from kctl.printers.yaml_json import to_json, to_yaml

    for i, (kind, obj) in enumerate(zip(kinds, objs)):
        name = (obj.get("metadata") or {}).get("name", "")
        if output == "yaml":
            text = to_yaml(obj)
            if i:
                click.echo("---")
            click.echo(text, nl=not text.endswith("\n"))
        elif output == "json":
            text = go_json_ordered(obj) if typed else to_json(obj)
            click.echo(text, nl=not text.endswith("\n"))
        elif output == "name":
            click.echo(ref(kind, name))
        else:
            click.echo(f"{ref(kind, name)} created{_SUFFIX[dry_run]}")


def go_json_ordered(obj) -> str:
    """Go's json.MarshalIndent(obj, "", "    ") keeping the dict order (struct field order)."""
    from kctl.printers.yaml_json import _GO_JSON_ESCAPES, _GO_JSON_RE

    text = json.dumps(obj, indent=4, ensure_ascii=False)
    return _GO_JSON_RE.sub(lambda m: _GO_JSON_ESCAPES[m.group(0)], text)


# ---------------------------------------------------------------- `create -f`
_ALIASES = {"ns", "sa", "cm", "deploy", "pc", "cj", "svc"}


class _CreateGroup(click.Group):
    def list_commands(self, ctx):
        return [n for n in super().list_commands(ctx) if n not in _ALIASES]  # kubectl lists no aliases

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name is not None and self.get_command(ctx, name) is None and not name.startswith("-"):
            raise UsageError(f'unknown command "{name}" for "kctl create"')
        return super().resolve_command(ctx, args)


@click.group("create", cls=_CreateGroup, invoke_without_command=True, context_settings=_CTX)
@filename_options
@global_flags()
@click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY", help='Must be "none", "server", or "client".')
@click.option("--save-config", is_flag=True, help="Write the last-applied-configuration annotation (for a later apply).")
@click.option("--validate", "validate", default="strict", metavar="MODE", help="strict (or true), warn, ignore (or false).")
@click.pass_context
def create_group(ctx, filenames, recursive, store, namespace, all_namespaces, output, dry_run, save_config, validate):
    """Create a resource from a file or from stdin, or generate one (`kctl create deployment ...`)."""
    if ctx.invoked_subcommand is not None:
        return
    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=output)
    _check_dry_run(dry_run)
    if validate.lower() not in _VALIDATE:
        raise UsageError(f'invalid - validate option "{validate}"; must be one of: strict (or true), warn, ignore (or false)')
    check_output(g.output, _OUTPUTS)
    if not filenames:
        raise UsageError("must specify one of -f and -k")

    from kctl.cli.common import load_manifests, writable_engine
    from kctl.engine import AdmissionFailed, ApplyOptions, intake, in_file_order
    from kctl.errors import ManifestError

    try:
        manifests = load_manifests(filenames, recursive)
    except ManifestError as e:
        if e.source is None:
            raise
        raise AdmissionFailed(list(getattr(e, "errors", [e]))) from None
    if not manifests:
        raise UsageError("no objects passed to create")
    opts = ApplyOptions(namespace=g.namespace, dry_run=dry_run, validate=_VALIDATE[validate.lower()])
    admitted, errors = intake(manifests, opts, warn)
    errors = list(errors)

    done: list[tuple] = []
    store, engine = writable_engine(g.store)
    try:
        with store.transaction(dry_run=dry_run != "none"):
            for a in admitted:  # kubectl's create: file order, one request per object
                if dry_run == "client":
                    # kubectl sends nothing: the object as read, namespace filled in
                    done.append((a.kind, _client_side(a, save_config)))
                    continue
                try:
                    obj = create_one(engine, a, save_config=save_config)
                except KctlError as e:
                    errors.extend(_errors_of(e))
                    continue
                done.append((a.kind, obj))
            if dry_run != "client" and done:
                engine.converge()
    finally:
        store.close()
    _print_objects([o for _, o in done], g.output, [k for k, _ in done], dry_run)
    if errors:
        raise _PartialFailure(in_file_order(errors, [m.source for m in manifests]))


# ---------------------------------------------------------------- generators
def _gen_options(f):
    f = click.option("--save-config", is_flag=True, help="Write the last-applied-configuration annotation.")(f)
    f = click.option("--dry-run", "dry_run", default="none", metavar="STRATEGY",
                     help='Must be "none", "server", or "client".')(f)
    f = global_flags(all_namespaces=False)(f)
    f = click.pass_context(f)
    return f


def _one_name(names: tuple, cmd: str) -> str:
    if len(names) != 1:
        raise UsageError(f"exactly one NAME is required, got {len(names)}\n"
                         f"See 'kctl create {cmd} -h' for help and examples")
    return names[0]


def _emit(ctx, obj: dict, *, store, namespace, output, dry_run, save_config, fail_prefix: str = "") -> None:
    """Print a generated object (`--dry-run=client`) or create it through create_one."""
    from kctl.api import kinds as kinds_mod

    g = merge_globals(ctx, store=store, namespace=namespace, output=output)
    _check_dry_run(dry_run)
    check_output(g.output, _OUTPUTS)
    kind = kinds_mod.for_object(obj["apiVersion"], obj["kind"])
    if dry_run == "client":
        _print_objects([obj], g.output, [kind], dry_run, typed=True)
        return
    from kctl.cli.common import writable_engine
    from kctl.engine import Admitted

    stored = copy.deepcopy(obj)
    meta = stored["metadata"]
    if kind.namespaced:
        meta["namespace"] = meta.get("namespace") or "default"
    a = Admitted(kind, stored, None, "")
    store_, engine = writable_engine(g.store)
    try:
        with store_.transaction(dry_run=dry_run != "none"):
            try:
                written = create_one(engine, a, save_config=save_config)
            except KctlError as e:
                errs = _errors_of(e)
                if fail_prefix:
                    # kubectl wraps the server's error (`error: failed to create deployment: ...`),
                    # which then prints as Go's StatusError.Error() text
                    raise KctlError(f"{fail_prefix}{_status_text(kind, errs)}") from None
                raise _PartialFailure(errs) from None
            engine.converge()
    finally:
        store_.close()
    _print_objects([written], g.output, [kind], dry_run)


def _status_text(kind, errs: list[KctlError]) -> str:
    """A server error as Go's StatusError.Error() (what kubectl prints once it is wrapped):
    no `Error from server (Reason): ` head, Invalid as `Deployment.apps "x" is invalid: ...`."""
    from kctl.errors import Invalid

    invalid = [e for e in errs if isinstance(e, Invalid)]
    if invalid:
        field_errs = [str(fe) for e in invalid for fe in e.errors]
        qualified = kind.kind + ("." + kind.group if kind.group else "")
        detail = field_errs[0] if len(field_errs) == 1 else "[" + ", ".join(field_errs) + "]"
        return f'{qualified} "{invalid[0].name}" is invalid: {detail}'
    text = errs[0].message
    if text.startswith("Error from server ("):
        text = text.split("): ", 1)[-1]
    return text


@create_group.command("deployment", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--image", "images", multiple=True, help="Image names to run.")
@click.option("--replicas", type=int, default=1, help="Number of replicas to create. Default is 1.")
@click.option("--port", type=int, default=-1, help="The containerPort that this deployment exposes.")
@_gen_options
def create_deployment(ctx, names, images, replicas, port, store, namespace, output, dry_run, save_config):
    """Create a deployment with the specified name (`-- COMMAND` after the name)."""
    if not images:
        raise KctlError('required flag(s) "image" not set')
    name, command = (names[0], list(names[1:])) if names else (None, [])
    name = _one_name((name,) if name else (), "deployment")
    obj = gen.deployment(name, images=list(images), replicas=replicas, port=port, command=command,
                         namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create deployment: ")


@create_group.command("job", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--image", help="Image name to run.")
@_gen_options
def create_job(ctx, names, image, store, namespace, output, dry_run, save_config):
    """Create a job with the specified name (`-- COMMAND` after the name)."""
    name = _one_name(names[:1], "job")
    obj = gen.job(name, image=image, command=list(names[1:]), namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create job: ")


@create_group.command("cronjob", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--image", help="Image name to run.")
@click.option("--schedule", help="A schedule in the Cron format the job should be run with.")
@click.option("--restart", help="job's restart policy. supported values: OnFailure, Never")
@_gen_options
def create_cronjob(ctx, names, image, schedule, restart, store, namespace, output, dry_run, save_config):
    """Create a cron job with the specified name (`-- COMMAND` after the name)."""
    obj = gen.cronjob("x", image=image, schedule=schedule, restart=restart)  # flag errors first
    name = _one_name(names[:1], "cronjob")
    obj = gen.cronjob(name, image=image, schedule=schedule, restart=restart, command=list(names[1:]),
                      namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create cronjob: ")


@create_group.command("service", cls=click.Group, context_settings=_CTX)
def create_service():
    """Create a service (clusterip, nodeport, loadbalancer or externalname)."""


def _service_cmd(kind: str):
    @create_service.command(kind, context_settings=_CTX)
    @click.argument("names", nargs=-1)
    @click.option("--tcp", multiple=True, help="Port pairs can be specified as '<port>:<targetPort>'.")
    @click.option("--clusterip", "cluster_ip", default="", help="Assign your own ClusterIP or set to 'None' for a 'headless' service.")
    @click.option("--node-port", type=int, default=0, help="Port used to expose the service on each node.")
    @click.option("--external-name", default="", help="External name of service.")
    @_gen_options
    def cmd(ctx, names, tcp, cluster_ip, node_port, external_name, store, namespace, output, dry_run, save_config):
        name = _one_name(names, f"service {kind}")
        obj = gen.service(kind, name, tcp=list(tcp), cluster_ip=cluster_ip, node_port=node_port,
                          external_name=external_name, namespace=merge_globals(ctx, namespace=namespace).namespace)
        _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix=f"failed to create {gen.SERVICE_TYPES[kind]} service: ")

    cmd.__doc__ = f"Create a {gen.SERVICE_TYPES[kind]} service."
    return cmd


for _k in gen.SERVICE_TYPES:
    _service_cmd(_k)


def _source_options(f):
    f = click.option("--from-env-file", "env_files", multiple=True, help="Read lines of key=val from a file.")(f)
    f = click.option("--from-file", "files", multiple=True, help="Key files: a file, key=file, or a directory.")(f)
    f = click.option("--from-literal", "literals", multiple=True, help="A key and literal value (key=value).")(f)
    return f


@create_group.command("configmap", context_settings=_CTX)
@click.argument("names", nargs=-1)
@_source_options
@_gen_options
def create_configmap(ctx, names, literals, files, env_files, store, namespace, output, dry_run, save_config):
    """Create a config map from files, directories or literal values."""
    name = _one_name(names, "configmap")
    obj = gen.configmap(name, literals=literals, files=files, env_files=env_files,
                        namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create configmap: ")


@create_group.command("secret", cls=click.Group, context_settings=_CTX)
def create_secret():
    """Create a secret (generic, tls or docker-registry)."""


@create_secret.command("generic", context_settings=_CTX)
@click.argument("names", nargs=-1)
@_source_options
@click.option("--type", "type_", default="", help="The type of secret to create.")
@_gen_options
def create_secret_generic(ctx, names, literals, files, env_files, type_, store, namespace, output, dry_run, save_config):
    """Create a secret from files, directories or literal values."""
    name = _one_name(names, "secret generic")
    obj = gen.secret_generic(name, literals=literals, files=files, env_files=env_files, type_=type_,
                             namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create secret ")


@create_secret.command("docker-registry", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--docker-server", default="https://index.docker.io/v1/", help="Server location for Docker registry.")
@click.option("--docker-username", help="Username for Docker registry authentication.")
@click.option("--docker-password", help="Password for Docker registry authentication.")
@click.option("--docker-email", default="", help="Email for Docker registry.")
@_gen_options
def create_secret_docker(ctx, names, docker_server, docker_username, docker_password, docker_email, store, namespace,
                         output, dry_run, save_config):
    """Create a secret for use with a Docker registry."""
    name = _one_name(names, "secret docker-registry")
    obj = gen.secret_docker_registry(name, server=docker_server, username=docker_username, password=docker_password,
                                     email=docker_email, namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create secret ")


@create_secret.command("tls", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--cert", help="Path to PEM encoded public key certificate.")
@click.option("--key", help="Path to private key associated with given certificate.")
@_gen_options
def create_secret_tls(ctx, names, cert, key, store, namespace, output, dry_run, save_config):
    """Create a TLS secret (the key pair is not verified)."""
    name = _one_name(names, "secret tls")
    obj = gen.secret_tls(name, cert=cert, key=key, namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create secret ")


@create_group.command("namespace", context_settings=_CTX)
@click.argument("names", nargs=-1)
@_gen_options
def create_namespace(ctx, names, store, namespace, output, dry_run, save_config):
    """Create a namespace with the specified name."""
    name = _one_name(names, "namespace")
    _emit(ctx, gen.namespace_obj(name), store=store, namespace=namespace, output=output, dry_run=dry_run,
          save_config=save_config)


@create_group.command("serviceaccount", context_settings=_CTX)
@click.argument("names", nargs=-1)
@_gen_options
def create_serviceaccount(ctx, names, store, namespace, output, dry_run, save_config):
    """Create a service account with the specified name."""
    name = _one_name(names, "serviceaccount")
    obj = gen.serviceaccount(name, namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create serviceaccount: ")


@create_group.command("priorityclass", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--value", type=int, default=0, help="The value of this priority class.")
@click.option("--global-default", is_flag=True, help="Global-default specifies whether this PriorityClass should be considered as the default priority.")
@click.option("--description", default="", help="Description is an arbitrary string.")
@click.option("--preemption-policy", default="PreemptLowerPriority", help="Policy for preempting pods with lower priority.")
@_gen_options
def create_priorityclass(ctx, names, value, global_default, description, preemption_policy, store, namespace, output,
                         dry_run, save_config):
    """Create a priority class with the specified name."""
    name = _one_name(names, "priorityclass")
    obj = gen.priorityclass(name, value=value, global_default=global_default, description=description,
                            preemption_policy=preemption_policy)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create priorityclass: ")


def _subject_options(f):
    f = click.option("--serviceaccount", "service_accounts", multiple=True,
                     help="Service accounts to bind, in the format <namespace>:<name>.")(f)
    f = click.option("--group", "groups", multiple=True, help="Groups to bind to the role.")(f)
    f = click.option("--user", "users", multiple=True, help="Usernames to bind to the role.")(f)
    return f


@create_group.command("rolebinding", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--role", default="", help="Role this RoleBinding should reference.")
@click.option("--clusterrole", default="", help="ClusterRole this RoleBinding should reference.")
@_subject_options
@_gen_options
def create_rolebinding(ctx, names, role, clusterrole, users, groups, service_accounts, store, namespace, output,
                       dry_run, save_config):
    """Create a role binding for a particular role or cluster role."""
    name = _one_name(names, "rolebinding")
    obj = gen.rolebinding(name, role=role, clusterrole=clusterrole, users=users, groups=groups,
                          service_accounts=service_accounts,
                          namespace=merge_globals(ctx, namespace=namespace).namespace)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create rolebinding: ")


@create_group.command("clusterrolebinding", context_settings=_CTX)
@click.argument("names", nargs=-1)
@click.option("--clusterrole", default="", help="ClusterRole this ClusterRoleBinding should reference.")
@_subject_options
@_gen_options
def create_clusterrolebinding(ctx, names, clusterrole, users, groups, service_accounts, store, namespace, output,
                              dry_run, save_config):
    """Create a cluster role binding for a particular cluster role."""
    name = _one_name(names, "clusterrolebinding")
    obj = gen.clusterrolebinding(name, clusterrole=clusterrole, users=users, groups=groups,
                                 service_accounts=service_accounts)
    _emit(ctx, obj, store=store, namespace=namespace, output=output, dry_run=dry_run, save_config=save_config,
          fail_prefix="failed to create clusterrolebinding: ")


# kubectl's aliases
create_group.add_command(create_namespace, "ns")
create_group.add_command(create_serviceaccount, "sa")
create_group.add_command(create_configmap, "cm")
create_group.add_command(create_deployment, "deploy")
create_group.add_command(create_priorityclass, "pc")
create_group.add_command(create_cronjob, "cj")
create_group.add_command(create_service, "svc")
