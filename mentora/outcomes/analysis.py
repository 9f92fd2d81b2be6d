"""HR outcomes of a program's participants against a matched comparison group (docs/outcomes.md).

Pure computation: plain data in (one pandas row per person eligible at the cycle's start), plain data
out (numbers and reason codes, never words). No Django (core.privacy has none), no randomness: the
same input gives the same result, so that a stored analysis can be explained and a test can pin it.

Every day below counts from the cycle's start (day 0): negative days are before it.

The method, in order:
1. Matching: exact on department, then on the propensity score (a logit of taking part on seniority,
   tenure, location and promotions in the three years before the start), within a caliper of 0.2
   standard deviations of its logit, optimally 1:k (scipy's linear_sum_assignment, per department).
2. Covariate balance (standardised mean differences before and after matching), shown before any
   outcome.
3. Retention: Kaplan–Meier curves with 95 % bands and a Cox hazard ratio on the matched sample
   (lifelines); promotion and internal mobility rates with 95 % intervals; a difference-in-differences
   of promotion per cohort (statsmodels), never one pooled regression; the same split by pair quality
   (pairs that met three times or more against the rest).
4. Below a minimum sample an estimate is refused with its reason code instead of shown.
"""

import math
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from lifelines import CoxPHFitter, KaplanMeierFitter
from scipy.optimize import linear_sum_assignment
from statsmodels.stats.proportion import proportion_confint

# The privacy rule's minimum (a module with no Django import): no curve point over fewer people.
from mentora.core.privacy import MIN_AGGREGATE_GROUP

# Fewer matched participants (or comparison people) than this in a group and no estimate is shown.
MIN_GROUP = 20
# Fewer leavers than this in the matched sample and no hazard ratio is shown.
MIN_EVENTS = 10
CALIPER_SD = 0.2
FORBIDDEN = 1e9  # the cost of a pair outside the caliper: never kept
PRIOR_PROMOTION_DAYS = 3 * 365
CURVE_STEP_DAYS = 30
DID_WINDOW_DAYS = 365
MIN_DID_WINDOW_DAYS = 30
Z95 = 1.959963984540054

# Reason codes of a refused estimate; the app words them.
TOO_FEW_PARTICIPANTS = "too_few_participants"
TOO_FEW_MATCHED = "too_few_matched"
TOO_FEW_EVENTS = "too_few_events"
TOO_EARLY = "too_early"

COLUMNS = (
    "person_id",  # int
    "participant",  # bool
    "department",  # str, as it was at the start
    "location",  # str
    "seniority",  # number, as it was at the start
    "tenure_years",  # number, at the start
    "promotion_days",  # tuple of days of each promotion (before and after the start)
    "move_days",  # tuple of days of each move to another department
    "leave_day",  # day of leaving, or NaN
    "entry_day",  # participants: day their pair started; NaN for others
    "cohort",  # participants: the cohort's label (e.g. "2026-Q1"); "" for others
    "met_3",  # participants: the pair met three times or more
)


@dataclass(frozen=True)
class BalanceRow:
    covariate: str  # seniority, tenure_years, prior_promotions, department, location
    participants_before: float | None  # None for a categorical covariate (its row is the largest level's)
    comparison_before: float | None
    smd_before: float
    participants_after: float | None
    comparison_after: float | None
    smd_after: float


@dataclass(frozen=True)
class CurvePoint:
    day: int
    survival: float
    lower: float
    upper: float
    at_risk: int


@dataclass(frozen=True)
class Estimate:
    """One figure with its 95 % interval, or the reason it is withheld (`refused`)."""

    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    p_value: float | None = None
    refused: str = ""


@dataclass(frozen=True)
class Rate:
    share: float
    lower: float
    upper: float
    n: int


@dataclass(frozen=True)
class RateComparison:
    outcome: str  # promotion, move
    participants: Rate | None
    comparison: Rate | None
    difference: Estimate


@dataclass(frozen=True)
class GroupResult:
    """Outcomes of one group of participants (all, or one quality split) against their matches."""

    group: str  # all, met_3, met_fewer
    participants: int
    comparison: int
    leavers_participants: int
    leavers_comparison: int
    hazard_ratio: Estimate
    rates: tuple[RateComparison, ...]


@dataclass(frozen=True)
class CohortResult:
    cohort: str
    participants: int
    comparison: int
    window_days: int
    estimate: Estimate  # the difference-in-differences of the promotion share, in points of share


