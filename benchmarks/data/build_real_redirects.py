"""Build the real-history redirect fixtures in this folder from public documentation repositories.

Each site is a public Microsoft Learn documentation repository (Creative Commons
Attribution 4.0 for the documentation; see ``SOURCES.md``).  Such a repository keeps its
redirect history in ``.openpublishing.redirection*.json``: one entry per retired page,
``source_path`` (the old Markdown file) -> ``redirect_url`` (where the site sends it).
From the repository's git history this script derives, per site:

* ``<site>-new.csv.gz``: the current page inventory, ``url, title`` (every published
  Markdown page at the snapshot's HEAD, title from its front matter);
* ``<site>-old.csv.gz``: the old URLs with their labels, ``url, title, target``:
  every source of a redirect entry ever present in the redirect file(s), resolved
  through later entries (chains) to its final destination; ``target`` is that page's
  URL when it is in the current inventory, empty when the site sends it elsewhere
  (another docs site, an archive, a removed page).  ``title`` is the page's title in the
  last commit before it was deleted (empty when git has no copy of it).

Nothing here is hand-labelled: the labels are the site owners' own redirects.

    python benchmarks/data/build_real_redirects.py /path/to/IntuneDocs intune
    python benchmarks/data/build_real_redirects.py /path/to/PowerShell-Docs powershell
    python benchmarks/data/build_real_redirects.py /path/to/OfficeDocs-SharePoint sharepoint

The paths are bare git directories (``fetch github:MicrosoftDocs/IntuneDocs`` in the
helpers' environment, or any clone).  Only the derived CSVs are committed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_HOSTS = re.compile(r"^https?://(docs|learn)\.microsoft\.com(/[a-z]{2}-[a-z]{2})?", re.IGNORECASE)


@dataclass(frozen=True)
class Site:
    """How one repository publishes: which files are pages and what URL each gets."""

    name: str
    redirect_files: tuple[str, ...]
    page: Callable[[str], bool]
    url: Callable[[str], str | None]
    source_prefix: str = ""  # how source_path is written relative to the repository root


def _strip_md(path: str) -> str:
    path = path[:-3] if path.endswith(".md") else path
    return path[: -len("/index")] if path.endswith("/index") else path


def _intune_url(path: str) -> str | None:
    return "/" + _strip_md(path).lower()  # Microsoft Learn URLs are case-insensitive


def _intune_page(path: str) -> bool:
    top = path.split("/", 1)[0]
    return (path.endswith(".md") and top in {"intune", "intune-classic", "intune-user-help",
                                             "device-mgmt"}
            and "/includes/" not in path and not path.endswith("/TOC.md"))


def _powershell_url(path: str) -> str | None:
    path = path.removeprefix("../")
    if not path.startswith("reference/"):
        return None
    rest = _strip_md(path.removeprefix("reference/"))
    if rest.startswith("docs-conceptual/"):
        return ("/powershell/scripting/" + rest.removeprefix("docs-conceptual/")).lower()
    parts = rest.split("/")
    if parts[0] in {"5.1", "7.4", "7.5", "7.6", "7.7", "7.0", "7.1", "7.2", "7.3", "6"} \
            or parts[0] == "virtual-directory-module":
        if parts[0] == "virtual-directory-module":
            parts = parts[1:]
        if len(parts) == 3 and parts[1] == parts[2]:  # a module's own landing page
            parts = parts[:2]
        return ("/powershell/module/" + "/".join(parts[1:])).lower()
    return None


def _powershell_page(path: str) -> bool:
    return (path.endswith(".md") and path.startswith("reference/")
            and "/includes/" not in path and "/media/" not in path
            and _powershell_url(path) is not None
            and not path.startswith("reference/virtual-directory-module/"))


def _sharepoint_url(path: str) -> str | None:
    parts = _strip_md(path).split("/")
    top = parts[0].lower()
    if top == "sharepoint" and len(parts) > 2 and parts[1].lower() in {
            "sharepointserver", "sharepointonline", "hub"}:
        return ("/sharepoint/" + "/".join(parts[2:])).lower()
    if top == "migration" and len(parts) > 1:
        return ("/sharepointmigration/" + "/".join(parts[1:])).lower()
    if top == "onedrive" and len(parts) > 1:
        return ("/onedrive/" + "/".join(parts[1:])).lower()
    return None


def _sharepoint_page(path: str) -> bool:
    return (path.endswith(".md") and "/includes/" not in path.lower()
            and _sharepoint_url(path) is not None and not path.lower().endswith("/toc.md"))


SITES = {
    "intune": Site("intune", (".openpublishing.redirection.json",), _intune_page, _intune_url),
    "powershell": Site(
        "powershell",
        tuple(f"redir/.openpublishing.redirection{part}.json"
              for part in ("", ".51", ".sdk", ".wmf", ".virtual", ".psget", ".dsc", ".gallery")),
        _powershell_page, _powershell_url),
    "sharepoint": Site("sharepoint", (".openpublishing.redirection.json",), _sharepoint_page,
                       _sharepoint_url),
}


def git(repo: Path, *args: str, data: str | None = None) -> str:
    return subprocess.run(["git", "--git-dir", str(repo), *args], input=data, text=True,
                          capture_output=True, check=True, errors="replace").stdout


def cat_blobs(repo: Path, specs: Iterable[str]) -> list[str | None]:
    """Contents of ``rev:path`` specs in one ``git cat-file --batch`` call (None if missing)."""
    specs = list(specs)
    if not specs:
        return []
    out = subprocess.run(["git", "--git-dir", str(repo), "cat-file", "--batch"],
                         input=("\n".join(specs) + "\n").encode(), capture_output=True,
                         check=True).stdout
    results: list[str | None] = []
    at = 0
    for _ in specs:
        end = out.index(b"\n", at)
        header = out[at:end].decode(errors="replace")
        at = end + 1
        if header.endswith("missing") or " " not in header:
            results.append(None)
            continue
        size = int(header.rsplit(" ", 1)[1])
        results.append(out[at:at + size].decode("utf-8", errors="replace"))
        at += size + 1
    return results


def title_of(text: str | None) -> str:
    if not text:
        return ""
    head = text.lstrip("\ufeff")
    if head.startswith("---"):
        end = head.find("\n---", 3)
        match = _TITLE.search(head[: end if end > 0 else 4000])
        if match:
            return _clean_title(match.group(1))
    heading = re.search(r"^#\s+(.+)$", head, re.MULTILINE)
    return _clean_title(heading.group(1)) if heading else ""


def _clean_title(title: str) -> str:
    """The title as a reader saw it: no quotes, no site-name suffix, no stray line ends."""
    title = re.split(r"[\r\n]", title, maxsplit=1)[0].strip().strip("'\"").strip()
    return re.sub(r"\s*\|\s*Microsoft Docs\s*$", "", title, flags=re.IGNORECASE)


def _encode(url: str | None) -> str | None:
    """Spaces in a file name become %20 in its URL."""
    return url.replace(" ", "%20") if url is not None else None


def clean_target(url: str) -> str:
    url = _encode(_HOSTS.sub("", url.strip())) or ""
    url = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return url.lower() or "/"


def redirect_history(repo: Path, site: Site) -> dict[str, str]:
    """source path -> redirect URL over every version of the redirect files (latest wins)."""
    entries: dict[str, tuple[int, str]] = {}
    for name in site.redirect_files:
        commits = git(repo, "log", "--format=%H", "--", name).split()
        blobs = cat_blobs(repo, [f"{commit}:{name}" for commit in commits])
        for age, blob in enumerate(blobs):  # age 0 = newest
            if not blob:
                continue
            try:
                items = json.loads(blob.lstrip("\ufeff")).get("redirections", [])
            except json.JSONDecodeError:
                continue
            for item in items:
                source = str(item.get("source_path", "")).strip()
                target = str(item.get("redirect_url", "")).strip()
                if not source or not target:
                    continue
                source = source.removeprefix("../").lstrip("/")
                if source not in entries or entries[source][0] > age:
                    entries[source] = (age, target)
    return {source: target for source, (_, target) in entries.items()}


def past_versions(repo: Path, paths: set[str], keep: int = 8) -> dict[str, list[str]]:
    """path -> ``rev:path`` specs of its most recent versions, newest first (``keep`` at most).

    A retired page is often first turned into a stub (front matter with only
    ``redirect_url``) and deleted later; its last real version is further back.
    """
    out = git(repo, "log", "--name-status", "--no-renames", "--format=>%H")
    found: dict[str, list[str]] = {}
    commit = ""
    for line in out.splitlines():
        if line.startswith(">"):
            commit = line[1:]
            continue
        status, _, path = line.partition("\t")
        if path in paths and len(found.setdefault(path, [])) < keep:
            found[path].append(f"{commit}^:{path}" if status == "D" else f"{commit}:{path}")
    return found


def old_titles(repo: Path, paths: list[str]) -> list[str]:
    """Each path's title in its most recent version that still had one ("" if none)."""
    versions = past_versions(repo, set(paths))
    specs = [(path, spec) for path in paths for spec in versions.get(path, [])]
    texts = cat_blobs(repo, [spec for _, spec in specs])
    titles: dict[str, str] = {}
    for (path, _), text in zip(specs, texts, strict=True):
        if path not in titles:
            title = title_of(text)
            if title:
                titles[path] = title
    return [titles.get(path, "") for path in paths]


