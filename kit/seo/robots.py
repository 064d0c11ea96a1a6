"""robots.txt as Google reads it: RFC 9309, longest match wins, Allow wins ties.

Python's :mod:`urllib.robotparser` applies the *first* rule that matches, in file
order, and knows no ``*`` or ``$`` wildcards; Google (and RFC 9309, the Robots
Exclusion Protocol) apply the *most specific* rule: the matching rule with the most
octets, with ``Allow`` winning a tie.  The two disagree on ordinary files such as::

    User-agent: *
    Disallow: /shop/
    Allow: /shop/boots/

so this module implements RFC 9309 itself (it is short):

* §2.1-2.2.1: records ``user-agent``, ``allow``, ``disallow`` (keys case-insensitive,
  ``#`` starts a comment); consecutive ``user-agent`` lines share one group; every group
  whose product token matches the crawler's (case-insensitively) is merged into one;
  when none matches, the ``*`` groups apply; with no group at all, everything is allowed.
  Rules before the first ``user-agent`` line belong to no group and are ignored.
* §2.2.2: the rule that matches with the most octets wins; ``Allow`` wins a tie; an
  empty ``Disallow:`` matches nothing; ``/robots.txt`` is always allowed.  Paths and
  patterns are compared after percent-encoding non-ASCII characters (UTF-8) and
  decoding percent-encoded unreserved characters (RFC 3986 §2.3).
* §2.2.3: ``*`` matches any sequence of characters, a final ``$`` anchors the end;
  to match a literal ``*`` or ``$`` a pattern writes ``%2A`` / ``%24``.
* §2.5: only the first 500 KiB of the file are parsed.

Google Search Central, "How Google interprets the robots.txt specification", gives the
same precedence rules with examples; the tests use the RFC's and Google's tables.
Google also notes that ``noindex`` in robots.txt is not supported (since 1 Sep 2019).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = ["MAX_ROBOTS_BYTES", "RobotsRule", "RobotsTxt", "parse_robots"]

MAX_ROBOTS_BYTES = 500 * 1024
"""RFC 9309 §2.5: crawlers must parse at least the first 500 KiB; Google stops there."""

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_PRODUCT = re.compile(r"[A-Za-z_-]+")
_KEYS = {"user-agent": "user-agent", "allow": "allow", "disallow": "disallow",
         "sitemap": "sitemap"}


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

    Non-ASCII characters and (in paths) the pattern characters ``*`` and ``$`` are
    percent-encoded; percent-encoded unreserved characters are decoded; other
    percent-encodings get upper-case hex.
    """
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
    """The path and query a crawler requests for ``url`` (``/`` when it has none)."""
    if url.startswith("/") and not url.startswith("//"):
        rest = url
    else:
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    rest = rest.split("#", 1)[0]
    return rest or "/"


@lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str) -> re.Pattern[str] | None:
    """A regex for a pattern with at most two ``*`` (fast), else None (use the DP)."""
    if pattern.count("*") > 2:
        return None
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(piece) for piece in body.split("*"))
    return re.compile(regex + (r"\Z" if anchored else ""), re.DOTALL)


def _matches(pattern: str, path: str) -> bool:
    """Does ``pattern`` (``*`` wildcards, final ``$``) match the start of ``path``?

    Linear in ``len(path) * len(pattern)`` even for patterns full of ``*``: the set of
    path positions the pattern prefix can reach is kept, as Google's matcher does.
    """
    if "*" not in pattern:
        if pattern.endswith("$"):
            return path == pattern[:-1]
        return path.startswith(pattern)
    regex = _wildcard_regex(pattern)
    if regex is not None:
        return regex.match(path) is not None
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


class RobotsTxt:
    """A parsed robots.txt: ask :meth:`allowed` about a URL for a crawler.

    ``RobotsTxt(text)`` never raises on odd content: unknown lines are ignored, as
    RFC 9309 §2.2 asks.  ``ignored`` lists the lines that had no effect and why, so an
    audit can show them.
    """

    def __init__(self, text: str | bytes = "") -> None:
        if isinstance(text, bytes):
            text = text[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        else:
            encoded = text.encode("utf-8", errors="surrogatepass")
            if len(encoded) > MAX_ROBOTS_BYTES:
                text = encoded[:MAX_ROBOTS_BYTES].decode("utf-8", errors="ignore")
        self.text = text
        self.groups: list[_Group] = []
        self.sitemaps: list[str] = []
        self.ignored: list[str] = []
        self._parse(text.lstrip("\ufeff"))

    def _parse(self, text: str) -> None:
        current: _Group | None = None
        last_was_agent = False
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            value = value.strip()
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
                match = _PRODUCT.match(value)
                token = "*" if value.startswith("*") else (match.group(0) if match else "")
                current.agents.append(token.lower())
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

    def rules_for(self, user_agent: str = "Googlebot") -> list[RobotsRule]:
        """The merged rules of every group matching ``user_agent``, else of ``*``."""
        match = _PRODUCT.match(user_agent)
        token = (match.group(0) if match else user_agent).lower()
        mine = [group for group in self.groups if token in group.agents]
        if not mine:
            mine = [group for group in self.groups if "*" in group.agents]
        return [rule for group in mine for rule in group.rules]

    def decide(self, url: str, user_agent: str = "Googlebot") -> RobotsRule | None:
        """The rule that decides ``url`` for ``user_agent``, or None when none matches."""
        path = _encode_octets(_path_of(url), pattern=False)
        if path == "/robots.txt":
            return None
        best: RobotsRule | None = None
        for rule in self.rules_for(user_agent):
            if not _matches(rule.pattern, path):
                continue
            if best is None or len(rule.pattern) > len(best.pattern) or (
                len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow
            ):
                best = rule
        return best

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
