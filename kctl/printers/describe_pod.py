"""Pods and pod templates for `kctl describe`: containers (ports, state, probes, env, mounts),
volumes, and the Pod describer itself (kubectl 1.37's describePod / DescribePodTemplate).
"""

from __future__ import annotations

from fractions import Fraction

from kctl.printers.describe_common import (
    MAX_ANNOTATION_LEN,
    _Ctx,
    _b,
    _controller_of,
    _describe_events,
    _describe_resources,
    _format_selector,
    _join_host_port,
    _meta,
    _pod_qos,
    _print_annotations_multiline,
    _print_controller,
    _print_labels_multiline,
    _print_pvc,
    _print_tolerations_multiline,
    _selector_matches,
    _spec,
    _status,
    _vol,
)
from kctl.printers.describe_fmt import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    NestedPrefixWriter,
    qty,
    qty_str,
)


def _port_str(port) -> str:
    return "" if port is None else str(port)


def _describe_probe(p: dict) -> str:
    attrs = (
        f"delay={int(p.get('initialDelaySeconds') or 0)}s timeout={int(p.get('timeoutSeconds') or 0)}s "
        f"period={int(p.get('periodSeconds') or 0)}s successThreshold={int(p.get('successThreshold') or 0)} "
        f"failureThreshold={int(p.get('failureThreshold') or 0)}"
    )
    if p.get("exec") is not None:
        return f"exec [{' '.join(p['exec'].get('command') or [])}] {attrs}"
    if p.get("httpGet") is not None:
        h = p["httpGet"]
        scheme = (h.get("scheme") or "").lower()
        port = _port_str(h.get("port"))
        host = _join_host_port(h.get("host") or "", port) if port else (h.get("host") or "")
        url = (f"{scheme}://" if scheme else "//") + host + (h.get("path") or "")
        return f"http-get {url} {attrs}"
    if p.get("tcpSocket") is not None:
        t = p["tcpSocket"]
        return f"tcp-socket {t.get('host') or ''}:{_port_str(t.get('port'))} {attrs}"
    if p.get("grpc") is not None:
        g = p["grpc"]
        return f"grpc <pod>:{int(g.get('port') or 0)} {g.get('service') or ''} {attrs}"
    return f"unknown {attrs}"


def _ports_string(ports: list, host: bool) -> str:
    out = []
    for p in ports or []:
        n = p.get("hostPort" if host else "containerPort") or 0
        s = f"{n}/{p.get('protocol', '')}"
        if p.get("name"):
            s += f" ({p['name']})"
        out.append(s)
    return ", ".join(out)


