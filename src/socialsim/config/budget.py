"""A brand's ``budget`` table (``[[brands]] budget = {...}``, odd.md 7.14).

Money per day buys paid impressions (``rules.cost_per_paid`` each) and the team's hours,
which turn into posts (``rules.cost_per_post`` each: hours per post times the wage) and
support capacity (``rules.cost_per_agent`` per problem answered a day). With ``paid``,
``content`` and ``support`` given, the budget sets the brand's ``paid_reach``,
``posts_per_day`` and ``support_capacity``; without them it caps whatever the strategy
plans (``rules/budget.py``).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field, model_validator

from .sections import _Section

#: The three uses of a budget, in the order of :class:`BudgetConfig`'s share fields.
USES = ("paid", "content", "support")
#: Plan fields a budget split sets, with the use and the ``[rules]`` price of one unit.
PRICED = {
    "paid_reach": ("paid", "cost_per_paid"),
    "posts_per_day": ("content", "cost_per_post"),
    "support_capacity": ("support", "cost_per_agent"),
}


class BudgetConfig(_Section):
    """Money a brand spends a day and, optionally, how it splits it."""

    money: float = Field(
        ge=0.0,
        description="Money spent per day, in the units of `rules.price` and the `rules.cost_*` "
        "fields (required).",
        json_schema_extra={
            "source": "technical: input (the brand's own budget); experiments/budget.toml "
            "uses a documented price and cost model."
        },
    )
    paid: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of the money spent on paid impressions (sets `paid_reach = money * "
        "paid / rules.cost_per_paid`). The three shares are given together and sum to 1; "
        "unset: the budget only caps the plan.",
        json_schema_extra={"source": "technical: the decision the budget experiment sweeps."},
    )
    content: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of the money spent on the team's posting hours (sets `posts_per_day "
        "= money * content / rules.cost_per_post`).",
        json_schema_extra={"source": "technical: the decision the budget experiment sweeps."},
    )
    support: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of the money spent on the team's support hours (sets "
        "`support_capacity = money * support / rules.cost_per_agent`).",
        json_schema_extra={"source": "technical: the decision the budget experiment sweeps."},
    )

    @model_validator(mode="after")
    def _check_split(self) -> BudgetConfig:
        shares = [getattr(self, use) for use in USES]
        given = [s is not None for s in shares]
        if any(given) and not all(given):
            missing = [u for u, g in zip(USES, given, strict=True) if not g]
            raise ValueError(
                f"give all three shares paid, content, support or none (missing: "
                f"{', '.join(missing)})"
            )
        if all(given) and not math.isclose(sum(shares), 1.0, abs_tol=1e-6):
            raise ValueError(
                f"paid + content + support = {sum(shares):g} must be 1 "
                f"(paid = {self.paid}, content = {self.content}, support = {self.support})"
            )
        return self

    @property
    def split(self) -> bool:
        """Whether the budget sets the plan (all three shares given)."""
        return self.paid is not None

    def allocate(self, rules: Any) -> dict[str, float]:
        """The plan values ``{field: money * share / price}`` the split sets (empty without a
        split); ``rules`` holds the prices. A share of 0 gives 0 whatever the price; a
        positive share at a price of 0 gives ``inf`` (refused by the config check)."""
        if not self.split:
            return {}
        out = {}
        for field, (use, price) in PRICED.items():
            money = self.money * getattr(self, use)
            cost = getattr(rules, price)
            out[field] = 0.0 if money == 0.0 else (money / cost if cost > 0 else math.inf)
        return out
