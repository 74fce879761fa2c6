"""The commands end to end over real case files: ``lintas network | keyplayers | paths | patterns |
forecast | chart``, their stable JSON, their figures read back, their errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.test_network_support import (
    BOSS_NEW,
    BOSS_OLD,
    BUNDLE_ID,
    fixture,
    make_case,
    read_edges,
    scenario_case,
)
from workstation.cli import main


@pytest.fixture(scope="module")
def scenario_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "s.lintas"
    scenario_case(path).close()
    return str(path)


def run(capsys, *argv) -> tuple[int, object]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr().out
    try:
        return code, json.loads(out)
    except json.JSONDecodeError:
        return code, out


def test_keyplayers_json_on_the_florentine_families(tmp_path, capsys):
    s, t, _ = read_edges(fixture("florentine_families/florentine_marriage_edges.csv"))
    families = sorted(set(s) | set(t))
    bundle = "33333333-3333-4333-8333-333333333333"
    with make_case(tmp_path / "f.lintas", {
        "persons": [{"id": f"F-{i:02d}", "name": n} for i, n in enumerate(families)],
        "relationships": [{"source": f"F-{families.index(a):02d}", "target": f"F-{families.index(b):02d}",
                           "kind": "family"} for a, b in zip(s, t, strict=True)],
    }, bundle_ids=[bundle]):
        pass
    code, data = run(capsys, "keyplayers", tmp_path / "f.lintas", "--ties", "relationships", "--top", "3", "--json")
    assert code == 0 and isinstance(data, list) and [p["rank"] for p in data] == [1, 2, 3]
    medici = data[0]
    assert (medici["name"], medici["id"], medici["bundle_id"]) == ("Medici", f"F-{families.index('Medici'):02d}", bundle)
    m = medici["metrics"]
    assert m["degree"] == 6 and round(m["betweenness"], 3) == 0.522 and round(m["closeness"], 3) == 0.560
    assert isinstance(m["pagerank"], float) and medici["reasons"]
    code, full = run(capsys, "keyplayers", tmp_path / "f.lintas", "--full", "--json", "--weights", "degree=1")
    assert full["method"]["score"] == "1.00·degree/max(degree)" and full["fragmentation"][0]["name"] == "Medici"


def test_network_summary_slices_timeline_heatmap(scenario_path, capsys):
    code, s = run(capsys, "network", scenario_path, "--json")
    assert code == 0 and s["nodes"] > 10 and s["betweenness"]["method"] == "exact (Brandes)"
    assert s["top"]["degree"][0]["id"] == "P-1"
    code, sl = run(capsys, "network", scenario_path, "--every", "month", "--ties", "calls", "--json")
    assert [p["period"] for p in sl["periods"]][:2] == ["2025-12", "2026-01"] or sl["periods"][0]["period"] == "2026-01"
    assert all(p["leaders"][0]["id"] == "P-1" for p in sl["periods"] if p["nodes"] > 2)
    code, tl = run(capsys, "network", scenario_path, "--timeline", "P-1", "--json")
    assert tl["who"]["id"] == "P-1" and set(tl["identifiers"]) >= {BOSS_OLD, BOSS_NEW}
    kinds = {e["event"] for e in tl["events"]}
    assert {"call", "transfer", "travel"} <= kinds
    assert all(e["bundle_id"] for e in tl["events"]) and tl["events"] == sorted(tl["events"], key=lambda e: e["time_utc"])
    code, hm = run(capsys, "network", scenario_path, "--heatmap", "--ref", "P-2", "--json")
    # Rudi's calls: 09:00 WITA with the boss, 21:00 and 08:00 WITA himself.
    assert hm["tz"] == "Asia/Makassar" and hm["counts"][0] is not None
    assert sum(map(sum, hm["counts"])) == hm["total"] and hm["busiest"]["hour"] == 9


def test_paths_and_patterns_json(scenario_path, capsys):
    code, p = run(capsys, "paths", scenario_path, "P-3", "P-7", "--json")
    assert p["length"] == 2 and [n["id"] for n in p["paths"][0]["nodes"]] == ["P-3", "P-1", "P-7"]
    code, ps = run(capsys, "patterns", scenario_path, "phone-switch", "--json")
    assert code == 0 and (ps[0]["old"], ps[0]["new"]) == (BOSS_OLD, BOSS_NEW)
    assert set(ps[0]) >= {"old", "new", "score", "evidence"}
    for which in ("colocation", "cotravel", "money", "hotspots"):
        code, found = run(capsys, "patterns", scenario_path, which, "--json")
        assert code == 0 and found, which
        for f in found:
            assert {"pattern", "entities", "score", "evidence", "explanation"} <= set(f), which
    code, money = run(capsys, "patterns", scenario_path, "money", "--money", "structuring",
                      "--threshold", "IDR=490000000", "--json")
    assert [m["account"] for m in money] == ["BRI5555"]
    ids = {e["id"] for f in run(capsys, "patterns", scenario_path, "cotravel", "--json")[1] for e in f["entities"]}
    assert ids == {"P-1", "P-4"}


def test_forecast_json_has_its_backtest(scenario_path, capsys):
    code, fc = run(capsys, "forecast", scenario_path, "--json")
    assert code == 0 and fc["backtest"]["mae"] >= 0 and fc["backtest"]["baseline_mae"] > 0
    assert fc["forecasts"][0]["weeks"] and fc["method"]
    code, risk = run(capsys, "forecast", scenario_path, "--risk", "--json")
    assert risk["people"][0]["id"] == "P-1" and risk["people"][0]["bundle_id"] == BUNDLE_ID


@pytest.mark.parametrize("kind, suffix, extra", [
    ("network", ".png", []), ("keyplayers", ".svg", []), ("ranks", ".pdf", ["--every", "month"]),
    ("heatmap", ".png", []), ("timeline", ".svg", ["--ref", "P-1"]), ("hotspots", ".png", []),
    ("forecast", ".pdf", []),
])
def test_charts_written_and_read_back(scenario_path, tmp_path, capsys, kind, suffix, extra):
    out = tmp_path / f"{kind}{suffix}"
    code, res = run(capsys, "chart", scenario_path, kind, "--out", out, *extra, "--json")
    assert code == 0 and res["out"] == str(out)
    data = out.read_bytes()
    if suffix == ".png":
        import matplotlib.image as mpimg

        img = mpimg.imread(out)
        assert img.shape[0] > 200 and img.shape[1] > 400 and img.std() > 0.01   # not a blank page
    elif suffix == ".svg":
        root = ET.fromstring(data)
        assert root.tag.endswith("svg") and len(data) > 5_000
    else:
        assert data.startswith(b"%PDF") and b"/Page" in data


def test_errors_are_messages(scenario_path, capsys, tmp_path):
    code = main(["paths", scenario_path, "P-3", "nobody", "--json"])
    captured = capsys.readouterr()
    assert code == 1 and "not a node" in json.loads(captured.out)["error"] and "Traceback" not in captured.err
    assert main(["keyplayers", scenario_path, "--weights", "luck=1"]) == 1
    assert main(["chart", scenario_path, "network", "--out", str(tmp_path / "x.gif")]) == 1
    assert main(["network", scenario_path, "--ties", "pigeons"]) == 1
    assert "unknown kind of tie" in capsys.readouterr().err


def test_large_network_path_states_its_approximations(scenario_path, capsys, monkeypatch):
    """Past the size limits: sampled betweenness with its bound, no closeness, said in the notes."""
    import analysis.metrics as metrics

    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_MAX_NODES", 5)
    monkeypatch.setattr(metrics, "CLOSENESS_MAX_NODES", 5)
    code, s = run(capsys, "network", scenario_path, "--json")
    assert code == 0 and s["top"]["closeness"] == [] and any("closeness not computed" in n for n in s["notes"])
    code, kp = run(capsys, "keyplayers", scenario_path, "--pivots", "8", "--full", "--json")
    assert kp["method"]["betweenness"]["pivots"] == 8 and kp["method"]["betweenness"]["error_bound"] > 0
    assert "closeness" not in kp["method"]["weights"]
    assert all(p["metrics"]["closeness"] is None for p in kp["players"])
    assert any("estimated from 8 random pivots" in n for n in kp["notes"])
