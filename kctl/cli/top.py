"""`kctl top nodes|pods`: kubectl top's table, filled with resource REQUESTS (there is no
metrics server in a simulated cluster): a node's CPU/MEMORY are the summed requests of its
non-terminated pods, its percentages requests / allocatable; a pod's are its effective
requests (as the scheduler counts them)."""

from __future__ import annotations

from fractions import Fraction

import click

from kctl.cli.options import global_flags, merge_globals
from kctl.errors import NotFound, UsageError

_CTX = {"help_option_names": ["-h", "--help"]}
NODE_COLUMNS = ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
POD_COLUMNS = ["NAME", "CPU(cores)", "MEMORY(bytes)"]


def _q(v) -> Fraction:
    from kctl.api.quantity import parse_quantity

    if v is None:
        return Fraction(0)
    return Fraction(parse_quantity(str(v)).value)


def pod_requests(pod: dict) -> dict[str, Fraction]:
    """Effective cpu/memory requests: sum of containers (and restartable init containers),
    at least the largest init container, plus pod overhead (the scheduler's rule)."""
    spec = pod.get("spec") or {}
    out = {"cpu": Fraction(0), "memory": Fraction(0)}
    sidecars = {"cpu": Fraction(0), "memory": Fraction(0)}
    init_max = {"cpu": Fraction(0), "memory": Fraction(0)}
    for c in spec.get("containers") or []:
        req = (c.get("resources") or {}).get("requests") or {}
        for r in out:
            out[r] += _q(req.get(r))
    for c in spec.get("initContainers") or []:
        req = (c.get("resources") or {}).get("requests") or {}
        for r in out:
            v = _q(req.get(r))
            if c.get("restartPolicy") == "Always":
                sidecars[r] += v
            else:
                init_max[r] = max(init_max[r], sidecars[r] + v)
    for r in out:
        out[r] = max(out[r] + sidecars[r], init_max[r]) + _q((spec.get("overhead") or {}).get(r))
    return out


def _cpu(v: Fraction) -> str:
    from kctl.api.quantity import _round_away

    return f"{_round_away(v * 1000)}m"


def _mem(v: Fraction) -> str:
    from kctl.api.quantity import _round_away

    return f"{_round_away(v) // (1024 * 1024)}Mi"


def _pct(used: Fraction, avail: Fraction) -> str:
    from kctl.api.quantity import _round_away

    if avail == 0:
        return "0%"
    return f"{int(_round_away(used * 1000) / _round_away(avail * 1000) * 100)}%"


