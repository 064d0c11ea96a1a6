"""What the capstone exercise (06) grades, as plain functions its checks call.

The capstone is graded on judgement, not on matching a key.  Every answer is plain data
(strings, numbers, lists, dicts), so the checks can run outside the learner's kernel:

* a brief is a dict ``goal, metric, audience, criteria`` where ``criteria`` lists names of
  ready-made criteria (``"redirects_one_hop"``); :func:`brief_from_answer` builds the
  :class:`~kit.brief.model.Brief`;
* :func:`brief_problems` says what a brief for one of the five cases lacks, by the rules
  the exercise states: it passes on the agreed work and fails on the delivered work (any
  criteria the learner likes), the metric names a measurable outcome
  (:func:`metric_problem`), the audience names people in a role (:func:`audience_problem`),
  the goal says what changes, in the learner's words (:func:`goal_problem`);
* :func:`own_request_problems` does the same for the learner's own request, whose data the
  learner writes: it must pass on the good data, fail on a misread version of the same
  data (:func:`misread_problems`), be the learner's own (:func:`copied_problems`: not a case
  of modules 01–05, not a format example) and be small (:func:`scope_problems`: one page or
  one campaign, "start small" as a reader of seed 000 advises).

:func:`rating_change` compares the welcome module's self-rating (same statements, 0–3)
this morning and now, which the capstone records for the team lead's report.

The word lists below are deliberately broad: a check can only ask that a metric *names*
something countable, not that it is the best metric; a person grades the rest (Part C).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

import pandas as pd

from kit.brief.cases import REQUESTS, VERSIONS, case_data
from kit.brief.criteria import CRITERIA
from kit.brief.model import Brief, Criterion
from kit.brief.welcome import SCALE, SELF_CHECK
from kit.errors import InputError
from kit.urls import UrlError, parse_url, query_of

__all__ = [
    "ANSWER_KEYS",
    "DATA_FORMATS",
    "EXAMPLE_ANSWER",
    "MAX_ROWS",
    "audience_problem",
    "brief_from_answer",
    "brief_problems",
    "copied_problems",
    "criterion_names",
    "data_formats",
    "goal_problem",
    "metric_problem",
    "misread_problems",
    "own_request_problems",
    "plain_data",
    "rating_change",
    "rating_problems",
    "scope_problems",
]

ANSWER_KEYS = ("goal", "metric", "audience", "criteria")
MAX_ROWS = 10
"""A small request's data: at most this many rows in any table or list."""

EXAMPLE_ANSWER: dict[str, Any] = {
    "goal": "Shoppers and Google can open every new product page.",
    "metric": "Zero product pages answering an error in the weekly crawl.",
    "audience": "Shoppers arriving from search and ads",
    "criteria": ["pages_answer_200"],
}
"""The exercise's worked example (not graded): copying its sentences does not count."""
EXAMPLE_REQUEST = "Make sure the new product pages open."
WORKSHOP_EXAMPLE: dict[str, str] = {
    "goal": "Shoppers who follow an old link land on the same product or page on the new site.",
    "metric": "Share of old URLs that reach their matching new page, from a crawl on launch day.",
    "audience": "Returning customers with bookmarks, and visitors from search results",
}
"""Workshop 06's worked brief for case 01 (one criterion, on purpose): its sentences are the
facilitator's, so copying them into the exercise does not count either."""

_MAKERS: dict[str, Any] = {make.__name__: make for makers in CRITERIA.values()
                           for make in makers}


def criterion_names() -> list[str]:
    """The names a brief's ``criteria`` list may use (the ready-made criteria)."""
    return list(_MAKERS)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%]+", str(text).lower()))


# --- building a brief from plain data -----------------------------------------------------


