"""The SEO audit's rules as one table: check, variant, severity, source, both messages.

Every finding :func:`kit.seo.audit_pages` reports comes from one :class:`Rule` here: its
``check`` (the ``check`` column), a ``variant`` when one check says different things in
different cases (a redirect or a server error for ``status``), the ``severity``, the source
(an id of :mod:`kit.sources`) and the two messages, ``business`` for Marketing and
``technical`` for IT, as :meth:`str.format` templates filled from the page's facts.  The
detectors in :mod:`kit.seo.audit` decide *whether* a rule applies and name the facts; they
hold no wording, no severity and no source.

The rules are :class:`kit.rules.Rule` in a :class:`kit.rules.RuleTable`.  The first rule of
a check is its usual severity (:data:`kit.seo.audit.CHECKS`); the order
of the table is the order findings of equal severity are listed in.
"""

from __future__ import annotations

from kit.rules import Rule, RuleTable

__all__ = ["RULES", "rule"]


_STATUS = ("rfc9110-status", "google-http-status")
_CANONICAL = ("google-canonical-how",)
_TITLE = ("google-title-links",)
_SNIPPET = ("google-snippets",)
_H1 = ("google-title-links-headings",)
_INPUT = ("input",)
_ROBOTS = ("rfc9309", "google-robots-intro")

_BLOCKED = ("Google may not read this page. It can still appear in search as a bare address "
            "without a description, and it cannot be described well.")
_BLOCKED_NOINDEX = _BLOCKED + " It also says noindex, which Google never gets to read."
_BY_RULE = "robots.txt {rule} disallows this URL for {user_agent}"
_BY_CRAWLER = ("The crawler did not fetch this URL: robots.txt disallows it for the crawler's "
               "user agent")
_UNBLOCK = ("; its noindex cannot be read while it is blocked: unblock it so Google sees the "
            "noindex, or drop the noindex if the page should be found")
_NARROW = "; remove or narrow the rule if the page should be found"
_NOTE = ". Note: robots.txt 'Noindex:' lines have not worked since Sep 2019."
_MOVED = ("Fix the page, redirect it with a 301 to its replacement, or answer 410 and remove "
          "the links to it.")

