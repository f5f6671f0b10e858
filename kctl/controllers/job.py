"""Job controller, after upstream pkg/controller/job (job_controller.go, indexed_job_utils.go).

Per Job: claim pods; count succeeded/failed pods; fail the Job when failures exceed
backoffLimit (restartPolicy OnFailure: container restarts count) or activeDeadlineSeconds has
passed (a timer), deleting its active pods; complete it when the completions are reached
(Indexed: every index succeeded; no completions: a pod succeeded and none is active);
otherwise create pods up to parallelism, after the exponential pod-failure back-off
(10 s · 2^(failures-1), at most 10 min) when pods failed. Conditions as 1.37 writes them:
FailureTarget then Failed, SuccessCriteriaMet then Complete. ttlSecondsAfterFinished deletes
the finished Job (the TTL-after-finished controller's work, done here).

Simulation: a Job pod whose template sets neither `sim.kctl.io/exit-code` nor
`sim.kctl.io/exit-after` gets `sim.kctl.io/exit-code: "0"`, so it runs to completion as soon
as it starts (the kubelet simulation turns the exit code into phase Succeeded/Failed).

Counting: upstream tracks terminated pods with a finalizer; here succeeded/failed count the
Job's terminal pods and never go down (a counted pod that is deleted stays counted).
"""

from __future__ import annotations

import copy
from datetime import timedelta

from kctl.api.selectors import from_label_selector_spec
from kctl.controllers import podutil
from kctl.controllers.context import controller_of, parse_time

JOB = "jobs.batch"
COMPONENT = "job-controller"
INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index"
INDEX_LABEL = "batch.kubernetes.io/job-completion-index"
EXIT_CODE = "sim.kctl.io/exit-code"
EXIT_AFTER = "sim.kctl.io/exit-after"
BACKOFF_BASE = 10
BACKOFF_MAX = 600

MSG_BACKOFF = "Job has reached the specified backoff limit"
MSG_DEADLINE = "Job was active longer than specified deadline"
MSG_COMPLETE = "Reached expected number of succeeded pods"


def backoff_seconds(failures: int) -> int:
    """Pod-failure back-off before the next pod: 10s, 20s, 40s, ... capped at 10 min."""
    if failures <= 0:
        return 0
    return min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (failures - 1))


def format_indexes(indexes) -> str:
    """status.completedIndexes: sorted, consecutive runs as `a-b` (`1,3-5,7`)."""
    xs = sorted(set(indexes))
    out, i = [], 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        out.append(str(xs[i]) if i == j else f"{xs[i]}-{xs[j]}")
        i = j + 1
    return ",".join(out)


def parse_indexes(s: str | None) -> set[int]:
    out: set[int] = set()
    for part in (s or "").split(","):
        if not part:
            continue
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def pod_index(pod: dict) -> int | None:
    m = podutil.meta(pod)
    v = (m.get("annotations") or {}).get(INDEX_ANNOTATION) or (m.get("labels") or {}).get(INDEX_LABEL)
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def finish_time(pod: dict):
    """When a terminal pod finished: the latest container finishedAt, else its conditions."""
    st = pod.get("status") or {}
    times = []
    for cs in st.get("containerStatuses") or []:
        t = ((cs.get("state") or {}).get("terminated") or {}).get("finishedAt")
        if t:
            times.append(parse_time(t))
    if not times:
        times = [parse_time(c.get("lastTransitionTime")) for c in st.get("conditions") or []
                 if c.get("lastTransitionTime")]
    return max(times) if times else None


def condition(status: dict, type_: str) -> dict | None:
    return next((c for c in status.get("conditions") or [] if c.get("type") == type_), None)


def is_finished(job: dict) -> str | None:
    """"Complete" / "Failed" when that condition is True, else None."""
    st = job.get("status") or {}
    for t in ("Complete", "Failed"):
        c = condition(st, t)
        if c and c.get("status") == "True":
            return t
    return None


def _set_condition(status: dict, type_: str, cstatus: str, reason: str, message: str, now: str) -> None:
    conds = status.setdefault("conditions", [])
    for c in conds:
        if c.get("type") == type_:
            if c.get("status") != cstatus:
                c.update(status=cstatus, lastTransitionTime=now)
            c.update(reason=reason, message=message, lastProbeTime=now)
            return
    conds.append({"type": type_, "status": cstatus, "lastProbeTime": now, "lastTransitionTime": now,
                  "reason": reason, "message": message})