def node_rows(nodes: list[dict], pods: list[dict], capacity: bool = False) -> list[list[str]]:
    """One row per node: requests of its non-terminated pods against allocatable."""
    used: dict[str, dict[str, Fraction]] = {}
    for p in pods:
        node = (p.get("spec") or {}).get("nodeName")
        if not node or (p.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            continue
        acc = used.setdefault(node, {"cpu": Fraction(0), "memory": Fraction(0)})
        for r, v in pod_requests(p).items():
            acc[r] += v
    rows = []
    for n in sorted(nodes, key=lambda n: n["metadata"]["name"]):
        name = n["metadata"]["name"]
        st = n.get("status") or {}
        avail = (st.get("capacity") if capacity else st.get("allocatable") or st.get("capacity")) or {}
        u = used.get(name, {"cpu": Fraction(0), "memory": Fraction(0)})
        rows.append([name, _cpu(u["cpu"]), _pct(u["cpu"], _q(avail.get("cpu"))),
                     _mem(u["memory"]), _pct(u["memory"], _q(avail.get("memory")))])
    return rows


def _render(headers: list[str], rows: list[list[str]], no_headers: bool) -> str:
    from kctl.printers.table import render_table

    # kubectl top ends every cell with a tab: the last column is padded too
    return render_table(None if no_headers else headers + [""], [r + [""] for r in rows])


def _sort(rows: list[list[str]], sort_by: str, cpu_col: int, mem_col: int) -> list[list[str]]:
    if not sort_by:
        return rows
    if sort_by not in ("cpu", "memory"):
        raise UsageError("--sort-by accepts only cpu or memory")
    col = cpu_col if sort_by == "cpu" else mem_col
    return sorted(rows, key=lambda r: -int(r[col].rstrip("mMi")))


class _TopGroup(click.Group):
    """kubectl top's aliases: node/no for nodes, pod/po for pods."""

    _ALIASES = {"node": "nodes", "no": "nodes", "pod": "pods", "po": "pods"}

    def get_command(self, ctx, name):
        return super().get_command(ctx, self._ALIASES.get(name, name))


@click.group("top", cls=_TopGroup, context_settings=_CTX)
def top_group():
    """Display resource (CPU/memory) REQUESTS against allocatable.

    kctl has no metrics server: these numbers are the pods' resource requests, not their
    usage. `top nodes` sums the requests of each node's non-terminated pods and shows them
    as a share of the node's allocatable; `top pods` shows each running pod's requests.
    """


@top_group.command("nodes", context_settings=_CTX)
@click.argument("name", required=False)
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.option("-l", "--selector", default="", help="Selector (label query) to filter on.")
@click.option("--sort-by", default="", help="If non-empty, sort nodes list using specified field. The field can be either 'cpu' or 'memory'.")
@click.option("--no-headers", is_flag=True, help="If present, print output without headers")
@click.option("--show-capacity", is_flag=True, help="Print node resources based on Capacity instead of Allocatable(default) of the nodes.")
@click.pass_context
def top_nodes(ctx, name, store, selector, sort_by, no_headers, show_capacity):
    """Display the resource requests of nodes against their allocatable (not usage: no
    metrics server). Columns as kubectl top node: NAME CPU(cores) CPU(%) MEMORY(bytes) MEMORY(%)."""
    from kctl.cli.common import read_store

    g = merge_globals(ctx, store=store, namespace=None, all_namespaces=None, output=None)
    store_ = read_store(g.store)
    try:
        if name:
            node = store_.get("nodes", "", name)
            if node is None:
                raise NotFound("nodes", name)
            nodes = [node]
        else:
            nodes = store_.list("nodes")
            if selector:
                from kctl.api.selectors import parse_label_selector

                sel = parse_label_selector(selector)
                nodes = [n for n in nodes if sel.matches((n.get("metadata") or {}).get("labels") or {})]
        pods = []
        for n in nodes:
            pods.extend(store_.list("pods", None, node_name=n["metadata"]["name"]))
    finally:
        store_.close()
    if not nodes:
        click.echo("No resources found", err=True)
        return
    rows = _sort(node_rows(nodes, pods, show_capacity), sort_by, 1, 3)
    click.echo(_render(NODE_COLUMNS, rows, no_headers), nl=False)


@top_group.command("pods", context_settings=_CTX)
@click.argument("name", required=False)
@global_flags(output=False)
@click.option("-l", "--selector", default="", help="Selector (label query) to filter on.")
@click.option("--sort-by", default="", help="If non-empty, sort pods list using specified field. The field can be either 'cpu' or 'memory'.")
@click.option("--no-headers", is_flag=True, help="If present, print output without headers.")
@click.option("--containers", is_flag=True, help="If present, print requests of containers within a pod.")
@click.option("--sum", "sum_", is_flag=True, help="Print the sum of the resource requests")
@click.pass_context
def top_pods(ctx, name, store, namespace, all_namespaces, selector, sort_by, no_headers, containers, sum_):
    """Display the resource requests of running pods (not usage: no metrics server).
    Columns as kubectl top pod: [NAMESPACE] NAME CPU(cores) MEMORY(bytes)."""
    from kctl.cli.common import read_store

    g = merge_globals(ctx, store=store, namespace=namespace, all_namespaces=all_namespaces, output=None)
    ns = g.effective_namespace
    store_ = read_store(g.store)
    try:
        if name:
            pod = store_.get("pods", ns, name)
            if pod is None or (pod.get("status") or {}).get("phase") != "Running":
                raise NotFound("pods", name) if pod is None else \
                    NotFound("pods.metrics.k8s.io", name)
            pods = [pod]
        else:
            pods = store_.list("pods", None if g.all_namespaces else ns)
            if selector:
                from kctl.api.selectors import parse_label_selector

                sel = parse_label_selector(selector)
                pods = [p for p in pods if sel.matches((p.get("metadata") or {}).get("labels") or {})]
            pods = [p for p in pods if (p.get("status") or {}).get("phase") == "Running"]
    finally:
        store_.close()
    if not pods:
        click.echo("No resources found" if g.all_namespaces else f"No resources found in {ns} namespace.", err=True)
        return
    headers = (["NAMESPACE"] if g.all_namespaces else []) + (["POD"] if containers else []) + POD_COLUMNS
    rows = []
    total = {"cpu": Fraction(0), "memory": Fraction(0)}
    for p in sorted(pods, key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"])):
        prefix = [p["metadata"].get("namespace", "")] if g.all_namespaces else []
        if containers:
            for c in (p.get("spec") or {}).get("containers") or []:
                req = (c.get("resources") or {}).get("requests") or {}
                rows.append(prefix + [p["metadata"]["name"], c["name"], _cpu(_q(req.get("cpu"))), _mem(_q(req.get("memory")))])
            continue
        r = pod_requests(p)
        total["cpu"] += r["cpu"]
        total["memory"] += r["memory"]
        rows.append(prefix + [p["metadata"]["name"], _cpu(r["cpu"]), _mem(r["memory"])])
    off = len(headers) - 2
    rows = _sort(rows, sort_by, off, off + 1)
    text = _render(headers, rows, no_headers)
    if sum_ and not containers:
        width = len(headers)
        pad = [""] * (width - 2)
        sep = pad + ["________", "________"]
        text = _render(headers, rows + [sep, pad + [_cpu(total["cpu"]), _mem(total["memory"])]], no_headers)
    click.echo(text, nl=False)