RULES = RuleTable((
    Rule("unreadable", "", "error", _INPUT,
         "This row could not be checked, so any problem on that page stays hidden.",
         "{reason}. Give an absolute http(s) URL and a numeric status code."),
    Rule("duplicate_url", "", "warning", _INPUT,
         "The same page is listed twice; only the first copy was checked.",
         "{key} also appears at {first}; remove the duplicate row."),
    Rule("status", "error", "error", _STATUS,
         "Visitors get an error here and Google drops the page from search if it stays that "
         "way.",
         "Answers {status} ({kind}). " + _MOVED),
    Rule("status", "not_ok", "error", _STATUS,
         "The page does not answer with a normal 200 OK, so Google may not index it.",
         "Answers {status} ({kind}). " + _MOVED),
    Rule("status", "redirect", "warning", _STATUS,
         "Visitors and Google are sent on to another address; this one is not shown in "
         "search.",
         "Answers {status} (redirect). Link to the final URL directly so crawlers and "
         "visitors skip the hop."),
    Rule("status", "no_response", "error", _STATUS,
         "The page did not answer at all: nobody can see it, Google included.",
         "No HTTP response (DNS or connection error); check the server and the crawl log."),
    Rule("status", "timeout", "error", _STATUS,
         "The page did not answer at all: nobody can see it, Google included.",
         "The crawler gave up waiting for an answer (connection timeout); check the server's "
         "response time and the crawl log."),
    Rule("empty_page", "", "error", _STATUS,
         "The page answers but shows nothing: nothing to rank, nothing to show.",
         "The server returns 200 with an empty body; fix the template or answer 404/410 if "
         "the page is gone."),
    Rule("too_large", "", "warning", ("google-googlebot",),
         "The page is so heavy that Google reads only its first 15 MB; anything after that, "
         "links included, is invisible to Google.",
         "page is {size:,} bytes; Googlebot reads only the first {limit:,}. Move inline data, "
         "images or scripts out of the HTML."),
    Rule("encoding", "", "warning", ("whatwg-html",),
         "Accented letters may show as garbage (\ufffd) in Google's results.",
         "{problem}. Serve UTF-8 and declare it: Content-Type: text/html; charset=utf-8 and "
         "<meta charset=\"utf-8\">."),
    Rule("title_missing", "", "error", _TITLE,
         "Google has to invent this page's headline in search results from whatever it finds "
         "on the page: you lose control of your first impression.",
         "No <title> element, or an empty one. Add a unique, descriptive <title> in <head>."),
    Rule("title_duplicate", "", "warning", _TITLE,
         "{pages} pages share this headline in search results: people (and Google) cannot "
         "tell them apart.",
         "Same <title> as other indexable pages; write one that names what is unique about "
         "this page (product, model, topic)."),
    Rule("title_too_long", "", "warning", _TITLE,
         "The headline is cut off in search results, so the end of it is never read.",
         "<title> has {length} characters (more than {limit}); Google shortens title links to "
         "fit the screen. Put the key words first and trim."),
    Rule("description_missing", "", "warning", _SNIPPET,
         "Google writes the text under the headline itself, from any snippet of the page: "
         "often not the one that makes people click.",
         "No <meta name=\"description\"> (or an empty one). Add a short summary specific to "
         "this page."),
    Rule("description_duplicate", "", "warning", _SNIPPET,
         "{pages} pages share this text under the headline: a boilerplate description tells "
         "searchers nothing.",
         "Same meta description as other indexable pages; Google tends to ignore boilerplate "
         "descriptions. Write one per page."),
    Rule("h1_missing", "", "warning", _H1,
         "The page has no main heading: visitors and Google see no clear statement of what it "
         "is about.",
         "No non-empty <h1>. Give the page one visible main heading."),
    Rule("h1_multiple", "", "info", _H1,
         "Several main headings. Google copes with that; it mostly matters for people and "
         "screen readers.",
         "{count} <h1> elements (often the logo wrapped in an <h1>). Keep one for the page's "
         "topic."),
    Rule("canonical_missing", "", "warning", _CANONICAL,
         "The page does not say which address is the real one, so Google picks one itself: "
         "maybe a version with tracking or sort parameters.",
         "No <link rel=\"canonical\"> in <head>. Add one naming this page's own clean URL."),
    Rule("canonical_missing", "in_body", "warning", _CANONICAL,
         "The page does not say which address is the real one, so Google picks one itself: "
         "maybe a version with tracking or sort parameters.",
         "The rel=canonical link is in <body>, where Google ignores it: an element that does "
         "not belong in <head> (a <div>, an <img>, text) closed <head> early. Move those "
         "elements below the canonical or into <body>."),
    Rule("canonical_elsewhere", "", "warning", _CANONICAL,
         "The page tells Google another address is the real one, so this page itself will "
         "not be shown in search. Right for sorted or filtered copies, wrong for a page of "
         "its own.",
         "rel=canonical names {target}, not this URL. If this page has its own content, make "
         "the canonical self-referencing."),
    Rule("canonical_broken", "not_url", "error", _CANONICAL,
         "The page points Google at a 'real' address that does not exist, so the page may be "
         "dropped or shown under an address you did not choose.",
         "rel=canonical {canonical!r} is not an absolute http(s) URL. Use the page's full "
         "URL."),
    Rule("canonical_broken", "target_not_ok", "error", _CANONICAL,
         "The page points Google at a 'real' address that is itself broken or redirected: a "
         "mixed signal, so the page may drop out of search.",
         "rel=canonical names {target}, which answers {status} in this crawl. Point it at a "
         "200 page, usually this page's own URL."),
    Rule("canonical_conflict", "", "warning", _CANONICAL,
         "The page names several 'real' addresses; Google ignores all of them and guesses.",
         "{count} different rel=canonical links in <head>; keep exactly one."),
    Rule("noindex", "", "warning", ("google-noindex",),
         "This page asks Google to keep it out of search results. Right for a cart or a "
         "thank-you page; a costly mistake on a product or article.",
         "Googlebot directives '{robots}' from the X-Robots-Tag header or a robots meta tag "
         "include noindex. Remove it if the page should be found; keep it only on purpose."),
    Rule("robots_blocked", "rule", "warning", _ROBOTS,
         _BLOCKED, _BY_RULE + _NARROW + _NOTE),
    Rule("robots_blocked", "crawler", "warning", _ROBOTS,
         _BLOCKED, _BY_CRAWLER + _NARROW + _NOTE),
    Rule("robots_blocked", "rule_noindex", "error", _ROBOTS,
         _BLOCKED_NOINDEX, _BY_RULE + _UNBLOCK + _NOTE),
    Rule("robots_blocked", "crawler_noindex", "error", _ROBOTS,
         _BLOCKED_NOINDEX, _BY_CRAWLER + _UNBLOCK + _NOTE),
    Rule("orphan", "", "warning", ("google-links",),
         "No page of the site links here, so visitors and Google can hardly find it: it may "
         "never show up in search.",
         "No internal <a href> to this URL from any other 200 page of the crawl. Link to it "
         "from its category or a related page."),
    Rule("orphan", "in_sitemap", "info", ("google-links",),
         "No page of the site links here. The sitemap lets Google find it, but visitors "
         "cannot click their way to it and it gets no internal links.",
         "No internal <a href> to this URL from any other 200 page of the crawl; it is listed "
         "in the sitemap. Link to it from its category or a related page."),
    Rule("meta_keywords", "", "info", ("google-keywords-2009", "google-meta-tags"),
         "Changes nothing for Google ranking: Google has ignored the keywords meta tag in web "
         "search since at least 2009. Time spent on it is not SEO.",
         "<meta name=\"keywords\"> is not among the meta tags Google supports; leave it or "
         "drop it, and put the effort into titles, descriptions, canonicals and links."),
    Rule("sitemap_not_indexable", "", "warning", ("google-sitemaps", "sitemaps-protocol-short"),
         "The sitemap asks Google to index a page that itself says it should not be indexed: "
         "mixed signals, and wasted crawling.",
         "The sitemap lists {key}, which {reasons}. List only canonical, indexable 200 pages "
         "in a sitemap."),
))
"""Every rule, in the order of the checks (see the module's docstring)."""

rule = RULES
"""``rule(check, variant="")``: the rule of the table for a check."""
