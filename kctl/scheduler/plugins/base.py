"""Plugin base: every extension point is optional (a plugin without it is skipped there)."""

from __future__ import annotations


class Plugin:
    name = ""
    #: score weight in the default profile (0: not a score plugin)
    weight = 0
    has_filter = False
    has_score = False

    def pre_filter(self, state, pi, snap):
        """None (nothing to say), a Status (rejects every node), or a set of node names."""
        return None

    def filter(self, state, pi, ni):
        """None when the node passes, else a Status."""
        return None

    def filter_needed(self, state, pi) -> bool:
        """False when, after PreFilter, this filter cannot reject any node for this pod
        (PreFilter's Skip status upstream): the cycle leaves it out."""
        return True

    def pre_score(self, state, pi, snap, feasible) -> bool:
        """Prepare scoring; False means Skip (the plugin scores 0 everywhere)."""
        return True

    def score(self, state, pi, ni) -> int:
        return 0

    def normalize(self, state, pi, scores: list[int], groups) -> None:
        """NormalizeScore over the feasible nodes' raw scores (in place)."""


def default_normalize(scores: list[int], reverse: bool) -> None:
    """helper.DefaultNormalizeScore(MaxNodeScore, reverse, scores)."""
    max_count = max(scores, default=0)
    if max_count == 0:
        if reverse:
            for i in range(len(scores)):
                scores[i] = 100
        return
    for i, s in enumerate(scores):
        s = 100 * s // max_count
        scores[i] = 100 - s if reverse else s
