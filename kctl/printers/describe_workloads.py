"""Workload describers for `kctl describe`: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
CronJob and ReplicationController (kubectl 1.37 layout).
"""

from __future__ import annotations

from datetime import datetime, timezone

from kctl.printers.describe_common import (
    _b,
    _conditions_type_status_reason,
    _controller_of,
    _describe_events,
    _format_labels,
    _format_selector,
    _intstr,
    _meta,
    _print_annotations_multiline,
    _print_controller,
    _print_labels_multiline,
    _pvc_class,
    _selector_matches,
    _selector_string,
    _spec,
    _status,
)
from kctl.printers.describe_fmt import (
    LEVEL_0,
    LEVEL_1,
    LEVEL_2,
    LEVEL_3,
    human_duration,
    parse_time,
    qty_str,
)
from kctl.printers.describe_pod import (
    _describe_pod_template,
    _pod_status_counts,
)


def _template_equal_ignore_hash(a: dict, b: dict) -> bool:
    def strip(t):
        t = dict(t or {})
        m = dict(t.get("metadata") or {})
        labels = dict(m.get("labels") or {})
        labels.pop("pod-template-hash", None)
        m["labels"] = labels
        for k in ("creationTimestamp",):
            m.pop(k, None)
        t["metadata"] = m
        return t

    return strip(a) == strip(b)


def _deployment_replicasets(ctx, d: dict) -> tuple[list[dict], list[dict]]:
    """(all old ReplicaSets, [new ReplicaSet]) as deploymentutil.GetAllReplicaSetsInChunks."""
    meta = _meta(d)
    sel = _spec(d).get("selector")
    owned = []
    for rs in ctx.list("replicasets.apps", meta.get("namespace")):
        ref = _controller_of(rs)
        if ref is None or ref.get("uid") != meta.get("uid"):
            continue
        if not _selector_matches(sel, _meta(rs).get("labels")):
            continue
        owned.append(rs)
    epoch = datetime(1, 1, 1, tzinfo=timezone.utc)
    by_age = sorted(owned, key=lambda r: (parse_time(_meta(r).get("creationTimestamp")) or epoch, _meta(r).get("name", "")))
    new = next((r for r in by_age if _template_equal_ignore_hash(_spec(r).get("template"), _spec(d).get("template"))), None)
    old = [r for r in owned if r is not new]
    return old, [new] if new is not None else []


def _rs_list_str(rss: list[dict]) -> str:
    s = ", ".join(
        f"{_meta(r).get('name', '')} ({int(_status(r).get('replicas') or 0)}/{int(_spec(r).get('replicas') or 0)} replicas created)"
        for r in rss
    )
    return s or "<none>"


