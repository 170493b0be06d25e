"""Clusters from scored pairs, with decisions people made.

Splink's clustering is connected components of the pairs at or above the threshold; it has
no notion of "these two are known to be one person" or "a supervisor said these two are
different people". This module applies both on top of the pairs Splink scored:

1. known links (an accepted referral's two records, pairs a supervisor confirmed) are joined
   first, whatever the model says;
2. the scored pairs at or above the threshold are then joined from the most to the least
   probable, except where a join would put two records a supervisor kept apart into one
   cluster (that pair, and any chain of pairs that would connect them, is left out);
3. with ``min_support`` set, a join of two groups of records is also refused when, over all
   pairs of one record from each group, the mean match probability (a pair not scored
   counting as 0) is below ``min_support``. Connected components chain: A-B and B-C linked
   put A and C together however strongly the model says they differ. A pair at or above the
   threshold always joins two single records; a record joins a group, or two groups join,
   only when the other cross pairs back the link. Must-link pairs are never refused.

Without decisions and without ``min_support`` the result is exactly the connected
components, as in Splink.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["cluster_with_decisions"]


def cluster_with_decisions(
    nodes: Iterable[int],
    scored_pairs: Iterable[tuple[int, int, float]],
    *,
    threshold: float,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
    min_support: float = 0.0,
) -> dict[int, int]:
    """Map each node to its cluster, numbered by the smallest node in the cluster.

    ``scored_pairs``: (node, node, match probability); those below the threshold count only
    as support (``min_support``)."""
    parent: dict[int, int] = {n: n for n in nodes}
    pairs = list(scored_pairs)
    score: dict[int, dict[int, float]] = {}
    if min_support > 0:
        for a, b, probability in pairs:
            score.setdefault(a, {})[b] = probability
            score.setdefault(b, {})[a] = probability
    members: dict[int, set[int]] = {n: {n} for n in parent}
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        if a in parent and b in parent:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)

    def find(n: int) -> int:
        root = n
        while parent[root] != root:
            root = parent[root]
        while parent[n] != root:
            parent[n], n = root, parent[n]
        return root

    def kept_apart(ra: int, rb: int) -> bool:
        small, large = sorted((members[ra], members[rb]), key=len)
        return any(apart.get(n, set()) & large for n in small)

    def unsupported(ra: int, rb: int) -> bool:
        small, large = sorted((members[ra], members[rb]), key=len)
        cross = len(small) * len(large)
        if min_support <= 0 or cross == 1:
            return False
        total = sum(p for n in small for m, p in score.get(n, {}).items() if m in large)
        return total < min_support * cross

    def join(a: int, b: int, *, respect_decisions: bool) -> None:
        ra, rb = find(a), find(b)
        if ra == rb or (respect_decisions and (kept_apart(ra, rb) or unsupported(ra, rb))):
            return
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)

    for a, b in must_link:
        if a in parent and b in parent:
            join(a, b, respect_decisions=False)
    for a, b, probability in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if probability >= threshold and a in parent and b in parent:
            join(a, b, respect_decisions=True)
    cluster_of_root = {root: min(group) for root, group in members.items()}
    return {n: cluster_of_root[find(n)] for n in parent}
