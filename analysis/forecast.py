"""Forecasts of incident counts, never without their backtest; risk indicators as plain sums.

Method (stated in every result): weekly counts of incidents per area (the place as
written, or a grid cell) and kind; the forecast is simple exponential smoothing,
its smoothing factor α chosen from 0.1…0.9 by the smallest one-step error on the
weeks before the forecast origin; the forecast is flat over the horizon, with a
95% band of ±1.96 × the backtest's root-mean-square error.

Backtest: the last ``holdout`` weeks are held out; for each, the method and the
baseline forecast it from the weeks before it only (rolling origin).  The
baseline is seasonal-naive: the count of the same week one season (52 weeks)
earlier; with less than a season of history before the held-out weeks it is the
naive last week's count, and the result says so.  The mean absolute errors of
both, and the skill 1 − MAE(method) / MAE(baseline), are part of every result;
with too little history for a backtest, no forecast is given.

Risk indicators are transparent sums of named factors (``RISK_FACTORS``), each
shown with its points and the finding behind it — never an opaque score.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from workstation.errors import LintasError
from workstation.progress import NULL, Progress

log = logging.getLogger(__name__)

SEASON_WEEKS = 52
ALPHAS = tuple(round(0.1 * k, 1) for k in range(1, 10))
MIN_TRAIN_WEEKS = 4


def weekly_counts(case, area: str = "place", cell_km: float = 5.0, kinds: bool = True,
                  since: datetime | None = None, until: datetime | None = None) -> tuple[list[datetime], dict]:
    """Weeks (Mondays, UTC) from the first to the last incident, and counts per (area, kind)."""
    if area not in ("place", "grid", "all"):
        raise LintasError(f"area {area!r}: choose place, grid or all")
    deg = cell_km / 111.32
    area_sql = {"place": "coalesce(place, 'place not given')",
                "grid": "CASE WHEN lat IS NULL THEN 'no coordinates' ELSE round(floor(lat / ?) * ?, 3)::VARCHAR "
                        "|| ',' || round(floor(lon / ?) * ?, 3)::VARCHAR END",
                "all": "'all areas'"}[area]
    params: list = [deg, deg, deg, deg] if area == "grid" else []
    kind_sql = "coalesce(kind, '?')" if kinds else "'all kinds'"
    rows = case.cursor().execute(
        f"SELECT {area_sql} AS area, {kind_sql} AS kind, date_trunc('week', time_utc) AS wk, count(*) "
        "FROM incidents WHERE time_utc IS NOT NULL AND (? IS NULL OR time_utc >= ?) AND (? IS NULL OR time_utc < ?) "
        "GROUP BY ALL", params + [since, since, until, until]).fetchall()
    if not rows:
        return [], {}
    first = min(r[2] for r in rows)
    last = max(r[2] for r in rows)
    weeks = []
    w = first
    while w <= last:
        weeks.append(w)
        w += timedelta(days=7)
    pos = {w: i for i, w in enumerate(weeks)}
    series: dict[tuple[str, str], np.ndarray] = {}
    for a, k, wk, n in rows:
        series.setdefault((a, k), np.zeros(len(weeks)))[pos[wk]] += n
    return weeks, series


def ses_fit(y: np.ndarray) -> tuple[float, float]:
    """(α, level) of simple exponential smoothing with α chosen by one-step error on ``y``."""
    y = [float(x) for x in y]
    best = (math.inf, ALPHAS[0], y[-1] if y else 0.0)
    for a in ALPHAS:
        level = y[0]
        err = 0.0
        for x in y[1:]:
            err += abs(x - level)
            level = a * x + (1 - a) * level
        if err < best[0]:
            best = (err, a, level)
    return best[1], best[2]


def seasonal_naive(y: np.ndarray, season: int) -> float:
    return float(y[-season]) if len(y) >= season else float(y[-1])


def backtest(series: dict, holdout: int = 8, season: int = SEASON_WEEKS) -> dict[str, Any]:
    """Rolling-origin one-step backtest of the method and the seasonal-naive baseline."""
    n_weeks = len(next(iter(series.values()))) if series else 0
    if n_weeks < holdout + MIN_TRAIN_WEEKS:
        raise LintasError(f"{n_weeks} weeks of incidents: a backtest needs at least {holdout + MIN_TRAIN_WEEKS} "
                          f"({MIN_TRAIN_WEEKS} to learn from and {holdout} held out); no forecast without one")
    seasonal = n_weeks - holdout >= season
    eff_season = season if seasonal else 1
    err_m: list[float] = []
    err_b: list[float] = []
    sq_m: list[float] = []
    per_group = {}
    for key, y in series.items():
        em, eb = [], []
        for t in range(n_weeks - holdout, n_weeks):
            train = y[:t]
            _, level = ses_fit(train)
            base = seasonal_naive(train, eff_season)
            em.append(abs(float(y[t]) - level))
            eb.append(abs(float(y[t]) - base))
            sq_m.append((float(y[t]) - level) ** 2)
        err_m += em
        err_b += eb
        per_group[key] = (float(np.mean(em)), float(np.mean(eb)))
    mae_m = float(np.mean(err_m))
    mae_b = float(np.mean(err_b))
    return {"weeks_held_out": holdout, "origins": "rolling, one week ahead",
            "mae": round(mae_m, 4), "baseline_mae": round(mae_b, 4),
            "skill": round(1 - mae_m / mae_b, 4) if mae_b > 0 else None,
            "rmse": round(math.sqrt(float(np.mean(sq_m))), 4),
            "baseline": (f"seasonal-naive, season {season} weeks" if seasonal else
                         f"naive (last week): fewer than {season} weeks of history before the held-out "
                         f"weeks, so no seasonal baseline"),
            "per_group": per_group}


def forecast_incidents(case, horizon: int = 4, holdout: int = 8, area: str = "place", cell_km: float = 5.0,
                       by_kind: bool = True, top: int = 20, progress: Progress = NULL) -> dict[str, Any]:
    """Counts of incidents for the next ``horizon`` weeks per area and kind, with the backtest."""
    progress(0.1, "weekly counts")
    weeks, series = weekly_counts(case, area, cell_km, by_kind)
    if not weeks:
        raise LintasError("the case has no dated incidents to forecast from")
    progress.check()
    progress(0.3, "backtest")
    bt = backtest(series, holdout)
    band = 1.96 * bt["rmse"]
    out = []
    for (a, k), y in series.items():
        alpha, level = ses_fit(y)
        mae, bmae = bt["per_group"][(a, k)]
        out.append({"area": a, "kind": k, "alpha": alpha,
                    "weeks": [{"week": (weeks[-1] + timedelta(days=7 * (h + 1))).date().isoformat(),
                               "count": round(level, 2), "low": round(max(0.0, level - band), 2),
                               "high": round(level + band, 2)} for h in range(horizon)],
                    "last_weeks": [int(x) for x in y[-8:]], "total": int(y.sum()),
                    "backtest_mae": round(mae, 3), "baseline_mae": round(bmae, 3),
                    "trend": _trend(y)})
    out.sort(key=lambda r: (-r["weeks"][0]["count"], -r["total"], r["area"], r["kind"]))
    bt_out = {k: v for k, v in bt.items() if k != "per_group"}
    progress(1.0, "forecast done")
    return {"method": "simple exponential smoothing of weekly counts, α chosen by one-step error "
                      "(0.1…0.9); flat over the horizon; band ±1.96·backtest RMSE",
            "area": area if area != "grid" else f"grid of {cell_km:g} km", "horizon_weeks": horizon,
            "history": {"first_week": weeks[0].date().isoformat(), "last_week": weeks[-1].date().isoformat(),
                        "weeks": len(weeks)},
            "backtest": bt_out, "forecasts": out[:top],
            "explanation": (f"backtest on the last {holdout} weeks: mean absolute error {bt['mae']:.2f} per "
                            f"area and week against {bt['baseline_mae']:.2f} for the baseline ({bt['baseline']})"
                            + (f"; skill {bt['skill']:+.0%}" if bt["skill"] is not None else ""))}


def _trend(y: np.ndarray) -> str:
    if len(y) < 8:
        return "too short"
    recent, before = y[-4:].mean(), y[-8:-4].mean()
    if recent > before * 1.25 and recent - before >= 1:
        return "rising"
    if recent < before * 0.8 and before - recent >= 1:
        return "falling"
    return "steady"


# -- risk indicators ------------------------------------------------------------------------------
RISK_FACTORS = {
    "key player (top 10 of the network)": 3,
    "broker between communities (top 10)": 1,
    "removal fragments the network (top 10)": 2,
    "phone switch (old or new number held)": 2,
    "money-flow finding on an account held": 2,
    "repeated co-travel": 1,
    "repeated co-location": 1,
}


def risk_indicators(case, top: int = 20, progress: Progress = NULL) -> dict[str, Any]:
    """Per-entity sums of the named factors in ``RISK_FACTORS``, each factor shown with its finding."""
    from .graph import build_network
    from .keyplayers import key_players
    from .patterns import colocation, cotravel, money_flows, phone_switches

    scores: dict[tuple, dict[str, Any]] = {}

    def add(ref: dict[str, Any], factor: str, why: str) -> None:
        if not ref or not ref.get("bundle_id"):
            return  # only resolved entities get indicators; a bare number is not a person
        key = (ref["id"], ref["bundle_id"])
        s = scores.setdefault(key, {"id": ref["id"], "bundle_id": ref["bundle_id"], "name": ref.get("name"),
                                    "score": 0, "factors": []})
        if any(f["factor"] == factor for f in s["factors"]):
            return
        s["score"] += RISK_FACTORS[factor]
        s["factors"].append({"factor": factor, "points": RISK_FACTORS[factor], "why": why})

    progress(0.0, "network")
    net = build_network(case, progress=progress.sub(0.0, 0.2))
    if net.n:
        kp = key_players(net, top=10, progress=progress.sub(0.2, 0.5))
        for p in kp.players:
            add(p, "key player (top 10 of the network)", f"rank {p['rank']}: {p['reasons'][0]}")
        for b in kp.brokers[:10]:
            add(b, "broker between communities (top 10)",
                f"{b['pairs_across_communities']} pairs of contacts in different communities")
        for f in kp.fragmentation[:10]:
            add(f, "removal fragments the network (top 10)",
                f"fragmentation {f['fragmentation_before']:.2f} → {f['fragmentation_after']:.2f}")
    progress(0.5, "patterns")
    for s in phone_switches(case):
        for side in ("old_holder", "new_holder"):
            add(s[side], "phone switch (old or new number held)", s["explanation"])
    progress(0.7, "money")
    for m in money_flows(case):
        for e in m["entities"]:
            add(e, "money-flow finding on an account held", f"{m['pattern']}: {m['explanation']}")
    progress(0.85, "travel and places")
    for c in cotravel(case):
        for e in c["entities"]:
            add(e, "repeated co-travel", c["explanation"])
    for c in colocation(case):
        for e in c["entities"]:
            add(e, "repeated co-location", c["explanation"])
    ranked = sorted(scores.values(), key=lambda s: (-s["score"], str(s["id"])))
    progress(1.0, "risk indicators")
    return {"method": "sum of named factors: " + "; ".join(f"{k} = {v}" for k, v in RISK_FACTORS.items()),
            "people": ranked[:top]}
