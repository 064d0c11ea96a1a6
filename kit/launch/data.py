"""The survey figures and the forecast module 05 charts, each with its source.

Figures as published (percentages of respondents, US dollars); the sources are in
``SOURCES`` and in each table's ``source`` column, so a chart can always cite them, and
their addresses in ``SOURCE_LINKS`` (checked on 2026-12-07).  The 2012 policies describe
that era, not today's workplaces.
"""

from __future__ import annotations

import pandas as pd

from kit.sources import SOURCES as REGISTRY

__all__ = ["SOURCES", "SOURCE_LINKS", "blocked_at_work", "social_media_forecast",
           "social_policy_trend"]

_IDS = {"easynet": "easynet-2012", "robert_half": "robert-half-2011",
        "gartner": "gartner-2012"}
SOURCES: dict[str, str] = {name: REGISTRY[key].text for name, key in _IDS.items()}
"""The citation of each data set, from :mod:`kit.sources`."""
SOURCE_LINKS: dict[str, str] = {name: REGISTRY[key].url or "" for name, key in _IDS.items()}
"""Where each source is (plain http where the publisher's page has no https)."""


def blocked_at_work() -> pd.DataFrame:
    """Share of European CIOs/IT managers blocking each service at work (Easynet/Ipanema 2012)."""
    return pd.DataFrame({
        "service": pd.Series(["Facebook", "YouTube", "all online video", "Twitter"], dtype=object),
        "share_blocking": [0.67, 0.60, 0.56, 0.49],
        "respondents": 550,
        "source": SOURCES["easynet"],
    })


def social_policy_trend() -> pd.DataFrame:
    """US CIOs' policy on social sites at work, 2009 vs 2011 (Robert Half Technology)."""
    return pd.DataFrame({
        "policy": pd.Series(["prohibited completely", "prohibited completely",
                             "business use only", "business use only"], dtype=object),
        "year": [2009, 2011, 2009, 2011],
        "share": [0.54, 0.31, 0.19, 0.51],
        "source": SOURCES["robert_half"],
    })


def social_media_forecast() -> pd.DataFrame:
    """Worldwide social media revenue, total and advertising, 2011 and 2016 forecast (Gartner),
    in billions of US dollars."""
    return pd.DataFrame({
        "year": [2011, 2016, 2011, 2016],
        "kind": pd.Series(["forecast" if y == 2016 else "estimate" for y in (2011, 2016) * 2],
                          dtype=object),
        "segment": pd.Series(["all social media revenue"] * 2 + ["advertising"] * 2, dtype=object),
        "usd_bn": [12.0, 34.0, 6.5, 18.0],
        "source": SOURCES["gartner"],
    })
