"""CronJob controller, after upstream pkg/controller/cronjob (cronjob_controllerv2.go, utils.go).

Standard 5-field cron (robfig/cron ParseStandard: names, ranges, steps, lists, `?`, and
@yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly) in spec.timeZone (default UTC).
Per CronJob: reconcile status.active with the owned Jobs (SawCompletedJob, lastSuccessfulTime),
trim finished Jobs to the history limits, then unless suspended start the most recent missed
run `<cronjob>-<scheduled minutes since epoch>` honouring startingDeadlineSeconds and
concurrencyPolicy Allow/Forbid/Replace, and requeue at the next schedule time (a timer).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from kctl.controllers import podutil
from kctl.controllers.context import controller_of, owner_ref, parse_time, rfc3339
from kctl.controllers.job import is_finished

CJ = "cronjobs.batch"
JOB = "jobs.batch"
COMPONENT = "cronjob-controller"
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"

_MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
           "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
           "@hourly": "0 * * * *"}
_MONTHS = {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())}
_DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
# (min, max, names) of minute, hour, day of month, month, day of week
_FIELDS = [(0, 59, {}), (0, 23, {}), (1, 31, {}), (1, 12, _MONTHS), (0, 6, _DAYS)]


class CronError(ValueError):
    pass


class Schedule:
    """A parsed schedule: sets of allowed values per field and robfig's star flags."""

    def __init__(self, sets: list[set[int]], dom_star: bool, dow_star: bool):
        self.minutes, self.hours, self.dom, self.months, self.dow = sets
        self.dom_star, self.dow_star = dom_star, dow_star

    def _day_matches(self, t: datetime) -> bool:
        dom = t.day in self.dom
        dow = (t.isoweekday() % 7) in self.dow
        if self.dom_star or self.dow_star:
            return dom and dow
        return dom or dow

    def next(self, after: datetime, tz=timezone.utc) -> datetime | None:
        """The first activation strictly after `after` (aware), in `tz`; returned in UTC."""
        t = after.astimezone(tz).replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = t + timedelta(days=366 * 5)
        while t < limit:
            if t.month not in self.months:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
                t = _normalize(t, tz)
                continue
            if not self._day_matches(t):
                t = _normalize(t.replace(hour=0, minute=0) + timedelta(days=1), tz)
                continue
            if t.hour not in self.hours:
                t = _normalize(t.replace(minute=0) + timedelta(hours=1), tz)
                continue
            if t.minute not in self.minutes:
                t = t + timedelta(minutes=1)
                continue
            return t.astimezone(timezone.utc)
        return None


def _normalize(t: datetime, tz) -> datetime:
    # aware arithmetic is wall-clock arithmetic; the zone's offset is re-resolved on use
    return t


def _parse_value(s: str, names: dict) -> int:
    if s.lower() in names:
        return names[s.lower()]
    if not s.isdigit():
        raise CronError(f"failed to parse int from {s}")
    return int(s)


def _parse_field(text: str, lo: int, hi: int, names: dict) -> tuple[set[int], bool]:
    out: set[int] = set()
    star = False
    for part in text.split(","):
        rng, _, step_s = part.partition("/")
        step = 1
        if step_s:
            if not step_s.isdigit() or int(step_s) == 0:
                raise CronError(f"failed to parse int from {step_s}")
            step = int(step_s)
        if rng in ("*", "?"):
            a, b = lo, hi
            star = star or not step_s
        else:
            a_s, dash, b_s = rng.partition("-")
            a = _parse_value(a_s, names)
            b = _parse_value(b_s, names) if dash else (hi if step_s else a)
        if a < lo:
            raise CronError(f"beginning of range ({a}) below minimum ({lo}): {part}")
        if b > hi:
            raise CronError(f"end of range ({b}) above maximum ({hi}): {part}")
        if a > b:
            raise CronError(f"beginning of range ({a}) beyond end of range ({b}): {part}")
        out.update(range(a, b + 1, step))
    return out, star


def parse_schedule(text: str) -> Schedule:
    """cron.ParseStandard: 5 fields or a macro; raises CronError."""
    text = text.strip()
    if text.startswith("@"):
        if text not in _MACROS:
            raise CronError(f"unrecognized descriptor: {text}")
        text = _MACROS[text]
    fields = text.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: {fields}")
    sets, stars = [], []
    for f, (lo, hi, names) in zip(fields, _FIELDS):
        s, star = _parse_field(f, lo, hi, names)
        sets.append(s)
        stars.append(star)
    return Schedule(sets, stars[2], stars[4])