def _describe_status(w, name: str, state: dict | None, ctx: _Ctx):
    state = state or {}
    if state.get("running") is not None:
        w.write(LEVEL_2, f"{name}:\tRunning\n")
        w.write(LEVEL_3, f"Started:\t{ctx.time(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(LEVEL_3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        t = state["terminated"]
        w.write(LEVEL_2, f"{name}:\tTerminated\n")
        if t.get("reason"):
            w.write(LEVEL_3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(LEVEL_3, f"Message:\t{t['message']}\n")
        w.write(LEVEL_3, f"Exit Code:\t{int(t.get('exitCode') or 0)}\n")
        if int(t.get("signal") or 0) > 0:
            w.write(LEVEL_3, f"Signal:\t{int(t['signal'])}\n")
        w.write(LEVEL_3, f"Started:\t{ctx.time(t.get('startedAt'))}\n")
        w.write(LEVEL_3, f"Finished:\t{ctx.time(t.get('finishedAt'))}\n")
    else:
        w.write(LEVEL_2, f"{name}:\tWaiting\n")


def _field_value(pod: dict | None, path: str) -> str:
    """The downward-API value of a fieldRef (the common paths)."""
    if pod is None:
        return ""
    m = _meta(pod)
    if path.startswith("metadata.labels['") or path.startswith("metadata.annotations['"):
        src = m.get("labels" if "labels" in path else "annotations") or {}
        key = path.split("['", 1)[1].rstrip("']")
        return str(src.get(key, ""))
    # kubectl resolves only metadata paths (fieldpath.ExtractFieldPathAsString); spec.* and
    # status.* (podIP, nodeName, ...) print an empty value before "(v1:status.podIP)"
    simple = {
        "metadata.name": m.get("name"),
        "metadata.namespace": m.get("namespace"),
        "metadata.uid": m.get("uid"),
    }
    if path == "metadata.labels":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((m.get("labels") or {}).items()))
    if path == "metadata.annotations":
        return "\n".join(f'{k}="{v}"' for k, v in sorted((m.get("annotations") or {}).items()))
    return str(simple.get(path) or "")


def _resource_field_value(ref: dict, container: dict) -> str:
    """kubectl's ExtractContainerResourceValue (divisor applied, rounded up)."""
    res = ref.get("resource", "")
    kind, _, name = res.partition(".")
    rl = (container.get("resources") or {}).get(kind) or {}
    if name not in rl:
        return "0"
    value = Fraction(qty(rl[name]).value)
    divisor = Fraction(qty(ref.get("divisor") or "1").value) or Fraction(1)
    if name == "cpu" and not ref.get("divisor"):
        divisor = Fraction(1)
    n = value / divisor
    return str(-((-n.numerator) // n.denominator))


def _describe_env(w, container: dict, pod: dict | None):
    env = container.get("env") or []
    w.write(LEVEL_2, "Environment:" + ("\t<none>" if not env else "") + "\n")
    for e in env:
        vf = e.get("valueFrom")
        name = e.get("name", "")
        if vf is None:
            for i, s in enumerate(str(e.get("value", "")).split("\n")):
                if i == 0:
                    w.write(LEVEL_3, f"{name}:\t{s}\n")
                else:
                    w.write(LEVEL_3, f"\t{s}\n")
            continue
        if vf.get("fieldRef") is not None:
            fr = vf["fieldRef"]
            value = _field_value(pod, fr.get("fieldPath", "")) if pod is not None else ""
            w.write(LEVEL_3, f"{name}:\t{value} ({fr.get('apiVersion', '')}:{fr.get('fieldPath', '')})\n")
        elif vf.get("resourceFieldRef") is not None:
            rf = vf["resourceFieldRef"]
            value = _resource_field_value(rf, container)
            res = rf.get("resource", "")
            if value == "0" and res in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(LEVEL_3, f"{name}:\t{value} ({res})\n")
        elif vf.get("secretKeyRef") is not None:
            r = vf["secretKeyRef"]
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{r.get('key', '')}' in secret '{r.get('name', '')}'>\t"
                f"Optional: {_b(r.get('optional'))}\n",
            )
        elif vf.get("configMapKeyRef") is not None:
            r = vf["configMapKeyRef"]
            w.write(
                LEVEL_3,
                f"{name}:\t<set to the key '{r.get('key', '')}' of config map '{r.get('name', '')}'>\t"
                f"Optional: {_b(r.get('optional'))}\n",
            )


def _describe_env_from(w, container: dict):
    env_from = container.get("envFrom") or []
    w.write(LEVEL_2, "Environment Variables from:" + ("\t<none>" if not env_from else "") + "\n")
    for e in env_from:
        frm, name, optional = "", "", False
        if e.get("configMapRef") is not None:
            frm, name, optional = "ConfigMap", e["configMapRef"].get("name", ""), e["configMapRef"].get("optional")
        elif e.get("secretRef") is not None:
            frm, name, optional = "Secret", e["secretRef"].get("name", ""), e["secretRef"].get("optional")
        if e.get("prefix"):
            w.write(LEVEL_3, f"{name}\t{frm} with prefix '{e['prefix']}'\tOptional: {_b(optional)}\n")
        else:
            w.write(LEVEL_3, f"{name}\t{frm}\tOptional: {_b(optional)}\n")


def _describe_mounts(w, container: dict):
    mounts = container.get("volumeMounts") or []
    none = "\t<none>" if not mounts else ""
    w.write(LEVEL_2, f"Mounts:{none}\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(LEVEL_3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(LEVEL_2, f"Devices:{none}\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(LEVEL_3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def _describe_containers(ctx, w, label: str, containers: list, statuses: list | None, pod: dict | None, space: str):
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(LEVEL_0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    name_indent = " " if space else ""
    for c in containers:
        st = by_name.get(c.get("name"))
        w.write(LEVEL_1, f"{name_indent}{c.get('name', '')}:\n")
        if st is not None:
            w.write(LEVEL_2, f"Container ID:\t{st.get('containerID', '')}\n")
        w.write(LEVEL_2, f"Image:\t{c.get('image', '')}\n")
        if st is not None:
            w.write(LEVEL_2, f"Image ID:\t{st.get('imageID', '')}\n")
        ps = _ports_string(c.get("ports"), False)
        if "," in ps:
            w.write(LEVEL_2, f"Ports:\t{ps}\n")
        else:
            w.write(LEVEL_2, f"Port:\t{ps or '<none>'}\n")
        hps = _ports_string(c.get("ports"), True)
        if "," in hps:
            w.write(LEVEL_2, f"Host Ports:\t{hps}\n")
        else:
            w.write(LEVEL_2, f"Host Port:\t{hps or '<none>'}\n")
        seccomp = (c.get("securityContext") or {}).get("seccompProfile")
        if seccomp:
            w.write(LEVEL_2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
            if seccomp.get("type") == "Localhost":
                w.write(LEVEL_3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(LEVEL_2, f"{title}:\n")
                for item in c[key]:
                    for s in str(item).split("\n"):
                        w.write(LEVEL_3, f"{s}\n")
        if st is not None:
            _describe_status(w, "State", st.get("state"), ctx)
            last = st.get("lastState") or {}
            if last.get("terminated") is not None:
                _describe_status(w, "Last State", last, ctx)
            w.write(LEVEL_2, f"Ready:\t{'True' if st.get('ready') else 'False'}\n")
            w.write(LEVEL_2, f"Restart Count:\t{int(st.get('restartCount') or 0)}\n")
        _describe_resources(w, c.get("resources") or {}, LEVEL_2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
            if c.get(key) is not None:
                w.write(LEVEL_2, f"{title}:\t{_describe_probe(c[key])}\n")
        if c.get("envFrom"):
            _describe_env_from(w, c)
        _describe_env(w, c, pod)
        _describe_mounts(w, c)


def _describe_volumes(ctx, w, volumes: list | None, space: str):
    if not volumes:
        w.write(LEVEL_0, f"{space}Volumes:\t<none>\n")
        return
    w.write(LEVEL_0, f"{space}Volumes:\n")
    name_indent = " " if space else ""
    for v in volumes:
        w.write(LEVEL_1, f"{name_indent}{v.get('name', '')}:\n")
        if v.get("hostPath") is not None:
            h = v["hostPath"]
            _vol(w, "HostPath (bare host directory volume)", ("Path", h.get("path", "")),
                 ("HostPathType", h.get("type") if h.get("type") is not None else "<none>"))
        elif v.get("emptyDir") is not None:
            e = v["emptyDir"]
            limit = e.get("sizeLimit")
            limit_s = qty_str(limit) if limit is not None and qty(limit).sign() > 0 else "<unset>"
            _vol(w, "EmptyDir (a temporary directory that shares a pod's lifetime)",
                 ("Medium", e.get("medium", "")), ("SizeLimit", limit_s))
        elif v.get("secret") is not None:
            s = v["secret"]
            _vol(w, "Secret (a volume populated by a Secret)", ("SecretName", s.get("secretName", "")),
                 ("Optional", _b(s.get("optional"))))
        elif v.get("configMap") is not None:
            c = v["configMap"]
            _vol(w, "ConfigMap (a volume populated by a ConfigMap)", ("Name", c.get("name", "")),
                 ("Optional", _b(c.get("optional"))))
        elif v.get("nfs") is not None:
            n = v["nfs"]
            _vol(w, "NFS (an NFS mount that lasts the lifetime of a pod)", ("Server", n.get("server", "")),
                 ("Path", n.get("path", "")), ("ReadOnly", _b(n.get("readOnly"))))
        elif v.get("persistentVolumeClaim") is not None:
            p = v["persistentVolumeClaim"]
            _vol(w, "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                 ("ClaimName", p.get("claimName", "")), ("ReadOnly", _b(p.get("readOnly"))))
        elif v.get("ephemeral") is not None:
            w.write(LEVEL_2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created "
                             "and deleted with the pod)\n")
            tmpl = v["ephemeral"].get("volumeClaimTemplate")
            if tmpl is not None:
                _print_pvc(ctx, NestedPrefixWriter(w, LEVEL_2), {"metadata": tmpl.get("metadata") or {},
                                                                  "spec": tmpl.get("spec") or {}}, False)
        elif v.get("downwardAPI") is not None:
            w.write(LEVEL_2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in v["downwardAPI"].get("items") or []:
                if item.get("fieldRef"):
                    w.write(LEVEL_3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
                if item.get("resourceFieldRef"):
                    w.write(LEVEL_3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")
        elif v.get("projected") is not None:
            w.write(LEVEL_2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for src in v["projected"].get("sources") or []:
                if src.get("secret") is not None:
                    w.write(LEVEL_2, f"SecretName:\t{src['secret'].get('name', '')}\n"
                                     f"    Optional:\t{_b(src['secret'].get('optional'))}\n")
                elif src.get("downwardAPI") is not None:
                    w.write(LEVEL_2, "DownwardAPI:\ttrue\n")
                elif src.get("configMap") is not None:
                    w.write(LEVEL_2, f"ConfigMapName:\t{src['configMap'].get('name', '')}\n"
                                     f"    Optional:\t{_b(src['configMap'].get('optional'))}\n")
                elif src.get("serviceAccountToken") is not None:
                    w.write(LEVEL_2, f"TokenExpirationSeconds:\t"
                                     f"{int(src['serviceAccountToken'].get('expirationSeconds') or 0)}\n")
        elif v.get("csi") is not None:
            c = v["csi"]
            fields = [("Driver", c.get("driver", "")), ("FSType", c.get("fsType", "")),
                      ("ReadOnly", _b(c.get("readOnly")))]
            w.write(LEVEL_2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
                    + "".join(f"    {k}:\t{val}\n" for k, val in fields))
            attrs = c.get("volumeAttributes") or {}
            w.write(LEVEL_2, "VolumeAttributes:\t")
            if not attrs:
                w.write_line("<none>")
            # kubectl prefixes every piece it writes here, hence the odd indentation it prints
            for i, key in enumerate(sorted(attrs)):
                if i:
                    w.write(LEVEL_2, "")
                    w.write(LEVEL_2, "\t")
                line = f"{key}={attrs[key]}"
                w.write(LEVEL_2, ((line[:MAX_ANNOTATION_LEN] + "...") if len(line) > MAX_ANNOTATION_LEN else line) + "\n")
        elif v.get("image") is not None:
            i = v["image"]
            _vol(w, "Image (a container image or OCI artifact)", ("Reference", i.get("reference", "")),
                 ("PullPolicy", i.get("pullPolicy", "")))
        elif v.get("gitRepo") is not None:
            g = v["gitRepo"]
            _vol(w, "GitRepo (a volume that is pulled from git when the pod is created)",
                 ("Repository", g.get("repository", "")), ("Revision", g.get("revision", "")))
        else:
            w.write(LEVEL_1, "<unknown>\n")


def _describe_topology_spread(w, tscs: list | None, space: str):
    if not tscs:
        return
    tscs = sorted(tscs, key=lambda t: t.get("topologyKey", ""))
    w.write(LEVEL_0, f"{space}Topology Spread Constraints:\t")
    for i, t in enumerate(tscs):
        if i:
            w.write(LEVEL_0, space)
            w.write(LEVEL_0, "\t")
        s = f"{t.get('topologyKey', '')}:{t.get('whenUnsatisfiable', '')} when max skew {int(t.get('maxSkew') or 0)} is exceeded"
        if t.get("labelSelector") is not None:
            s += f" for selector {_format_selector(t['labelSelector'])}"
        w.write(LEVEL_0, s + "\n")


def _describe_pod_template(ctx, w, template: dict | None):
    w.write(LEVEL_0, "Pod Template:\n")
    if template is None:
        w.write(LEVEL_1, "<unset>")
        return
    meta = template.get("metadata") or {}
    spec = template.get("spec") or {}
    _print_labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        _print_annotations_multiline(w, "  Annotations", meta.get("annotations"))
    if spec.get("serviceAccountName"):
        w.write(LEVEL_1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        _describe_containers(ctx, w, "Init Containers", spec["initContainers"], None, None, "  ")
    _describe_containers(ctx, w, "Containers", spec.get("containers") or [], None, None, "  ")
    _describe_volumes(ctx, w, spec.get("volumes"), "  ")
    _describe_topology_spread(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(LEVEL_1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    _print_labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))


def _pod_status_counts(ctx, obj: dict) -> tuple[int, int, int, int]:
    """Pods matching the selector and controlled by `obj`, by phase (kubectl's
    getPodStatusForController): running, waiting (Pending), succeeded, failed."""
    meta = _meta(obj)
    sel = _spec(obj).get("selector")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for p in ctx.list("pods", meta.get("namespace")):
        if not _selector_matches(sel, _meta(p).get("labels")):
            continue
        ref = _controller_of(p)
        if ref is None or ref.get("uid") != meta.get("uid"):
            continue
        phase = _status(p).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _describe_pod(ctx, w, pod, events):
    meta, spec, status = _meta(pod), _spec(pod), _status(pod)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(LEVEL_0, f"Priority:\t{int(spec['priority'])}\n")
    if spec.get("priorityClassName"):
        w.write(LEVEL_0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(LEVEL_0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(LEVEL_0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(LEVEL_0, "Node:\t<none>\n")
    else:
        w.write(LEVEL_0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(LEVEL_0, f"Start Time:\t{ctx.time(status['startTime'])}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(LEVEL_0, f"Status:\tTerminating (lasts {ctx.since(meta['deletionTimestamp'])})\n")
        w.write(LEVEL_0, f"Termination Grace Period:\t{int(meta.get('deletionGracePeriodSeconds') or 0)}s\n")
    else:
        w.write(LEVEL_0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(LEVEL_0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(LEVEL_0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(LEVEL_0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(LEVEL_0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(LEVEL_0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(LEVEL_0, "IPs:\t<none>\n")
    else:
        w.write(LEVEL_0, "IPs:\n")
        for ip in ips:
            w.write(LEVEL_1, f"IP:\t{ip.get('ip', '')}\n")
    controlled_by = _print_controller(pod)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(LEVEL_0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(LEVEL_0, "Resources:\n")
        _describe_resources(w, spec["resources"], LEVEL_1)
    if spec.get("initContainers"):
        _describe_containers(ctx, w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses"), pod, "")
    _describe_containers(ctx, w, "Containers", spec.get("containers") or [], status.get("containerStatuses"), pod, "")
    if spec.get("ephemeralContainers"):
        _describe_containers(ctx, w, "Ephemeral Containers", spec["ephemeralContainers"],
                             status.get("ephemeralContainerStatuses"), pod, "")
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(LEVEL_0, "Readiness Gates:\n  Type\tStatus\n")
        for g in spec["readinessGates"]:
            st = next((c.get("status") for c in conditions if c.get("type") == g.get("conditionType")), "<none>")
            w.write(LEVEL_1, f"{g.get('conditionType', '')} \t{st} \n")
    if conditions:
        w.write(LEVEL_0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    _describe_volumes(ctx, w, spec.get("volumes"), "")
    w.write(LEVEL_0, f"QoS Class:\t{_pod_qos(pod)}\n")
    _print_labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    _print_tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _describe_topology_spread(w, spec.get("topologySpreadConstraints"), "")
    _describe_events(ctx, w, events)
