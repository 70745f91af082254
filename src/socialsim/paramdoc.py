"""Generate docs/parameters.md from the parameter schema in :mod:`socialsim.config`.

The schema is the one place a parameter is defined: each field's ``description`` is its
meaning and ``json_schema_extra["source"]`` its source (a literature reference, "technical",
or "assumption" followed by the rationale); defaults and ranges come from the field itself::

    python -m socialsim.paramdoc          # write docs/parameters.md
    python -m socialsim.paramdoc --check  # exit 1 if docs/parameters.md is stale

:func:`field_table` gives the same information as data, keyed by path ("rules.engage_pitch",
"brands[].sell_share"), e.g. for calibration ranges.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from socialsim.config import Config

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "parameters.md"

PREAMBLE = """# Parameters

Every parameter of socialsim with its default, its valid range (as the schema in
`src/socialsim/config/` enforces it), its meaning, and its source or the word
**assumption** with a one-line rationale. **This file is generated** from the schema (each
field's `description` and `json_schema_extra["source"]`) by `python -m socialsim.paramdoc`;
do not edit it by hand: change the schema and regenerate (`python -m socialsim.paramdoc
--check` fails when the file is stale). The equations in which each parameter appears are in
[odd.md](odd.md), section 7. A
configuration is TOML or a dict with the same structure: `steps`, `seed`, `[graph]`,
`[users]`, `[platform]`, `[mechanisms]`, `[bass]`, `[rules]` and `[[brands]]`
(`experiments/default.toml` writes out the default). Values outside a range, unknown keys,
inconsistent combinations, non-finite numbers (`inf`, `nan`) and values of the wrong type
(`true` or `"0.5"` for a number, `2000.0` for a whole number, `1` for a switch) stop with a
`ConfigError` naming the field and value.

**How far the literature goes.** Only a few defaults are taken from a published figure:
`rules.reciprocity_gain` (Regan 1971), `rules.favor_memory_days` (Burger 1997) and the Bass
test values `p`, `q` (Sultan, Farley & Lehmann 1990). Most rule coefficients are
**calibration assumptions**, chosen so that the patterns P1-P8 (odd.md, section 1) emerge at
the default scale (2,000 users, 365 days). The survey figures below (shares of users giving
a reason to unfollow) fix the *direction* of a mechanism and, roughly, the relative weight of
the irritants; they do not determine a coefficient's value. Where a parameter is meant to be
consistent with such a figure, the table names it.

Literature figures used:

| source | figure | used for |
| --- | --- | --- |
| Sprout Social 2016 | 46% unfollow brands for too many promotions, 41% for irrelevant content, about 35% for posting too often; brands answer about 1 message in 10 | `pitch_irritation`, `irrelevance_irritation`, `excess_irritation`; P7 (support below demand) |
| Sprout Social 2020 | poor service 49% and too many ads 45% as unfollow reasons; 89% buy from brands they follow | `unanswered_*`, `complain_rate`, `paid_irritation`, `commercialization` (direction); following as the route to exposure |
| BuzzStream 2015 | 19% unfollow at more than 6 posts a day | `excess_irritation`, `posts_per_day` |
| HBR 2012 (Freeman et al.) | 23% of consumers say they have a relationship with a brand | friendship-first attention (`friend_motive`); P1 |
| Performics 2012 | 32% have un-liked a brand | `unfollow_rate` (unfollowing common, not the rule) |
| Regan 1971 | an unrequested favour about doubled compliance | `reciprocity_gain = 1` |
| Burger 1997 | the reciprocity effect mostly gone after about a week | `favor_memory_days = 3` (e^(-7/3) = 0.097) |
| Cacioppo & Petty 1979 | repetition first persuades, then irritates (wear-out, inverted U) | overdraft cost, `overdraft_*`; P1, P2 |
| Friestad & Wright 1994 | people who recognise a persuasion attempt discount it; detected covert promotion costs more trust | `persuasion_discount`, `pitch_withdrawal` (scepticism), `skeptic_loss_multiplier`, `detection_rate`, `deception_*`; P6, P8 |
| Lee, Hosanagar & Nair (Management Science) | deal content lowers engagement but raises click-through; personality/emotional content raises engagement | `engage_deal` < `engage_useful`, `deal_persuasion` |
| DeGroot; Friedkin-Johnsen | opinion averaging; stubbornness | `social_influence` weighted by `1 - scepticism` |
| Bass 1969; Sultan, Farley & Lehmann 1990 | Bass model; meta-analytic means p = 0.03, q = 0.38 | `[bass]` limit test values |
| Reichheld 1996 | US companies lose half their customers in five years (13% a year); customers defect at 10-30% a year in a typical company | `lapse_base`, `lapse_distrust` (the range of annual lapse they span) |
| Morgan & Hunt 1994; Schmittlein, Morrison & Colombo 1987 | trust and commitment lower the propensity to leave; the probability that a customer is still active falls with the time since the last transaction | `lapse_distrust`, `lapse_recency` (direction and form) |
| Keaveney 1995 | failed responses to service failures are one of eight categories of reasons customers give for switching | `lapse_unanswered` (direction) |
| Smith, Bolton & Wagner 1999; McCollough, Berry & Yadav 2000 | a recovery effort after a service failure raises the complainer's satisfaction (service recovery) | `reply_relief`, `reply_trust_recovery` (direction) |
| Lee & Song 2010; van Noort & Willemsen 2012 | accommodative public responses to online complaints make observers' evaluations of the company less negative, defensive ones more negative; reactive webcare improves brand evaluations | `reply_calm`, `reply_fuel`, `reply_defensive_irritation` (direction), `brands[].reply_tone` |
| Algesheimer, Dholakia & Herrmann 2005; Bagozzi & Dholakia 2006 | identification with a brand community drives participation, membership continuance and repurchase intentions | `community_join`, `community_leave`, `community_loyalty` (direction) |
| Muniz & O'Guinn 2001 | brand communities share rituals and stories and feel moral responsibility to help members | `community_talk` (direction) |
| Mathwick, Wiertz & de Ruyter 2008; Wiertz & de Ruyter 2007 | members of online communities answer each other's questions and problems; the community's usefulness depends on members' participation | `community_peer_help`, `community_critical_mass` (direction) |
| Berger & Milkman 2012; Lee, Hosanagar & Nair 2018 | practically useful and high-arousal content is shared more; emotional/personality content raises engagement, product-pushing content lowers it | `share_useful` > `share_deal` > `share_pitch` (direction) |
| Bernstein, Bakshy, Burke & Karrer 2013 | a Facebook post reaches about 35% of the poster's friends | `share_visibility` |
| Huang, Reiley & Riabov 2018; Goli, Huang, Reiley & Riabov 2025 | Pandora field experiment (about 35M listeners, 21 months, 3-12 ads an hour): hours listened fall about 2% per additional ad an hour (active days 1.9%), linearly; the long-run effect is about 3 times the one-month effect | `time_sensitivity`, `time_adjust` (calibrated); `feed_items_per_hour` maps the ad load onto ads an hour |

Ranges use interval notation: `[a, b]` inclusive, `(a, ...` exclusive, `>= a` unbounded
above. Derived numbers in the rationale column (retention after a week, effective reach,
etc.) were computed from the defaults shown.

"""  # noqa: E501

POSTSCRIPT = """## Strategy parameters (`[[brands]] params`, `strategies.py` `defaults`)

| strategy | parameter | default | meaning | source / rationale |
| --- | --- | --- | --- | --- |
| `static` | - | - | no parameters | - |
| `earn_then_ask` | `ask_threshold` | 4 | Ledger level (post units) above which the brand pitches. | **assumption**: at 2 posts a day the brand serves for 3 days before its first pitch. |
| `earn_then_ask` | `memory_days` | 3 | Favour memory the brand assumes for its ledger. | Burger 1997, as `rules.favor_memory_days`. |
| `earn_then_ask` | `withdrawal` | 1 | Ledger units one pitch post withdraws. | **assumption**: as `rules.pitch_withdrawal` for a user of scepticism 0.5. |
| `pitch_first` | `pitch_budget` | 100 | Total pitch posts, spent from day one at `sell_share`. | **assumption**: set it to the `pitches` total of the strategy compared with (P4). |
| `adaptive` | `window` | 7 | Days per comparison window (floored, at least 1). | **assumption**: a week, smoothing day-of-week noise. |
| `adaptive` | `tolerance` | 0.1 | Relative rise in mean complaints that triggers a cut. | **assumption**: react to a 10% rise, ignore smaller fluctuations. |
| `adaptive` | `z` | 2 | The rise must also exceed `z` Poisson standard errors, `z * sqrt(now + before)`. | **assumption**: about a 5% false-alarm rate per comparison, so small counts do not trigger cuts by chance. |
| `adaptive` | `cut` | 0.7 | Factor applied to the sell-share multiplier on a cut. | **assumption**: a 30% cut per alarm. |
| `adaptive` | `recovery` | 0.02 | Daily additive recovery of the multiplier towards 1. | **assumption**: one cut is recovered in about 15 calm days. |
| `calendar` | `paid_reach_per_post` | 100 | Paid impressions (model users) bought per boosted post of the calendar. | **assumption**; calibrated: `experiments/calibrate_facebook_brand.toml` frees it (see `results/calibrate_facebook_brand/`). |
| `calendar` | `start_day` | 0 | Shift: day 0 of the run is this day of the calendar. | technical: plan "this calendar next quarter". |
| `calendar` | `repeat` | 1 | 1: start the calendar over after its last period; 0: stop posting. | technical |
| `calendar` | `use_brand_mix` | 0 | 1: the brand's `sell_share` and `serve_mix` replace the calendar's mix (volume and paid posts still from the calendar). | technical: compare sell/serve balances on the page's own schedule. |

## Fixed constants in the code (not configurable)

These numbers are written into the rules; they are **assumptions** of the model structure.
The former constants of the rules (the Beta concentration 8 of the friendship motive, the 0.5
of initial trust, of untargeted relevance and of engagement, the 2 of the pitch withdrawal,
the Hill exponent 2 and the 0.1 of irritated complaints) are now the parameters
`users.friend_motive_concentration`, `users.initial_trust_skepticism`,
`rules.untargeted_relevance`, `rules.engage_trust_offset`, `rules.withdrawal_skepticism`,
`rules.reciprocity_hill` and `rules.irritated_complaint`, with the old values as defaults.

| where | constant | role |
| --- | --- | --- |
| `rules/day.py` | `sat(x) = x / (1 + x)` | the saturating map from a rate to a probability or share (detection, unfollows, trust gains and losses) |
| `rules/purchase.py` | at most one need and one purchase per user per day | needs are Bernoulli(1 - e^(-need_rate)) |
| `rules/attention.py` | at most one paid impression per user and brand per day | paid delivery is Bernoulli |
| `config/load.py` | `BASS_NEED_RATE = 10` | a need almost every day (1 - e^(-10)) in the Bass mapping |

## References

Short citations; the figures used are those quoted in the tables above.

- Bass, F. M. (1969), Management Science: the Bass diffusion model.
- Berger, J. & Milkman, K. L. (2012), Journal of Marketing Research 49(2): what makes online content viral.
- Bernstein, M. S., Bakshy, E., Burke, M. & Karrer, B. (2013), CHI: quantifying the invisible audience in social networks.
- Burger, J. M. et al. (1997): the effect of a favour on compliance fades within about a week.
- Cacioppo, J. T. & Petty, R. E. (1979): message repetition, wear-out (inverted U).
- Freeman, K. et al. (2012), Harvard Business Review: 23% of consumers say they have a relationship with a brand.
- Friestad, M. & Wright, P. (1994): the persuasion knowledge model.
- Goli, A., Huang, J., Reiley, D. & Riabov, N. M. (2025): the long-run Pandora ad-load experiment (21 months).
- Grimm, V. et al. (2005), Science 310: pattern-oriented modelling.
- Huang, J., Reiley, D. & Riabov, N. M. (2018): measuring consumer sensitivity to audio advertising, a field experiment on Pandora internet radio.
- Keaveney, S. M. (1995), Journal of Marketing 59(2): customer switching behaviour in service industries.
- Grimm, V. et al. (2020), JASSS 23(2)7: the ODD protocol, second update.
- Lee, D., Hosanagar, K. & Nair, H. S., Management Science: content of 106k Facebook brand posts and engagement.
- Lee, Y. L. & Song, S. (2010), Computers in Human Behavior 26(5): informational motive and corporate response strategy (accommodative vs defensive) in electronic word of mouth.
- McCollough, M. A., Berry, L. L. & Yadav, M. S. (2000), Journal of Service Research 3(2): customer satisfaction after service failure and recovery.
- Morgan, R. M. & Hunt, S. D. (1994), Journal of Marketing 58(3): the commitment-trust theory of relationship marketing.
- Rand, W. & Rust, R. T. (2011): agent-based Bass diffusion.
- Regan, D. T. (1971): an unrequested favour about doubled compliance.
- Reichheld, F. F. (1996), The Loyalty Effect, Harvard Business School Press: customer defection rates.
- Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987), Management Science 33(1): "Counting your customers" (the Pareto/NBD model).
- Smith, A. K., Bolton, R. N. & Wagner, J. (1999), Journal of Marketing Research 36(3): customer satisfaction with service encounters involving failure and recovery.
- Sultan, F., Farley, J. U. & Lehmann, D. R. (1990): meta-analysis of Bass coefficients (p = 0.03, q = 0.38).
- van Noort, G. & Willemsen, L. M. (2012), Journal of Interactive Marketing 26(3): online damage control, proactive versus reactive webcare.
- DeGroot (opinion averaging); Friedkin & Johnsen (stubborn agents).
- Industry surveys: Sprout Social 2016 and 2020; BuzzStream 2015; Performics 2012.
"""  # noqa: E501

#: Sub-headings of ``[rules]``: each starts at the named field and runs to the next one.
RULE_GROUPS = {
    "base_relevance": "Content and relevance",
    "favor_memory_days": "Favour bank",
    "persuasion_discount": "Persuasion and purchases",
    "trust_gain": "Trust",
    "irritation_memory_days": "Irritation, follow and unfollow",
    "share_positive": "Word of mouth",
    "problem_rate_customer": "Support",
    "detection_rate": "Covert promotion",
    "ad_attention_cost": "Platform",
    "cost_per_post": "Prices and costs (money units: metrics `revenue`, `cost`; budgets)",
    "lapse_base": "Customer lapse (`[mechanisms] lapse`, off by default)",
    "reply_relief": "Public replies to complaints (`[mechanisms] replies`, off by default)",
    "community_join": "Brand community (`[mechanisms] community`, off by default)",
    "share_useful": "Shares (`[mechanisms] shares`, off by default)",
    "ad_supply": "Reacting platform (`[mechanisms] platform_reacts`, off by default)",
    "platform_norm_effect": "Platforms (`[[platforms]]`, none by default)",
}
HEADER = (
    "| parameter | default | range | meaning | source / rationale |\n"
    "| --- | --- | --- | --- | --- |\n"
)


def _model_of(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The section model of a field's annotation (also when optional) and whether it is a
    list (``[[...]]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if get_origin(annotation) is list:
        inner = get_args(annotation)[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner, True
        return None, False
    args = [a for a in get_args(annotation) if a is not type(None)]  # optional: X | None
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return args[0], False
    return None, False


def _sections() -> list[tuple[str, str, type[BaseModel]]]:
    """(heading, path prefix, model) for the top level and every section, in schema order."""
    out: list[tuple[str, str, type[BaseModel]]] = [("Top level", "", Config)]
    for name, field in Config.model_fields.items():
        model, many = _model_of(field.annotation)
        if model is not None:
            heading = f"`[[{name}]]`" if many else f"`[{name}]`"
            out.append((heading, f"{name}[]." if many else f"{name}.", model))
            for sub_name, sub_field in model.model_fields.items():  # e.g. a brand's budget
                sub, sub_many = _model_of(sub_field.annotation)
                if sub is not None and not sub_many:
                    out.append((f"{heading} `{sub_name}`", f"{name}[].{sub_name}.", sub))
    return out


def _bounds(field: FieldInfo) -> tuple[float | None, bool, float | None, bool]:
    """(low, low exclusive, high, high exclusive) from the field's Ge/Gt/Le/Lt metadata."""
    low = high = None
    low_open = high_open = False
    for m in field.metadata:
        if isinstance(m, at.Ge):
            low, low_open = float(m.ge), False
        elif isinstance(m, at.Gt):
            low, low_open = float(m.gt), True
        elif isinstance(m, at.Le):
            high, high_open = float(m.le), False
        elif isinstance(m, at.Lt):
            high, high_open = float(m.lt), True
    return low, low_open, high, high_open