def zone(name: str | None):
    if not name:
        return timezone.utc
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def most_recent_schedule(sched: Schedule, earliest: datetime, now: datetime, tz) -> tuple[datetime | None, int]:
    """mostRecentScheduleTime: the latest activation in (earliest, now] and how many there
    were (counting stops past 100, upstream's "too many missed" threshold)."""
    t = sched.next(earliest, tz)
    last, n = None, 0
    while t is not None and t <= now:
        last, n = t, n + 1
        if n > 100:
            # jump close to now: only the most recent time matters from here
            probe = sched.next(now - timedelta(days=400), tz)
            while probe is not None and probe <= now:
                last = probe
                probe = sched.next(probe, tz)
            break
        t = sched.next(t, tz)
    return last, n


def job_name(cj_name: str, scheduled: datetime) -> str:
    """getJobName: `<cronjob>-<minutes since the epoch>`."""
    return f"{cj_name}-{int(scheduled.timestamp()) // 60}"


def _ref(job: dict) -> dict:
    m = job["metadata"]
    return {"apiVersion": "batch/v1", "kind": "Job", "name": m["name"], "namespace": m.get("namespace", ""),
            "resourceVersion": m.get("resourceVersion", ""), "uid": m.get("uid", "")}


class CronJobController:
    """Reconciles CronJobs; keys are (ns, name)."""

    name = "cronjob"
    resources = (CJ, JOB)

    def keys_for(self, ctx, change):
        if change.resource == CJ:
            return [(change.namespace, change.name)]
        job = ctx.get(JOB, change.namespace, change.name)
        if job is not None:
            ref = controller_of(job)
            return [(change.namespace, ref["name"])] if ref and ref.get("kind") == "CronJob" else []
        head, _, tail = change.name.rpartition("-")
        if tail.isdigit() and ctx.get(CJ, change.namespace, head) is not None:
            return [(change.namespace, head)]
        return []

    def reconcile(self, ctx, key) -> None:
        ns, name = key
        cj = ctx.get(CJ, ns, name)
        if cj is None:
            return
        spec = cj.get("spec") or {}
        status = copy.deepcopy(cj.get("status") or {})
        uid = cj["metadata"]["uid"]
        jobs = [j for j in ctx.list(JOB, ns) if (controller_of(j) or {}).get("uid") == uid]
        by_name = {j["metadata"]["name"]: j for j in jobs}
        active = list(status.get("active") or [])
        active_names = {a.get("name") for a in active}
        for j in jobs:
            jn = j["metadata"]["name"]
            fin = is_finished(j)
            if jn not in active_names and not fin:
                ctx.event(cj, "Warning", "UnexpectedJob",
                          f"Saw a job that the controller did not create or forgot: {jn}", component=COMPONENT)
                active.append(_ref(j))
            elif jn in active_names and fin:
                ctx.event(cj, "Normal", "SawCompletedJob", f"Saw completed job: {jn}, condition: {fin}",
                          component=COMPONENT)
                active = [a for a in active if a.get("name") != jn]
                if fin == "Complete":
                    done = (j.get("status") or {}).get("completionTime")
                    if done and (not status.get("lastSuccessfulTime")
                                 or parse_time(done) > parse_time(status["lastSuccessfulTime"])):
                        status["lastSuccessfulTime"] = done
        # jobs in the active list that no longer exist
        active = [a for a in active if a.get("name") in by_name]
        requeue = None
        if not podutil.meta(cj).get("deletionTimestamp"):
            requeue, active, _ = self.schedule(ctx, cj, status, active, by_name)
        if active:
            status["active"] = active
        else:
            status.pop("active", None)
        new = dict(ctx.get(CJ, ns, name) or cj)
        new["status"] = status
        ctx.update_status(CJ, new)
        self.cleanup(ctx, cj, [j for j in ctx.list(JOB, ns) if (controller_of(j) or {}).get("uid") == uid])
        if requeue is not None:
            ctx.requeue_after(self.name, key, requeue)

    def schedule(self, ctx, cj, status, active, by_name):
        """Returns (seconds until the next run or None, active refs, created job or None)."""
        spec = cj.get("spec") or {}
        name = cj["metadata"]["name"]
        ns = cj["metadata"].get("namespace", "")
        try:
            tz = zone(spec.get("timeZone"))
        except Exception:
            ctx.event(cj, "Warning", "UnknownTimeZone",
                      f"invalid timeZone: {spec.get('timeZone')!r}: unknown time zone {spec.get('timeZone')}",
                      component=COMPONENT)
            return None, active, None
        try:
            sched = parse_schedule(spec.get("schedule") or "")
        except CronError as e:
            ctx.event(cj, "Warning", "UnparseableSchedule",
                      f"unparseable schedule: {spec.get('schedule')!r} : {e}", component=COMPONENT)
            return None, active, None
        if spec.get("suspend"):
            return None, active, None
        now = ctx.now

        def until_next():
            nxt = sched.next(now, tz)
            return None if nxt is None else max(1.0, (nxt - now).total_seconds())

        earliest = parse_time(status.get("lastScheduleTime")) or parse_time(cj["metadata"].get("creationTimestamp"))
        sds = spec.get("startingDeadlineSeconds")
        if sds is not None:
            earliest = max(earliest, now - timedelta(seconds=int(sds)))
        scheduled, missed = most_recent_schedule(sched, earliest, now, tz)
        if scheduled is None:
            return until_next(), active, None
        if missed > 100:
            ctx.event(cj, "Warning", "TooManyMissedTimes",
                      f"too many missed start times: {missed}. Set or decrease .spec.startingDeadlineSeconds "
                      "or check clock skew", component=COMPONENT)
        if sds is not None and scheduled + timedelta(seconds=int(sds)) < now:
            ctx.event(cj, "Warning", "MissSchedule",
                      f"Missed scheduled time to start a job: {rfc3339(scheduled)}", component=COMPONENT)
            return until_next(), active, None
        jn = job_name(name, scheduled)
        if jn in by_name or status.get("lastScheduleTime") == rfc3339(scheduled):
            return until_next(), active, None
        policy = spec.get("concurrencyPolicy", "Allow")
        if policy == "Forbid" and active:
            ctx.event(cj, "Normal", "JobAlreadyActive",
                      "Not starting job because prior execution is running and concurrency policy is Forbid",
                      component=COMPONENT)
            return until_next(), active, None
        if policy == "Replace":
            for a in active:
                if a.get("name") in by_name:
                    podutil.delete_object(ctx, JOB, ns, a["name"], "Background")
                    ctx.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {a['name']}", component=COMPONENT)
            active = []
        job = self.job_from_template(cj, jn, scheduled, tz)
        created = ctx.create(JOB, job)
        from kctl.api.defaults.apps import generate_job_selector

        labelled = copy.deepcopy(created)
        generate_job_selector(labelled, created["metadata"]["uid"])
        created = ctx.update(JOB, labelled)
        ctx.event(cj, "Normal", "SuccessfulCreate", f"Created job {jn}", component=COMPONENT)
        active = active + [_ref(created)]
        status["lastScheduleTime"] = rfc3339(scheduled)
        return until_next(), active, created

    @staticmethod
    def job_from_template(cj: dict, jn: str, scheduled: datetime, tz) -> dict:
        """getJobFromTemplate2."""
        jt = (cj.get("spec") or {}).get("jobTemplate") or {}
        tm = jt.get("metadata") or {}
        m: dict = {"name": jn, "namespace": cj["metadata"].get("namespace", "")}
        if tm.get("labels"):
            m["labels"] = dict(tm["labels"])
        ann = dict(tm.get("annotations") or {})
        ann[SCHEDULED_ANNOTATION] = scheduled.astimezone(tz).isoformat().replace("+00:00", "Z")
        m["annotations"] = ann
        m["ownerReferences"] = [owner_ref(cj)]
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": m,
                "spec": copy.deepcopy(jt.get("spec") or {})}

    def cleanup(self, ctx, cj, jobs) -> None:
        """cleanupFinishedJobs: keep the newest successful/failed Jobs up to the limits."""
        spec = cj.get("spec") or {}
        ns = cj["metadata"].get("namespace", "")
        for kind, limit in (("Complete", spec.get("successfulJobsHistoryLimit")),
                            ("Failed", spec.get("failedJobsHistoryLimit"))):
            if limit is None:
                continue
            done = [j for j in jobs if is_finished(j) == kind and not podutil.meta(j).get("deletionTimestamp")]
            done.sort(key=lambda j: ((j.get("status") or {}).get("startTime") or "", j["metadata"]["name"]))
            for j in done[:max(0, len(done) - int(limit))]:
                podutil.delete_object(ctx, JOB, ns, j["metadata"]["name"], "Background")
                ctx.event(cj, "Normal", "SuccessfulDelete", f"Deleted job {j['metadata']['name']}",
                          component=COMPONENT)
