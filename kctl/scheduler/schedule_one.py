"""The scheduler controller: kube-scheduler's scheduling cycle over the store.

One queue key ("scheduling-queue",): any change to pods, nodes, volumes, priority classes or
the workload objects that feed the default spread selector wakes it, and a reconcile pops
every pending pod (no spec.nodeName, no deletionTimestamp, schedulerName default-scheduler)
in PrioritySort order and schedules it: PreFilter → Filter on every node → Score the feasible
nodes → NormalizeScore → weighted sum → highest total (ties: lowest node name; upstream picks
at random among ties) → bind. A pod that fits nowhere gets upstream's FitError message, after
DefaultPreemption had its say.

Speed (5,000 nodes): a snapshot with running totals per node lives on the Context for the
whole converge (`ctx.cache["scheduler"]`), kept current from the store's change log; for a
"simple" pod (no host ports, no pod (anti-)affinity on either side, nothing naming a node)
nodes collapse into groups of interchangeable nodes (same static group, same requested
totals, same count of pods matching the pod's spread selectors; the snapshot keeps the
state buckets current as pods come and go, and match counts per selector are kept too), so a
pod costs O(groups), not O(nodes). Identical pods that fail share one verdict per snapshot
version. Every node is evaluated (upstream's percentageOfNodesToScore: 100), so the
outcome never depends on a sampling offset.
"""

from __future__ import annotations

import bisect
import copy
import json

from kctl.scheduler import framework as fw
from kctl.scheduler.framework import NodeInfo, PodInfo, Status

COMPONENT = "default-scheduler"
SCHEDULER_NAME = "default-scheduler"
QUEUE_KEY = ("scheduling-queue",)
SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}

_RES_PRIORITY = "priorityclasses.scheduling.k8s.io"
_RES_SC = "storageclasses.storage.k8s.io"
_SMALL = ("persistentvolumeclaims", "persistentvolumes", _RES_PRIORITY, _RES_SC, "namespaces",
          "services", "replicasets.apps", "statefulsets.apps", "replicationcontrollers")


# ---------------------------------------------------------------------------- messages
def fit_error_message(n_all: int, prefilter_msg: str, statuses, postfilter_msg: str) -> str:
    """FitError.Error(): `0/N nodes are available: <prefilter>. <histogram>. <postfilter>`;
    the histogram is "count reason" strings sorted as strings."""
    msg = fw.NO_NODE_AVAILABLE.format(n_all) + ":"
    if prefilter_msg:
        msg += f" {prefilter_msg}."
    else:
        counts: dict[str, int] = {}
        for st, n in statuses:
            for r in st.reasons:
                counts[r] = counts.get(r, 0) + n
        hist = sorted(f"{v} {k}" for k, v in counts.items())
        if hist:
            msg += f" {', '.join(hist)}."
    if postfilter_msg:
        msg += f" {postfilter_msg}"
    return msg


def absent_status(plugins: list[str]) -> Status:
    return Status(fw.UNRESOLVABLE, f"node(s) didn't satisfy plugin(s) [{' '.join(sorted(plugins))}]")


# ---------------------------------------------------------------------------- pending pods
def is_pending(pod: dict) -> bool:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    if spec.get("nodeName") or meta.get("deletionTimestamp"):
        return False
    if (spec.get("schedulerName") or SCHEDULER_NAME) != SCHEDULER_NAME:
        return False
    return ((pod.get("status") or {}).get("phase") or "Pending") not in ("Succeeded", "Failed")


def _counts_on_node(pod: dict) -> bool:
    """An assigned pod takes room on its node until it is terminal (the scheduler's informer
    skips Succeeded/Failed pods)."""
    return bool((pod.get("spec") or {}).get("nodeName")) and \
        ((pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))


# ---------------------------------------------------------------------------- snapshot
class Group:
    """Interchangeable nodes: `ni` is the lowest-named one, `names` sorted."""

    __slots__ = ("ni", "names")

    def __init__(self, ni: NodeInfo, names: list[str]):
        self.ni = ni
        self.names = names


class NamesView:
    """A bucket's sorted names minus the nodes split out of it (no copy of the list)."""

    __slots__ = ("base", "excluded")

    def __init__(self, base: list[str], excluded: set):
        self.base = base
        self.excluded = excluded

    def __len__(self) -> int:
        return len(self.base) - len(self.excluded)

    def __iter__(self):
        ex = self.excluded
        return (n for n in self.base if n not in ex)

    def __getitem__(self, i: int) -> str:
        if i != 0:
            raise IndexError(i)
        return next(iter(self))


