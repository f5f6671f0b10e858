"""PrioritySort (QueueSort): higher priority first, then the earlier queue time."""

from __future__ import annotations

NAME = "PrioritySort"


def sort_key(pi) -> tuple:
    # upstream compares Timestamp (when the pod entered the queue); creation time stands in,
    # then namespace/name so the order is deterministic
    return (-pi.priority, pi.created, pi.ns, pi.name)
