"""Decision rules: does a proposal pass, and by what margin.

A stakeholder *supports* when the final position on the proposal's issue is at least the
threshold. With S the supporters, n the number of stakeholders and w the weights:

- majority: share = |S| / n, passes when share > 1/2;
- weighted: share = Σ_{i∈S} w_i / Σ_i w_i, passes when share > 1/2;
- qualified: the weighted share, passes when share ≥ quota;
- vetoes (if the proposal enables them): every veto holder must support, whatever the share.

``margin = share − required``: positive when the share clears the bar.
"""

from __future__ import annotations

import numpy as np

from .types import Decision, Proposal

# Floating-point noise must not turn a position equal to the threshold into an opponent.
SUPPORT_SLACK = 1e-12


def required_share(proposal: Proposal) -> float:
    """The share the rule asks for (strictly more than it for majority and weighted)."""
    return proposal.quota if proposal.rule == "qualified" else 0.5


def tally(
    proposal: Proposal, positions: np.ndarray, weights: np.ndarray, veto: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised vote over a batch.

    Args:
        proposal: the rule.
        positions: (B, n) final positions on the proposal's issue.
        weights: (B, n) or (n,) weights.
        veto: (n,) bool, who holds a veto.

    Returns:
        ``(share, passes, supports)`` of shapes (B,), (B,), (B, n).
    """
    supports = positions >= proposal.threshold - SUPPORT_SLACK
    if proposal.rule == "majority":
        share = supports.mean(axis=1)
    else:
        w = np.broadcast_to(weights, supports.shape)
        total = w.sum(axis=1)
        backed = (w * supports).sum(axis=1)
        share = np.divide(backed, total, out=np.zeros_like(backed), where=total > 0.0)
    required = required_share(proposal)
    clears = share >= required - SUPPORT_SLACK if proposal.rule == "qualified" else share > required
    blocked = (~supports & veto).any(axis=1) if proposal.vetoes else np.zeros_like(clears)
    return share, clears & ~blocked, supports


def decide(
    proposal: Proposal,
    ids: tuple[str, ...],
    positions: np.ndarray,
    weights: np.ndarray,
    veto: np.ndarray,
) -> Decision:
    """The decision on one set of final positions (n,) on the proposal's issue.

    Example:
        >>> p = Proposal(issue="q", rule="weighted")
        >>> d = decide(p, ("a", "b", "c"), np.array([0.9, 0.2, 0.6]), np.array([1.0, 3.0, 1.0]),
        ...            np.zeros(3, dtype=bool))
        >>> d.passes, round(d.share, 3), round(d.margin, 3)
        (False, 0.4, -0.1)
    """
    share, passes, supports = tally(proposal, positions[None, :], weights, veto)
    required = required_share(proposal)
    backing = supports[0]
    return Decision(
        issue=proposal.issue,
        rule=proposal.rule,
        threshold=proposal.threshold,
        passes=bool(passes[0]),
        share=float(share[0]),
        required=required,
        margin=float(share[0]) - required,
        supporters=tuple(i for i, s in zip(ids, backing, strict=True) if s),
        opponents=tuple(i for i, s in zip(ids, backing, strict=True) if not s),
        vetoes=tuple(
            i for i, s, v in zip(ids, backing, veto, strict=True) if v and not s and proposal.vetoes
        ),
    )