class Snapshot:
    """The scheduler cache: NodeInfos with running totals, assigned pods, pending pods."""

    def __init__(self, reader):
        self.reader = reader  # .list(resource, ns) / .get(resource, ns, name)
        self.nodes: dict[str, NodeInfo] = {}
        self._sorted: list[NodeInfo] | None = None
        self.assigned: dict[tuple, PodInfo] = {}
        self.pending: dict[tuple, dict] = {}
        self.label_index: dict[tuple, dict] = {}
        self.ns_pods: dict[str, dict] = {}
        self.nominated: dict[str, dict] = {}
        self.version = 0
        self.struct_version = 0
        self._small: dict[str, dict] = {}
        self._gids: dict[tuple, int] = {}
        self.aff_nodes: dict[str, NodeInfo] = {}
        self.anti_nodes: dict[str, NodeInfo] = {}
        self.prio_counts: dict[int, int] = {}
        # match counts of the selectors in use, kept current as pods come and go (LRU)
        self._memo: dict = {}
        # nodes bucketed by state (static group + running totals), kept incrementally
        self._base: dict[tuple, list[str]] | None = None
        self._base_key: dict[str, tuple] = {}
        self._base_dirty: set[str] = set()
        self.rev = 0

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, store) -> "Snapshot":
        snap = cls(store)
        snap.rev = store.revision()
        for n in store.list("nodes"):
            snap._set_node(n)
        for p in store.list("pods"):
            snap._set_pod(p["metadata"].get("namespace", ""), p["metadata"]["name"], p)
        return snap

    def sync(self, store) -> None:
        """Apply the store's changes since the last sync."""
        head = store.revision()
        if head == self.rev:
            return
        seen_pods, seen_nodes = set(), set()
        for ch in store.changes_since(self.rev):
            if ch.resource == "pods":
                seen_pods.add((ch.namespace, ch.name))
            elif ch.resource == "nodes":
                seen_nodes.add(ch.name)
            elif ch.resource in _SMALL:
                self._small.pop(ch.resource, None)
                # derived caches (namespace labels, default spread selectors) go too
                self._small.pop("_ns_labels", None)
                self._small.pop("_defsel", None)
                self._bump(None)
        self.rev = head
        for name in sorted(seen_nodes):
            self._set_node(store.get("nodes", "", name), name)
        for ns, name in sorted(seen_pods):
            self._set_pod(ns, name, store.get("pods", ns, name))

    def _bump(self, node_name: str | None) -> None:
        self.version += 1
        if node_name is None:
            self.struct_version += 1
            self._base = None
        else:
            self._base_dirty.add(node_name)

    def _refresh_aff(self, ni: NodeInfo) -> None:
        for d, has in ((self.aff_nodes, ni.affinity_pods), (self.anti_nodes, ni.anti_pods)):
            if has:
                d[ni.name] = ni
            else:
                d.pop(ni.name, None)

    def _count_prio(self, pi: PodInfo, delta: int) -> None:
        if pi.deleting:
            return
        n = self.prio_counts.get(pi.priority, 0) + delta
        if n:
            self.prio_counts[pi.priority] = n
        else:
            self.prio_counts.pop(pi.priority, None)

    def _gid(self, node: dict) -> int:
        sig = fw.static_signature(node)
        if sig not in self._gids:
            self._gids[sig] = len(self._gids) + 1
        return self._gids[sig]

    def _set_node(self, node: dict | None, name: str | None = None) -> None:
        name = name or node["metadata"]["name"]
        old = self.nodes.get(name)
        if node is None:
            if old is not None:
                del self.nodes[name]
                self.aff_nodes.pop(name, None)
                self.anti_nodes.pop(name, None)
                self._sorted = None
                self._bump(None)
            return
        ni = NodeInfo(node)
        ni.gid = self._gid(node)
        if old is not None:
            for pi in old.pods:
                ni.add_pod(pi)
        else:
            for pi in self.assigned.values():
                if pi.node_name == name:
                    ni.add_pod(pi)
            self._sorted = None
        self.nodes[name] = ni
        self._refresh_aff(ni)
        self._bump(None)

    def _index(self, pi: PodInfo, add: bool) -> None:
        if self._memo and not pi.deleting:
            for (ns, sel), counts in self._memo.items():
                if ns == pi.ns and sel.matches(pi.labels):
                    n = counts.get(pi.node_name, 0) + (1 if add else -1)
                    if n > 0:
                        counts[pi.node_name] = n
                    else:
                        counts.pop(pi.node_name, None)
        nsd = self.ns_pods.setdefault(pi.ns, {})
        for k, v in pi.labels.items():
            d = self.label_index.setdefault((pi.ns, k, v), {})
            if add:
                d[pi.key] = pi
            else:
                d.pop(pi.key, None)
        if add:
            nsd[pi.key] = pi
        else:
            nsd.pop(pi.key, None)

    def _set_pod(self, ns: str, name: str, pod: dict | None) -> None:
        key = (ns, name)
        old = self.assigned.get(key)
        if pod is not None and _counts_on_node(pod):
            self.pending.pop(key, None)
            self._drop_nomination(key)
            if old is not None and old.node_name == pod["spec"]["nodeName"] and \
                    old.labels == ((pod.get("metadata") or {}).get("labels") or {}) and \
                    old.deleting == bool(pod["metadata"].get("deletionTimestamp")) and \
                    old.pod.get("spec") == pod.get("spec"):
                old.pod = pod  # a status-only change: nothing the scheduler counts moved
                return
            self._unassign(old)
            pi = PodInfo(pod, self.priority_of(pod))
            self.assigned[key] = pi
            self._index(pi, True)
            self._count_prio(pi, 1)
            ni = self.nodes.get(pi.node_name)
            if ni is not None:
                ni.add_pod(pi)
                if pi.has_affinity:
                    self._refresh_aff(ni)
            self._bump(pi.node_name)
            return
        self._unassign(old)
        self._drop_nomination(key)
        if pod is not None and is_pending(pod):
            self.pending[key] = pod
            nn = (pod.get("status") or {}).get("nominatedNodeName")
            if nn:
                self.nominated.setdefault(nn, {})[key] = PodInfo(pod, self.priority_of(pod))
                self._bump(nn)
        else:
            self.pending.pop(key, None)

    def _unassign(self, old: PodInfo | None) -> None:
        if old is None:
            return
        self.assigned.pop(old.key, None)
        self._index(old, False)
        self._count_prio(old, -1)
        ni = self.nodes.get(old.node_name)
        if ni is not None:
            ni.remove_pod(old)
            if old.has_affinity:
                self._refresh_aff(ni)
        self._bump(old.node_name)

    def _drop_nomination(self, key) -> None:
        for nn, d in list(self.nominated.items()):
            if key in d:
                del d[key]
                if not d:
                    del self.nominated[nn]
                self._bump(nn)

    def assume(self, pi: PodInfo, node_name: str) -> None:
        """Count a just-bound pod on its node (before the store change comes back)."""
        spec = pi.pod.get("spec") or {}
        if spec.get("nodeName") != node_name:
            pod = copy.copy(pi.pod)
            pod["spec"] = dict(spec, nodeName=node_name)
            self._set_pod(pi.ns, pi.name, pod)
            return
        # the written pod: its PodInfo is reused (no second parse)
        key = pi.key
        self.pending.pop(key, None)
        self._drop_nomination(key)
        self._unassign(self.assigned.get(key))
        pi.node_name = node_name
        self.assigned[key] = pi
        self._index(pi, True)
        self._count_prio(pi, 1)
        ni = self.nodes.get(node_name)
        if ni is not None:
            ni.add_pod(pi)
            if pi.has_affinity:
                self._refresh_aff(ni)
        self._bump(node_name)

    def _node_key(self, ni: NodeInfo) -> tuple:
        if ni.name in self.nominated:
            return ("node", ni.name)
        return ni.state_key()

    def buckets(self) -> tuple[dict, dict]:
        """(state key → sorted node names, node name → state key)."""
        if self._base is None:
            base: dict = {}
            keys: dict = {}
            for ni in self.all_nodes():
                k = self._node_key(ni)
                keys[ni.name] = k
                base.setdefault(k, []).append(ni.name)
            self._base, self._base_key = base, keys
            self._base_dirty.clear()
        elif self._base_dirty:
            base, keys = self._base, self._base_key
            for name in self._base_dirty:
                ni = self.nodes.get(name)
                if ni is None:
                    continue
                k = self._node_key(ni)
                old = keys.get(name)
                if old == k:
                    continue
                if old is not None:
                    lst = base[old]
                    i = bisect.bisect_left(lst, name)
                    if i < len(lst) and lst[i] == name:
                        del lst[i]
                    if not lst:
                        del base[old]
                bisect.insort(base.setdefault(k, []), name)
                keys[name] = k
            self._base_dirty.clear()
        return self._base, self._base_key

    # ------------------------------------------------------------------ reads for plugins
    def all_nodes(self) -> list[NodeInfo]:
        if self._sorted is None:
            self._sorted = [self.nodes[n] for n in sorted(self.nodes)]
        return self._sorted

    def node(self, name: str) -> NodeInfo | None:
        return self.nodes.get(name)

    def nodes_with_affinity(self) -> list[NodeInfo]:
        return [self.aff_nodes[n] for n in sorted(self.aff_nodes)]

    def nodes_with_anti(self) -> list[NodeInfo]:
        return [self.anti_nodes[n] for n in sorted(self.anti_nodes)]

    def min_priority(self) -> int:
        """The lowest priority among assigned, non-terminating pods (no one below: no victims)."""
        return min(self.prio_counts, default=2**31)

    def match_counts(self, ns: str, selector) -> dict[str, int]:
        """node name → pods in `ns` (not terminating) matching `selector`."""
        if selector.nothing:
            return {}
        mk = (ns, selector)
        got = self._memo.pop(mk, None)
        if got is not None:
            self._memo[mk] = got  # most recently used last
            return got
        cands = None
        for r in selector.requirements:
            if r.operator in ("=", "==", "in"):
                found: dict = {}
                for v in r.values:
                    found.update(self.label_index.get((ns, r.key, v)) or {})
                if cands is None or len(found) < len(cands):
                    cands = found
        if cands is None:
            cands = self.ns_pods.get(ns) or {}
        out: dict[str, int] = {}
        for pi in cands.values():
            if not pi.deleting and selector.matches(pi.labels):
                out[pi.node_name] = out.get(pi.node_name, 0) + 1
        self._memo[mk] = out
        while len(self._memo) > 8:
            del self._memo[next(iter(self._memo))]
        return out

    def _list(self, resource: str) -> dict:
        got = self._small.get(resource)
        if got is None:
            got = {}
            try:
                items = self.reader.list(resource)
            except Exception:  # a resource this store does not know yet
                items = []
            for o in items:
                m = o.get("metadata") or {}
                got[(m.get("namespace", ""), m.get("name", ""))] = o
            self._small[resource] = got
        return got

    @property
    def ns_labels(self) -> dict:
        got = self._small.get("_ns_labels")
        if got is None:
            got = {k[1]: (o.get("metadata") or {}).get("labels") or {} for k, o in self._list("namespaces").items()}
            self._small["_ns_labels"] = got
        return got

    def pvc(self, ns: str, name: str) -> dict | None:
        return self._list("persistentvolumeclaims").get((ns, name))

    def pv(self, name: str) -> dict | None:
        return self._list("persistentvolumes").get(("", name))

    def binding_mode(self, pvc: dict) -> str:
        spec = pvc.get("spec") or {}
        sc_name = spec.get("storageClassName")
        scs = self._list(_RES_SC)
        if sc_name is None:
            for (_, _n), sc in sorted(scs.items()):
                if ((sc.get("metadata") or {}).get("annotations") or {}).get(
                        "storageclass.kubernetes.io/is-default-class") == "true":
                    return sc.get("volumeBindingMode") or "Immediate"
            return "Immediate"
        sc = scs.get(("", sc_name))
        return (sc or {}).get("volumeBindingMode") or "Immediate"

    def priority_of(self, pod: dict) -> int:
        """spec.priority if the API server set it; else priorityClassName's value, else the
        globalDefault class's, else 0."""
        spec = pod.get("spec") or {}
        if spec.get("priority") is not None:
            return int(spec["priority"])
        classes = self._list(_RES_PRIORITY)
        name = spec.get("priorityClassName")
        if name:
            pc = classes.get(("", name))
            if pc is not None:
                return int(pc.get("value") or 0)
            return SYSTEM_PRIORITIES.get(name, 0)
        for (_, _n), pc in sorted(classes.items()):
            if pc.get("globalDefault"):
                return int(pc.get("value") or 0)
        return 0

    def default_selector(self, pi: PodInfo):
        """helper.DefaultSelector: the selectors of Services, ReplicationControllers,
        ReplicaSets and StatefulSets selecting the pod, ANDed; None if there are none."""
        from kctl.api.selectors import LabelSelector

        cache = self._small.setdefault("_defsel", {})
        ck = (pi.ns, json.dumps(pi.labels, sort_keys=True))
        if ck in cache:
            return cache[ck]
        reqs = []
        for res, kind in (("services", "svc"), ("replicationcontrollers", "rc"),
                          ("replicasets.apps", "rs"), ("statefulsets.apps", "sts")):
            for (ns, _n), o in self._list(res).items():
                if ns != pi.ns:
                    continue
                sel_spec = (o.get("spec") or {}).get("selector")
                if kind in ("svc", "rc"):
                    if not sel_spec:
                        continue
                    sel = fw.set_selector(sel_spec)
                else:
                    sel = fw.label_selector(sel_spec)
                if sel.nothing or sel.empty() or not sel.matches(pi.labels):
                    continue
                reqs.extend(r for r in sel.requirements if r not in reqs)
        out = LabelSelector(tuple(sorted(reqs, key=lambda r: (r.key, r.operator, r.values)))) if reqs else None
        cache[ck] = out
        return out


