"""The redirect-map audit's rules as one table (see :mod:`kit.rules`).

:func:`kit.redirects.audit_map` finds which rule applies to each rule of the map and passes
the facts (``subject``, ``end``, ``hops``, ...); the wording, severity and sources are here.
"""

from __future__ import annotations

from kit.rules import Rule, RuleTable

__all__ = ["AUDIT_RULES"]

_STATUS = ("rfc9110-redirection",)
_HOPS = ("google-http-status-hops",)

AUDIT_RULES = RuleTable((
    Rule("loop", "", "error", _HOPS,
         "This old page sends visitors round in a circle; browsers show an error and Google "
         "drops the page.",
         "Redirect loop from {subject}: the rules lead back to a URL already visited. Break "
         "the cycle by pointing one rule at the final page."),
    Rule("self_redirect", "", "error", _STATUS,
         "Visitors and Google hit a page that redirects to itself: the page cannot be reached "
         "at all.",
         "{subject} redirects to itself; point it at the new page or remove the rule."),
    Rule("too_many_hops", "", "error", _HOPS,
         "Google gives up after {limit} redirects; this page's rankings and links are lost.",
         "{hops} hops to {end}, more than Googlebot's {limit}; collapse the chain to one hop."),
    Rule("duplicate_source", "", "error", _STATUS,
         "The same old page is mapped to different new pages; which one visitors get depends "
         "on the server, not on the plan.",
         "{rules} rules for this source disagree: {listing}. Keep one; servers use the "
         "first."),
    Rule("broken_target", "", "error", ("google-site-moves",),
         "The old page's visitors land on an error page, and its rankings and links are lost.",
         "Target {end} {reason}; redirect to an existing 200 page or answer 410 if the "
         "content is gone for good."),
    Rule("homepage_dump", "", "error", ("google-redirects", "google-site-moves-soft-404"),
         "One of {dumped} old pages sent to the homepage: Google may treat these as missing "
         "pages (soft 404s), so their rankings and links are not passed on, and visitors do "
         "not find what they came for.",
         "{subject} ends at the homepage {end}; map it to its matching new page, or answer "
         "410 if there is none."),
    Rule("chain", "", "warning", ("google-redirects",),
         "Visitors and Google pass through {hops} redirects before the page loads: slower for "
         "people, and each hop risks losing the page.",
         "Chain of {hops} hops ending at {end}: redirect {subject} straight to {end}."),
    Rule("temporary", "", "warning", (*_STATUS, "google-redirects"),
         "A temporary redirect tells Google the old page may come back, so the new page may "
         "not take over its place in search results.",
         "Status {status} on a permanent move; use 301 (or 308 to keep the request method)."),
))
"""Every rule of :func:`kit.redirects.audit_map`, in the order of ``AUDIT_CHECKS``."""