def _num(v: float, sep: bool = True) -> str:
    if float(v).is_integer():
        return f"{int(v):,}" if sep else str(int(v))
    return repr(float(v))


def _range(field: FieldInfo) -> str:
    kind = field.annotation
    if get_origin(kind) in (Union, UnionType):  # X | None: the range of X
        kind = next(a for a in get_args(kind) if a is not type(None))
    if get_origin(kind) is Literal:
        return ", ".join(f"`{c}`" for c in get_args(kind))
    if kind is bool:
        return "true / false"
    low, low_open, high, high_open = _bounds(field)
    if low is not None and high is not None:
        return f"{'(' if low_open else '['}{_num(low)}, {_num(high)}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {_num(low)}"
    if high is not None:
        return f"{'<' if high_open else '<='} {_num(high)}"
    lengths = [m.min_length for m in field.metadata if isinstance(m, at.MinLen)]
    return f"length >= {lengths[0]}" if lengths else "-"


def _default(value: Any, name: str = "") -> str:
    if value is None:
        return "unset"
    if value is PydanticUndefined:
        return "required"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _num(value, sep=False)
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_default(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        noun = name.removesuffix("s")
        count = f"one {noun}" if len(value) == 1 else f"{len(value)} {noun}s"
        return f"{count} with the defaults below"
    return "[" + ", ".join(_default(v) for v in value) + "]"


def _source(field: FieldInfo) -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return str(extra.get("source", ""))


def field_table() -> list[dict[str, Any]]:
    """One dict per parameter (section fields excluded): path, default, low, high (floats or
    None), low_open / high_open (exclusive bounds), range (as printed), description, source."""
    rows = []
    for heading, prefix, model in _sections():
        for name, field in model.model_fields.items():
            sub, many = _model_of(field.annotation)
            if model is Config and sub is not None and not many:
                continue  # a [section], documented by its own table
            default = field.get_default(call_default_factory=True)
            low, low_open, high, high_open = _bounds(field)
            rows.append(
                {
                    "path": prefix + name,
                    "section": heading,
                    "name": name,
                    "default": default,
                    "low": low,
                    "high": high,
                    "low_open": low_open,
                    "high_open": high_open,
                    "range": _range(field),
                    "description": field.description or "",
                    "source": _source(field),
                }
            )
    return rows


def _row(r: dict[str, Any]) -> str:
    src = r["source"]
    if src.startswith("assumption"):
        src = "**assumption**" + src[len("assumption") :]
    cells = [f"`{r['name']}`", _default(r["default"], r["name"]), r["range"], r["description"]]
    return "| " + " | ".join(c.replace("|", "\\|") for c in [*cells, src]) + " |\n"


def render() -> str:
    """The full markdown of docs/parameters.md."""
    rows = field_table()
    out = [PREAMBLE]
    for heading, _, _ in _sections():
        out.append(f"## {heading}\n\n")
        section = [r for r in rows if r["section"] == heading]
        grouped = heading == "`[rules]`" and section[0]["name"] in RULE_GROUPS
        tables: list[str] = [] if grouped else [HEADER]
        for r in section:
            if grouped and r["name"] in RULE_GROUPS:
                tables.append(f"### {RULE_GROUPS[r['name']]}\n\n{HEADER}")
            tables[-1] += _row(r)
        out.append("\n".join(tables) + "\n")
    out.append(POSTSCRIPT)
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialsim.paramdoc", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is stale: run `python -m socialsim.paramdoc`", file=sys.stderr)
            return 1
        print(f"{DOC} is up to date")
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
