"""kubectl 1.37's `create <kind>` generators: flags -> object, pure (no I/O but reading
--from-file sources).

Objects are built with keys in the Go struct field order of the typed object kubectl
marshals, because `-o json` prints them in that order (TypeMeta kind/apiVersion first,
ObjectMeta name, namespace, labels...). `-o yaml` sorts keys (kubectl converts to a map
first), which the YAML printer does by itself. Empty structs that Go's encoder keeps
(`strategy: {}`, `resources: {}`, `status: {}`) are kept as empty dicts.
"""

from __future__ import annotations

import base64
import json
import os
import random

from kctl.errors import KctlError


def _meta(name: str, namespace: str | None, labels: dict | None = None) -> dict:
    # ObjectMeta field order: name, generateName, namespace, ..., labels, annotations
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    return meta


def _head(kind: str, api_version: str, meta: dict) -> dict:
    return {"kind": kind, "apiVersion": api_version, "metadata": meta}


def _sanitize_and_uniquify(name: str) -> str:
    # kubectl: names with "_" or "." become DNS-safe plus a random 5-char suffix
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-")
        alphabet = "bcdfghjklmnpqrstvwxz2456789"
        name = f"{name}-{''.join(random.choice(alphabet) for _ in range(5))}"
    return name


def container_name_for(image: str) -> str:
    """kubectl create deployment's container name: the image's last path part, no tag/digest."""
    name = image.split("/")[-1]
    name = name.split(":")[0]
    name = name.split("@")[0]
    return _sanitize_and_uniquify(name)


# ---------------------------------------------------------------- workloads
def deployment(name: str, *, images: list[str], replicas: int = 1, port: int = -1,
               command: list[str] | None = None, namespace: str | None = None) -> dict:
    """`kubectl create deployment NAME --image=... [--replicas] [--port] [-- COMMAND]`."""
    if not images:
        raise KctlError('required flag(s) "image" not set')
    if len(images) > 1 and command:
        raise KctlError("cannot specify multiple --image options and command")
    labels = {"app": name}
    containers = [{"name": container_name_for(img), "image": img} for img in images]
    if command:
        containers[0]["command"] = list(command)
    if port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    for c in containers:
        c["resources"] = {}
    obj = _head("Deployment", "apps/v1", _meta(name, namespace, dict(labels)))
    obj["spec"] = {
        "replicas": replicas,
        "selector": {"matchLabels": dict(labels)},
        "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": containers}},
        "strategy": {},
    }
    obj["status"] = {}
    return obj


def _job_pod_template(name: str, image: str, command: list[str] | None, restart: str) -> dict:
    container: dict = {"name": name, "image": image}
    if command:
        container["command"] = list(command)
    container["resources"] = {}
    return {"metadata": {}, "spec": {"containers": [container], "restartPolicy": restart}}


def job(name: str, *, image: str | None, command: list[str] | None = None,
        namespace: str | None = None) -> dict:
    """`kubectl create job NAME --image=... [-- COMMAND]` (--from is not supported)."""
    if not image:
        raise KctlError("either --image or --from must be specified")
    obj = _head("Job", "batch/v1", _meta(name, namespace))
    obj["spec"] = {"template": _job_pod_template(name, image, command, "Never")}
    obj["status"] = {}
    return obj


def cronjob(name: str, *, image: str | None, schedule: str | None, restart: str | None = None,
            command: list[str] | None = None, namespace: str | None = None) -> dict:
    """`kubectl create cronjob NAME --image=... --schedule=... [--restart] [-- COMMAND]`."""
    if not image:
        raise KctlError('required flag(s) "image", "schedule" not set' if not schedule
                        else 'required flag(s) "image" not set')
    if not schedule:
        raise KctlError('required flag(s) "schedule" not set')
    restart = restart or "OnFailure"
    if restart not in ("OnFailure", "Never"):
        raise KctlError(f"invalid restart policy: {restart}")
    obj = _head("CronJob", "batch/v1", _meta(name, namespace))
    obj["spec"] = {
        "schedule": schedule,
        "jobTemplate": {"metadata": {"name": name},
                        "spec": {"template": _job_pod_template(name, image, command, restart)}},
    }
    obj["status"] = {}
    return obj


# ---------------------------------------------------------------- services
SERVICE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                 "externalname": "ExternalName"}


def _parse_port(spec: str) -> tuple[int, int | str]:
    port_s, sep, target_s = spec.partition(":")
    try:
        port = int(port_s)
    except ValueError:
        raise KctlError(f'strconv.Atoi: parsing "{port_s}": invalid syntax') from None
    if not sep:
        return port, port
    try:
        return port, int(target_s)
    except ValueError:
        return port, target_s


