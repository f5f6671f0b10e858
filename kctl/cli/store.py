"""`kctl store info|reset`: inspect or wipe the store (CLI-CONTRACT.md)."""

from __future__ import annotations

import click

from kctl.cli.options import merge_globals
from kctl.errors import UsageError


@click.group("store", context_settings={"help_option_names": ["-h", "--help"]})
def store_group():
    """Inspect or reset the store that holds the cluster."""


@store_group.command("info")
@click.option("--store", "store", metavar="VALUE", help="Store location (see `kctl --help`).")
@click.pass_context
def info_cmd(ctx, store):
    """Location, backend, current revision and object counts per kind."""
    g = merge_globals(ctx, store=store)
    from kctl.cli.common import read_store
    from kctl.printers.table import render_table

    s = read_store(g.store)
    try:
        info = s.info()
    finally:
        s.close()
    click.echo(f"Location:  {info['location']}")
    click.echo(f"Backend:   {info['backend']}")
    click.echo(f"Revision:  {info['revision']}")
    counts = info.get("counts") or {}
    if counts:
        rows = [[res, str(n)] for res, n in sorted(counts.items())]
        click.echo(render_table(["RESOURCE", "COUNT"], rows), nl=False)
    else:
        click.echo("No objects.")


@store_group.command("reset")
@click.option("--store", "store", metavar="VALUE", help="Store location (see `kctl --help`).")
@click.option("--yes", is_flag=True, help="Confirm: delete every object and re-create the bootstrap objects.")
@click.pass_context
def reset_cmd(ctx, store, yes):
    """Delete every object, then re-create the bootstrap objects."""
    g = merge_globals(ctx, store=store)
    if not yes:
        raise UsageError("store reset deletes every object; pass --yes to confirm")
    from kctl.cli.common import open_store
    from kctl.engine import Engine

    s = open_store(g.store)
    try:
        with s.transaction():
            s.reset()
            engine = Engine(s)
            engine.bootstrap()
            engine.converge()
        location = s.location
    finally:
        s.close()
    click.echo(f'store "{location}" reset')
