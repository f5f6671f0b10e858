"""Objects in, text out: kubectl's printers (tables, yaml/json, jsonpath, custom columns).

Everything here is pure: no I/O, no clock (callers pass `now`), no click.
"""