# ---------------------------------------------------------------------------- the cycle
class Result:
    __slots__ = ("node", "message", "statuses", "nominate", "victims", "feasible", "scores", "groups",
                 "clear_nomination")

    def __init__(self):
        self.node = None
        self.message = ""
        self.statuses: dict[str, Status] = {}
        self.nominate = None
        self.victims: list = []
        self.feasible = 0
        self.scores = None
        self.groups = None
        self.clear_nomination = False


class Algorithm:
    """The framework run for one pod over a snapshot."""

    def __init__(self, plugins=None):
        from kctl.scheduler.plugins import default_plugins

        self.plugins = plugins if plugins is not None else default_plugins()
        self.filters = [p for p in self.plugins if p.has_filter]
        self.scorers = [p for p in self.plugins if p.has_score]
        self._fail_cache: dict = {}

    # ------------------------------------------------------------------ filters
    def run_filters(self, state, pi: PodInfo, ni: NodeInfo):
        """RunFilterPlugins: the first failing plugin's status (with its name), else None."""
        for p in state.get("_filters", self.filters):
            st = p.filter(state, pi, ni)
            if st is not None:
                st.plugin = p.name
                return st
        return None

    def run_filters_nominated(self, state, pi, ni, snap):
        """RunFilterPluginsWithNominatedPods: with pods nominated to this node (priority ≥
        the pod's) added, then without them; both must pass."""
        nom = snap.nominated.get(ni.name)
        if nom:
            extra = [p for k, p in nom.items() if k != pi.key and p.priority >= pi.priority]
            if extra:
                c = ni.clone()
                for p in extra:
                    c.add_pod(p)
                st = self.run_filters(state, pi, c)
                if st is not None:
                    return st
        return self.run_filters(state, pi, ni)

    # ------------------------------------------------------------------ groups
    def _simple(self, pi: PodInfo, snap) -> bool:
        from kctl.scheduler.plugins.inter_pod_affinity import existing_terms_touch
        from kctl.scheduler.plugins.node_affinity import refers_to_node_identity
        from kctl.scheduler.plugins.volume_binding import claim_names

        if pi.ports or pi.has_affinity or refers_to_node_identity(pi.pod) or claim_names(pi.pod):
            return False
        return not existing_terms_touch(pi, snap)

    def _spread_selectors(self, pi: PodInfo, snap) -> list:
        from kctl.scheduler.plugins.pod_topology_spread import pod_constraints

        sels = [c.selector for c in pod_constraints(pi, True) + pod_constraints(pi, False)]
        if not (pi.pod.get("spec") or {}).get("topologySpreadConstraints"):
            d = snap.default_selector(pi)
            if d is not None:
                sels.append(d)
        return sels

    def groups(self, pi: PodInfo, snap, class_key=None) -> list[Group]:
        """Per-node groups, or for a simple pod the snapshot's state buckets with the nodes
        holding pods that match the pod's spread selectors split out by their counts."""
        if class_key is None or not self._simple(pi, snap):
            return [Group(ni, [ni.name]) for ni in snap.all_nodes()]
        sels = self._spread_selectors(pi, snap)
        counts = [snap.match_counts(pi.ns, s) for s in sels]
        base, base_key = snap.buckets()
        split: dict = {}
        for c in counts:
            for name in c:
                if name in base_key:
                    split.setdefault(base_key[name], set()).add(name)
        out = []
        nodes = snap.nodes
        for k, names in base.items():
            ex = split.get(k)
            if not ex:
                out.append(Group(nodes[names[0]], names))
                continue
            sub: dict = {}
            for name in sorted(ex):
                sub.setdefault(tuple(c.get(name, 0) for c in counts), []).append(name)
            for lst in sub.values():
                out.append(Group(nodes[lst[0]], lst))
            if len(ex) < len(names):
                view = NamesView(names, ex)
                out.append(Group(nodes[view[0]], view))
        return out

    # ------------------------------------------------------------------ schedule
    def schedule(self, snap, pi: PodInfo, class_key=None, *, preempt: bool = True) -> Result:
        res = Result()
        nodes = snap.all_nodes()
        if not nodes:
            res.message = fw.NO_NODES
            return res
        n_all = len(nodes)
        state = fw.CycleState()
        groups = self.groups(pi, snap, class_key)
        state["_groups"] = groups
        allowed = None
        restricting: list[str] = []
        for p in self.plugins:
            r = p.pre_filter(state, pi, snap)
            if r is None:
                continue
            if isinstance(r, Status):
                r.plugin = p.name
                for ni in nodes:
                    res.statuses[ni.name] = r
                post = self._post_filter(snap, pi, state, res, n_all) if preempt else ""
                res.message = fit_error_message(n_all, r.message(), [], post)
                return res
            allowed = set(r) if allowed is None else allowed & set(r)
            restricting.append(p.name)
        state["_filters"] = [p for p in self.filters if p.filter_needed(state, pi)]
        nominated = (pi.pod.get("status") or {}).get("nominatedNodeName")
        if nominated and nominated in snap.nodes and (allowed is None or nominated in allowed):
            # evaluateNominatedNode: a pod that preempted tries its nominated node first
            if self.run_filters_nominated(state, pi, snap.nodes[nominated], snap) is None:
                res.node = nominated
                res.feasible = 1
                return res
        feasible: list[Group] = []
        failed: list[tuple[Status, int]] = []
        for g in groups:
            ni = g.ni
            if allowed is not None and ni.name not in allowed:
                st = absent_status(restricting)
            else:
                st = self.run_filters_nominated(state, pi, ni, snap)
            if st is None:
                feasible.append(g)
            else:
                failed.append((st, len(g.names)))
                for n in g.names:
                    res.statuses[n] = st
        res.feasible = sum(len(g.names) for g in feasible)
        if not feasible:
            post = self._post_filter(snap, pi, state, res, n_all) if preempt else ""
            res.message = fit_error_message(n_all, "", failed, post)
            return res
        if len(feasible) == 1:
            res.node = feasible[0].names[0]
            return res
        totals = [0] * len(feasible)
        for p in self.scorers:
            if not p.pre_score(state, pi, snap, feasible):
                continue
            raw = [p.score(state, pi, g.ni) for g in feasible]
            p.normalize(state, pi, raw, feasible)
            w = p.weight
            for i, s in enumerate(raw):
                totals[i] += s * w
        best = max(totals)
        res.node = min(g.names[0] for g, t in zip(feasible, totals) if t == best)
        return res

    def _post_filter(self, snap, pi, state, res: Result, n_all: int) -> str:
        from kctl.scheduler.plugins.default_preemption import preempt

        def rf(st, p, ni):
            return self.run_filters(st, p, ni)

        from kctl.scheduler.plugins.default_preemption import PREFIX

        node, victims, msg = preempt(snap, pi, rf, state, res.statuses, n_all)
        if node is not None:
            res.nominate = node
            res.victims = victims
        elif msg.startswith(PREFIX + "0/"):
            res.clear_nomination = True
        return msg