def _criteria(names: object, owner: str) -> list[Criterion]:
    if isinstance(names, str) or not isinstance(names, list | tuple):
        raise InputError(f"{owner}: criteria is {names!r}, not a list of names.",
                         hint='Write criteria=["redirects_one_hop", "redirects_permanent"]: '
                              "the names from the catalogue, each between quotes.")
    made, unknown = [], []
    for name in names:
        key = str(name).strip().removesuffix("()") if isinstance(name, str) else None
        if key not in _MAKERS:
            unknown.append(repr(name))
        else:
            made.append(_MAKERS[key]())
    if unknown:
        raise InputError(f"{owner}: {', '.join(unknown)} is not a ready-made criterion.",
                         hint="Use names from the catalogue, between quotes: "
                              + ", ".join(_MAKERS) + ".")
    return made


def brief_from_answer(answer: Mapping[str, Any], *, title: str = "My brief",
                      request: str = "") -> Brief:
    """The :class:`Brief` a plain answer dict describes (``goal, metric, audience,
    criteria`` and, for a learner's own request, ``request``); an InputError says what to fix.
    """
    owner = f"Brief {title!r}"
    if not isinstance(answer, Mapping):
        raise InputError(f"{owner}: the answer is a {type(answer).__name__}, not a dict.",
                         hint="Keep the dict(...) the cell gives and fill in its values.")
    missing = [key for key in ANSWER_KEYS if key not in answer]
    if missing:
        raise InputError(f"{owner}: the answer has no {', '.join(missing)}.",
                         hint="Keep the keys goal, metric, audience and criteria.")
    return Brief(goal=answer["goal"], metric=answer["metric"], audience=answer["audience"],
                 criteria=_criteria(answer["criteria"], owner),
                 request=str(answer.get("request", request) or request), title=title)


# --- judging the words ----------------------------------------------------------------------

_FIGURES = re.compile(
    r"\b(visits?|visitors?|sessions?|clicks?|click-?through|ctr|conversions?|conversion rate|"
    r"sales?|orders?|revenue|turnover|sign-?ups?|registrations?|leads?|bookings?|purchases?|"
    r"rankings?|positions?|impressions?|page ?views?|pageviews?|bounces?|bounce rate|errors?|"
    r"404s?|lost|losses?|downtime|uptime|response times?|load times?|seconds?|minutes?|hours?|"
    r"days?|weeks?|cost|costs|spend|roi|return on|traffic|users?|subscribers?|downloads?|"
    r"calls?|enquiries|inquiries|baskets?|carts?|indexed|pages?|urls?|links?|tickets?|"
    r"complaints?|replies|followers|shares|opens?|open rate|retention|churn|customers?|"
    r"time to|requests?)\b", re.IGNORECASE)
_QUANTITY = re.compile(
    r"(\d|%|\b(zero|none|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|"
    r"hundred|thousand|million|half|double|twice|triple|rate|per|ratio|share|average|mean|"
    r"median|number of|count|total|at most|at least|within|no more than|fewer than|less than|"
    r"more than|compared (with|to)|than before|versus|vs|up by|down by|(increase|decrease|"
    r"rise|drop|grow|fall)s? (by|from|to)|target|baseline)\b)", re.IGNORECASE)
_PEOPLE = re.compile(
    r"\b(people|persons?|customers?|clients?|shoppers?|buyers?|visitors?|users?|readers?|"
    r"subscribers?|followers?|fans?|members?|searchers?|prospects?|leads|parents?|runners?|"
    r"hikers?|athletes?|students?|patients?|guests?|travell?ers?|employees?|staff|colleagues?|"
    r"teams?|department|marketing|marketers?|engineers?|developers?|analysts?|managers?|"
    r"owners?|editors?|partners?|resellers?|retailers?|dealers?|suppliers?|journalists?|press|"
    r"investors?|donors?|volunteers?|newcomers?|beginners?|professionals?|businesses|"
    r"companies|men|women|kids|children|families|teenagers|adults|anyone who|those who|"
    r"everyone who|whoever|who)\b", re.IGNORECASE)
