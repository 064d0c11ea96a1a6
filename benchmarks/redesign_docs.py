"""A second relaunch generator, for benchmarks only: a documentation site, not a shop.

``kit.sites.redesign`` (a shop and blog) is the generator suggest_map was developed
against.  This one was written separately and nothing was tuned on it.  It makes
different moves, the kind seen in real documentation histories:

* sections renamed and pages moved one or two folders deeper (``/guide/x`` ->
  ``/docs/topics/<area>/x``);
* API names re-cased (``VisualViewport`` -> ``visual-viewport``; ``IDBKeyRange`` ->
  ``idb-key-range``), event-handler pages renamed (``onmouseout`` -> ``mouseout_event``);
* namesakes: every area has its own ``overview``, ``install``, ``configure`` pages;
* consolidations: 6 % of the pages are merged into their area's overview page;
* 7 % of the pages are removed (truth: no target);
* titles kept, reworded or missing (about a third of the new pages have none).

``docs_redesign(n_pages, seed)`` returns a :class:`kit.sites.Redesign` (old, new, truth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kit.sites import Redesign

_AREAS = ["storage", "network", "identity", "compute", "billing", "monitoring", "security",
          "backup", "database", "messaging", "search", "analytics", "devices", "mail",
          "calendar", "files", "printing", "updates", "policies", "reports"]
_COMMON = ["overview", "install", "configure", "troubleshoot", "limits", "faq", "quickstart",
           "release-notes", "permissions", "pricing"]
_VERBS = ["create", "delete", "list", "update", "move", "copy", "restore", "export", "import",
          "assign", "remove", "enable", "disable", "rotate", "sync", "migrate", "share",
          "archive", "tag", "scan"]
_NOUNS = ["bucket", "volume", "snapshot", "user", "group", "role", "key", "certificate",
          "queue", "topic", "index", "table", "report", "alert", "policy", "device", "printer",
          "mailbox", "folder", "schedule", "token", "webhook", "region", "zone", "quota"]
_QUALIFIERS = ["", "", "", "bulk", "scheduled", "remote", "managed", "shared", "legacy",
               "custom", "default", "external"]
_EVENTS = ["click", "mouseout", "mouseover", "keydown", "keyup", "focus", "blur", "scroll",
           "resize", "load", "unload", "change", "input", "submit", "dragstart", "drop"]
_API_PARTS = ["Visual", "Viewport", "Key", "Range", "Stream", "Reader", "Writer", "Buffer",
              "Event", "Target", "Node", "List", "Map", "Observer", "Entry", "Handle"]
_ACRONYMS = ["IDB", "URL", "HTML", "CSS", "DOM", "RTC", "XML"]
_SECTION_NEW = {"guide": "docs/topics", "howto": "docs/tasks", "api": "reference/api",
                "events": "reference/events"}


def _kebab(name: str) -> str:
    out, prev_upper = [], False
    for i, ch in enumerate(name):
        upper = ch.isupper()
        nxt_lower = i + 1 < len(name) and name[i + 1].islower()
        if i and upper and (not prev_upper or nxt_lower):
            out.append("-")
        out.append(ch.lower())
        prev_upper = upper
    return "".join(out)


def _title(words: str) -> str:
    return words.replace("-", " ").replace("_", " ").strip().capitalize()


def docs_redesign(n_pages: int = 10_000, *, seed: int = 0) -> Redesign:
    """A seeded relaunch of a documentation site with ``n_pages`` old pages."""
    rng = np.random.default_rng(seed + 7919)
    old_rows: list[dict[str, str]] = []
    targets: list[str | None] = []
    new_rows: dict[str, dict[str, str]] = {}
    seen: set[str] = set()

    def add(old_url: str, title: str, new_url: str | None, new_title: str) -> None:
        if old_url in seen:
            return
        seen.add(old_url)
        old_rows.append({"url": old_url, "title": title})
        targets.append(new_url)
        if new_url is not None and new_url not in new_rows:
            new_rows[new_url] = {"url": new_url, "title": new_title}

    for area in _AREAS:  # namesakes: the same page names in every area
        for name in _COMMON:
            new_url = f"/{_SECTION_NEW['guide']}/{area}/{name}"
            add(f"/guide/{area}/{name}.html", f"{_title(name)} - {area.title()}", new_url,
                f"{_title(name)} ({area})")
    attempts = 0
    while len(old_rows) < n_pages and attempts < n_pages * 20:
        attempts += 1
        kind = rng.random()
        area = str(rng.choice(_AREAS))
        if kind < 0.55:
            qualifier = str(rng.choice(_QUALIFIERS))
            words = [str(rng.choice(_VERBS)), qualifier, str(rng.choice(_NOUNS))]
            if rng.random() < 0.4:
                words.append(str(rng.choice(_NOUNS)) + "s")
            slug = "-".join(w for w in words if w)
            old_url = f"/howto/{area}/{slug}"
            kept = [w for w in words if w]
            new_slug = slug if rng.random() < 0.7 else "-".join([*kept[1:], kept[0]])
            folder = rng.choice(["manage", "admin"])
            new_url = f"/{_SECTION_NEW['howto']}/{area}/{folder}/{new_slug}"
            title = f"How to {' '.join(w for w in words if w)}"
        elif kind < 0.8:
            parts = list(rng.choice(_API_PARTS, size=int(rng.integers(2, 4)), replace=False))
            if rng.random() < 0.3:
                parts.insert(0, str(rng.choice(_ACRONYMS)))
            name = "".join(parts)
            old_url = f"/api/{area}/{name}"
            new_url = f"/{_SECTION_NEW['api']}/{area}/{_kebab(name)}"
            title = f"{name} interface"
        else:
            event = str(rng.choice(_EVENTS))
            target = str(rng.choice(["Element", "Window", "Document", "Media", "Form"]))
            old_url = f"/events/{area}/{target}/on{event}"
            new_url = f"/{_SECTION_NEW['events']}/{area}/{target.lower()}/{event}_event"
            title = f"{target}.on{event}"
        fate = rng.random()
        if fate < 0.07:
            add(old_url, title, None, "")
        elif fate < 0.13:
            add(old_url, title, f"/{_SECTION_NEW['guide']}/{area}/overview",
                f"Overview ({area})")
        else:
            reworded = title if rng.random() < 0.5 else title.replace("How to ", "").capitalize()
            add(old_url, title, new_url, reworded)
    new = pd.DataFrame(list(new_rows.values()))
    no_title = rng.random(len(new)) < 0.33
    new.loc[no_title, "title"] = ""
    new = new.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    old = pd.DataFrame(old_rows)
    truth = pd.DataFrame({"source": old["url"], "target": targets})
    return Redesign(old=old, new=new, truth=truth, origin="https://docs.example.org")