# ---------------------------------------------------------------------------- class key
def class_key(pi: PodInfo) -> str:
    """Pods with the same namespace, labels, spec (but name-derived fields) and priority are
    one equivalence class: every plugin answers the same for them."""
    spec = dict(pi.pod.get("spec") or {})
    for f in ("nodeName", "hostname", "subdomain"):
        spec.pop(f, None)
    nominated = (pi.pod.get("status") or {}).get("nominatedNodeName")
    return json.dumps([pi.ns, pi.labels, spec, pi.priority, nominated], sort_keys=True)


# ---------------------------------------------------------------------------- controller
def _scheduled_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "PodScheduled":
            return c
    return None


class Scheduler:
    """kube-scheduler as a reconciler (CONTROLPLANE.md "Pod lifecycle contract" 2)."""

    name = "scheduler"
    resources = ("pods", "nodes", "persistentvolumeclaims") + tuple(r for r in _SMALL if r != "persistentvolumeclaims")

    def keys_for(self, ctx, change):
        return [QUEUE_KEY]

    # the cache lives on the Context: one converge, one snapshot kept current
    @staticmethod
    def cache(ctx) -> dict:
        if not hasattr(ctx, "cache"):
            ctx.cache = {}
        c = ctx.cache.get("scheduler")
        if c is None:
            c = ctx.cache["scheduler"] = {"snap": Snapshot.load(ctx.store), "algo": Algorithm(), "tried": {}}
        else:
            c["snap"].sync(ctx.store)
        return c

    def reconcile(self, ctx, key) -> None:
        from kctl.scheduler.plugins.priority_sort import sort_key

        if "scheduler" not in (getattr(ctx, "cache", None) or {}):
            # before paying for a snapshot, ask the phase index whether anything waits
            if not any(is_pending(p) for p in ctx.store.list("pods", None, phase="Pending")):
                return
        c = self.cache(ctx)
        snap: Snapshot = c["snap"]
        algo: Algorithm = c["algo"]
        tried: dict = c["tried"]
        if not snap.pending:
            return
        queue = []
        for k, pod in snap.pending.items():
            pi = PodInfo(pod, snap.priority_of(pod))
            queue.append(pi)
        queue.sort(key=sort_key)
        fail_cache: dict = {}
        for pi in queue:
            rv = (pi.pod.get("metadata") or {}).get("resourceVersion")
            if tried.get(pi.key) == (snap.version, rv):
                continue  # nothing changed since this pod last failed
            v0 = snap.version
            ck = class_key(pi)
            cached = fail_cache.get(ck)
            if cached is not None and cached[0] == snap.version:
                res = cached[1]
            else:
                res = algo.schedule(snap, pi, ck)
                if res.node is None and res.nominate is None:
                    fail_cache[ck] = (snap.version, res)
            if res.node is not None:
                self._bind(ctx, snap, pi, res.node)
                tried.pop(pi.key, None)
            else:
                self._unschedulable(ctx, snap, pi, res)
                live = ctx.store.get("pods", pi.ns, pi.name)
                if live is not None:
                    # the version this verdict was computed at: if our own writes (preemption,
                    # a nomination) moved the cluster on, the pod is tried again
                    snap.sync(ctx.store)
                    tried[pi.key] = (v0, live["metadata"].get("resourceVersion"))

    # ------------------------------------------------------------------ writes
    def _bind(self, ctx, snap: Snapshot, pi: PodInfo, node: str) -> None:
        live = ctx.store.get("pods", pi.ns, pi.name)
        if live is None or not is_pending(live):
            return
        pod = dict(live)
        pod["spec"] = dict(live.get("spec") or {}, nodeName=node)
        status = pod["status"] = dict(live.get("status") or {})
        status.pop("nominatedNodeName", None)
        conds = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conds.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                      "lastTransitionTime": ctx.now_str})
        status["conditions"] = conds
        self._select_node_for_claims(ctx, snap, pi, node)
        written = ctx.write("pods", pod)
        snap.assume(PodInfo(written, pi.priority), node)
        ctx.event(written, "Normal", "Scheduled", f"Successfully assigned {pi.ns}/{pi.name} to {node}",
                  component=COMPONENT)

    @staticmethod
    def _select_node_for_claims(ctx, snap: Snapshot, pi: PodInfo, node: str) -> None:
        """VolumeBinding PreBind: an unbound WaitForFirstConsumer claim gets the
        `volume.kubernetes.io/selected-node` annotation so its volume is provisioned there."""
        from kctl.scheduler.plugins.volume_binding import SELECTED_NODE, claim_names

        for claim in claim_names(pi.pod):
            pvc = ctx.store.get("persistentvolumeclaims", pi.ns, claim)
            if pvc is None or (pvc.get("spec") or {}).get("volumeName"):
                continue
            if snap.binding_mode(pvc) != "WaitForFirstConsumer":
                continue
            ann = (pvc.get("metadata") or {}).get("annotations") or {}
            if ann.get(SELECTED_NODE) == node:
                continue
            new = copy.deepcopy(pvc)
            new["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node
            ctx.update("persistentvolumeclaims", new)

    def _unschedulable(self, ctx, snap: Snapshot, pi: PodInfo, res: Result) -> None:
        if res.nominate is not None:
            self._preempt(ctx, snap, pi, res)
        live = ctx.store.get("pods", pi.ns, pi.name)
        if live is None or not is_pending(live):
            return
        cond = _scheduled_condition(live)
        status = live.get("status") or {}
        want_nominated = res.nominate if res.nominate is not None else status.get("nominatedNodeName")
        if res.clear_nomination:
            # preemption found no candidate: PostFilterResult with nominatedNodeName ""
            want_nominated = None
        same = cond is not None and cond.get("status") == "False" and cond.get("reason") == "Unschedulable" \
            and cond.get("message") == res.message and status.get("nominatedNodeName") == want_nominated
        if same:
            return
        pod = copy.deepcopy(live)
        st = pod.setdefault("status", {})
        st.setdefault("phase", "Pending")
        conds = [c for c in st.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conds.append({"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                      "lastTransitionTime": (cond or {}).get("lastTransitionTime") if cond is not None
                      and cond.get("status") == "False" else ctx.now_str,
                      "reason": "Unschedulable", "message": res.message})
        st["conditions"] = conds
        if want_nominated:
            st["nominatedNodeName"] = want_nominated
        else:
            st.pop("nominatedNodeName", None)
        written = ctx.update_status("pods", pod)
        if cond is None or cond.get("message") != res.message:
            ctx.event(written, "Warning", "FailedScheduling", res.message, component=COMPONENT)

    def _preempt(self, ctx, snap: Snapshot, pi: PodInfo, res: Result) -> None:
        from kctl.scheduler.plugins import default_preemption as dp

        node = res.nominate
        for v in res.victims:
            live = ctx.store.get("pods", v.ns, v.name)
            if live is None:
                continue
            pod = copy.deepcopy(live)
            st = pod.setdefault("status", {})
            conds = [c for c in st.get("conditions") or [] if c.get("type") != "DisruptionTarget"]
            conds.append({"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                          "lastTransitionTime": ctx.now_str, "reason": dp.DISRUPTION_REASON,
                          "message": dp.DISRUPTION_MESSAGE})
            st["conditions"] = conds
            written = ctx.update_status("pods", pod)
            ctx.event(written, "Normal", dp.EVENT_REASON, dp.EVENT_MESSAGE.format(uid=pi.uid, node=node),
                      component=COMPONENT)
            _delete_pod(ctx, v.ns, v.name)
        # lower-priority pods nominated to this node lose their nomination
        for k, other in list((snap.nominated.get(node) or {}).items()):
            if k == pi.key or other.priority >= pi.priority:
                continue
            live = ctx.store.get("pods", other.ns, other.name)
            if live is not None and (live.get("status") or {}).get("nominatedNodeName"):
                pod = copy.deepcopy(live)
                pod["status"].pop("nominatedNodeName", None)
                ctx.update_status("pods", pod)
        snap.sync(ctx.store)


def _delete_pod(ctx, ns: str, name: str) -> None:
    """Graceful DELETE of a victim, as the API server does for a pod without finalizers
    (background propagation, the pod's terminationGracePeriodSeconds, 30 by default):
    deletionTimestamp = now + grace; the kubelet then removes it. kctl.controllers.gc's
    delete_object does the same, but the layer rules keep kctl.scheduler from importing
    kctl.controllers."""
    from datetime import timedelta, timezone

    live = ctx.store.get("pods", ns, name)
    if live is None or (live.get("metadata") or {}).get("deletionTimestamp"):
        return
    grace = (live.get("spec") or {}).get("terminationGracePeriodSeconds")
    grace = 30 if grace is None else int(grace)
    if grace <= 0 and not (live.get("metadata") or {}).get("finalizers"):
        ctx.delete("pods", ns, name)
        return
    pod = dict(live)
    meta = pod["metadata"] = dict(live["metadata"])
    meta["deletionTimestamp"] = (ctx.now + timedelta(seconds=max(grace, 1))).astimezone(
        timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    meta["deletionGracePeriodSeconds"] = grace
    ctx.write("pods", pod)