_NOT_PEOPLE = {"trainers", "sneakers", "banners", "servers", "headers", "folders", "others",
               "numbers", "orders", "offers", "filters", "containers", "layers", "letters",
               "routers", "browsers", "crawlers", "spiders", "parameters", "centers", "covers",
               "answers", "papers", "posters", "stickers", "flyers", "markers", "counters"}
_PEOPLE_ENDINGS = re.compile(r"\b[a-z]{3,}(ers|ists|ians)\b", re.IGNORECASE)


def metric_problem(text: object) -> str:
    """Why ``text`` is not a measurable outcome ('' when it is).

    A measurable outcome names a figure someone can count or read (visits, sales, clicks,
    errors, time…) *and* how it is read: a number, a share or a rate, "per", "at most",
    "within", a comparison with before.  "More traffic" names no way to read it.
    """
    if not isinstance(text, str) or not text.strip():
        return "the metric is empty"
    if not _FIGURES.search(text):
        return (f"the metric {text.strip()!r} names no figure someone can count or read "
                "(visits, sales, clicks, sign-ups, errors, time ...)")
    if not _QUANTITY.search(text):
        return (f"the metric {text.strip()!r} does not say how the figure is read: give a "
                "number, a share or rate, 'per ...', 'at most ...' or a comparison with before")
    return ""


def audience_problem(text: object) -> str:
    """Why ``text`` does not name people in a role or a group ('' when it does)."""
    if not isinstance(text, str) or not text.strip():
        return "the audience is empty"
    if _PEOPLE.search(text) or re.search(r"\bIT\b", text):
        return ""
    words = [m.group(0).lower() for m in _PEOPLE_ENDINGS.finditer(text)]
    if any(word not in _NOT_PEOPLE for word in words):
        return ""
    return (f"the audience {text.strip()!r} does not say who: name the people or the role "
            "(shoppers searching Google, the campaign team, people who click the ad ...)")


def goal_problem(text: object, request: str = "") -> str:
    """Why ``text`` is not a goal in the learner's own words ('' when it is).

    A goal says what changes for people or for the business; repeating the request
    ("SEO the website") or leaving it to one word says nothing new.
    """
    if not isinstance(text, str) or not text.strip():
        return "the goal is empty"
    goal = _norm(text)
    if len(goal.split()) < 4:
        return f"the goal {text.strip()!r} is too short to say what changes, and for whom"
    if request and (goal in _norm(request) or _norm(request) in goal):
        return "the goal repeats the request: say what it is for, in your own words"
    return ""


def _copied_from_example(answer: Mapping[str, Any]) -> list[str]:
    return [f"the {key} is the worked example's" for key in ("goal", "metric", "audience")
            if isinstance(answer.get(key), str)
            and _norm(answer[key]) in {_norm(EXAMPLE_ANSWER[key]), _norm(WORKSHOP_EXAMPLE[key])}]


def _words_problems(answer: Mapping[str, Any], request: str) -> list[str]:
    problems = [goal_problem(answer.get("goal"), request),
                metric_problem(answer.get("metric")),
                audience_problem(answer.get("audience"))]
    if _norm(answer.get("goal", "")) and _norm(answer.get("goal", "")) == _norm(
            answer.get("metric", "")):
        problems.append("the goal and the metric are the same sentence")
    return [p for p in problems if p] + _copied_from_example(answer)


def _verdict_problems(brief: Brief, passes: Mapping[str, Any], fails: Mapping[str, Any],
                      passes_name: str, fails_name: str) -> list[str]:
    problems = []
    good = brief.check(passes)
    if not good.passed:
        problems.append(f"the brief fails on {passes_name} ({', '.join(good.failed)}), so "
                        "nobody could deliver it")
    bad = brief.check(fails)
    broken = [r.criterion.name for r in bad.results if r.error]
    if bad.passed:
        problems.append(f"the brief passes on {fails_name}: it does not yet say what 'done' "
                        "means")
    elif broken:
        problems.append(f"on {fails_name} the check of {', '.join(broken)} could not run "
                        "(data missing or broken): the brief should fail because of what was "
                        "delivered, not because a check cannot run")
    return problems


