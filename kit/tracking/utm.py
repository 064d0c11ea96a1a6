"""Build and read campaign-tagged links: the UTM parameters GA4 understands.

GA4 reads nine ``utm_*`` parameters from a landing page's address (GA4 help 10917952,
"[GA4] URL builders: Collect campaign data with custom URLs"): source, medium and
campaign identify the traffic; id, term, content, source_platform, creative_format and
marketing_tactic add detail.  :func:`build_utm` adds them to a link without breaking the
query string or fragment the link already has; :func:`parse_utm` reads them back.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote_plus

from kit.errors import InputError
from kit.sources import cite
from kit.urls import UrlError, host_and_port, split_url

__all__ = [
    "OPTIONAL_PARAMETERS",
    "REQUIRED_PARAMETERS",
    "SOURCE_UTM",
    "UTM_PARAMETERS",
    "build_utm",
    "parse_utm",
]

SOURCE_UTM = cite("ga4-url-builders")
REQUIRED_PARAMETERS: tuple[str, ...] = ("utm_source", "utm_medium", "utm_campaign")
OPTIONAL_PARAMETERS: tuple[str, ...] = (
    "utm_id",
    "utm_term",
    "utm_content",
    "utm_source_platform",
    "utm_creative_format",
    "utm_marketing_tactic",
)
UTM_PARAMETERS: tuple[str, ...] = REQUIRED_PARAMETERS + OPTIONAL_PARAMETERS
# Characters left as they are inside a query value: RFC 3986 unreserved only, so
# "&", "=", "#", "+", spaces and non-ASCII are always percent-encoded.
_SAFE = "-._~"


def _check_url(url: object) -> tuple[str, str, str, str, str]:
    if not isinstance(url, str) or not url.strip():
        raise InputError(f"{url!r} is not a link: give a full address such as https://example.com/.")
    hint = "Campaign links need the scheme and host, e.g. https://www.example.com/offer."
    scheme, authority, path, query, fragment = split_url(url.strip())
    if scheme.lower() not in ("http", "https") or not authority:
        raise InputError(f"{url!r} is not a full web address.", hint=hint)
    try:
        host, port = host_and_port(authority, scheme.lower())
    except UrlError as error:
        raise InputError(f"{url!r} is not a web address ({error.reason}).", hint=hint) from None
    # the host as DNS sends it (punycode for an internationalised name, kit.urls)
    netloc = authority if authority.lower() == host else host + (
        f":{port}" if port is not None else "")
    return scheme, netloc, path, query or "", fragment or ""


def build_utm(url: str, *, source: str, medium: str, campaign: str, **optional: str) -> str:
    """``url`` with the UTM parameters added; its own query string and fragment are kept.

    ``optional`` takes the other GA4 parameters by short name (``id``, ``term``,
    ``content``, ``source_platform``, ``creative_format``, ``marketing_tactic``) or full
    name (``utm_term``).  Values are percent-encoded; existing ``utm_*`` parameters of the
    link (also with an encoded name such as ``%75tm_source``) are replaced, every other
    parameter stays where it was.  Empty values and unknown parameter names raise
    :class:`~kit.errors.InputError`.
    """
    scheme, netloc, path, query, fragment = _check_url(url)
    values: dict[str, str] = {}
    for name, value in (("source", source), ("medium", medium), ("campaign", campaign),
                        *optional.items()):
        key = name if name.startswith("utm_") else f"utm_{name}"
        if key not in UTM_PARAMETERS:
            known = ", ".join(p.removeprefix("utm_") for p in OPTIONAL_PARAMETERS)
            raise InputError(
                f"{name!r} is not a GA4 campaign parameter.",
                hint=f"Use source, medium, campaign and optionally {known} (GA4 help 10917952).",
            )
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{key} is empty: give it a value, or leave the parameter out.")
        values[key] = value
    # a name may be percent-encoded (%75tm_source): compare it decoded, as GA4 reads it
    kept = [part for part in query.split("&") if part and
            unquote_plus(part.split("=", 1)[0]).strip().lower() not in UTM_PARAMETERS]
    added = [f"{key}={quote(values[key], safe=_SAFE)}" for key in UTM_PARAMETERS if key in values]
    path = quote(path or "/", safe="/%:@!$&'()*+,;=-._~")  # spaces, non-ASCII: escaped
    kept = [quote(part, safe="=%:@!$'()*+,;/?-._~") for part in kept]
    fragment = quote(fragment, safe="%:@!$&'()*+,;=/?-._~")
    return f"{scheme}://{netloc}{path}?{'&'.join(kept + added)}" + (
        f"#{fragment}" if fragment else "")


def parse_utm(url: str) -> dict[str, str]:
    """The ``utm_*`` parameters of ``url``, decoded, in GA4's order; other parameters ignored.

    Parameter names are matched case-insensitively (``UTM_Source`` counts) and the first
    occurrence wins.  A value given as ``+`` decodes to a space, as a browser sends it.
    Raises :class:`~kit.errors.InputError` for something that is not a web address.
    """
    query = _check_url(url)[3]
    found: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        key = name.lower()
        if key.startswith("utm_") and key not in found:
            found[key] = value
    ordered = {key: found[key] for key in UTM_PARAMETERS if key in found}
    ordered.update({key: value for key, value in found.items() if key not in ordered})
    return ordered
