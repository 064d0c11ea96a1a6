"""robots.txt as Google reads it: RFC 9309, longest match wins, Allow wins ties.

Python's :mod:`urllib.robotparser` applies the *first* rule that matches, in file
order, and knows no ``*`` or ``$`` wildcards; Google (and RFC 9309, the Robots
Exclusion Protocol) apply the *most specific* rule: the matching rule with the most
octets, with ``Allow`` winning a tie.  The two disagree on ordinary files such as::

    User-agent: *
    Disallow: /shop/
    Allow: /shop/boots/

so this module implements RFC 9309 itself (it is short):

* §2.2: lines end at CR, LF or CR LF (the grammar's ``NL = %x0D / %x0A / %x0D.0A``), nowhere
  else: not at U+2028, U+0085 or a form feed, which :meth:`str.splitlines` would split
  on (a rule cut in two can block far more than was written).
* §2.1-2.2.1: records ``user-agent``, ``allow``, ``disallow`` (keys case-insensitive,
  ``#`` starts a comment); consecutive ``user-agent`` lines share one group; every group
  whose product token matches the crawler's (case-insensitively) is merged into one;
  when none matches, the ``*`` groups apply; with no group at all, everything is allowed.
  Rules before the first ``user-agent`` line belong to no group and are ignored.
  A product token is ``[A-Za-z_-]+``; only a lone ``*`` names every crawler (Google's
  parser also takes ``*`` followed by a space and more text): ``User-agent: *bot`` is
  no product token and its group applies to no crawler (google/robotstxt, robots.cc,
  ``RobotsMatcher::HandleUserAgent`` and ``ExtractUserAgent``).
* §2.2.2: the rule that matches with the most octets wins; ``Allow`` wins a tie; an
  empty ``Disallow:`` matches nothing; ``/robots.txt`` is always allowed.  A URL is
  matched by its path, params and query as a crawler sends them (``http://host/?``
  is ``/?``, not ``/``; the fragment is dropped), the way Google's
  ``GetPathParamsQuery`` cuts it.  Paths and patterns are compared after
  percent-encoding non-ASCII characters (UTF-8), decoding percent-encoded unreserved
  characters (RFC 3986 §2.3) and writing other percent-encodings in upper case.
* §2.2.3: ``*`` matches any sequence of characters, a final ``$`` anchors the end;
  to match a literal ``*`` or ``$`` a pattern writes ``%2A`` / ``%24``.
* §2.5: only the first 500 KiB of the file are parsed.
* A UTF-8 byte-order mark at the start is skipped, and so is a *partial* one (``EF`` or
  ``EF BB``), as Google's parser does (robots.cc, ``RobotsTxtParser::Parse``; its test
  ``ID_UTF8ByteOrderMarkIsSkipped``), so the first line is not lost.

Each crawler's merged group is compiled once (:meth:`RobotsTxt.decide` caches it): the
literal patterns go in a table by length, the wildcard patterns in one regular
expression whose alternatives are ordered by precedence, so a URL costs a few lookups
and one regex match, not a loop over every rule.

Sources, checked on 2026-12-07: RFC 9309 (https://www.rfc-editor.org/rfc/rfc9309);
Google Search Central, "How Google interprets the robots.txt specification"
(https://developers.google.com/search/docs/crawling-indexing/robots/robots_txt), whose
precedence and path-matching tables the tests use; Google's open-source parser
(https://github.com/google/robotstxt).  Google also notes that ``noindex`` in
robots.txt is not supported (since 1 Sep 2019).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["MAX_ROBOTS_BYTES", "RobotsRule", "RobotsTxt", "parse_robots"]

MAX_ROBOTS_BYTES = 500 * 1024
"""RFC 9309 §2.5: crawlers must parse at least the first 500 KiB; Google stops there."""

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_PRODUCT = re.compile(r"[A-Za-z_-]+")
_EOL = re.compile(r"\r\n|\r|\n")
_NEEDS_ENCODING = re.compile(r"[^\x00-\x7f]|[ \t%*$]")
_UTF8_BOM = b"\xef\xbb\xbf"
_BLANK = " \t\v\f\r\n"
"""What is trimmed around keys and values: ASCII white space only, as Google's parser
(RFC 9309's grammar allows only SP and HTAB); a U+2028 or U+0085 stays part of the value."""
_KEYS = {"user-agent": "user-agent", "allow": "allow", "disallow": "disallow",
         "sitemap": "sitemap"}
_COMPLEX_STARS = 2
"""Patterns with more ``*`` than this are matched by the position-set matcher, not a regex
(a regex of many ``.*`` can backtrack for a very long time)."""


@dataclass(frozen=True)
class RobotsRule:
    """One ``allow`` or ``disallow`` line: its normalised pattern and where it was."""

    allow: bool
    pattern: str
    line: int

    def __str__(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.pattern} (line {self.line})"


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[RobotsRule] = field(default_factory=list)


def _encode_octets(text: str, *, pattern: bool) -> str:
    """RFC 9309 §2.2.2 normal form of a path or a pattern.

    Non-ASCII characters, spaces and tabs and (in paths) the pattern characters ``*``
    and ``$`` are percent-encoded; percent-encoded unreserved characters are decoded;
    other percent-encodings get upper-case hex.
    """
    if _NEEDS_ENCODING.search(text) is None:
        return text
    out: list[str] = []
    for char in text:
        if ord(char) > 127 or char in " \t":
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
        elif not pattern and char in "*$":
            out.append(f"%{ord(char):02X}")
        else:
            out.append(char)
    encoded = "".join(out)
    if "%" not in encoded:
        return encoded

    def repl(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(repl, encoded)


def _path_of(url: str) -> str:
    """The path, params and query a crawler requests for ``url``; always starts with ``/``.

    A port of ``GetPathParamsQuery`` in Google's parser (robots.cc): scheme, authority
    and fragment go, an empty query stays (``http://h/?`` → ``/?``), a query straight
    after the host gets its ``/`` (``http://h?a`` → ``/?a``), no path gives ``/``.
    """
    start = 2 if url.startswith("//") else 0
    early = _first_of(url, "/?;", start)
    scheme_end = url.find("://", start)
    if scheme_end < 0 or (early >= 0 and early < scheme_end):
        scheme_end = start
    else:
        scheme_end += 3
    path_start = _first_of(url, "/?;", scheme_end)
    if path_start < 0:
        return "/"
    hash_at = url.find("#", start)
    if 0 <= hash_at < path_start:
        return "/"
    path = url[path_start:] if hash_at < 0 else url[path_start:hash_at]
    return path if path.startswith("/") else "/" + path


def _first_of(text: str, chars: str, start: int) -> int:
    """Index of the first of ``chars`` in ``text`` from ``start``, or -1."""
    found = [i for i in (text.find(c, start) for c in chars) if i >= 0]
    return min(found) if found else -1


def _wildcard_regex(pattern: str) -> str:
    """The regex text of a pattern: ``*`` is any sequence, a final ``$`` the end."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    return ".*".join(re.escape(piece) for piece in body.split("*")) + (r"\Z" if anchored
                                                                      else "")


@lru_cache(maxsize=4096)
def _compiled_wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile(_wildcard_regex(pattern), re.DOTALL)


def _matches(pattern: str, path: str) -> bool:
    """Does ``pattern`` (``*`` wildcards, final ``$``) match the start of ``path``?

    Linear in ``len(path) * len(pattern)`` even for patterns full of ``*``: the set of
    path positions the pattern prefix can reach is kept, as Google's matcher does.
    """
    if "*" not in pattern:
        if pattern.endswith("$"):
            return path == pattern[:-1]
        return path.startswith(pattern)
    if pattern.count("*") <= _COMPLEX_STARS:
        return _compiled_wildcard(pattern).match(path) is not None
    size = len(path)
    positions = [0]
    last = len(pattern) - 1
    for index, char in enumerate(pattern):
        if char == "$" and index == last:
            return positions[-1] == size
        if char == "*":
            positions = list(range(positions[0], size + 1))
            continue
        positions = [p + 1 for p in positions if p < size and path[p] == char]
        if not positions:
            return False
    return True


def _precedence(rule: RobotsRule) -> tuple[int, bool, int]:
    """Sort key, highest precedence first: most octets, then Allow (RFC 9309 §2.2.2), then
    the earlier line (so the rule reported for a tie is stable)."""
    return (-len(rule.pattern), not rule.allow, rule.line)


class _CompiledRules:
    """One crawler's merged rules, ready to decide many URLs.

    Literal patterns (no ``*``) are looked up by length: the longest prefix of the path
    that is a literal pattern is the best literal match.  Wildcard patterns go in one
    regex, alternatives ordered by precedence, so the first alternative that matches is
    the best wildcard match.  The better of the two wins.
    """

    def __init__(self, rules: list[RobotsRule]) -> None:
        prefixes: dict[str, RobotsRule] = {}
        exact: dict[str, RobotsRule] = {}
        wildcards: list[RobotsRule] = []
        self.complex: list[RobotsRule] = []
        for rule in rules:
            pattern = rule.pattern
            if "*" in pattern:
                (self.complex if pattern.count("*") > _COMPLEX_STARS
                 else wildcards).append(rule)
                continue
            table, key = (exact, pattern[:-1]) if pattern.endswith("$") else (prefixes, pattern)
            kept = table.get(key)
            if kept is None or _precedence(rule) < _precedence(kept):
                table[key] = rule
        self.prefixes = prefixes
        self.exact = exact
        self.lengths = sorted({len(p) for p in prefixes}, reverse=True)
        wildcards.sort(key=_precedence)
        self.complex.sort(key=_precedence)
        self.wildcards = wildcards
        self.regex = (re.compile("|".join(f"({_wildcard_regex(r.pattern)})" for r in wildcards),
                                 re.DOTALL) if wildcards else None)

    def decide(self, path: str) -> RobotsRule | None:
        """The deciding rule for ``path`` (already in RFC 9309 normal form), or None."""
        best: RobotsRule | None = self.exact.get(path)
        size = len(path)
        prefixes = self.prefixes
        for length in self.lengths:
            if length > size:
                continue
            if best is not None and length < len(best.pattern):
                break
            rule = prefixes.get(path[:length])
            if rule is not None:
                if best is None or _precedence(rule) < _precedence(best):
                    best = rule
                break
        if self.regex is not None:
            match = self.regex.match(path)
            if match is not None:
                rule = self.wildcards[(match.lastindex or 1) - 1]  # alternative k is group k
                if best is None or _precedence(rule) < _precedence(best):
                    best = rule
        for rule in self.complex:
            if best is not None and _precedence(best) <= _precedence(rule):
                break
            if _matches(rule.pattern, path):
                best = rule
                break
        return best


@lru_cache(maxsize=256)
def _crawler_token(user_agent: str) -> str:
    """The crawler's product token, lower case: ``Googlebot/2.1`` → ``googlebot``."""
    match = _PRODUCT.match(user_agent.strip())
    return match.group(0).lower() if match else ""


def _strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte-order mark, whole or partial (as Google)."""
    skip = 0
    while skip < len(_UTF8_BOM) and skip < len(data) and data[skip] == _UTF8_BOM[skip]:
        skip += 1
    return data[skip:]


class RobotsTxt:
    """A parsed robots.txt: ask :meth:`allowed` about a URL for a crawler.

    ``RobotsTxt(text)`` never raises on odd content: unknown lines are ignored, as
    RFC 9309 §2.2 asks.  ``ignored`` lists the lines that had no effect and why, so an
    audit can show them.
    """

    def __init__(self, text: str | bytes = "") -> None:
        if isinstance(text, bytes | bytearray):
            text = _strip_bom(bytes(text[:MAX_ROBOTS_BYTES])).decode("utf-8", errors="replace")
        else:
            encoded = text.encode("utf-8", errors="surrogatepass")
            if len(encoded) > MAX_ROBOTS_BYTES:
                text = encoded[:MAX_ROBOTS_BYTES].decode("utf-8", errors="ignore")
            # A BOM read as text; or a partial BOM that a lossy decode turned into U+FFFD.
            if text[:1] in ("\ufeff", "\ufffd"):
                text = text[1:]
        self.text = text
        self.groups: list[_Group] = []
        self.sitemaps: list[str] = []
        self.ignored: list[str] = []
        self._compiled: dict[str, _CompiledRules] = {}
        self._parse(text)

    def _parse(self, text: str) -> None:
        current: _Group | None = None
        last_was_agent = False
        for number, raw in enumerate(_EOL.split(text), start=1):
            line = raw.split("#", 1)[0].strip(_BLANK)
            if not line:
                continue
            key, sep, value = line.partition(":")
            key = key.strip(_BLANK).lower()
            value = value.strip(_BLANK)
            if not sep or key not in _KEYS:
                self.ignored.append(f"line {number}: {raw.strip()!r} is not a robots.txt rule")
                continue
            if key == "sitemap":
                self.sitemaps.append(value)
                continue
            if key == "user-agent":
                if current is None or not last_was_agent:
                    current = _Group()
                    self.groups.append(current)
                token = self._agent_token(value, number)
                if token:
                    current.agents.append(token)
                last_was_agent = True
                continue
            last_was_agent = False
            if current is None:
                self.ignored.append(f"line {number}: {raw.strip()!r} comes before any "
                                    "User-agent line")
                continue
            if not value:  # "Disallow:" with no path allows everything: no rule
                continue
            current.rules.append(
                RobotsRule(key == "allow", _encode_octets(value, pattern=True), number)
            )

    def _agent_token(self, value: str, number: int) -> str:
        """``*`` for a lone star, else the product token (lower case), else ``""``."""
        if value == "*" or (value.startswith("*") and value[1:2] in (" ", "\t")):
            return "*"
        match = _PRODUCT.match(value)
        if match is None:
            self.ignored.append(f"line {number}: user-agent {value!r} is neither a product "
                                "token (letters, '-', '_') nor a lone '*': its rules apply "
                                "to no crawler")
            return ""
        return match.group(0).lower()

    def rules_for(self, user_agent: str = "Googlebot") -> list[RobotsRule]:
        """The merged rules of every group matching ``user_agent``, else of ``*``."""
        token = _crawler_token(user_agent)
        mine = [group for group in self.groups if token and token in group.agents]
        if not mine:
            mine = [group for group in self.groups if "*" in group.agents]
        return [rule for group in mine for rule in group.rules]

    def _rules(self, user_agent: str) -> _CompiledRules:
        token = _crawler_token(user_agent)
        compiled = self._compiled.get(token)
        if compiled is None:
            compiled = self._compiled[token] = _CompiledRules(self.rules_for(user_agent))
        return compiled

    def decide(self, url: str, user_agent: str = "Googlebot") -> RobotsRule | None:
        """The rule that decides ``url`` for ``user_agent``, or None when none matches."""
        path = _encode_octets(_path_of(url), pattern=False)
        if path == "/robots.txt":
            return None
        return self._rules(user_agent).decide(path)

    def allowed(self, url: str, user_agent: str = "Googlebot") -> bool:
        """May ``user_agent`` crawl ``url`` (an absolute URL or a path)?"""
        rule = self.decide(url, user_agent)
        return rule is None or rule.allow

    def __repr__(self) -> str:
        rules = sum(len(group.rules) for group in self.groups)
        return f"RobotsTxt(groups={len(self.groups)}, rules={rules}, sitemaps={len(self.sitemaps)})"


def parse_robots(text: str | bytes | RobotsTxt | None) -> RobotsTxt | None:
    """``text`` as a :class:`RobotsTxt` (None stays None: no robots.txt given)."""
    if text is None or isinstance(text, RobotsTxt):
        return text
    return RobotsTxt(text)
