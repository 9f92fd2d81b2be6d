"""A synthetic organisation for the outcome analysis: people with covariates, a program that draws
more senior people (so that matching has something to correct), and leaving times drawn from an
exponential hazard that taking part multiplies by `effect`. Seeded: the same organisation every time."""

import math

import numpy as np
import pandas as pd

DEPARTMENTS = ("Engineering", "Sales", "Finance", "Operations")
LOCATIONS = ("Lisbon", "Berlin", "Remote")


def organisation(
    *, people: int = 2000, effect: float = 1.0, follow_up: int = 730, seed: int = 13, stay: float = 0.6
) -> pd.DataFrame:
    """`effect` is the planted hazard ratio of leaving for participants; without it everyone leaves at
    the same rate given their seniority. Over `follow_up` days a comparison person of average seniority
    stays with probability about `stay`."""
    rng = np.random.default_rng(seed)
    seniority = rng.integers(1, 8, size=people).astype(float)
    tenure = rng.gamma(2.0, 2.0, size=people)
    department = rng.choice(DEPARTMENTS, size=people)
    location = rng.choice(LOCATIONS, size=people)
    # Taking part is more likely for senior, newer people: the groups differ before matching.
    score = -2.2 + 0.25 * (seniority - 4) - 0.1 * (tenure - 4)
    participant = rng.random(people) < 1 / (1 + np.exp(-score))
    # Seniors leave less; taking part multiplies the hazard by `effect`.
    base = -math.log(stay) / follow_up
    hazard = base * np.exp(-0.15 * (seniority - 4)) * np.where(participant, effect, 1.0)
    leave = rng.exponential(1 / hazard)
    leave_day = np.where(leave <= follow_up + 400, np.floor(leave) + 1, np.nan)
    promotions = [
        tuple(sorted(int(d) for d in rng.integers(-1200, follow_up, size=rng.poisson(0.6))))
        for _ in range(people)
    ]
    moves = [tuple(int(d) for d in rng.integers(1, follow_up, size=rng.poisson(0.2))) for _ in range(people)]
    entry = np.where(participant, rng.integers(0, 60, size=people), np.nan)
    return pd.DataFrame(
        {
            "person_id": np.arange(1, people + 1),
            "participant": participant,
            "department": department,
            "location": location,
            "seniority": seniority,
            "tenure_years": tenure,
            "promotion_days": promotions,
            "move_days": moves,
            "leave_day": leave_day,
            "entry_day": entry,
            "cohort": np.where(participant, np.where(entry < 30, "2025-Q1", "2025-Q2"), ""),
            "met_3": participant & (rng.random(people) < 0.6),
        }
    )
