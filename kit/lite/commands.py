"""``crosstalk lite build|check|serve``: the zero-install JupyterLite site from the shell.

The commands behind ``make lite`` (``python -m kit.lite`` runs the same parser):

* ``build`` writes the static site of workshops/ (see :func:`kit.lite.build_site`);
* ``check [SITE]`` checks a built site; exit 1 when it has problems (each listed);
* ``serve [SITE]`` serves a built site on this machine until Ctrl-C.

This module imports only the standard library at start-up (``crosstalk --help`` stays
fast); each handler imports what it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]

REPO = Path(__file__).resolve().parents[2]
"""The checkout the kit runs from (an editable install): the default source of the site."""
SITE = REPO / "build" / "lite" / "site"

_BUILD_EPILOG = """\
exit status:
  0  the site was built (its folder is printed)
  2  the site cannot be built: the repository, a notebook, a wheel or --pyodide cannot be
     used (the message names it)

--out is a folder (the site), not a file.
"""
_CHECK_EPILOG = """\
exit status:
  0  the site is sound
  1  the site has problems (each is listed)
  2  SITE is not a built site (no such folder, or no jupyter-lite.json in it)
"""
_SERVE_EPILOG = """\
exit status:
  0  the server was stopped (Ctrl-C)
  2  SITE is not a built site, or the port cannot be used
"""


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``crosstalk lite {build,check,serve}`` to the top-level parser."""
    parser = subparsers.add_parser(
        "lite", help="the workshops in the browser: build, check and serve the JupyterLite site",
        description="The zero-install version of the workshops: a static JupyterLite site "
                    "(the kit runs on Pyodide; no grading).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", help="build the JupyterLite site of workshops/",
        description="Build the static JupyterLite site of workshops/ (make lite).",
        epilog=_BUILD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    build.add_argument("--out", type=Path, default=SITE, metavar="DIR",
                       help="folder to write the site into (default: build/lite/site)")
    build.add_argument("--work", type=Path, default=REPO / "build" / "lite", metavar="DIR",
                       help="build environment and staging files (default: build/lite)")
    build.add_argument("--repo", type=Path, default=REPO, metavar="DIR",
                       help="the Crosstalk checkout to build from (default: this one)")
    build.add_argument("--pyodide", default=None, metavar="DIST",
                       help="a Pyodide distribution to bundle (.tar.bz2, folder or URL); "
                            "default: Pyodide's public CDN")
    build.set_defaults(handler=run_build)
    check = actions.add_parser(
        "check", help="check a built site",
        description="Check a built JupyterLite site: notebooks, wheels, pins, kernel.",
        epilog=_CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("site", type=Path, nargs="?", default=SITE, metavar="SITE",
                       help="the built site's folder (default: build/lite/site)")
    check.set_defaults(handler=run_check)
    serve = actions.add_parser(
        "serve", help="serve a built site on this machine",
        description="Serve a built JupyterLite site over HTTP until Ctrl-C.",
        epilog=_SERVE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("site", type=Path, nargs="?", default=SITE, metavar="SITE",
                       help="the built site's folder (default: build/lite/site)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port to listen on (default: %(default)s)")
    serve.set_defaults(handler=run_serve)


def _built_site(path: Path) -> Path:
    from kit.errors import InputError

    if not (path / "jupyter-lite.json").is_file():
        what = "has no jupyter-lite.json" if path.is_dir() else "no such folder"
        raise InputError(f"{path}: {what}; it is not a built JupyterLite site.",
                         hint="Build it first: crosstalk lite build (or make lite).")
    return path


def run_build(args: argparse.Namespace) -> int:
    """``crosstalk lite build``: build the site; 0, or 2 when it cannot be built."""
    from kit.errors import InputError
    from kit.lite.site import build_site

    if not (args.repo / "workshops").is_dir():  # before minutes of installing the build tools
        raise InputError(f"--repo {str(args.repo)!r}: no workshops/ folder; it is not a "
                         "Crosstalk checkout.", hint="Give the repository's root folder.")
    try:
        site = build_site(args.repo, args.out, work=args.work, pyodide=args.pyodide)
    except FileNotFoundError as error:  # a missing notebook or tool: unusable input
        raise InputError(f"{error.filename or error}: not found; the site cannot be built.",
                         hint="Check --repo and --pyodide.") from None
    print(site)
    print(f"Try it: make lite-serve  (or any static web server on {site.path})")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """``crosstalk lite check``: 0 when the site is sound, 1 when it has problems."""
    from kit.lite.site import check_site

    problems = check_site(_built_site(args.site))
    print("\n".join(problems) or f"{args.site}: sound")
    return 1 if problems else 0


def run_serve(args: argparse.Namespace) -> int:
    """``crosstalk lite serve``: serve the site until Ctrl-C; 0 then."""
    from kit.lite.serve import serve

    serve(_built_site(args.site), host=args.host, port=args.port)
    return 0