def brief_problems(answer: Mapping[str, Any], module: str) -> list[str]:
    """What a brief for case ``module`` (``"01-redirects"`` …) lacks; empty when it is good.

    The rules the exercise states: it passes on ``case_data(module, "agreed")`` and fails
    on ``case_data(module, "delivered")`` because a criterion finds the problem (any
    criteria the learner chooses); the goal, metric and audience pass
    :func:`goal_problem`, :func:`metric_problem` and :func:`audience_problem`; none is
    the worked example's sentence.
    """
    if module not in REQUESTS:
        raise InputError(f"brief_problems: no case {module!r}.",
                         hint=f"Use one of {list(REQUESTS)}.")
    try:
        brief = brief_from_answer(answer, title=module, request=REQUESTS[module])
    except InputError as error:
        return [str(error)]
    return (_verdict_problems(brief, case_data(module, "agreed"), case_data(module, "delivered"),
                              "the agreed data", "what IT delivered")
            + _words_problems(answer, REQUESTS[module]))


# --- the learner's own request: plain data, own, small, misread ----------------------------


def plain_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` (plain lists and dicts) in the form the ready-made criteria read.

    ``redirects`` and ``duplicate_pages`` given as lists of dicts become tables;
    ``campaign`` and ``site`` given as dicts become :class:`~kit.launch.Campaign` and
    :class:`~kit.launch.Site` (their fields: ``spike``, ``reach``, ``servers`` ...).
    """
    if not isinstance(data, Mapping):
        raise InputError(f"the data is a {type(data).__name__}, not a dict of named inputs.",
                         hint='Write it as {"links": [...], "pages": [...]}.')
    out = dict(data)
    for key in ("redirects", "duplicate_pages"):
        value = out.get(key)
        if isinstance(value, list) and all(isinstance(row, Mapping) for row in value):
            out[key] = pd.DataFrame(value)
        elif isinstance(value, list) and key == "redirects" and all(
                isinstance(row, list | tuple) for row in value):
            out[key] = pd.DataFrame([list(row) for row in value],
                                    columns=["source", "target", "status"][:max(
                                        (len(r) for r in value), default=3)])
    from kit.launch import Campaign, Site

    for key, kind in (("campaign", Campaign), ("site", Site)):
        value = out.get(key)
        if isinstance(value, Mapping):
            try:
                out[key] = kind(**value)
            except TypeError as error:
                raise InputError(f"{key}: {error}.", hint=f"Use the fields of {kind.__name__}: "
                                 + ", ".join(kind.__dataclass_fields__) + ".") from None
    return out


def _canonical(value: Any) -> str:
    if isinstance(value, pd.DataFrame):
        value = value.to_dict("records")
    elif isinstance(value, pd.Series):
        value = value.tolist()
    elif hasattr(value, "__dataclass_fields__"):
        value = {name: getattr(value, name) for name in value.__dataclass_fields__}
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


DATA_FORMATS: dict[str, Any] = {
    "links": ["https://www.example.com/offer/?utm_source=SOURCE&utm_medium=MEDIUM"
              "&utm_campaign=NAME"],
    "pages": [{"url": "https://www.example.com/offer/", "status": 200,
               "html": "<html><head><title>TITLE</title><meta name='description' "
                       "content='SUMMARY'></head><body><h1>HEADING</h1></body></html>"}],
    "redirects": [{"source": "/old-offer/", "target": "/offer/", "status": 301}],
    "old_urls": ["/old-offer/"],
    "new_urls": ["/offer/"],
    "duplicate_pages": [{"url": "https://www.example.com/offer/", "text": "TEXT OF THE PAGE",
                         "canonical": "https://www.example.com/offer/"}],
    "campaign": {"reach": 200000, "ctr": 0.02, "spike": 10},
    "site": {"servers": 2},
    "it_joins": "at inception",
}
"""The shape of each data entry the ready-made criteria read, with placeholder values."""


def data_formats() -> pd.DataFrame:
    """One row per data name: which criteria read it, and its shape (placeholder values)."""
    readers: dict[str, list[str]] = {}
    for name, make in _MAKERS.items():
        for need in make().needs:
            readers.setdefault(need, []).append(name)
    for made in (_MAKERS["redirects_one_hop"](),):
        readers.setdefault("new_urls", []).append(made.name + " (optional)")
    return pd.DataFrame([{"data name": key, "read by": ", ".join(readers.get(key, [])),
                          "shape (placeholder values)": json.dumps(value)}
                         for key, value in DATA_FORMATS.items()])


_PLACEHOLDERS = ("SOURCE", "MEDIUM", "NAME", "TITLE", "SUMMARY", "HEADING", "TEXT OF THE PAGE")


def _case_values() -> set[str]:
    found = set()
    for module in REQUESTS:
        for version in VERSIONS:
            found |= {_canonical(value) for value in case_data(module, version).values()}
    return found


def copied_problems(data: Mapping[str, Any]) -> list[str]:
    """Entries of ``data`` copied from a case of modules 01–05 or from a format example.

    Tables, lists and dicts count; a single choice (``it_joins="at inception"``) does not.
    """
    cases = _case_values()
    examples = {_canonical(value) for value in DATA_FORMATS.values()}
    try:
        converted = plain_data(data)
    except InputError:
        converted = dict(data)
    problems = []
    for key, value in data.items():
        if value is None or isinstance(value, str | int | float | bool):
            continue
        text = _canonical(converted.get(key, value))
        if text in cases:
            problems.append(f"{key} is copied from one of the five cases: write your own data")
        elif _canonical(value) in examples or any(word in text for word in _PLACEHOLDERS):
            problems.append(f"{key} is the format example: put your own values in")
    return problems


def _rows(value: Any) -> int:
    if isinstance(value, pd.DataFrame | pd.Series | list | tuple | set):
        return len(value)
    return 1


def _path(url: object) -> str:
    """The page a URL names, by the kit's URL identity (path only: one site); text that is
    no URL stands for itself."""
    text = str(url).strip()
    try:
        return parse_url(text).path
    except UrlError:
        return text


def scope_problems(data: Mapping[str, Any]) -> list[str]:
    """Why ``data`` is not a small request: one page or one campaign ('start small').

    At most :data:`MAX_ROWS` rows in any table or list; ``pages`` about one page;
    ``redirects`` all to one new page; ``links`` to one landing page and one
    ``utm_campaign``; ``duplicate_pages`` the addresses of one page (one text).
    """
    problems = [f"{key} has {_rows(value)} rows; a small first project needs at most "
                f"{MAX_ROWS}" for key, value in data.items() if _rows(value) > MAX_ROWS]
    pages = data.get("pages")
    if isinstance(pages, list | tuple):
        paths = {_path(page.get("url")) for page in pages if isinstance(page, Mapping)}
        if len(paths) > 1:
            problems.append(f"pages lists {len(paths)} pages; start with one page")
    redirects = data.get("redirects")
    if isinstance(redirects, list | tuple | pd.DataFrame):
        frame = plain_data({"redirects": redirects})["redirects"]
        if isinstance(frame, pd.DataFrame) and "target" in frame.columns:
            targets = {_path(t) for t in frame["target"]}
            if len(targets) > 1:
                problems.append(f"redirects go to {len(targets)} new pages; start with one page")
    links = data.get("links")
    if isinstance(links, pd.DataFrame) and "url" in links.columns:
        links = links["url"].tolist()
    if isinstance(links, list | tuple):
        landing = {_path(url) for url in links}
        campaigns = {value.lower() for url in links
                     for value in parse_qs(query_of(str(url))).get("utm_campaign", [])}
        if len(landing) > 1:
            problems.append(f"links lead to {len(landing)} pages; start with one landing page")
        if len(campaigns) > 1:
            problems.append(f"links name {len(campaigns)} campaigns; start with one campaign")
    duplicates = data.get("duplicate_pages")
    if isinstance(duplicates, list | tuple):
        texts = {_norm(row.get("text", "")) for row in duplicates if isinstance(row, Mapping)}
        if len(texts) > 1:
            problems.append(f"duplicate_pages holds {len(texts)} different pages; start with one")
    return problems


def misread_problems(good: Mapping[str, Any], misread: Mapping[str, Any]) -> list[str]:
    """Why ``misread`` is not a misread version of ``good``: the same entries, some changed."""
    if not isinstance(good, Mapping) or not isinstance(misread, Mapping):
        return ["the good data and the misread data should both be dicts"]
    problems = []
    if set(good) != set(misread):
        problems.append(f"the misread data should have the same entries as the good data "
                        f"({sorted(good)}), with some values changed; it has {sorted(misread)}")
    elif all(_canonical(good[key]) == _canonical(misread[key]) for key in good):
        problems.append("the misread data is the same as the good data: change what a "
                        "misread request would deliver")
    return problems


def own_request_problems(answer: Mapping[str, Any], good: Mapping[str, Any],
                         misread: Mapping[str, Any]) -> list[str]:
    """What the learner's own request lacks; empty when it is good (see the module doc).

    ``answer`` is the brief as plain data plus ``request``; ``good`` the data of the work
    that was wanted; ``misread`` the same data as a misread request would deliver it.
    """
    request = answer.get("request") if isinstance(answer, Mapping) else None
    problems = []
    if not isinstance(request, str) or not request.strip():
        problems.append("write your own request in request")
    elif _norm(request) in {_norm(r) for r in [*REQUESTS.values(), EXAMPLE_REQUEST]}:
        problems.append("the request is one of the exercise's: write one of your own")
    try:
        brief = brief_from_answer(answer, title="My request", request=str(request or ""))
        good_data, misread_data = plain_data(good), plain_data(misread)
    except InputError as error:
        return [*problems, str(error)]
    if len(brief.criteria) < 2:
        problems.append("give at least two criteria: one is rarely enough to define 'done'")
    problems += misread_problems(good, misread)
    problems += _verdict_problems(brief, good_data, misread_data, "your good data",
                                  "your misread data")
    problems += _words_problems(answer, str(request or ""))
    problems += copied_problems(good) + [p.replace(" is ", " (misread) is ", 1)
                                         for p in copied_problems(misread)]
    problems += scope_problems(good)
    return list(dict.fromkeys(problems))


# --- self-rating: this morning and now -----------------------------------------------------


def rating_problems(ratings: object, name: str) -> list[str]:
    """Why ``ratings`` is not a complete self-rating (the welcome module's statements, 0–3)."""
    if not isinstance(ratings, Mapping):
        return [f"{name} should be a dict like {{\"redirect\": 2, ...}}"]
    problems = [f"{name}: unknown statement {key!r}" for key in ratings if key not in SELF_CHECK]
    for key in SELF_CHECK:
        value = ratings.get(key)
        if value is None:
            problems.append(f"{name}: {key!r} is not rated yet")
        elif isinstance(value, bool) or value not in SCALE:
            problems.append(f"{name}: {key!r} is {value!r}, not a whole number from 0 to 3")
    return problems


def rating_change(this_morning: Mapping[str, Any], now: Mapping[str, Any]) -> pd.DataFrame:
    """One row per statement: the rating this morning, now, and the change (not graded).

    Ratings that are missing or not 0–3 show as blank; no error, so the table helps even
    half filled in.
    """
    def value(ratings: Mapping[str, Any], key: str) -> float | None:
        got = ratings.get(key) if isinstance(ratings, Mapping) else None
        return float(got) if got in SCALE and not isinstance(got, bool) else None

    rows = []
    for key, (module, statement) in SELF_CHECK.items():
        start, end = value(this_morning, key), value(now, key)
        rows.append({"module": module, "statement": statement, "this morning": start,
                     "now": end, "change": None if start is None or end is None else end - start})
    return pd.DataFrame(rows)