@dataclass(frozen=True)
class Result:
    follow_up_days: int
    eligible_participants: int
    eligible_comparison: int
    matched_participants: int
    matched_comparison: int
    unmatched_participants: int
    k: int
    refused: str = ""  # the whole analysis is refused (too few participants or matches)
    balance: tuple[BalanceRow, ...] = ()
    curves: dict[str, tuple[CurvePoint, ...]] = field(default_factory=dict)  # participants, comparison
    groups: tuple[GroupResult, ...] = ()
    cohorts: tuple[CohortResult, ...] = ()

    def as_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------------ matching


def _prior_promotions(frame: pd.DataFrame) -> pd.Series:
    return frame["promotion_days"].map(lambda days: sum(1 for d in days if -PRIOR_PROMOTION_DAYS <= d < 0))


def _design(frame: pd.DataFrame) -> pd.DataFrame:
    """The propensity model's covariates: numbers, and one indicator per location and department
    (each but the most common); levels under MIN_AGGREGATE_GROUP people are pooled."""
    numeric = frame[["seniority", "tenure_years", "prior_promotions"]].astype(float)
    parts = [numeric]
    for column in ("location", "department"):
        counts = frame[column].value_counts()
        common = counts[counts >= MIN_AGGREGATE_GROUP].index
        levels = frame[column].where(frame[column].isin(common), "\0other")
        dummies = pd.get_dummies(levels, prefix=column, dtype=float)
        if dummies.shape[1] > 1:
            parts.append(dummies.drop(columns=dummies.sum().idxmax()))
    design = pd.concat(parts, axis=1)
    design = design.loc[:, design.std() > 0]
    return sm.add_constant(design, has_constant="add")


def propensity_logit(frame: pd.DataFrame) -> np.ndarray:
    """The logit of each person's estimated probability of taking part. An unpenalised fit that fails
    (separation, a singular design) falls back to a lightly penalised one."""
    design = _design(frame)
    taking_part = frame["participant"].astype(float).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fitted = sm.Logit(taking_part, design).fit(disp=0, maxiter=100)
            if not fitted.mle_retvals.get("converged", False) or not np.all(np.isfinite(fitted.params)):
                raise ValueError("not converged")
        except (ValueError, np.linalg.LinAlgError):
            fitted = sm.Logit(taking_part, design).fit_regularized(method="l1", alpha=1.0, disp=0)
    linear = design.to_numpy() @ np.asarray(fitted.params)
    return np.clip(linear, -30, 30)


