"""The welcome module's self-check: where each person starts, per module (not graded).

Each learner rates a few statements from 0 ("no idea") to 3 ("I could explain it to the
other side").  :func:`self_check` turns the ratings into one row per module with the
statements scored lowest first, so the pair knows where to slow down during the day.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kit.errors import InputError

__all__ = ["SCALE", "SELF_CHECK", "self_check"]

SCALE = {0: "no idea yet", 1: "heard of it", 2: "could do it with help",
         3: "could explain it to the other side"}

SELF_CHECK: dict[str, tuple[str, str]] = {
    "redirect": ("01-redirects", "I can say what a 301 is for and why 'everything to the "
                                 "homepage' loses visitors."),
    "seo": ("02-seo", "I can name three changes that help a page appear in Google, and one that "
                      "does nothing."),
    "duplicates": ("03-duplicates", "I can explain why one page at five addresses is a problem, "
                                    "and what a canonical is."),
    "tracking": ("04-tracking", "I can say what UTM tags are and where a tagged click shows up "
                                "in the analytics report."),
    "launch": ("05-launch", "I can say what happens to a website when a campaign brings ten "
                            "times the usual visitors at once."),
    "brief": ("06-capstone", "I can write a request so that the other side knows exactly when "
                             "it is done."),
}


def self_check(ratings: Mapping[str, int], *, name: str = "me") -> pd.DataFrame:
    """One row per statement: module, statement, the rating in words; lowest first.

    ``ratings`` maps the keys of :data:`SELF_CHECK` (``"redirect"``, ``"seo"``, …) to 0–3.
    A missing key counts as not rated; a value outside 0–3 is an InputError naming it.
    """
    if not isinstance(ratings, Mapping):
        raise InputError(f"self_check: ratings is a {type(ratings).__name__}; write a dict "
                         'like {"redirect": 2, "seo": 1}.')
    unknown = sorted(set(map(str, ratings)) - set(SELF_CHECK))
    bad = [f"{key}: {value!r}" for key, value in ratings.items()
           if isinstance(value, bool) or value not in SCALE]
    if unknown or bad:
        problems = [f"unknown statement {key!r}" for key in unknown] + bad
        raise InputError("self_check: some ratings cannot be read.", problems,
                         hint=f"Use the keys {list(SELF_CHECK)} and whole numbers 0 to 3.")
    rows = []
    for key, (module, statement) in SELF_CHECK.items():
        score = ratings.get(key)
        rows.append({"module": module, "statement": statement,
                     name: "not rated" if score is None else f"{score} · {SCALE[score]}",
                     "_order": -1 if score is None else score})
    frame = pd.DataFrame(rows).sort_values(["_order", "module"], kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)
