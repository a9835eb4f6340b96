"""Structural and spectral certificates of a run.

- DeGroot (x(k+1) = W x(k)): consensus is reached from every start iff the digraph "i listens
  to j" (W_ij > 0) has exactly one closed strongly connected component and it is aperiodic
  (DeGroot 1974; Proskurnikov & Tempo 2017, Thm. 1). The error then shrinks like the second
  largest eigenvalue modulus of W.
- Friedkin–Johnsen: the iteration converges to x* = (I − ΛW)⁻¹(I − Λ)u iff ρ(ΛW) < 1, at
  rate ρ(ΛW). The multi-issue model converges iff ρ(ΛW)·ρ(C) < 1 (Parsegov et al. 2017).
"""

from __future__ import annotations

import msgspec
import networkx as nx
import numpy as np

from .dynamics import coupling_matrix, equilibrium, multi_issue_equilibrium
from .types import (
    DeGroot,
    DeGrootCertificate,
    Diagnostics,
    FriedkinJohnsen,
    Model,
    MultiIssueFriedkinJohnsen,
)


def listening_graph(w: np.ndarray, ids: tuple[str, ...]) -> nx.DiGraph:
    """Edge i → j when i gives j's view positive weight."""
    graph = nx.DiGraph()
    graph.add_nodes_from(ids)
    rows, cols = np.nonzero(w > 0.0)
    graph.add_edges_from(
        (ids[i], ids[j]) for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    return graph


def certificate(w: np.ndarray, ids: tuple[str, ...]) -> DeGrootCertificate:
    """The closed strongly connected components of the listening graph (groups that listen
    only among themselves), their aperiodicity, and whether DeGroot consensus is guaranteed.

    Example:
        >>> w = np.array([[0.5, 0.5], [0.0, 1.0]])
        >>> cert = certificate(w, ("a", "b"))
        >>> cert.closed_components, cert.consensus_guaranteed
        ((('b',),), True)
    """
    graph = listening_graph(w, ids)
    condensed = nx.condensation(graph)
    order = {s: k for k, s in enumerate(ids)}
    closed = sorted(
        (
            tuple(sorted(condensed.nodes[c]["members"], key=order.__getitem__))
            for c in condensed.nodes
            if condensed.out_degree(c) == 0
        ),
        key=lambda members: order[members[0]],
    )
    aperiodic = tuple(bool(nx.is_aperiodic(graph.subgraph(members))) for members in closed)
    return DeGrootCertificate(
        closed_components=tuple(closed),
        aperiodic=aperiodic,
        consensus_guaranteed=len(closed) == 1 and aperiodic[0],
    )


def spectral_radius(matrix: np.ndarray) -> float:
    """max |eigenvalue|."""
    return float(np.abs(np.linalg.eigvals(matrix)).max())


def second_eigenvalue_modulus(w: np.ndarray) -> float:
    """The second largest eigenvalue modulus of W (0 for a single stakeholder)."""
    moduli = np.sort(np.abs(np.linalg.eigvals(w)))[::-1]
    return float(moduli[1]) if moduli.size > 1 else 0.0


def diagnose(
    model: Model,
    w: np.ndarray,
    susceptibility: np.ndarray,
    initial: np.ndarray,
    ids: tuple[str, ...],
) -> Diagnostics:
    """Certificates for ``model`` on W, and the closed form where one exists: everything that
    does not depend on the run, so it can be computed before it (the eigenvalues are the
    dearest part, O(n³)). ``initial`` is (n, m); :func:`settled` adds the run's distance to
    the closed form."""
    cert = certificate(w, ids)
    match model:
        case DeGroot():
            return Diagnostics(certificate=cert, convergence_rate=second_eigenvalue_modulus(w))
        case FriedkinJohnsen() | MultiIssueFriedkinJohnsen():
            rho = spectral_radius(susceptibility[:, None] * w)
            closed: np.ndarray | None
            if isinstance(model, MultiIssueFriedkinJohnsen):
                coupling = coupling_matrix(model, initial.shape[1])
                rho *= spectral_radius(coupling)
                closed = multi_issue_equilibrium(w, susceptibility, coupling, initial)
            else:
                closed = equilibrium(w, susceptibility, initial)
            return Diagnostics(
                certificate=cert,
                spectral_radius=rho,
                convergence_rate=rho,
                equilibrium=None if closed is None else _rows(closed),
            )
    return Diagnostics(certificate=cert)


def settled(diagnostics: Diagnostics, final: np.ndarray) -> Diagnostics:
    """``diagnostics`` with ``distance_to_equilibrium`` = max |x_final − x*| (``final`` is
    (n, m)), where there is a closed form."""
    if diagnostics.equilibrium is None:
        return diagnostics
    distance = float(np.abs(final - np.array(diagnostics.equilibrium)).max())
    return msgspec.structs.replace(diagnostics, distance_to_equilibrium=distance)


def _rows(matrix: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in matrix.tolist())
