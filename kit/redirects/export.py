"""Export a redirect map for the server that will serve it: nginx, Apache, or CSV.

* nginx: ``map`` blocks (nginx.org, ngx_http_map_module) matched on ``$request_uri``
  for rules with a query string and on ``$uri`` otherwise, then ``return``.  Large
  maps need ``map_hash_max_size`` / ``map_hash_bucket_size``; the block sets them.
* Apache: ``RewriteRule ^path$ target [R=301,L]`` matches exactly.  ``Redirect 301
  /old-page /new`` (mod_alias) matches whole path segments as a prefix: it catches
  ``/old-page`` and ``/old-page/x`` (sent to ``/new/x``), not ``/old-page-2`` (httpd docs,
  https://httpd.apache.org/docs/2.4/mod/mod_alias.html#redirect, "only complete path
  segments are matched"; ``alias_matches`` in mod_alias.c; checked on 2026-12-07).  For a
  map of single pages that sub-path catch is the hazard, so the export never uses it.
Sources are matched on their path (the config goes in the old site's server block);
targets are written as the map gives them, relative or absolute.

Netlify (``_redirects``) and Cloudflare (Bulk Redirect CSV) exports write the same
rules for those hosts; what they cannot express is listed by :func:`unsupported_rules`.

What a visitor's query string becomes (both servers, checked against real nginx and
Apache in ``tests/system``): the visitor's tags (``utm_*``, ``gclid``, any parameter)
always reach the target.  A target's own query comes first and the visitor's follows
(``/subscribe?from=news&utm_source=x``); a fragment stays last (``/faq?utm_source=x#a``).
A rule with a query (``/catalog.php?id=7``) matches whatever other parameters the visit
carries before or after its own, and wins over a plain ``/catalog.php`` rule; its own
parameters are not passed on, the others are.  Non-ASCII paths and queries match
whether the client sends them raw or percent-encoded (UTF-8, or Latin-1 as written).

Differences that remain (stated in each export's header comment):
* a rule with several parameters matches them in the map's order only (``a=1&b=2``
  does not match a visit with ``b=2&a=1``), on both servers;
* a source ending in a bare ``?`` (``/question?``) is the plain path ``/question``; a
  visit to ``/question?`` gets ``/questions?`` from Apache (an empty query is kept) and
  ``/questions`` from nginx;
* a source with ``%2F`` needs ``AllowEncodedSlashes NoDecode`` in the Apache virtual
  host (Apache answers 404 before any rewrite otherwise; it cannot be set in
  ``.htaccess``); sources with ``//`` or ``%2F`` are matched on the raw request line;
* nginx compares plain lower-case sources without regard to case (a hash lookup), so
  ``/ABOUT`` is redirected as ``/about`` is; Apache compares case exactly.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, unquote_to_bytes

from kit.errors import InputError
from kit.redirects.maps import GONE_STATUSES, KEEP_STATUS, RedirectMap, load_redirects
from kit.tables import TableSource
from kit.urls import path_of

__all__ = [
    "EXPORT_FORMATS",
    "Rule",
    "export_rules",
    "redirect_location",
    "to_apache",
    "to_cloudflare",
    "to_csv",
    "to_netlify",
    "to_nginx",
    "unsupported_rules",
]

EXPORT_FORMATS: tuple[str, ...] = ("nginx", "apache", "netlify", "cloudflare", "csv")
_DIFFERENCES = (
    "Query strings: the visitor's parameters (utm_*, gclid, ...) always reach the target;",
    "a target's own query comes first, a fragment last. A rule with a query matches",
    "visits that carry other parameters too, before or after its own, and its own are",
    "not passed on. Remaining differences between nginx and Apache (tested on both):",
    "- a rule with several parameters matches them in the map's order only;",
    "- a source ending in a bare '?' is treated as the plain path; for a visit to",
    "  /old? Apache keeps a bare '?' on the target (/new?), nginx drops it;",
    "- Apache needs 'AllowEncodedSlashes NoDecode' in the virtual host for %2F sources",
    "  (it answers 404 before rewriting otherwise; .htaccess cannot set it);",
    "- nginx matches plain lower-case sources in any case (/ABOUT like /about);",
    "  Apache matches case exactly.",
)


@dataclass(frozen=True)
class Rule:
    """One exported rule: the source's path and query (``None``: no query), the target
    (``None`` for 404/410) and the status.  ``raw`` rules (``//`` or ``%2F`` in the path)
    are matched on the request line as the client sent it."""

    path: str
    query: str | None
    target: str | None
    status: int

    @property
    def source(self) -> str:
        return self.path + (f"?{self.query}" if self.query is not None else "")

    @property
    def raw(self) -> bool:
        return "//" in self.path or "%2f" in self.path.lower()


def _as_map(redirects: TableSource | RedirectMap) -> RedirectMap:
    return redirects if isinstance(redirects, RedirectMap) else load_redirects(redirects)


def export_rules(redirects: TableSource | RedirectMap) -> list[Rule]:
    """The rules an export writes: first rule per source, ``/a?`` read as ``/a``,
    unchanged (200) rows left out."""
    rmap = _as_map(redirects)
    seen: set[str] = set()
    rules: list[Rule] = []
    frame = rmap.frame
    for source_key, target, status in zip(
        frame["source_key"], frame["target"], frame["status"], strict=True
    ):
        if status == KEEP_STATUS:
            continue
        path, mark, query = path_of(source_key).partition("?")
        rule = Rule(path, query if mark and query else None,
                    target if status not in GONE_STATUSES else None, int(status))
        if rule.source in seen:
            continue
        seen.add(rule.source)
        rules.append(rule)
    return rules


def redirect_location(target: str, extra_query: str = "") -> str:
    """The ``Location`` a rule to ``target`` should answer when the visit brings
    ``extra_query``: the target's own query, then the visitor's, then the fragment."""
    base, _, fragment = target.partition("#")
    if extra_query:
        base += ("&" if "?" in base else "?") + extra_query
    return base + (f"#{fragment}" if "#" in target else "")


def _split_target(target: str) -> tuple[str, str | None, str | None]:
    rest, hash_mark, fragment = target.partition("#")
    base, mark, query = rest.partition("?")
    return base, (query if mark else None), (fragment if hash_mark else None)


# --- patterns -------------------------------------------------------------------------------

def _hex_class(byte: int) -> str:
    return "%" + "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d
                         for d in f"{byte:02X}")


def _raw_pattern(text: str) -> str:
    """A PCRE pattern for ``text`` as it appears in a request line: percent escapes in
    either hex case, and every non-ASCII byte either raw (``\\xHH``) or escaped."""
    pieces: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[index + 1 : index + 3]):
            byte = int(text[index + 1 : index + 3], 16)
            pieces.append(f"(?:\\x{byte:02x}|{_hex_class(byte)})" if byte >= 0x80
                          else _hex_class(byte))
            index += 3
            continue
        if ord(char) < 0x80:
            pieces.append(re.escape(char).replace("\\-", "-") if char not in " \t" else
                          _hex_class(ord(char)))
        else:
            pieces.extend(f"(?:\\x{byte:02x}|{_hex_class(byte)})"
                          for byte in char.encode("utf-8"))
        index += 1
    return "".join(pieces)


def _decoded(path: str) -> str | None:
    """The path as nginx's ``$uri`` holds it, or ``None`` if its bytes are not UTF-8."""
    try:
        return unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None


def _query_cases(query: str) -> list[tuple[str, int]]:
    """Patterns for a rule's query inside a visitor's query, and how many captures
    (the visitor's other parameters) each has: alone, then extras after, before, around."""
    own = _raw_pattern(query)
    return [(own, 0), (own + "&(.+)", 1), ("(.+)&" + own, 1), ("(.+)&" + own + "&(.+)", 2)]


# --- nginx ----------------------------------------------------------------------------------

def _nginx_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _nginx_literal(text: str) -> str:
    return text.replace("$", "${crosstalk_dollar}")


def _nginx_target(target: str, extra: str | None) -> str:
    """The map value: ``extra`` is an nginx expression for the visitor's other
    parameters (``$1``), or ``None`` for "the whole query string, if any"."""
    base, query, fragment = _split_target(target)
    value = _nginx_literal(base)
    if query is not None:
        value += "?" + _nginx_literal(query)
        value += f"&{extra}" if extra else ("" if extra is not None else "$crosstalk_and_args")
    else:
        value += f"?{extra}" if extra else ("" if extra is not None else "$crosstalk_is_args")
    return value + ("#" + _nginx_literal(fragment) if fragment is not None else "")


def _nginx_regex_entries(rule: Rule, gone: bool) -> list[str]:
    """``$request_uri`` regex keys for a rule with a query, or a raw/non-UTF-8 path."""
    path = "~^" + _raw_pattern(rule.path)
    if rule.query is None:
        cases = [(path + r"\??$", None), (path + r"\?(.+)$", "$1")]
    else:
        extras = {0: "", 1: "$1", 2: "$1&$2"}
        cases = [(path + r"\?" + pattern + "$", extras[count])
                 for pattern, count in _query_cases(rule.query)]
    entries = []
    for key, extra in cases:
        if gone or rule.target is None:
            value = '"1"'
        else:
            value = _nginx_quote(_nginx_target(rule.target, extra if extra else ""))
        entries.append(f"    {_nginx_quote(key)} {value};")
    return entries


def to_nginx(redirects: TableSource | RedirectMap) -> str:
    """nginx config: ``map`` blocks for the ``http`` context, ``if``/``return`` for ``server``.

    Rules without a query string match nginx's decoded ``$uri`` and pass the visitor's
    query string on; rules with one (or whose path is not UTF-8, or has ``//`` or
    ``%2F``) match the raw ``$request_uri`` with regexes and are tested first, so
    ``/a?id=7&utm_source=x`` goes where ``/a?id=7`` goes, not where ``/a`` goes.  nginx
    compares map strings without regard to case, so a source with capitals, or one
    that differs only in case from another source or a target, becomes an exact,
    case-sensitive regex (lower-case sources stay fast hash lookups; a request for
    their upper-case spelling, a URL nobody links to, is redirected too).
    Each source answers its own status in exactly one hop.
    """
    rmap = _as_map(redirects)
    rules = export_rules(rmap)
    size = max(1024, 1 << (len(rules) * 2).bit_length())
    longest = max((len(rule.source.encode()) for rule in rules), default=0)
    bucket = max(256, 1 << (longest + 32).bit_length())
    taken = Counter(_decoded(rule.path.lower()) or rule.path.lower() for rule in rules)
    for target_key in rmap.frame["target_key"].dropna():
        if target_key.startswith("/"):  # the site's own URL, relative or absolute
            bare = path_of(target_key).partition("?")[0].lower()
            taken[_decoded(bare) or bare] += 1
    lines = [
        "# Generated by Crosstalk (kit.redirects.to_nginx).",
        "# Put everything above the '--- server' line in http {}, the rest in server {}.",
        *(f"# {line}" for line in _DIFFERENCES),
        f"map_hash_max_size {size};",
        f"map_hash_bucket_size {bucket};",
        'geo $crosstalk_dollar { default "$"; }',
    ]
    for variable, joiner in (("$crosstalk_is_args", "?"), ("$crosstalk_and_args", "&")):
        lines += ["", f"map $args {variable} {{", f'    default "{joiner}$args";', '    "" "";',
                  "}"]
    query_ifs: list[str] = []
    raw_ifs: list[str] = []
    path_ifs: list[str] = []
    for status in sorted({rule.status for rule in rules}):
        gone = status in GONE_STATUSES
        by_uri: list[str] = []
        by_request: list[str] = []
        by_raw_path: list[str] = []
        for rule in (r for r in rules if r.status == status):
            decoded = _decoded(rule.path)
            if rule.query is not None:
                by_request += _nginx_regex_entries(rule, gone)
                continue
            if decoded is None or rule.raw:  # tested after every query rule
                by_raw_path += _nginx_regex_entries(rule, gone)
                continue
            value = ('"1"' if gone or rule.target is None
                     else _nginx_quote(_nginx_target(rule.target, None)))
            if taken[decoded.lower()] > 1 or decoded != decoded.lower():
                by_uri.append(f"    {_nginx_quote('~^' + re.escape(decoded) + '$')} {value};")
            else:
                by_uri.append(f"    {_nginx_quote(decoded)} {value};")
        for variable, source, entries, ifs in (
            (f"$crosstalk_{status}_query", "$request_uri", by_request, query_ifs),
            (f"$crosstalk_{status}_raw", "$request_uri", by_raw_path, raw_ifs),
            (f"$crosstalk_{status}", "$uri", by_uri, path_ifs),
        ):
            if not entries:
                continue
            lines += ["", f"map {source} {variable} {{", '    default "";', *entries, "}"]
            action = f"return {status};" if gone else f"return {status} {variable};"
            ifs.append(f'if ({variable} != "") {{ {action} }}')
    server = ["", "# --- server { } ---", *query_ifs, *raw_ifs, *path_ifs]
    return "\n".join(lines + server) + "\n"


# --- Apache ---------------------------------------------------------------------------------

def _apache_path(path: str) -> str:
    """Exact-match RewriteRule pattern for the decoded path.

    mod_rewrite matches the decoded path, without the leading slash in ``.htaccess``
    and with it in a virtual host; ``^/?`` serves both.  Bytes outside printable ASCII
    are written ``\\xHH``: Apache splits arguments on spaces and compares raw bytes, so
    a Latin-1 ``%E9`` and a UTF-8 ``%C3%A9`` both match as written.
    """
    escaped = "".join(
        re.escape(chr(byte)).replace("\\-", "-") if 0x21 <= byte < 0x7F else f"\\x{byte:02x}"
        for byte in unquote_to_bytes(path.lstrip("/"))
    )
    return "^/?" + escaped + "$"


def _apache_literal(text: str) -> str:
    """``%`` and ``$`` start back-references in a substitution: escape them."""
    return text.replace("%", "\\%").replace("$", "\\$")


def _apache_target(target: str, extra: str | None) -> str:
    """The substitution; ``extra`` is a back-reference for the visitor's other
    parameters, ``""`` for none."""
    base, query, fragment = _split_target(target)
    value = _apache_literal(base)
    if query is not None or extra:
        value += "?" + "&".join(p for p in (
            _apache_literal(query) if query else None, extra) if p)
    return value + ("#" + _apache_literal(fragment) if fragment is not None else "")


def _apache_rule(pattern: str, target: str | None, status: int, extra: str | None,
                 *, drop_query: bool) -> str:
    if target is None:
        flag = "G" if status == 410 else f"R={status}"
        return f"RewriteRule {pattern} - [{flag},L]"
    qsd = ",QSD" if drop_query else ""
    return f"RewriteRule {pattern} {_apache_target(target, extra)} [R={status},L,NE{qsd}]"


def _apache_lines(rule: Rule) -> list[str]:
    if rule.raw:  # matched on the request line: //, %2F (Apache merges or refuses them)
        line = r"^\S+\s" + _raw_pattern(rule.path)
        if rule.query is None:
            cases = [(r"(?:\?)?\s", "", 0), (r"\?(\S+)\s", "%1", 1)]
        else:
            extras = {0: "", 1: "%1", 2: "%1&%2"}
            cases = [(r"\?" + p + r"\s", extras[n], n) for p, n in _query_cases(rule.query)]
        lines = []
        for tail, extra, _ in cases:
            lines.append(f"RewriteCond %{{THE_REQUEST}} {line}{tail}")
            lines.append(_apache_rule("^", rule.target, rule.status, extra, drop_query=True))
        return lines
    pattern = _apache_path(rule.path)
    if rule.query is not None:
        extras = {0: "", 1: "%1", 2: "%1&%2"}
        lines = []
        for query_pattern, count in _query_cases(rule.query):
            lines.append(f"RewriteCond %{{QUERY_STRING}} ^{query_pattern}$")
            lines.append(_apache_rule(pattern, rule.target, rule.status, extras[count],
                                      drop_query=True))
        return lines
    if rule.target is None or ("?" not in rule.target and "#" not in rule.target):
        # Apache appends the visitor's query to a target without one
        return [_apache_rule(pattern, rule.target, rule.status, None, drop_query=False)]
    return ["RewriteCond %{QUERY_STRING} ^$",
            _apache_rule(pattern, rule.target, rule.status, "", drop_query=True),
            "RewriteCond %{QUERY_STRING} ^(.+)$",
            _apache_rule(pattern, rule.target, rule.status, "%1", drop_query=True)]


def to_apache(redirects: TableSource | RedirectMap) -> str:
    """Apache mod_rewrite rules (``.htaccess`` or vhost), exact rules per source.

    Rules with a query string come first: RewriteRule never sees the query, so a
    plain ``/a`` rule placed before would also catch ``/a?id=7``.
    """
    rules = sorted(export_rules(redirects), key=lambda rule: rule.query is None)
    lines = ["# Generated by Crosstalk (kit.redirects.to_apache).",
             *(f"# {line}" for line in _DIFFERENCES), "RewriteEngine On"]
    for rule in rules:
        lines += _apache_lines(rule)
    return "\n".join(lines) + "\n"


# --- Netlify and Cloudflare -----------------------------------------------------------------

_NETLIFY_STATUSES = frozenset({301, 302, 303, 307, 308})
_CLOUDFLARE_STATUSES = frozenset({301, 302, 307, 308})


def unsupported_rules(redirects: TableSource | RedirectMap, fmt: str) -> list[str]:
    """Rules ``fmt`` (``netlify``, ``cloudflare``) cannot express, each with the reason;
    the export leaves them out."""
    problems = []
    for rule in export_rules(redirects):
        if fmt == "netlify" and rule.status not in _NETLIFY_STATUSES:
            problems.append(f"{rule.source}: status {rule.status} is not a redirect Netlify "
                            "sends without a page to serve (add e.g. '/old /gone.html 410')")
        elif fmt == "cloudflare":
            if rule.query is not None:
                problems.append(f"{rule.source}: Cloudflare Bulk Redirects cannot match a "
                                "query string (use a Single Redirect rule)")
            elif rule.status not in _CLOUDFLARE_STATUSES:
                problems.append(f"{rule.source}: Cloudflare Bulk Redirects send 301, 302, "
                                f"307 or 308 only, not {rule.status}")
    return problems


def _encoded(text: str) -> str:
    """Non-ASCII and spaces percent-encoded (UTF-8), existing escapes kept."""
    return quote(text, safe="/?=&%;:@!$'()*+,~#[]-._")


def to_netlify(redirects: TableSource | RedirectMap) -> str:
    """A Netlify ``_redirects`` file: ``from [param=value ...] to status`` per rule.

    Netlify passes the visitor's query string on to targets of rules without query
    matching; a rule with a query matches the parameters as ``name=value`` pairs.
    404/410 rows are left out (see :func:`unsupported_rules`).  Written from Netlify's
    documentation ("Redirects and rewrites", "Redirect options"); not run against
    Netlify here.
    """
    lines = ["# Generated by Crosstalk (kit.redirects.to_netlify): Netlify _redirects file.",
             "# 404/410 rows are left out: Netlify needs a page to serve with those."]
    for rule in export_rules(redirects):
        if rule.status not in _NETLIFY_STATUSES or rule.target is None:
            continue
        query = " ".join(_encoded(pair) for pair in (rule.query or "").split("&") if pair)
        parts = [_encoded(rule.path), query, _encoded(rule.target), str(rule.status)]
        lines.append(" ".join(part for part in parts if part))
    return "\n".join(lines) + "\n"


def to_cloudflare(redirects: TableSource | RedirectMap, *, host: str | None = None) -> str:
    """A Cloudflare Bulk Redirect list as CSV, no header row: ``source_url, target_url,
    status_code, preserve_query_string, include_subdomains, subpath_matching,
    preserve_path_suffix``.

    Source URLs need the host (``host``; default: the map's own site; an
    :class:`~kit.errors.InputError` when the map has only relative addresses); relative
    targets are made absolute on that host, as Cloudflare requires.  The visitor's
    query string is kept (``preserve_query_string``) unless the target has its own
    query, which Cloudflare then refuses to combine: such rules drop the visitor's tags.
    Rules with a query, and 303/404/410 rows, are left out (:func:`unsupported_rules`).
    """
    rmap = _as_map(redirects)
    scheme, _, site = rmap.origin.partition("://")
    site = (host or site).strip().strip("/")
    if not site or site.endswith(".invalid"):
        raise InputError("Cloudflare needs the host of the source URLs, and the map has "
                         "only relative addresses.",
                         hint="Give the old site's host, e.g. --host www.example.com.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for rule in export_rules(rmap):
        if rule.query is not None or rule.status not in _CLOUDFLARE_STATUSES or not rule.target:
            continue
        keep = "FALSE" if "?" in rule.target.partition("#")[0] else "TRUE"
        target = _encoded(rule.target)
        if target.startswith("/"):
            target = f"{scheme or 'https'}://{site}{target}"
        writer.writerow([f"{site}{_encoded(rule.path)}", target, rule.status,
                         keep, "FALSE", "FALSE", "FALSE"])
    return buffer.getvalue()


# --- CSV ------------------------------------------------------------------------------------

def to_csv(redirects: TableSource | RedirectMap, path: str | Path | None = None) -> str:
    """The map as CSV (``source,target,status``); written to ``path`` when given."""
    rmap = _as_map(redirects)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "target", "status"])
    for source, target, status in zip(
        rmap.frame["source"], rmap.frame["target"], rmap.frame["status"], strict=True
    ):
        writer.writerow([source, target or "", int(status)])
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