def service(kind: str, name: str, *, tcp: list[str], cluster_ip: str = "", node_port: int = 0,
            external_name: str = "", namespace: str | None = None) -> dict:
    """`kubectl create service clusterip|nodeport|loadbalancer|externalname NAME ...`."""
    svc_type = SERVICE_TYPES[kind]
    if svc_type == "ExternalName":
        if not external_name:
            raise KctlError('required flag(s) "external-name" not set')
    elif not tcp and not (svc_type == "ClusterIP" and cluster_ip == "None"):
        raise KctlError("at least one tcp port specifier must be provided")
    ports = []
    for spec in tcp if svc_type != "ExternalName" else []:
        port, target = _parse_port(spec)
        p: dict = {"name": spec.replace(":", "-"), "protocol": "TCP", "port": port, "targetPort": target}
        if node_port:
            p["nodePort"] = node_port
        ports.append(p)
    labels = {"app": name}
    spec: dict = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = dict(labels)
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    spec["type"] = svc_type
    if external_name:
        spec["externalName"] = external_name
    obj = _head("Service", "v1", _meta(name, namespace, dict(labels)))
    obj["spec"] = spec
    obj["status"] = {"loadBalancer": {}}
    return obj


# ---------------------------------------------------------------- configmaps and secrets
def _literal(source: str) -> tuple[str, str]:
    key, sep, value = source.partition("=")
    if not sep or not key:
        raise KctlError(f"invalid literal source {source}, expected key=value")
    return key, value


def _file_sources(source: str) -> list[tuple[str, bytes]]:
    key, sep, path = source.partition("=")
    if not sep:
        key, path = "", source
    elif not key:
        raise KctlError(f"key name for file path {path} missing")
    if os.path.isdir(path):
        if key:
            raise KctlError("cannot give a key name for a directory path")
        out = []
        for entry in sorted(os.listdir(path)):
            full = os.path.join(path, entry)
            if os.path.isfile(full):
                with open(full, "rb") as fh:
                    out.append((entry, fh.read()))
        return out
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        raise KctlError(f"error reading {path}: no such file or directory") from None
    return [(key or os.path.basename(path), data)]


def _env_file(path: str) -> list[tuple[str, str]]:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError:
        raise KctlError(f"open {path}: no such file or directory") from None
    out = []
    for line in lines:
        line = line.lstrip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            value = os.environ.get(key, "")
        out.append((key, value))
    return out


def _collect(literals, files, env_files, what: str, name: str) -> list[tuple[str, bytes]]:
    pairs: list[tuple[str, bytes]] = []
    for f in files:
        pairs.extend(_file_sources(f))
    for lit in literals:
        k, v = _literal(lit)
        pairs.append((k, v.encode()))
    for e in env_files:
        pairs.extend((k, v.encode()) for k, v in _env_file(e))
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise KctlError(f'cannot add key {k}, another key by that name already exists in '
                            f'{"Data" if what == "ConfigMap" else "data"} for {what} "{name}"')
        seen.add(k)
    return pairs


def configmap(name: str, *, literals=(), files=(), env_files=(), namespace: str | None = None) -> dict:
    """`kubectl create configmap NAME [--from-literal k=v] [--from-file [k=]path] [--from-env-file]`."""
    data: dict = {}
    binary: dict = {}
    for k, v in _collect(literals, files, env_files, "ConfigMap", name):
        try:
            data[k] = v.decode("utf-8")
        except UnicodeDecodeError:
            binary[k] = base64.b64encode(v).decode()
    obj = _head("ConfigMap", "v1", _meta(name, namespace))
    if data:
        obj["data"] = dict(sorted(data.items()))
    if binary:
        obj["binaryData"] = dict(sorted(binary.items()))
    return obj


def _secret(name: str, namespace: str | None, data: dict, type_: str | None) -> dict:
    obj = _head("Secret", "v1", _meta(name, namespace))
    if data:
        obj["data"] = {k: base64.b64encode(v).decode() for k, v in sorted(data.items())}
    if type_:
        obj["type"] = type_
    return obj


def secret_generic(name: str, *, literals=(), files=(), env_files=(), type_: str | None = None,
                   namespace: str | None = None) -> dict:
    """`kubectl create secret generic NAME [--from-literal] [--from-file] [--type]`."""
    return _secret(name, namespace, dict(_collect(literals, files, env_files, "Secret", name)), type_)


