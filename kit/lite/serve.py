"""Serve a built JupyterLite site locally (``make lite-serve``).

JupyterLite must come over HTTP, not ``file://`` (it runs a service worker and module
workers), with JavaScript modules and WebAssembly under their proper MIME types, which
some systems' tables lack.  Any static web server that gets those right will do on an
intranet; this one is for trying the site on one's own machine.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

__all__ = ["MIME_TYPES", "SiteHandler", "serve", "serving"]

MIME_TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".ipynb": "application/json",
    ".whl": "application/zip",
}


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the MIME types JupyterLite needs; quiet unless asked."""

    # typeshed declares it per instance; http.server reads it from the class.
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES,
    }
    verbose = False

    def log_message(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def handle(self) -> None:
        with suppress(ConnectionResetError, BrokenPipeError):  # the browser gave up on a file
            super().handle()


def _server(site: Path, host: str, port: int, verbose: bool) -> ThreadingHTTPServer:
    if not (site / "jupyter-lite.json").exists():
        raise FileNotFoundError(f"{site} is not a JupyterLite site (no jupyter-lite.json); "
                                "run `make lite` first")
    handler = type("Handler", (SiteHandler,), {"verbose": verbose})
    return ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site)))


@contextmanager
def serving(site: Path, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``site`` in a background thread; yields the base URL (port 0: a free one)."""
    server = _server(site, host, port, verbose=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve(site: Path, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``site`` until Ctrl+C."""
    server = _server(site, host, port, verbose=True)
    print(f"Serving {site} at http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