def build(repo: Path, site: Site) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = [p for p in git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()
             if site.page(p)]
    redirects = redirect_history(repo, site)
    live = [p for p in files if p not in redirects]
    texts = cat_blobs(repo, [f"HEAD:{p}" for p in live])
    new = pd.DataFrame({"url": [_encode(site.url(p)) for p in live],
                        "title": [title_of(t) for t in texts]})
    new = new.dropna(subset=["url"]).drop_duplicates("url").sort_values("url")
    inventory = set(new["url"])
    by_url = {}
    for source, target in redirects.items():
        url = _encode(site.url(source))
        if url is not None and url not in inventory:
            by_url.setdefault(url, (source, clean_target(target)))
    hops = {url: target for url, (_, target) in by_url.items()}
    rows = []
    for url, (source, target) in sorted(by_url.items()):
        seen = {url}
        while target not in inventory and target in hops and target not in seen:
            seen.add(target)
            target = hops[target]
        rows.append((url, source, target if target in inventory else ""))
    old = pd.DataFrame({"url": [u for u, _, _ in rows],
                        "title": old_titles(repo, [src for _, src, _ in rows]),
                        "target": [t for _, _, t in rows]})
    return old, new


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[2] not in SITES:
        print(__doc__)
        return 2
    repo, site = Path(sys.argv[1]), SITES[sys.argv[2]]
    head = git(repo, "log", "-1", "--format=%H %cs").strip()
    old, new = build(repo, site)
    old.to_csv(HERE / f"{site.name}-old.csv.gz", index=False)
    new.to_csv(HERE / f"{site.name}-new.csv.gz", index=False)
    print(f"{site.name}: HEAD {head}; {len(new)} current pages, {len(old)} old URLs, "
          f"{int((old['target'] != '').sum())} with a target in the inventory, "
          f"{int((old['title'] != '').sum())} old titles recovered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
