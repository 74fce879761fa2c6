"""The partner formats through the `lintas` command: import recognised by content, export
--to ftm/stix/misp with --json output, a refusal's exit code."""

from __future__ import annotations

import json

from tests.partner_formats import OWN, STIX
from workstation import cli


def test_import_and_export_partner_formats_from_the_command_line(tmp_path, capsys):
    case = tmp_path / "c.lintas"
    assert cli.main(["case", "new", str(case), "--title", "Mawar"]) == 0
    assert cli.main(["import", str(case), str(OWN / "marked_bundle.json"), "--producer-country", "MY",
                     "--json"]) == 0
    capsys.readouterr()
    out = tmp_path / "out.misp"
    assert cli.main(["export", str(case), "--to", "misp", "--recipient", "MY", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "misp" and result["included"]["persons"] == 2 and out.exists()
    out = tmp_path / "plain.stix"
    assert cli.main(["export", str(case), "--to", "stix", "--recipient", "MY", "--out", str(out),
                     "--drop-markings"]) == 0
    assert "marking-definition" not in out.read_text()
    capsys.readouterr()
    # a refused partner file: non-zero exit, the reason on screen
    code = cli.main(["import", str(case), str(STIX / "interop-objectmarking-test.json")])
    assert code != 0
    err = capsys.readouterr()
    assert "a single STIX object" in err.out + err.err