def match(frame: pd.DataFrame, *, k: int, logit: pd.Series | None = None) -> pd.Series:
    """Each person's matching weight: 1 for a matched participant, 1/j for each of the j controls of a
    participant (summed if several), 0 for everyone left out. Exact on department, optimal 1:k on the
    propensity logit within the caliper. `logit` (indexed like the whole population, of which `frame`
    may be a part) is fitted here when not given; the caliper is taken from it."""
    if logit is None:
        logit = pd.Series(propensity_logit(frame), index=frame.index)
    caliper = CALIPER_SD * float(logit.std(ddof=1)) if len(logit) > 1 else 0.0
    values = logit.reindex(frame.index).to_numpy()
    taking_part = frame["participant"].to_numpy(dtype=bool)
    departments = pd.factorize(frame["department"], sort=True)[0]
    weights = np.zeros(len(frame))
    for department in np.unique(departments):
        block = departments == department
        treated, controls = np.flatnonzero(block & taking_part), np.flatnonzero(block & ~taking_part)
        if len(treated) == 0 or len(controls) == 0:
            continue
        # Only controls within the caliper of some participant can be chosen: a smaller problem.
        ordered = np.sort(values[treated])
        place = np.searchsorted(ordered, values[controls])
        nearest = np.minimum(
            np.abs(values[controls] - ordered[np.clip(place - 1, 0, len(ordered) - 1)]),
            np.abs(values[controls] - ordered[np.clip(place, 0, len(ordered) - 1)]),
        )
        controls = controls[nearest <= caliper]
        if len(controls) == 0:
            continue
        distance = np.abs(values[treated][:, None] - values[controls][None, :])
        cost = np.where(distance <= caliper, distance, FORBIDDEN)
        # k copies of each participant's row: one control per copy, each control used once.
        rows, cols = linear_sum_assignment(np.repeat(cost, k, axis=0))
        kept = cost[rows // k, cols] < FORBIDDEN
        owners, chosen = rows[kept] // k, cols[kept]
        matches = np.bincount(owners, minlength=len(treated))
        weights[treated[matches > 0]] = 1.0
        np.add.at(weights, controls[chosen], 1.0 / matches[owners])
    return pd.Series(weights, index=frame.index)


# ------------------------------------------------------------------------------------------- balance


def _mean(values: np.ndarray, weights: np.ndarray) -> float:
    return float(np.average(values, weights=weights))


def covariate_balance(frame: pd.DataFrame, weights: pd.Series) -> tuple[BalanceRow, ...]:
    """Standardised mean differences before (everyone eligible) and after matching (weighted). Both use
    the same denominator, the pooled standard deviation before matching, so that a change in the
    difference is a change in the means (Austin 2009). A categorical covariate's row is its level with
    the largest difference after matching (ties: before), its shares left out."""
    treated = frame["participant"].to_numpy(dtype=bool)
    matched = weights.to_numpy() > 0

    def smd(values: np.ndarray) -> tuple[float, float, float, float, float, float]:
        t, c = values[treated], values[~treated]
        pooled = math.sqrt((np.var(t, ddof=1) + np.var(c, ddof=1)) / 2) if len(t) > 1 and len(c) > 1 else 0.0
        before_t, before_c = float(t.mean()), float(c.mean())
        tw, cw = treated & matched, ~treated & matched
        after_t = _mean(values[tw], weights.to_numpy()[tw]) if tw.any() else math.nan
        after_c = _mean(values[cw], weights.to_numpy()[cw]) if cw.any() else math.nan

        def standardised(a: float, b: float) -> float:
            if math.isnan(a) or math.isnan(b):
                return math.nan
            return 0.0 if pooled == 0 else (a - b) / pooled

        return (
            before_t,
            before_c,
            standardised(before_t, before_c),
            after_t,
            after_c,
            standardised(after_t, after_c),
        )

    rows = []
    for name in ("seniority", "tenure_years", "prior_promotions"):
        bt, bc, sb, at, ac, sa = smd(frame[name].to_numpy(dtype=float))
        rows.append(BalanceRow(name, bt, bc, sb, at, ac, sa))
    for name in ("department", "location"):
        worst: tuple[float, float] | None = None
        for level in sorted(frame[name].unique()):
            _bt, _bc, sb, _at, _ac, sa = smd((frame[name] == level).to_numpy(dtype=float))
            key = (abs(sa) if not math.isnan(sa) else 0.0, abs(sb))
            if worst is None or key > (abs(worst[1]) if not math.isnan(worst[1]) else 0.0, abs(worst[0])):
                worst = (sb, sa)
        if worst is not None:
            rows.append(BalanceRow(name, None, None, worst[0], None, None, worst[1]))
    return tuple(rows)


# ------------------------------------------------------------------------------------------ outcomes


def _survival(frame: pd.DataFrame, follow_up: int) -> tuple[np.ndarray, np.ndarray]:
    leave = frame["leave_day"].to_numpy(dtype=float)
    left = ~np.isnan(leave) & (leave <= follow_up)
    duration = np.where(left, np.maximum(leave, 0.5), float(follow_up))
    return duration, left


def kaplan_meier(frame: pd.DataFrame, weights: pd.Series, follow_up: int) -> tuple[CurvePoint, ...]:
    """Monthly points of the curve with its 95 % band; it stops where fewer than MIN_AGGREGATE_GROUP
    people are still followed, and is read only at month ends, so that no single leaving shows."""
    duration, left = _survival(frame, follow_up)
    fitter = KaplanMeierFitter(alpha=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-integer weights (1/k) are meant
        fitter.fit(duration, left, weights=weights.to_numpy())
    survival = fitter.survival_function_.iloc[:, 0]
    band = fitter.confidence_interval_
    points = []
    for day in range(0, follow_up + 1, CURVE_STEP_DAYS):
        at_risk = int((duration >= day).sum())
        if at_risk < MIN_AGGREGATE_GROUP:
            break
        position = survival.index.searchsorted(day, side="right") - 1
        value = float(survival.iloc[position]) if position >= 0 else 1.0
        lower = float(band.iloc[position, 0]) if position >= 0 else 1.0
        upper = float(band.iloc[position, 1]) if position >= 0 else 1.0
        points.append(CurvePoint(day, value, _finite(lower, value), _finite(upper, value), at_risk))
    return tuple(points)


def _finite(value: float, fallback: float) -> float:
    return fallback if math.isnan(value) else value


def hazard_ratio(frame: pd.DataFrame, weights: pd.Series, follow_up: int) -> Estimate:
    """Participants' hazard of leaving relative to their matches (Cox, robust errors for the weights)."""
    duration, left = _survival(frame, follow_up)
    matched = weights.to_numpy() > 0
    treated = frame["participant"].to_numpy(dtype=bool)
    # With no leaver on one side the ratio is 0 or infinite: nothing to estimate.
    if (
        int((left & matched).sum()) < MIN_EVENTS
        or not (left & matched & treated).any()
        or not (left & matched & ~treated).any()
    ):
        return Estimate(refused=TOO_FEW_EVENTS)
    data = pd.DataFrame(
        {
            "duration": duration,
            "left": left.astype(int),
            "participant": frame["participant"].astype(int).to_numpy(),
            "weight": weights.to_numpy(),
        }
    )[matched]
    fitter = CoxPHFitter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(data, duration_col="duration", event_col="left", weights_col="weight", robust=True)
    summary = fitter.summary.loc["participant"]
    return Estimate(
        value=float(summary["exp(coef)"]),
        lower=float(summary["exp(coef) lower 95%"]),
        upper=float(summary["exp(coef) upper 95%"]),
        p_value=float(summary["p"]),
    )


def _rate(hits: np.ndarray, weights: np.ndarray) -> Rate | None:
    n = int((weights > 0).sum())
    if n < MIN_GROUP:
        return None
    share = _mean(hits.astype(float), weights)
    lower, upper = proportion_confint(share * n, n, alpha=0.05, method="wilson")
    return Rate(share, float(lower), float(upper), n)


def rate_comparison(
    frame: pd.DataFrame, weights: pd.Series, follow_up: int, *, outcome: str, column: str
) -> RateComparison:
    """The share of each group with at least one such event after the start, and their difference."""
    hits = frame[column].map(lambda days: any(0 <= d <= follow_up for d in days)).to_numpy(dtype=bool)
    treated = frame["participant"].to_numpy(dtype=bool)
    w = weights.to_numpy()
    participants = _rate(hits[treated], w[treated])
    comparison = _rate(hits[~treated], w[~treated])
    if participants is None or comparison is None:
        return RateComparison(outcome, participants, comparison, Estimate(refused=TOO_FEW_MATCHED))
    difference = participants.share - comparison.share
    error = math.sqrt(
        participants.share * (1 - participants.share) / participants.n
        + comparison.share * (1 - comparison.share) / comparison.n
    )
    return RateComparison(
        outcome,
        participants,
        comparison,
        Estimate(value=difference, lower=difference - Z95 * error, upper=difference + Z95 * error),
    )


def _group(name: str, frame: pd.DataFrame, weights: pd.Series, follow_up: int) -> GroupResult:
    treated = frame["participant"].to_numpy(dtype=bool)
    matched = weights.to_numpy() > 0
    _duration, left = _survival(frame, follow_up)
    n_t, n_c = int((treated & matched).sum()), int((~treated & matched).sum())
    rates = (
        rate_comparison(frame, weights, follow_up, outcome="promotion", column="promotion_days"),
        rate_comparison(frame, weights, follow_up, outcome="move", column="move_days"),
    )
    if n_t < MIN_GROUP or n_c < MIN_GROUP:
        ratio = Estimate(refused=TOO_FEW_MATCHED)
    else:
        ratio = hazard_ratio(frame, weights, follow_up)
    return GroupResult(
        group=name,
        participants=n_t,
        comparison=n_c,
        leavers_participants=int((left & treated & matched).sum()),
        leavers_comparison=int((left & ~treated & matched).sum()),
        hazard_ratio=ratio,
        rates=rates,
    )


def _controls_of(frame: pd.DataFrame, chosen: pd.Index, k: int, logit: pd.Series) -> pd.Series:
    """Weights matching only the participants `chosen` (a cohort, a quality group) against all the
    comparison pool, on the same propensity score: each group gets its own best matches."""
    subset = frame.loc[chosen.union(frame.index[~frame["participant"].to_numpy(dtype=bool)])]
    return match(subset, k=k, logit=logit).reindex(frame.index, fill_value=0.0)


def difference_in_differences(
    frame: pd.DataFrame, weights: pd.Series, follow_up: int, *, entry_day: int, window: int
) -> Estimate:
    """The change in the share promoted (the window after `entry_day` against the window before) of the
    participants minus the same change of their matches: OLS with the interaction, weighted, errors
    clustered by person."""
    rows = []
    kept = weights > 0
    for index, person in frame[kept].iterrows():
        w = weights[index]
        position = index
        days = person["promotion_days"]
        before = any(entry_day - window <= d < entry_day for d in days)
        after = any(entry_day <= d < entry_day + window for d in days)
        for post, hit in ((0, before), (1, after)):
            rows.append((position, int(person["participant"]), post, float(hit), w))
    data = pd.DataFrame(rows, columns=["cluster", "treated", "post", "promoted", "weight"])
    data["treated_post"] = data["treated"] * data["post"]
    design = sm.add_constant(data[["treated", "post", "treated_post"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = sm.WLS(data["promoted"], design, weights=data["weight"]).fit(
            cov_type="cluster", cov_kwds={"groups": data["cluster"]}
        )
    value = float(fitted.params["treated_post"])
    error = float(fitted.bse["treated_post"])
    if not math.isfinite(error):
        return Estimate(refused=TOO_FEW_EVENTS)
    return Estimate(
        value=value,
        lower=value - Z95 * error,
        upper=value + Z95 * error,
        p_value=_finite_or_none(float(fitted.pvalues["treated_post"])),
    )


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _cohorts(
    frame: pd.DataFrame, weights: pd.Series, follow_up: int, k: int, logit: pd.Series
) -> tuple[CohortResult, ...]:
    results = []
    treated = frame["participant"].to_numpy(dtype=bool)
    matched_participants = frame[treated & (weights.to_numpy() > 0)]
    for cohort, members in matched_participants.groupby("cohort", sort=True):
        cohort_weights = _controls_of(frame, members.index, k, logit)
        n_t = int((cohort_weights[members.index] > 0).sum())
        n_c = int(((cohort_weights > 0) & ~frame["participant"]).sum())
        entry_day = int(np.nanmin(members["entry_day"].to_numpy(dtype=float)))
        window = min(DID_WINDOW_DAYS, follow_up - entry_day)
        if n_t < MIN_GROUP or n_c < MIN_GROUP:
            estimate = Estimate(refused=TOO_FEW_MATCHED)
        elif window < MIN_DID_WINDOW_DAYS:
            estimate = Estimate(refused=TOO_EARLY)
        else:
            estimate = difference_in_differences(
                frame, cohort_weights, follow_up, entry_day=entry_day, window=window
            )
        results.append(CohortResult(str(cohort), n_t, n_c, max(window, 0), estimate))
    return tuple(results)


def analyse(frame: pd.DataFrame, *, follow_up_days: int, k: int = 2) -> Result:
    """The whole analysis of one cycle. `frame` holds one row per person eligible at the start (COLUMNS);
    `follow_up_days` is how long after the start everyone is followed (up to the analysis date)."""
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(f"missing columns: {sorted(missing)}")
    frame = frame.sort_values("person_id").reset_index(drop=True)
    frame = frame.assign(
        participant=frame["participant"].astype(bool),
        prior_promotions=_prior_promotions(frame),
    )
    treated = frame["participant"].to_numpy(dtype=bool)
    sizes = {
        "follow_up_days": int(follow_up_days),
        "eligible_participants": int(treated.sum()),
        "eligible_comparison": int((~treated).sum()),
        "k": k,
    }
    if treated.sum() < MIN_GROUP or (~treated).sum() < MIN_GROUP:
        return Result(
            **sizes,
            matched_participants=0,
            matched_comparison=0,
            unmatched_participants=int(treated.sum()),
            refused=TOO_FEW_PARTICIPANTS,
        )
    logit = pd.Series(propensity_logit(frame), index=frame.index)
    weights = match(frame, k=k, logit=logit)
    matched = weights.to_numpy() > 0
    sizes |= {
        "matched_participants": int((treated & matched).sum()),
        "matched_comparison": int((~treated & matched).sum()),
        "unmatched_participants": int((treated & ~matched).sum()),
    }
    balance = covariate_balance(frame, weights)
    if sizes["matched_participants"] < MIN_GROUP or sizes["matched_comparison"] < MIN_GROUP:
        return Result(**sizes, refused=TOO_FEW_MATCHED, balance=balance)
    curves = {
        "participants": kaplan_meier(frame[treated & matched], weights[treated & matched], follow_up_days),
        "comparison": kaplan_meier(frame[~treated & matched], weights[~treated & matched], follow_up_days),
    }
    groups = [_group("all", frame, weights, follow_up_days)]
    met = frame["met_3"].astype(bool).to_numpy()
    for name, chosen in (("met_3", treated & matched & met), ("met_fewer", treated & matched & ~met)):
        subgroup = _controls_of(frame, frame.index[chosen], k, logit)
        groups.append(_group(name, frame, subgroup, follow_up_days))
    return Result(
        **sizes,
        balance=balance,
        curves=curves,
        groups=tuple(groups),
        cohorts=_cohorts(frame, weights, follow_up_days, k, logit),
    )
