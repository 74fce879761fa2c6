"""Forecasts come with their backtest against a seasonal-naive baseline; risk indicators are sums
of named factors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis import forecast
from tests.test_network_support import BUNDLE_ID, make_case, scenario_case
from workstation.errors import LintasError


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    case = scenario_case(tmp_path_factory.mktemp("fc") / "s.lintas")
    yield case
    case.close()


def test_forecast_states_method_and_backtest(scenario):
    fc = forecast.forecast_incidents(scenario, horizon=3, holdout=6)
    assert "exponential smoothing" in fc["method"]
    bt = fc["backtest"]
    assert bt["weeks_held_out"] == 6 and bt["baseline"].startswith("naive (last week)")
    assert bt["skill"] == pytest.approx(1 - bt["mae"] / bt["baseline_mae"], abs=1e-3)
    assert "mean absolute error" in fc["explanation"]
    for f in fc["forecasts"]:
        assert len(f["weeks"]) == 3 and "backtest_mae" in f and "baseline_mae" in f
        assert all(w["low"] <= w["count"] <= w["high"] for w in f["weeks"])
    bontang = [f for f in fc["forecasts"] if f["area"] == "Bontang"]
    samarinda = [f for f in fc["forecasts"] if f["area"] == "Samarinda"]
    assert sum(f["weeks"][0]["count"] for f in bontang) > sum(f["weeks"][0]["count"] for f in samarinda)


def test_baseline_error_recomputed_independently(scenario):
    """The naive baseline's error, recomputed here straight from the case's incidents."""
    fc = forecast.forecast_incidents(scenario, area="all", by_kind=False, holdout=8)
    weekly = [n for _, n in scenario.cursor().execute(
        "SELECT w, count(i.time_utc) FROM (SELECT unnest(generate_series(min(date_trunc('week', time_utc)), "
        "max(date_trunc('week', time_utc)), INTERVAL 7 DAY)) AS w FROM incidents) "
        "LEFT JOIN incidents i ON date_trunc('week', i.time_utc) = w GROUP BY w ORDER BY w").fetchall()]
    held = range(len(weekly) - 8, len(weekly))
    naive_mae = np.mean([abs(weekly[t] - weekly[t - 1]) for t in held])
    assert fc["backtest"]["baseline_mae"] == pytest.approx(naive_mae, abs=1e-3)
    level = forecast.ses_fit(np.array(weekly[:-8], dtype=float))[1]
    assert math.isfinite(level)


def test_seasonal_baseline_when_a_year_of_history(tmp_path):
    rows = []
    n = 0
    for w in range(70):   # 70 weeks with a yearly rhythm
        for _ in range(3 + int(3 * math.sin(2 * math.pi * w / 52)) + 3):
            n += 1
            rows.append({"id": f"I{n}", "time": "2025-01-06T10:00:00+08:00", "kind": "theft", "place": "Tarakan"})
            rows[-1]["time"] = (np.datetime64("2025-01-06T10:00") + np.timedelta64(7 * w, "D")).astype(str)
    with make_case(tmp_path / "y.lintas", {"incidents": rows}) as case:
        fc = forecast.forecast_incidents(case, holdout=8)
    assert fc["backtest"]["baseline"] == "seasonal-naive, season 52 weeks"
    assert fc["history"]["weeks"] == 70


def test_no_forecast_without_a_backtest(tmp_path):
    rows = [{"id": f"I{i}", "time": f"2026-01-0{1 + i}T10:00:00", "kind": "theft"} for i in range(5)]
    with make_case(tmp_path / "short.lintas", {"incidents": rows}) as case:
        with pytest.raises(LintasError, match="no forecast without one"):
            forecast.forecast_incidents(case)
    with make_case(tmp_path / "none.lintas") as case:
        with pytest.raises(LintasError, match="no dated incidents"):
            forecast.forecast_incidents(case)


def test_risk_indicators_are_sums_of_named_factors(scenario):
    risk = forecast.risk_indicators(scenario)
    assert all(k in risk["method"] for k in forecast.RISK_FACTORS)
    top = risk["people"][0]
    assert (top["id"], top["bundle_id"]) == ("P-1", BUNDLE_ID)
    names = {f["factor"] for f in top["factors"]}
    assert {"key player (top 10 of the network)", "phone switch (old or new number held)",
            "money-flow finding on an account held", "repeated co-travel"} <= names
    for p in risk["people"]:
        assert p["score"] == sum(forecast.RISK_FACTORS[f["factor"]] for f in p["factors"])
        assert all(f["why"] for f in p["factors"])
