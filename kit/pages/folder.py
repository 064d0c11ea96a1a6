"""A folder of saved pages as the page table: hand-saved ``.html`` files or a wget mirror.

Every file under the folder becomes a row served under ``base_url``; none is skipped
silently.  ``index.html`` stands for its folder (``shop/index.html`` is ``shop/``).
wget ``--mirror`` names are understood: pages saved without an extension (``shop/boots``),
query strings in file names (``index.html?sort=price`` is ``/?sort=price``; with
``--adjust-extension`` also ``boots?sort=price.html``), and the host folder wget
creates (``example.com/…``, or ``127.0.0.1:8080/…``: its name gives the base URL when none
is given, whether the folder given is that host folder or holds only it).  A file is
HTML by its extension, and a file without a known extension by its first bytes
(``<!doctype html``, ``<html``, ``<head``, ``<body``…).  Other files (CSS, JS, images,
PDFs, robots.txt) are kept as non-HTML rows; hidden files and files that cannot be
read are listed in ``problems``.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kit.errors import InputError
from kit.pages.keys import url_key
from kit.pages.rows import page_row
from kit.pages.table import PageTable
from kit.progress import track
from kit.urls import query_of

__all__ = ["DEFAULT_BASE", "read_folder"]

DEFAULT_BASE = "https://site.invalid/"
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_HOST_DIR = re.compile(r"^(?:(?:[a-z0-9-]+\.)+[a-z]{2,63}|\d{1,3}(?:\.\d{1,3}){3}|localhost)"
                       r"(?::\d{1,5})?$", re.I)
_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|title|meta|"
                    rb"link|script|div|p|h1)[\s>/]", re.I | re.S)
_PLAIN = re.compile(r"^(?:localhost|\d+\.\d+\.\d+\.\d+)(?::\d+)?$")


def _host_folder(root: Path) -> Path | None:
    """wget's host folder, when ``root`` holds nothing else."""
    entries = [p for p in root.iterdir() if not p.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and _HOST_DIR.match(entries[0].name):
        return entries[0]
    return None


def _relative_url(relative: str, pretty_urls: bool) -> str:
    """The URL path (and query) a saved file stands for, relative to the base."""
    folder, _, name = relative.rpartition("/")
    prefix = folder + "/" if folder else ""
    name, qmark, query = name.partition("?")
    if qmark and query.lower().endswith(_HTML_SUFFIXES):  # wget --adjust-extension
        query = query.rsplit(".", 1)[0]
    lower = name.lower()
    if lower in ("index.html", "index.htm"):
        name = ""
    elif pretty_urls and lower.endswith(_HTML_SUFFIXES):
        name = name.rsplit(".", 1)[0]
    path = quote(prefix + name, safe="/%:@!$&'()*+,;=~-._")
    return path + (("?" + quote(query, safe="=&%:/@!$'()*+,;~-._")) if qmark else "")


def _kind(path: Path, body: bytes) -> str:
    """The content type a server would send: by extension, else by the first bytes."""
    name = path.name.split("?", 1)[0]
    if name.lower().endswith(_HTML_SUFFIXES):
        return "text/html"
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    if name == "robots.txt":
        return "text/plain"
    head = body[:1024].lstrip(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _SNIFF.match(head):
        return "text/html"
    return "application/octet-stream"


def read_folder(folder: str | Path, *, base_url: str | None = None,
                pretty_urls: bool = False) -> PageTable:
    """Every file under ``folder`` as a 200 response of ``base_url`` (see the module doc)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder.", hint="Give a folder of saved pages.")
    host_dir = _host_folder(root)
    named = host_dir or (root if _HOST_DIR.match(root.resolve().name) else None)
    if base_url is None:
        if named is not None:  # wget's host folder, given or inside the folder given
            name = named.resolve().name
            scheme = "http" if _PLAIN.match(name) else "https"
            base_url = f"{scheme}://{name}/"
        else:
            base_url = DEFAULT_BASE
    if not url_key(base_url) or query_of(base_url):
        raise InputError(f"base URL {base_url!r} is not an http(s) URL like https://example.com/.")
    base = base_url if base_url.endswith("/") else base_url + "/"
    top = host_dir if host_dir is not None else root
    problems: list[tuple[str, str, str]] = []
    files: list[Path] = []
    for path in sorted(top.rglob("*")):
        relative = path.relative_to(top).as_posix()
        if any(part.startswith(".") for part in path.relative_to(top).parts):
            if path.is_file():
                problems.append((relative, "", "hidden file or folder: not read"))
            continue
        if path.is_file():
            files.append(path)
        elif not path.is_dir():
            problems.append((relative, "", "not a regular file: not read"))
    if not files:
        raise InputError(f"{root}: no files in this folder: no .html or .htm files, no saved "
                         "pages.",
                         hint="Save the pages (wget --mirror, or Save Page As) into it.")
    rows: list[dict[str, Any]] = []
    for path in track(files, desc="reading pages", unit="page"):
        relative = path.relative_to(top).as_posix()
        url = base + _relative_url(relative, pretty_urls)
        try:
            body = path.read_bytes()
        except OSError as error:
            problems.append((relative, url, f"cannot read the file ({error.strerror or error})"))
            continue
        rows.append(page_row(url, 200, body, None, relative, content_type=_kind(path, body)))
    if not rows:
        raise InputError(f"{root}: no file could be read.",
                         [f"{where}: {why}" for where, _, why in problems])
    return PageTable.from_rows(rows, format="folder", name=root.name or str(root),
                               problems=problems)
