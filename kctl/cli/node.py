"""`kctl node fail NODE` / `kctl node recover NODE`: simulate a node's kubelet stopping and
coming back (CLI-CONTRACT.md "node failure")."""

from __future__ import annotations

import click

from kctl.cli.options import global_flags, merge_globals
from kctl.errors import NotFound

_CTX = {"help_option_names": ["-h", "--help"]}


@click.group("node", context_settings=_CTX)
def node_group():
    """Simulate node failure and recovery.

    \b
    kctl node fail NODE      the node's kubelet stops: prints `node/NODE failed`
    kctl node recover NODE   the kubelet posts status again: prints `node/NODE recovered`
    """


def _change(ctx, name: str, store, fail: bool) -> None:
    from kctl.cli.common import writable_engine
    from kctl.controllers.context import Context
    from kctl.controllers.node_lifecycle import fail_node, node_failed, recover_node

    g = merge_globals(ctx, store=store, namespace=None, all_namespaces=None, output=None)
    store_, engine = writable_engine(g.store)
    try:
        with store_.transaction():
            node = store_.get("nodes", "", name)
            if node is None:
                raise NotFound("nodes", name)
            cctx = Context(store_, engine.now)
            if fail:
                changed = not node_failed(node)
                if changed:
                    cctx.write("nodes", fail_node(node))
            else:
                changed = node_failed(node)
                if changed:
                    cctx.write("nodes", recover_node(node, cctx.now_str))
            engine.converge()
    finally:
        store_.close()
    word = "failed" if fail else "recovered"
    click.echo(f"node/{name} {word}" if changed else f"node/{name} already {word}")


@node_group.command("fail", context_settings=_CTX)
@click.argument("name")
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.pass_context
def fail_cmd(ctx, name, store):
    """Stop NODE's kubelet (prints `node/NODE failed`).

    The node lifecycle controller then sets every node condition to Unknown
    (NodeStatusUnknown, "Kubelet stopped posting node status.") and adds the
    node.kubernetes.io/unreachable NoSchedule and NoExecute taints. Each pod on the node is
    marked for deletion after its tolerationSeconds for that taint (300 s by default; at
    once without a matching toleration) and stays Terminating while the node is down.
    Move cluster time with `kctl reconcile --advance 5m`. Implemented as the node
    annotation sim.kctl.io/failed: "true". A node already failed prints `node/NODE already failed`.
    """
    _change(ctx, name, store, True)


@node_group.command("recover", context_settings=_CTX)
@click.argument("name")
@global_flags(namespace=False, all_namespaces=False, output=False)
@click.pass_context
def recover_cmd(ctx, name, store):
    """Start NODE's kubelet again (prints `node/NODE recovered`).

    The node's conditions return to Ready True, the unreachable taints are removed and the
    Terminating pods on it are removed; its other pods report Ready again. A node that is
    not failed prints `node/NODE already recovered`.
    """
    _change(ctx, name, store, False)
