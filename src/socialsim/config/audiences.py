"""The ``[users] audiences`` field (a module of its own so that ``sections.py`` does not grow;
checked with the platforms in :func:`socialsim.config.platforms.check_platforms`)."""

from __future__ import annotations

from pydantic import Field

AUDIENCES = Field(
    None,
    description="With `[[platforms]]`: shares of users present on exactly each combination of "
    'platforms, e.g. `{ "friends" = 0.5, "business" = 0.2, "friends+business" = 0.3 }`; they '
    "must sum to 1. Unset: every user is on every platform.",
    json_schema_extra={
        "source": "assumption (input); direction: audiences overlap, most LinkedIn users also "
        "use Facebook (Pew Research Center 2018, platform overlap)."
    },
)
