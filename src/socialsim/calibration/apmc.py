"""Population Monte Carlo ABC with adaptive tolerances, on the unit cube.

ABC-PMC (Beaumont, Cornuet, Marin & Robert 2009) with each generation's tolerance set by
a quantile of its own distances (as in the adaptive schemes of Lenormand, Jabot & Deffuant
2013 and Del Moral, Doucet & Jasra 2012). Every parameter is mapped to u in [0, 1] by its
prior's quantile transform, so the prior is uniform on the cube. With population size
``N`` and kept share ``alpha``:

1. Generation 0: ``N`` draws from the prior; keep the ``N alpha`` closest (weights 1).
2. Generation g: draw ``N (1 - alpha)`` new particles: pick a kept particle j with
   probability proportional to its weight and perturb it with a Gaussian kernel of
   covariance ``Sigma = 2 Cov_w(kept)`` (redrawn until inside the cube); give each the
   importance weight ``1 / sum_j (w_j / W) K_Sigma(u - u_j)``. The ``N alpha`` closest new
   particles replace the kept ones; the tolerance is their largest distance.
3. Stop when the share of new particles closer than the previous tolerance falls below
   ``min_acceptance`` (or the trial budget is spent).

The kept particles with their weights are a sample from the ABC posterior at the final
tolerance. Replacing the population each generation keeps the weights comparable (pooling
particles of earlier, wider generations with their own weights, as APMC does, let a single
early particle carry almost all the weight in a first test: effective sample size 1.5 of
50). The kernel's truncation to the cube is not renormalised (a small bias near the
bounds, as in most implementations).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass
class Particles:
    """Particles on the unit cube: positions (n, d), weights (n,), distances (n,), trials."""

    u: np.ndarray
    weight: np.ndarray
    distance: np.ndarray
    trial: np.ndarray

    def best(self, k: int) -> Particles:
        """The ``k`` particles with the smallest distance (ties by trial number)."""
        order = np.lexsort((self.trial, self.distance))[:k]
        return Particles(self.u[order], self.weight[order], self.distance[order], self.trial[order])

    def __add__(self, other: Particles) -> Particles:
        return Particles(
            np.vstack([self.u, other.u]),
            np.concatenate([self.weight, other.weight]),
            np.concatenate([self.distance, other.distance]),
            np.concatenate([self.trial, other.trial]),
        )


def kernel_cov(kept: Particles) -> np.ndarray:
    """Twice the weighted covariance of the kept particles (Beaumont et al. 2009)."""
    w = kept.weight / kept.weight.sum()
    mean = w @ kept.u
    x = kept.u - mean
    cov = 2.0 * (x * w[:, None]).T @ x
    return cov + 1e-10 * np.eye(cov.shape[0])


def propose(
    kept: Particles, index: int, rng_for: Callable[[int], np.random.Generator]
) -> tuple[np.ndarray, float]:
    """New particle number ``index`` of a generation and its importance weight.

    ``rng_for(index)`` gives the particle's own generator, so any particle of a generation
    can be drawn again (resume) without drawing the others.
    """
    rng = rng_for(index)
    cov = kernel_cov(kept)
    chol = np.linalg.cholesky(cov)
    p = kept.weight / kept.weight.sum()
    for _ in range(10_000):
        j = rng.choice(len(p), p=p)
        u = kept.u[j] + chol @ rng.standard_normal(len(cov))
        if np.all((u >= 0.0) & (u <= 1.0)):
            break
    else:  # pragma: no cover - a degenerate population
        u = np.clip(u, 0.0, 1.0)
    return u, importance_weight(u, kept, cov)


def importance_weight(u: np.ndarray, kept: Particles, cov: np.ndarray) -> float:
    """``1 / sum_j (w_j / W) K(u - u_j)`` with a Gaussian kernel of covariance ``cov``
    (the prior is uniform on the cube)."""
    inv = np.linalg.inv(cov)
    _, logdet = np.linalg.slogdet(cov)
    x = u[None, :] - kept.u
    d = len(u)
    log_k = -0.5 * np.einsum("ij,jk,ik->i", x, inv, x) - 0.5 * (logdet + d * np.log(2 * np.pi))
    w = kept.weight / kept.weight.sum()
    m = log_k.max()
    return float(1.0 / (np.exp(m) * (w @ np.exp(log_k - m))))


def acceptance(new: Particles, tolerance: float) -> float:
    """Share of a generation's new particles closer than the previous tolerance."""
    return float(np.mean(new.distance <= tolerance)) if len(new.distance) else 0.0
