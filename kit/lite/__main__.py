"""``python -m kit.lite build|check|serve``: the commands behind ``make lite``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kit.errors import InputError
from kit.lite.serve import serve
from kit.lite.site import build_site, check_site

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m kit.lite", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build the JupyterLite site of workshops/")
    build.add_argument("--out", type=Path, default=REPO / "build" / "lite" / "site")
    build.add_argument("--work", type=Path, default=REPO / "build" / "lite",
                       help="build environment and staging files (default: build/lite)")
    build.add_argument("--repo", type=Path, default=REPO)
    build.add_argument("--pyodide", default=None,
                       help="a Pyodide distribution to bundle (.tar.bz2, folder or URL); "
                            "default: Pyodide's public CDN")
    check = commands.add_parser("check", help="check a built site")
    check.add_argument("site", type=Path, nargs="?", default=REPO / "build" / "lite" / "site")
    run = commands.add_parser("serve", help="serve a built site on this machine")
    run.add_argument("site", type=Path, nargs="?", default=REPO / "build" / "lite" / "site")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            site = build_site(args.repo, args.out, work=args.work, pyodide=args.pyodide)
            print(site)
            print(f"Try it: make lite-serve  (or any static web server on {site.path})")
        elif args.command == "check":
            problems = check_site(args.site)
            print("\n".join(problems) or f"{args.site}: sound")
            return 1 if problems else 0
        else:
            serve(args.site, host=args.host, port=args.port)
    except (InputError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
