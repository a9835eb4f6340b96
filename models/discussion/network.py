"""The influence network: from a consultant's layers to a row-stochastic matrix W.

``W[i, j]`` is the weight stakeholder ``i`` gives to ``j``'s view. In the digraph an edge
``i → j`` means "i listens to j" with that weight.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx
import numpy as np

from models.core import WORKING, unit_of

from .types import Discussion, Network


def raci_links(network: Network, roles: dict[str, str]) -> Counter[tuple[str, str]]:
    """Pairs of stakeholders whose roles share working cells (R, A, A/R, C or S: any letter
    but I) on a row, with the number of activities on which they do.

    An activity split per business unit (rows ``content@bu-a``, ``content@bu-b``) counts once
    for a pair that shares any of its rows; two units each on their own row share nothing.

    Args:
        network: holds the RACI matrix (row → role → letter).
        roles: stakeholder id → role id.

    Returns:
        Counter over unordered pairs ``(a, b)`` with ``a < b``.
    """
    links: Counter[tuple[str, str]] = Counter()
    if network.raci is None:
        return links
    by_role: dict[str, list[str]] = {}
    for stakeholder, role in roles.items():
        by_role.setdefault(role, []).append(stakeholder)
    shared: dict[str, set[tuple[str, str]]] = {}
    for row, cells in network.raci.items():
        working = sorted(
            s for role, letter in cells.items() if letter in WORKING for s in by_role.get(role, ())
        )
        activity = unit_of(row)[0]
        shared.setdefault(activity, set()).update(combinations(working, 2))
    for pairs in shared.values():
        links.update(pairs)
    return links


def influence_graph(discussion: Discussion) -> nx.DiGraph:
    """The weighted digraph of who listens to whom, before normalisation.

    Rules (weights add up over layers; ``L`` = :class:`~.types.LayerWeights`):

    - everyone listens to themselves with ``L.own``;
    - a reporting line member → manager: member listens to manager with ``L.manager``,
      manager to member with ``L.member``;
    - collaboration a – b with weight w: both directions with ``L.collaboration · w``;
    - RACI: stakeholders sharing k activities as R, A, C or S: both directions ``L.raci · k``;
    - trust truster → trusted with weight w: one direction with ``L.trust · w``.
    """
    network, layers = discussion.network, discussion.network.layers
    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in discussion.stakeholders)

    def add(listener: str, speaker: str, weight: float) -> None:
        if weight <= 0.0:
            return
        previous = graph.get_edge_data(listener, speaker, {"weight": 0.0})["weight"]
        graph.add_edge(listener, speaker, weight=previous + weight)

    for s in discussion.stakeholders:
        add(s.id, s.id, layers.own)
    for line in network.reporting:
        add(line.member, line.manager, layers.manager)
        add(line.manager, line.member, layers.member)
    for link in network.collaboration:
        add(link.a, link.b, layers.collaboration * link.weight)
        add(link.b, link.a, layers.collaboration * link.weight)
    roles = {s.id: s.role for s in discussion.stakeholders}
    for (a, b), shared in raci_links(network, roles).items():
        add(a, b, layers.raci * shared)
        add(b, a, layers.raci * shared)
    for trust in network.trust:
        add(trust.truster, trust.trusted, layers.trust * trust.weight)
    return graph


def influence_matrix(discussion: Discussion) -> np.ndarray:
    """The row-stochastic influence matrix W, rows and columns in stakeholder order.

    An explicit ``network.influence`` is returned as given. Otherwise the digraph of
    :func:`influence_graph` is turned into a matrix and each row divided by its sum; a row
    with no weight at all (``own = 0`` and nobody to listen to) becomes a stubborn self-loop.

    Example:
        >>> from models.discussion.types import Discussion, Stakeholder, Network, Trust
        >>> people = tuple(Stakeholder(id=i, name=i, role="x", positions=(0.5,)) for i in "ab")
        >>> d = Discussion(id="d", name="d", issues=("q",), stakeholders=people,
        ...                network=Network(trust=(Trust("a", "b", 3.0),)))
        >>> influence_matrix(d).tolist()
        [[0.25, 0.75], [0.0, 1.0]]
    """
    if discussion.network.influence is not None:
        return np.array(discussion.network.influence, dtype=float)
    ids = [s.id for s in discussion.stakeholders]
    raw = nx.to_numpy_array(influence_graph(discussion), nodelist=ids, weight="weight")
    sums = raw.sum(axis=1)
    stubborn = np.flatnonzero(sums <= 0.0)
    raw[stubborn, stubborn] = 1.0
    sums[stubborn] = 1.0
    return np.asarray(raw / sums[:, None], dtype=float)