def _describe_deployment(ctx, w, d, events):
    meta, spec, status = _meta(d), _spec(d), _status(d)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    w.write(
        LEVEL_0,
        f"Replicas:\t{int(spec.get('replicas') or 0)} desired | {int(status.get('updatedReplicas') or 0)} updated | "
        f"{int(status.get('replicas') or 0)} total | {int(status.get('availableReplicas') or 0)} available | "
        f"{int(status.get('unavailableReplicas') or 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(LEVEL_0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(LEVEL_0, f"MinReadySeconds:\t{int(spec.get('minReadySeconds') or 0)}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None:
        w.write(LEVEL_0, f"RollingUpdateStrategy:\t{_intstr(ru.get('maxUnavailable'))} max unavailable, "
                         f"{_intstr(ru.get('maxSurge'))} max surge\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    _conditions_type_status_reason(w, status.get("conditions"))
    old, new = _deployment_replicasets(ctx, d)
    if old or new:
        w.write(LEVEL_0, f"OldReplicaSets:\t{_rs_list_str(old)}\n")
        w.write(LEVEL_0, f"NewReplicaSet:\t{_rs_list_str(new)}\n")
    _describe_events(ctx, w, events)


def _describe_replicaset(ctx, w, rs, events):
    meta, spec, status = _meta(rs), _spec(rs), _status(rs)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_format_selector(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    controlled_by = _print_controller(rs)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    w.write(LEVEL_0, f"Replicas:\t{int(status.get('replicas') or 0)} current / {int(spec.get('replicas') or 0)} desired\n")
    running, waiting, succeeded, failed = _pod_status_counts(ctx, rs)
    w.write(LEVEL_0, "Pods Status:\t")
    w.write(LEVEL_0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    _conditions_type_status_reason(w, status.get("conditions"))
    _describe_events(ctx, w, events)


def _describe_statefulset(ctx, w, ss, events):
    meta, spec, status = _meta(ss), _spec(ss), _status(ss)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    if spec.get("serviceName"):
        w.write(LEVEL_0, f"Service Name:\t{spec['serviceName']}\n")
    if spec.get("podManagementPolicy"):
        w.write(LEVEL_0, f"Pod Management Policy:\t{spec['podManagementPolicy']}\n")
    w.write(LEVEL_0, f"Replicas:\t{int(spec.get('replicas') or 0)} desired | {int(status.get('replicas') or 0)} total\n")
    us = spec.get("updateStrategy") or {}
    w.write(LEVEL_0, f"Update Strategy:\t{us.get('type', '')}\n")
    ru = us.get("rollingUpdate")
    if ru is not None and ru.get("partition") is not None:
        w.write(LEVEL_1, f"Partition:\t{int(ru['partition'])}\n")
        if ru.get("maxUnavailable") is not None:
            w.write(LEVEL_1, f"MaxUnavailable:\t{ru['maxUnavailable']}\n")
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is not None:
        w.write(LEVEL_0, "Persistent Volume Claim Retention Policy:\n")
        w.write(LEVEL_1, f"WhenDeleted:\t{policy.get('whenDeleted', '')}\n")
        w.write(LEVEL_1, f"WhenScaled:\t{policy.get('whenScaled', '')}\n")
    running, waiting, succeeded, failed = _pod_status_counts(ctx, ss)
    w.write(LEVEL_0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    templates = spec.get("volumeClaimTemplates") or []
    if not templates:
        w.write(LEVEL_0, "Volume Claims:\t<none>\n")
    else:
        w.write(LEVEL_0, "Volume Claims:\n")
        for pvc in templates:
            pm, ps = _meta(pvc), _spec(pvc)
            w.write(LEVEL_1, f"Name:\t{pm.get('name', '')}\n")
            w.write(LEVEL_1, f"StorageClass:\t{_pvc_class(pvc)}\n")
            _print_labels_multiline(w, "Labels", pm.get("labels"), initial_indent="  ", inner_indent="\t")
            _print_labels_multiline(w, "Annotations", pm.get("annotations"), initial_indent="  ", inner_indent="\t")
            storage = ((ps.get("resources") or {}).get("requests") or {}).get("storage")
            w.write(LEVEL_1, f"Capacity:\t{qty_str(storage) if storage is not None else '<default>'}\n")
            w.write(LEVEL_1, f"Access Modes:\t[{' '.join(ps.get('accessModes') or [])}]\n")
    _describe_events(ctx, w, events)


def _describe_daemonset(ctx, w, ds, events):
    meta, spec, status = _meta(ds), _spec(ds), _status(ds)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    node_sel = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(LEVEL_0, f"Node-Selector:\t{_format_labels(node_sel)}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Desired Number of Nodes Scheduled: {int(status.get('desiredNumberScheduled') or 0)}\n")
    w.write(LEVEL_0, f"Current Number of Nodes Scheduled: {int(status.get('currentNumberScheduled') or 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Scheduled with Up-to-date Pods: {int(status.get('updatedNumberScheduled') or 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Scheduled with Available Pods: {int(status.get('numberAvailable') or 0)}\n")
    w.write(LEVEL_0, f"Number of Nodes Misscheduled: {int(status.get('numberMisscheduled') or 0)}\n")
    running, waiting, succeeded, failed = _pod_status_counts(ctx, ds)
    w.write(LEVEL_0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    _describe_events(ctx, w, events)


def _describe_job(ctx, w, job, events):
    meta, spec, status = _meta(job), _spec(job), _status(job)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_selector_string(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    controlled_by = _print_controller(job)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if spec.get("parallelism") is not None:
        w.write(LEVEL_0, f"Parallelism:\t{int(spec['parallelism'])}\n")
    if spec.get("completions") is not None:
        w.write(LEVEL_0, f"Completions:\t{int(spec['completions'])}\n")
    else:
        w.write(LEVEL_0, "Completions:\t<unset>\n")
    if spec.get("completionMode") is not None:
        w.write(LEVEL_0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(LEVEL_0, f"Suspend:\t{_b(spec['suspend'])}\n")
    if spec.get("backoffLimit") is not None:
        w.write(LEVEL_0, f"Backoff Limit:\t{int(spec['backoffLimit'])}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(LEVEL_0, f"TTL Seconds After Finished:\t{int(spec['ttlSecondsAfterFinished'])}\n")
    start, done = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(LEVEL_0, f"Start Time:\t{ctx.time(start)}\n")
    if done:
        w.write(LEVEL_0, f"Completed At:\t{ctx.time(done)}\n")
    if start and done:
        w.write(LEVEL_0, f"Duration:\t{human_duration((parse_time(done) - parse_time(start)).total_seconds())}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{int(spec['activeDeadlineSeconds'])}s\n")
    active, succeeded, failed = (int(status.get(k) or 0) for k in ("active", "succeeded", "failed"))
    if status.get("ready") is None:
        w.write(LEVEL_0, f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")
    else:
        w.write(LEVEL_0, f"Pods Statuses:\t{active} Active ({int(status['ready'])} Ready) / {succeeded} Succeeded / "
                         f"{failed} Failed\n")
    if spec.get("completionMode") == "Indexed":
        idx = status.get("completedIndexes") or ""
        if not idx:
            shown = "<none>"
        else:
            cut = idx.find(",", 50) if len(idx) > 50 else -1
            shown = idx if cut < 0 else idx[: cut + 1] + "..."
        w.write(LEVEL_0, f"Completed Indexes:\t{shown}\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    _describe_events(ctx, w, events)


def _describe_cronjob(ctx, w, cj, events):
    meta, spec, status = _meta(cj), _spec(cj), _status(cj)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(LEVEL_0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(LEVEL_0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    w.write(LEVEL_0, f"Time Zone:\t{spec['timeZone'] if spec.get('timeZone') is not None else '<unset>'}\n")
    for title, key in (("Successful Job History Limit", "successfulJobsHistoryLimit"),
                       ("Failed Job History Limit", "failedJobsHistoryLimit")):
        v = spec.get(key)
        w.write(LEVEL_0, f"{title}:\t{int(v) if v is not None else '<unset>'}\n")
    sds = spec.get("startingDeadlineSeconds")
    w.write(LEVEL_0, f"Starting Deadline Seconds:\t{str(int(sds)) + 's' if sds is not None else '<unset>'}\n")
    jt = _spec(spec.get("jobTemplate") or {})
    if jt.get("selector") is not None:
        w.write(LEVEL_0, f"Selector:\t{_selector_string(jt['selector'])}\n")
    else:
        w.write(LEVEL_0, "Selector:\t<unset>\n")
    for title, key in (("Parallelism", "parallelism"), ("Completions", "completions")):
        v = jt.get(key)
        w.write(LEVEL_0, f"{title}:\t{int(v) if v is not None else '<unset>'}\n")
    if jt.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{int(jt['activeDeadlineSeconds'])}s\n")
    _describe_pod_template(ctx, w, jt.get("template") or {})
    last = status.get("lastScheduleTime")
    w.write(LEVEL_0, f"Last Schedule Time:\t{ctx.time(last) if last else '<unset>'}\n")
    active = status.get("active") or []
    w.write(LEVEL_0, "Active Jobs:\t")
    if not active:
        w.write_line("<none>")
    else:
        w.write(LEVEL_0, ", ".join(j.get("name", "") for j in active))
        w.write_line("")
    _describe_events(ctx, w, events)


def _describe_replication_controller(ctx, w, rc, events):
    meta, spec, status = _meta(rc), _spec(rc), _status(rc)
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{_format_labels(spec.get('selector'))}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"Replicas:\t{int(status.get('replicas') or 0)} current / {int(spec.get('replicas') or 0)} desired\n")
    sel = {"matchLabels": spec.get("selector") or {}}
    running, waiting, succeeded, failed = _pod_status_counts(ctx, {"metadata": meta, "spec": {"selector": sel}})
    w.write(LEVEL_0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    _describe_pod_template(ctx, w, spec.get("template"))
    _conditions_type_status_reason(w, status.get("conditions"))
    _describe_events(ctx, w, events)


def _go_quote(s: str) -> str:
    """Go's %q for ordinary strings."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _hpa_current(status: dict, i: int, key: str) -> dict | None:
    cur = status.get("currentMetrics") or []
    if len(cur) > i and cur[i].get(key) is not None:
        return cur[i][key].get("current") or {}
    return None


def _describe_hpa(ctx, w, hpa, events):
    """autoscaling/v2 HorizontalPodAutoscaler (kubectl's describeHorizontalPodAutoscalerV2)."""
    meta, spec, status = _meta(hpa), _spec(hpa), _status(hpa)
    ref = spec.get("scaleTargetRef") or {}
    w.write(LEVEL_0, f"Name:\t{meta.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _print_labels_multiline(w, "Labels", meta.get("labels"))
    _print_annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(LEVEL_0, f"CreationTimestamp:\t{ctx.time(meta.get('creationTimestamp'))}\n")
    w.write(LEVEL_0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    w.write(LEVEL_0, "Metrics:\t( current / target )\n")
    for i, m in enumerate(spec.get("metrics") or []):
        mtype = m.get("type", "")
        if mtype == "External":
            ext = m.get("external") or {}
            target = ext.get("target") or {}
            name = _go_quote((ext.get("metric") or {}).get("name", ""))
            cur = _hpa_current(status, i, "external")
            if target.get("averageValue") is not None:
                current = qty_str(cur["averageValue"]) if cur and cur.get("averageValue") is not None else "<unknown>"
                w.write(LEVEL_1, f"{name} (target average value):\t{current} / {qty_str(target['averageValue'])}\n")
            else:
                current = qty_str(cur.get("value", "0")) if cur is not None else "<unknown>"
                w.write(LEVEL_1, f"{name} (target value):\t{current} / {qty_str(target.get('value', '0'))}\n")
        elif mtype == "Pods":
            pods = m.get("pods") or {}
            cur = _hpa_current(status, i, "pods")
            current = qty_str(cur.get("averageValue", "0")) if cur is not None else "<unknown>"
            w.write(LEVEL_1, f"{_go_quote((pods.get('metric') or {}).get('name', ''))} on pods:\t{current} / "
                             f"{qty_str((pods.get('target') or {}).get('averageValue', '0'))}\n")
        elif mtype == "Object":
            obj = m.get("object") or {}
            desc = obj.get("describedObject") or {}
            target = obj.get("target") or {}
            w.write(LEVEL_1, f'"{(obj.get("metric") or {}).get("name", "")}" on {desc.get("kind", "")}/'
                             f'{desc.get("name", "")} ')
            cur = _hpa_current(status, i, "object")
            if target.get("type") == "AverageValue":
                current = qty_str(cur.get("averageValue", "0")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f"(target average value):\t{current} / {qty_str(target.get('averageValue', '0'))}\n")
            else:
                current = qty_str(cur.get("value", "0")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f"(target value):\t{current} / {qty_str(target.get('value', '0'))}\n")
        elif mtype in ("Resource", "ContainerResource"):
            key = "resource" if mtype == "Resource" else "containerResource"
            res = m.get(key) or {}
            target = res.get("target") or {}
            if mtype == "Resource":
                w.write(LEVEL_1, f"resource {res.get('name', '')} on pods")
            else:
                w.write(LEVEL_1, f'resource {res.get("name", "")} of container "{res.get("container", "")}" on pods')
            cur = _hpa_current(status, i, key)
            if target.get("averageValue") is not None:
                current = qty_str(cur.get("averageValue", "0")) if cur is not None else "<unknown>"
                w.write(LEVEL_0, f":\t{current} / {qty_str(target['averageValue'])}\n")
            else:
                current = "<unknown>"
                if cur is not None and cur.get("averageUtilization") is not None:
                    current = f"{int(cur['averageUtilization'])}% ({qty_str(cur.get('averageValue', '0'))})"
                util = target.get("averageUtilization")
                tgt = f"{int(util)}%" if util is not None else "<auto>"
                # kubectl writes this with a level prefix mid-line, hence the two spaces
                w.write(LEVEL_1, f"(as a percentage of request):\t{current} / {tgt}\n")
        else:
            w.write(LEVEL_1, f"<unknown metric type {_go_quote(mtype)}>\n")
    mn = spec.get("minReplicas")
    w.write(LEVEL_0, f"Min replicas:\t{int(mn) if mn is not None else '<unset>'}\n")
    w.write(LEVEL_0, f"Max replicas:\t{int(spec.get('maxReplicas') or 0)}\n")
    behavior = spec.get("behavior")
    if behavior is not None:
        w.write(LEVEL_0, "Behavior:\n")
        for title, key in (("Scale Up", "scaleUp"), ("Scale Down", "scaleDown")):
            rules = behavior.get(key)
            if rules is None:
                continue
            w.write(LEVEL_1, f"{title}:\n")
            if rules.get("stabilizationWindowSeconds") is not None:
                w.write(LEVEL_2, f"Stabilization Window: {int(rules['stabilizationWindowSeconds'])} seconds\n")
            if rules.get("policies"):
                w.write(LEVEL_2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}\n")
                w.write(LEVEL_2, "Policies:\n")
                for p in rules["policies"]:
                    w.write(LEVEL_3, f"- Type: {p.get('type', '')}\tValue: {int(p.get('value') or 0)}\t"
                                     f"Period: {int(p.get('periodSeconds') or 0)} seconds\n")
    w.write(LEVEL_0, f"{ref.get('kind', '')} pods:\t")
    w.write(LEVEL_0, f"{int(status.get('currentReplicas') or 0)} current / {int(status.get('desiredReplicas') or 0)} desired\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(LEVEL_0, "Conditions:\n")
        w.write(LEVEL_1, "Type\tStatus\tReason\tMessage\n")
        w.write(LEVEL_1, "----\t------\t------\t-------\n")
        for c in conditions:
            w.write(LEVEL_1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}\n")
    _describe_events(ctx, w, events)
