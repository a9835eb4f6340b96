"""Social power: how much of the group's final views each stakeholder's initial view makes up.

Every model's outcome is read as x_final = V u for a row-stochastic V (where such a V exists);
stakeholder j's *share* is the column mean (1/n) Σ_i V_ij, the part of the average final view
owed to j. The shares sum to 1.

- DeGroot with guaranteed consensus: V = 1 πᵀ with π the left eigenvector of W for
  eigenvalue 1 (πᵀW = πᵀ, Σπ = 1), so the share is π (DeGroot 1974).
- DeGroot otherwise: V = lim_k ((I + W)/2)^k, the Cesàro limit of W^k (the lazy chain has the
  same closed classes and stationary laws but no periodicity).
- Friedkin–Johnsen (and, for structure, every other model): V = (I − ΛW)⁻¹(I − Λ), the
  total-influence matrix (Friedkin & Johnsen 2011); the multi-issue and bounded-confidence
  models report this interpersonal V. If I − ΛW is singular the DeGroot limit is used.
"""

from __future__ import annotations

import numpy as np

from .dynamics import total_influence
from .types import DeGroot, DeGrootCertificate, Influence, Model, Power

KEY_INFLUENCERS = 3


def left_eigenvector(w: np.ndarray) -> np.ndarray:
    """π ≥ 0 with πᵀW = πᵀ and Σπ = 1 (the eigenvector of Wᵀ closest to eigenvalue 1).

    Example (π₁ = π₁/2 + π₂/4 gives π₂ = 2π₁):
        >>> left_eigenvector(np.array([[0.5, 0.5], [0.25, 0.75]])).round(6).tolist()
        [0.333333, 0.666667]
    """
    values, vectors = np.linalg.eig(w.T)
    pi = np.abs(np.real(vectors[:, np.argmin(np.abs(values - 1.0))]))
    return np.asarray(pi / pi.sum(), dtype=float)


def limit_matrix(w: np.ndarray, tolerance: float = 1e-13, squarings: int = 64) -> np.ndarray:
    """lim_k ((I + W)/2)^k by repeated squaring (stops once a squaring changes nothing)."""
    p = (np.eye(w.shape[0]) + w) / 2.0
    for _ in range(squarings):
        squared = p @ p
        if np.abs(squared - p).max() <= tolerance:
            return np.asarray(squared, dtype=float)
        p = squared
    return np.asarray(p, dtype=float)


def social_power(
    model: Model,
    w: np.ndarray,
    susceptibility: np.ndarray,
    ids: tuple[str, ...],
    cert: DeGrootCertificate,
) -> Power:
    """Shares of social power and the key influencers for ``model`` (see the module notes)."""
    influence: np.ndarray | None = None
    if not isinstance(model, DeGroot):
        influence = total_influence(w, susceptibility)
    if influence is not None:
        method: str = "total-influence"
        matrix = influence
    elif cert.consensus_guaranteed:
        method = "left-eigenvector"
        matrix = np.tile(left_eigenvector(w), (w.shape[0], 1))
    else:
        method = "limit-matrix"
        matrix = limit_matrix(w)
    shares = matrix.mean(axis=0)
    ranked = np.argsort(-shares, kind="stable")
    return Power(
        method=method,  # type: ignore[arg-type]
        shares=tuple(Influence(ids[j], float(shares[j])) for j in ranked.tolist()),
        key_influencers=tuple(ids[j] for j in ranked[:KEY_INFLUENCERS].tolist()),
        total_influence=tuple(tuple(row) for row in matrix.tolist()),
    )
