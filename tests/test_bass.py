"""Bass limit: with the mechanisms off on a complete graph, [bass] p, q reproduce the
discrete Bass recursion F(t+1) = F(t) + (p + q F(t)) (1 - F(t))."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from socialsim import simulate

N, STEPS, REPS, TOL = 2000, 40, 6, 0.02


def bass_recursion(p: float, q: float, steps: int) -> np.ndarray:
    F, out = 0.0, []
    for _ in range(steps):
        F = F + (p + q * F) * (1.0 - F)
        out.append(F)
    return np.array(out)


@pytest.fixture(scope="module")
def complete_graph():
    return nx.complete_graph(N)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (0.03, 0.38),  # meta-analytic means, Sultan, Farley & Lehmann 1990
        (0.005, 0.84),  # colour TV
        (0.0277, 0.2553),  # black-and-white TV, Bass 1969
    ],
)
def test_adopter_share_follows_bass_recursion(complete_graph, p, q):
    cfg = {
        "steps": STEPS,
        "graph": {"kind": "complete", "n": N},
        "mechanisms": {"trust": False, "favor": False, "attention": False, "backlash": False},
        "bass": {"p": p, "q": q},
    }
    runs = [
        simulate({**cfg, "seed": seed}, graph=complete_graph)["adopter_share"].to_numpy()
        for seed in range(REPS)
    ]
    mean = np.mean(runs, axis=0)
    deviation = np.abs(mean - bass_recursion(p, q, STEPS))
    assert deviation.max() < TOL, (deviation.max(), int(deviation.argmax()) + 1)
    assert mean[-1] > 0.9  # the diffusion actually happened


def test_steps_per_period_smaller_steps(complete_graph):
    """Record players (Bass 1969: p = 0.0253, q = 0.6567) in half-period steps."""
    p, q, k = 0.0253, 0.6567, 2
    cfg = {
        "steps": 60,
        "graph": {"kind": "complete", "n": N},
        "bass": {"p": p, "q": q, "steps_per_period": k},
    }
    runs = [
        simulate({**cfg, "seed": s}, graph=complete_graph)["adopter_share"].to_numpy()
        for s in range(REPS)
    ]
    deviation = np.abs(np.mean(runs, axis=0) - bass_recursion(p / k, q / k, 60))
    assert deviation.max() < TOL, deviation.max()


def test_bass_mapping_requires_both_coefficients():
    from socialsim import ConfigError, load_config

    with pytest.raises(ConfigError, match=r"bass\.p and bass\.q"):
        load_config({"bass": {"q": 0.4}})
