"""Statistical: over many seeded draws each institution is drawn at its stratum's ratio.

Chi-square by hand (no scipy): for k institutions in a stratum drawn n at a time over N draws,
each count is Binomial(N, p = n/k); sum((O - Np)^2 / (Np(1-p))) is about chi-square with k-1
degrees of freedom (the counts sum to N*n). Seeds are fixed, so the test is deterministic.
"""

from __future__ import annotations

from collections import Counter

from inspection.domain.draw import draw

from tests.unit.inspection.builders import inspector, make_uscc, obj, snapshot

DRAWS = 1500
CHI2_999_DF19 = 43.82  # upper 0.1 % point of chi-square with 19 degrees of freedom
CHI2_001_DF19 = 5.41  # lower 0.1 % point: a too-regular draw is as suspect as a biased one


def _snapshot() -> dict:
    objects = [obj(make_uscc(n), "B") for n in range(1, 21)]
    objects += [obj(make_uscc(n), "D") for n in range(21, 41)]
    inspectors = [inspector("civil_affairs", n) for n in range(4)]
    return snapshot(objects, inspectors, ["civil_affairs"], {"A": 500, "B": 2000, "C": 500,
                                                             "D": 5000})


def _statistic(counts: Counter, usccs: list[str], p: float) -> float:
    expected = DRAWS * p
    return sum((counts[u] - expected) ** 2 for u in usccs) / (expected * (1 - p))


def test_selection_frequency_matches_each_stratum_ratio():
    snap = _snapshot()
    counts: Counter = Counter()
    for i in range(DRAWS):
        counts.update(t["uscc"] for t in draw(f"fixed-seed-{i:05d}", snap, {})["tasks"])
    strata = {"B": ([make_uscc(n) for n in range(1, 21)], 4 / 20),
              "D": ([make_uscc(n) for n in range(21, 41)], 10 / 20)}
    for level, (usccs, p) in strata.items():
        chi2 = _statistic(counts, usccs, p)
        assert CHI2_001_DF19 < chi2 < CHI2_999_DF19, (level, chi2)
        mean = sum(counts[u] for u in usccs) / len(usccs) / DRAWS
        assert abs(mean - p) < 1e-9  # exactly n of k every time: the ratio, rounded up
