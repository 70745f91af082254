"""docs/parameters.md is generated from the schema, and the schema documents every field."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from socialsim import config as cfgmod
from socialsim import paramdoc
from socialsim.config import Config

SECTIONS = [
    cfgmod.Config,
    cfgmod.GraphConfig,
    cfgmod.UsersConfig,
    cfgmod.PlatformConfig,
    cfgmod.MechanismsConfig,
    cfgmod.BassConfig,
    cfgmod.RulesConfig,
    cfgmod.BrandConfig,
]


def _value(cfg: Config, path: str):
    """The value at a field_table path ("rules.engage_pitch", "brands[].sell_share"); in a
    list section that is empty by default (``[[platforms]]``), the field's own default."""
    obj = cfg
    parts = path.split(".")
    for i, part in enumerate(parts):
        if part.endswith("[]") and not getattr(obj, part[:-2]):
            model = paramdoc._model_of(type(obj).model_fields[part[:-2]].annotation)[0]
            return model.model_fields[parts[i + 1]].get_default(call_default_factory=True)
        obj = getattr(obj, part.removesuffix("[]"))
        obj = obj[0] if part.endswith("[]") else obj
    return obj


def test_doc_is_up_to_date():
    text = paramdoc.DOC.read_text(encoding="utf-8")
    assert text == paramdoc.render(), (
        "docs/parameters.md is stale: run `python -m socialsim.paramdoc`"
    )


def test_check_flag(tmp_path, monkeypatch, capsys):
    assert paramdoc.main(["--check"]) == 0
    stale = tmp_path / "parameters.md"
    stale.write_text("old\n")
    monkeypatch.setattr(paramdoc, "DOC", stale)
    assert paramdoc.main(["--check"]) == 1
    assert "python -m socialsim.paramdoc" in capsys.readouterr().err


@pytest.mark.parametrize("model", SECTIONS, ids=lambda m: m.__name__)
def test_every_field_has_description_and_source(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        assert field.description and field.description.strip(), f"{model.__name__}.{name}"
        extra = field.json_schema_extra
        assert isinstance(extra, dict), f"{model.__name__}.{name}: no json_schema_extra"
        assert str(extra.get("source", "")).strip(), f"{model.__name__}.{name}: no source"


def test_field_table_covers_every_parameter_once():
    paths = [r["path"] for r in paramdoc.field_table()]
    assert len(paths) == len(set(paths))
    expected = {f"rules.{n}" for n in cfgmod.RulesConfig.model_fields}
    expected |= {f"brands[].{n}" for n in cfgmod.BrandConfig.model_fields}
    expected |= {"steps", "seed", "brands", "users.attention", "mechanisms.wom", "bass.p"}
    assert expected <= set(paths)
    assert "graph" not in paths and "rules" not in paths


def test_field_table_bounds_and_defaults():
    rows = {r["path"]: r for r in paramdoc.field_table()}
    r = rows["rules.engage_pitch"]
    assert (r["low"], r["high"], r["low_open"], r["high_open"]) == (0.0, 1.0, False, False)
    assert r["description"] and r["source"]
    r = rows["users.attention"]
    assert (r["low"], r["high"], r["low_open"]) == (0.0, None, True)
    r = rows["rules.reciprocity_hill"]
    assert (r["low"], r["high"], r["low_open"], r["high_open"]) == (0.0, 10.0, True, False)
    assert r["range"] == "(0, 10]"
    assert rows["steps"]["range"] == "[1, 100,000]"
    assert rows["bass.p"]["default"] is None and rows["bass.p"]["range"] == "[0, 1]"
    assert rows["mechanisms.trust"]["range"] == "true / false"
    assert rows["graph.kind"]["range"].startswith("`barabasi_albert`, `watts_strogatz`")
    cfg = Config()
    for path in ("rules.engage_pitch", "users.attention", "brands[].sell_share", "steps"):
        assert rows[path]["default"] == _value(cfg, path), path
    assert rows["brands[].serve_mix"]["default"] == cfg.brands[0].serve_mix


def _doc_defaults() -> dict[str, str]:
    """Default column of every parameter row of docs/parameters.md, keyed by path."""
    prefix = {r["section"]: r["path"].removesuffix(r["name"]) for r in paramdoc.field_table()}
    out, section = {}, None
    for line in paramdoc.DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:]
        elif line.startswith("| `") and section in prefix:
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            out[prefix[section] + cells[0].strip("`")] = cells[1]
    return out


def test_doc_defaults_equal_config():
    printed = _doc_defaults()
    cfg = Config()
    numeric = [
        r
        for r in paramdoc.field_table()
        if isinstance(r["default"], int | float) and not isinstance(r["default"], bool)
    ]
    assert len(numeric) > 60
    for r in numeric:
        assert r["path"] in printed, f"{r['path']} missing from docs/parameters.md"
        assert float(printed[r["path"]]) == _value(cfg, r["path"]), r["path"]