class JobController:
    """Reconciles Jobs; keys are (ns, name)."""

    name = "job"
    resources = (JOB, "pods")

    def __init__(self):
        self._pods = podutil.PodIndex()

    def keys_for(self, ctx, change):
        if change.resource == JOB:
            return [(change.namespace, change.name)]
        pod = ctx.get("pods", change.namespace, change.name)
        if pod is not None:
            ref = controller_of(pod)
            if ref is not None:
                return [(change.namespace, ref["name"])] if ref.get("kind") == "Job" else []
            return []
        head = podutil.strip_suffix(change.name)
        keys = []
        for guess in (head, podutil.strip_suffix(head or "") if head else None):
            if guess and ctx.get(JOB, change.namespace, guess) is not None:
                keys.append((change.namespace, guess))
        return keys

    def reconcile(self, ctx, key) -> None:
        ns, name = key
        job = ctx.get(JOB, ns, name)
        if job is None:
            return
        spec = job.get("spec") or {}
        status = copy.deepcopy(job.get("status") or {})
        now = ctx.now_str
        finished = is_finished(job)
        if finished:
            self.ttl(ctx, key, job)
            return
        selector = from_label_selector_spec(spec.get("selector"))
        candidates = self._pods.sync(ctx).candidates(ns, job["metadata"]["uid"])
        pods = podutil.claim_objects(ctx, "pods", job, selector, candidates)
        active = [p for p in pods if podutil.is_active(p)]
        terminating = [p for p in pods if podutil.is_terminating(p) and not podutil.is_terminal(p)]
        succeeded_pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Succeeded"]
        failed_pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Failed"]
        indexed = spec.get("completionMode") == "Indexed"
        completions = spec.get("completions")
        parallelism = int(spec.get("parallelism", 1) if spec.get("parallelism") is not None else 1)
        suspended = bool(spec.get("suspend"))
        if indexed:
            done = parse_indexes(status.get("completedIndexes"))
            done |= {i for i in map(pod_index, succeeded_pods)
                     if i is not None and completions is not None and i < int(completions)}
            succeeded = len(done)
            if done:
                status["completedIndexes"] = format_indexes(done)
        else:
            succeeded = max(int(status.get("succeeded") or 0), len(succeeded_pods))
        failed = max(int(status.get("failed") or 0), len(failed_pods))
        if "startTime" not in status and not suspended:
            status["startTime"] = now
        events: list[tuple[str, str, str]] = []
        backoff_limit = int(spec.get("backoffLimit", 6) if spec.get("backoffLimit") is not None else 6)
        restarts = sum(int(cs.get("restartCount") or 0) for p in active
                       for cs in (p.get("status") or {}).get("containerStatuses") or [])
        on_failure = ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy") == "OnFailure"
        fail_reason = fail_msg = None
        past_on_failure = on_failure and (restarts > 0 if backoff_limit == 0 else restarts >= backoff_limit)
        if failed > backoff_limit or past_on_failure:
            fail_reason, fail_msg = "BackoffLimitExceeded", MSG_BACKOFF
        deadline_left = None
        ads = spec.get("activeDeadlineSeconds")
        if fail_reason is None and ads is not None and status.get("startTime") and not suspended:
            end = parse_time(status["startTime"]) + timedelta(seconds=int(ads))
            if end <= ctx.now:
                fail_reason, fail_msg = "DeadlineExceeded", MSG_DEADLINE
            else:
                deadline_left = (end - ctx.now).total_seconds()
        complete = False
        if fail_reason is None:
            if completions is None:
                complete = succeeded > 0 and not active
            else:
                complete = succeeded >= int(completions)
        if fail_reason:
            for p in active:
                self.delete(ctx, job, p)
            active = []
            _set_condition(status, "FailureTarget", "True", fail_reason, fail_msg, now)
            _set_condition(status, "Failed", "True", fail_reason, fail_msg, now)
            events.append(("Warning", fail_reason, fail_msg))
        elif complete:
            for p in active:
                self.delete(ctx, job, p)
            active = []
            _set_condition(status, "SuccessCriteriaMet", "True", "CompletionsReached", MSG_COMPLETE, now)
            _set_condition(status, "Complete", "True", "CompletionsReached", MSG_COMPLETE, now)
            status["completionTime"] = now
            events.append(("Normal", "Completed", "Job completed"))
        elif suspended:
            for p in active:
                self.delete(ctx, job, p)
            active = []
            c = condition(status, "Suspended")
            if not c or c.get("status") != "True":
                _set_condition(status, "Suspended", "True", "JobSuspended", "Job suspended", now)
                events.append(("Normal", "Suspended", "Job suspended"))
        else:
            c = condition(status, "Suspended")
            if c and c.get("status") == "True":
                _set_condition(status, "Suspended", "False", "JobResumed", "Job resumed", now)
                status["startTime"] = now
                events.append(("Normal", "Resumed", "Job resumed"))
            wait = self.backoff_wait(ctx, failed_pods, failed)
            if wait:
                ctx.requeue_after(self.name, key, wait)
            else:
                active += self.create_pods(ctx, job, active, succeeded, parallelism, completions, indexed,
                                           parse_indexes(status.get("completedIndexes")))
            if deadline_left:
                ctx.requeue_after(self.name, key, deadline_left)
        status["active"] = len(active)
        if not status["active"]:
            del status["active"]
        status["succeeded"] = succeeded
        status["failed"] = failed
        for k in ("succeeded", "failed"):
            if not status[k]:
                del status[k]
        status["ready"] = sum(1 for p in active if podutil.is_ready(p))
        status["terminating"] = len(terminating)
        status["uncountedTerminatedPods"] = {}
        new = dict(job)
        new["status"] = status
        ctx.update_status(JOB, new)
        for type_, reason, msg in events:
            ctx.event(job, type_, reason, msg, component=COMPONENT)
        if fail_reason or complete:
            self.ttl(ctx, key, ctx.get(JOB, ns, name) or job)

    def backoff_wait(self, ctx, failed_pods, failed: int) -> float:
        """Seconds left of the back-off after the newest pod failure (0 = create now)."""
        if not failed_pods:
            return 0.0
        last = max((finish_time(p) for p in failed_pods if finish_time(p)), default=None)
        if last is None:
            return 0.0
        left = (last + timedelta(seconds=backoff_seconds(failed)) - ctx.now).total_seconds()
        return max(0.0, left)

    def create_pods(self, ctx, job, active, succeeded, parallelism, completions, indexed, done) -> list[dict]:
        name = job["metadata"]["name"]
        template = (job.get("spec") or {}).get("template") or {}
        if completions is None:
            want = parallelism if succeeded == 0 else 0
        else:
            want = min(parallelism, int(completions) - succeeded)
        n = want - len(active)
        if n <= 0:
            return []
        made = []
        if indexed:
            busy = {pod_index(p) for p in active}
            free = [i for i in range(int(completions or 0)) if i not in done and i not in busy][:n]
            for i in free:
                pod = podutil.pod_from_template(template, job, generate_name=f"{name}-{i}-",
                                                extra_labels={INDEX_LABEL: str(i)})
                pod["metadata"].setdefault("annotations", {})[INDEX_ANNOTATION] = str(i)
                pod["spec"].setdefault("hostname", f"{name}-{i}")
                for c in (pod["spec"].get("containers") or []) + (pod["spec"].get("initContainers") or []):
                    env = c.setdefault("env", [])
                    if not any(e.get("name") == "JOB_COMPLETION_INDEX" for e in env):
                        env.append({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
                            "apiVersion": "v1", "fieldPath": f"metadata.labels['{INDEX_LABEL}']"}}})
                made.append(self._create(ctx, job, pod))
        else:
            for _ in range(n):
                pod = podutil.pod_from_template(template, job, generate_name=f"{name}-")
                made.append(self._create(ctx, job, pod))
        return [p for p in made if p is not None]

    def _create(self, ctx, job, pod) -> dict | None:
        ann = pod["metadata"].setdefault("annotations", {})
        if EXIT_CODE not in ann and EXIT_AFTER not in ann:
            ann[EXIT_CODE] = "0"  # see the module docstring: runs to completion at once
        created = podutil.try_create(ctx, job, "pods", pod, COMPONENT)
        if created is None:
            return None
        ctx.event(job, "Normal", "SuccessfulCreate", f"Created pod: {created['metadata']['name']}",
                  component=COMPONENT)
        return created

    def delete(self, ctx, job, pod) -> None:
        podutil.delete_pod(ctx, pod)
        ctx.event(job, "Normal", "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}",
                  component=COMPONENT)

    def ttl(self, ctx, key, job) -> None:
        """ttlafterfinished: delete the Job (background propagation) once ttl has passed."""
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None or podutil.meta(job).get("deletionTimestamp"):
            return
        st = job.get("status") or {}
        c = condition(st, "Complete") or condition(st, "Failed")
        t = parse_time((c or {}).get("lastTransitionTime") or st.get("completionTime"))
        if t is None:
            return
        due = t + timedelta(seconds=int(ttl))
        if due <= ctx.now:
            podutil.delete_object(ctx, JOB, key[0], key[1], "Background")
        else:
            ctx.requeue_after(self.name, key, (due - ctx.now).total_seconds())