def secret_docker_registry(name: str, *, server: str, username: str | None, password: str | None,
                           email: str = "", namespace: str | None = None) -> dict:
    """`kubectl create secret docker-registry NAME --docker-username --docker-password ...`."""
    missing = [f for f, v in (("docker-password", password), ("docker-username", username)) if not v]
    if missing:
        raise KctlError("required flag(s) " + ", ".join(f'"{m}"' for m in missing) + " not set")
    entry = {"username": username, "password": password}
    if email:
        entry["email"] = email
    entry["auth"] = base64.b64encode(f"{username}:{password}".encode()).decode()
    config = json.dumps({"auths": {server: entry}}, separators=(",", ":"), ensure_ascii=False)
    return _secret(name, namespace, {".dockerconfigjson": config.encode()}, "kubernetes.io/dockerconfigjson")


def secret_tls(name: str, *, cert: str | None, key: str | None, namespace: str | None = None) -> dict:
    """`kubectl create secret tls NAME --cert=path --key=path` (the key pair is not checked)."""
    if not cert or not key:
        raise KctlError("key and cert must be specified")
    data = {}
    for k, path in (("tls.crt", cert), ("tls.key", key)):
        try:
            with open(path, "rb") as fh:
                data[k] = fh.read()
        except OSError:
            raise KctlError(f"open {path}: no such file or directory") from None
    return _secret(name, namespace, data, "kubernetes.io/tls")


# ---------------------------------------------------------------- cluster objects
def namespace_obj(name: str) -> dict:
    """`kubectl create namespace NAME`."""
    obj = _head("Namespace", "v1", _meta(name, None))
    obj["spec"] = {}
    obj["status"] = {}
    return obj


def serviceaccount(name: str, *, namespace: str | None = None) -> dict:
    """`kubectl create serviceaccount NAME`."""
    return _head("ServiceAccount", "v1", _meta(name, namespace))


def priorityclass(name: str, *, value: int = 0, global_default: bool = False, description: str = "",
                  preemption_policy: str = "PreemptLowerPriority") -> dict:
    """`kubectl create priorityclass NAME --value=N [--global-default] [--description]`."""
    obj = _head("PriorityClass", "scheduling.k8s.io/v1", _meta(name, None))
    obj["value"] = value
    if global_default:
        obj["globalDefault"] = True
    if description:
        obj["description"] = description
    obj["preemptionPolicy"] = preemption_policy
    return obj



# ---------------------------------------------------------------- RBAC bindings
_RBAC = "rbac.authorization.k8s.io"


def _subjects(users, groups, service_accounts) -> list[dict]:
    out = [{"kind": "User", "apiGroup": _RBAC, "name": u} for u in users]
    out += [{"kind": "Group", "apiGroup": _RBAC, "name": g} for g in groups]
    for sa in service_accounts:
        ns, sep, name = sa.partition(":")
        if not sep or not ns or not name or ":" in name:
            raise KctlError("serviceaccount must be <namespace>:<name>")
        out.append({"kind": "ServiceAccount", "name": name, "namespace": ns})
    return out


def rolebinding(name: str, *, role: str = "", clusterrole: str = "", users=(), groups=(), service_accounts=(),
                namespace: str | None = None) -> dict:
    """`kubectl create rolebinding NAME --role=R|--clusterrole=CR [--user] [--group] [--serviceaccount ns:n]`."""
    if bool(role) == bool(clusterrole):
        raise KctlError("exactly one of clusterrole or role must be specified")
    subjects = _subjects(users, groups, service_accounts)
    obj = _head("RoleBinding", f"{_RBAC}/v1", _meta(name, namespace))
    if subjects:
        obj["subjects"] = subjects
    obj["roleRef"] = {"apiGroup": _RBAC, "kind": "Role" if role else "ClusterRole", "name": role or clusterrole}
    return obj


def clusterrolebinding(name: str, *, clusterrole: str = "", users=(), groups=(), service_accounts=()) -> dict:
    """`kubectl create clusterrolebinding NAME --clusterrole=CR [--user] [--group] [--serviceaccount ns:n]`."""
    if not clusterrole:
        raise KctlError('required flag(s) "clusterrole" not set')
    subjects = _subjects(users, groups, service_accounts)
    obj = _head("ClusterRoleBinding", f"{_RBAC}/v1", _meta(name, None))
    if subjects:
        obj["subjects"] = subjects
    obj["roleRef"] = {"apiGroup": _RBAC, "kind": "ClusterRole", "name": clusterrole}
    return obj
