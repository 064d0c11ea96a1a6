"""Module 00/06: turn a vague request into a brief whose acceptance criteria run.

A :class:`Brief` holds the goal, the business metric, the audience and acceptance
criteria; each :class:`Criterion` has a sentence for Marketing, one for IT and a check
that calls the kit.  ``brief.check(data)`` gives a :class:`BriefResult`: pass or fail per
criterion, with the findings that failed it in both languages.  Ready-made criteria per
module (:data:`CRITERIA`) let a learner compose a brief without writing check code;
:func:`case_data` gives the capstone's "delivered" and "agreed" data per module.
"""

from kit.brief.cases import REQUEST_SOURCES, REQUESTS, VERSIONS, case_data
from kit.brief.criteria import (
    CRITERIA,
    catalogue,
    duplicates_have_canonical,
    it_joins_in_time,
    old_urls_redirected,
    pages_answer_200,
    pages_described,
    paid_links_tagged,
    ranking_pages_indexable,
    redirects_one_hop,
    redirects_permanent,
    site_copes_with_spike,
)
from kit.brief.model import Brief, BriefResult, Criterion, CriterionResult, Data
from kit.brief.welcome import SCALE, SELF_CHECK, self_check

__all__ = [
    "CRITERIA",
    "REQUESTS",
    "REQUEST_SOURCES",
    "SCALE",
    "SELF_CHECK",
    "VERSIONS",
    "Brief",
    "BriefResult",
    "Criterion",
    "CriterionResult",
    "Data",
    "case_data",
    "catalogue",
    "duplicates_have_canonical",
    "it_joins_in_time",
    "old_urls_redirected",
    "pages_answer_200",
    "pages_described",
    "paid_links_tagged",
    "ranking_pages_indexable",
    "redirects_one_hop",
    "redirects_permanent",
    "self_check",
    "site_copes_with_spike",
]
