"""Real web servers for the system tests: nginx and Apache on a free loopback port.

Each runs from a temporary folder (config, pid, logs), serves an exported redirect
config, answers ``200 ok`` for every other path (the new site's pages), and writes an
access log in a chosen format.  ``with nginx_server(...) as server`` / ``apache_server``
stop the server (SIGTERM, then SIGKILL) when the block ends, also on failure.
``missing(component, reason)`` is called when a binary is not installed (tests pass
``require_system``: skip, or fail under ``CROSSTALK_REQUIRE_SYSTEM=1``).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

HOST = "127.0.0.1"
NGINX_MARKER = "# --- server { } ---"
Missing = Callable[[str, str], NoReturn]

# The log formats as the servers' own default configs define them.
NGINX_FORMATS = {
    "combined": None,  # built in
    "main": '\'$remote_addr - $remote_user [$time_local] "$request" \'\n'
            '        \'$status $body_bytes_sent "$http_referer" \'\n'
            '        \'"$http_user_agent" "$http_x_forwarded_for"\'',
}
APACHE_FORMATS = {
    "combined": r'"%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""',
    "common": r'"%h %l %u %t \"%r\" %>s %O"',
    "vhost_combined": r'"%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""',
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    body: bytes


@dataclass
class WebServer:
    """A running server: ``kind`` (nginx/apache), port, its folder and access log."""

    kind: str
    port: int
    folder: Path
    access_log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def get(self, target: str | bytes, headers: dict[str, str] | None = None) -> Answer:
        """GET ``target`` (the request line's path, sent as given) without following
        redirects.  Bytes are sent raw (non-ASCII request lines)."""
        with socket.create_connection((HOST, self.port), timeout=10) as sock:
            raw = target if isinstance(target, bytes) else target.encode("latin-1")
            head = b"GET " + raw + b" HTTP/1.1\r\nHost: " + f"{HOST}:{self.port}".encode()
            for name, value in (headers or {}).items():
                head += f"\r\n{name}: {value}".encode("latin-1")
            sock.sendall(head + b"\r\nConnection: close\r\n\r\n")
            response = http.client.HTTPResponse(sock)
            response.begin()
            location = response.getheader("Location")
            if location is not None:  # http.client decodes headers as latin-1
                location = location.encode("latin-1").decode("utf-8", "surrogateescape")
            return Answer(response.status, location, response.read())

    def log_text(self, wait: float = 5.0) -> bytes:
        """The access log as written so far (waits briefly for buffered lines)."""
        deadline = time.monotonic() + wait
        data = self.access_log.read_bytes() if self.access_log.exists() else b""
        while not data and time.monotonic() < deadline:
            time.sleep(0.1)
            data = self.access_log.read_bytes() if self.access_log.exists() else b""
        return data


def _wait_listening(process: subprocess.Popen, port: int, name: str, *logs: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            text = "".join(log.read_text("utf-8", "replace") for log in logs if log.exists())
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{text[-3000:]}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not listen on {HOST}:{port} within 15 s") from None
            time.sleep(0.05)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _binary(missing: Missing, name: str, install: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if path is None:
        missing(name, f"no {name!r} executable on PATH or in sbin; {install}")
    return path


@contextlib.contextmanager
def nginx_server(missing: Missing, exported: str, *, log_format: str = "combined",
                 extra_server: str = "") -> Iterator[WebServer]:
    """nginx with ``to_nginx`` output (split at its server marker), logging in
    ``log_format`` (``combined`` or ``main``)."""
    binary = _binary(missing, "nginx", "apt-get install nginx")
    assert exported.count(NGINX_MARKER) == 1, "to_nginx output must have one server marker"
    http_part, server_part = exported.split(NGINX_MARKER)
    folder = Path(tempfile.mkdtemp(prefix="crosstalk-nginx-"))
    os.chmod(folder, 0o755)
    port = free_port()
    access = folder / "access.log"
    fmt = NGINX_FORMATS[log_format]
    log_line = (f"log_format main {fmt};\n    access_log {access} main;" if fmt
                else f"access_log {access} combined;")
    temp = "\n    ".join(f"{name}_temp_path {folder / name};"
                         for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    indent = "\n        "
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    {log_line}
    {temp}
    default_type text/plain;
{http_part}
    server {{
        listen {HOST}:{port};
        server_name localhost;
        {indent.join(server_part.strip().splitlines())}
        {extra_server}
        location / {{ return 200 "ok"; }}
    }}
}}
""", encoding="utf-8")
    command = [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)
    if checked.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise AssertionError(f"nginx -t rejected the config:\n{checked.stderr}")
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_listening(process, port, "nginx", folder / "error.log")
        yield WebServer("nginx", port, folder, access)
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def apache_server(missing: Missing, exported: str, *, log_format: str = "combined",
                  extra: str = "AllowEncodedSlashes NoDecode") -> Iterator[WebServer]:
    """Apache httpd (prefork) with ``to_apache`` output in its virtual host, logging in
    ``log_format`` (``combined``, ``common`` or ``vhost_combined``)."""
    binary = _binary(missing, "apache2", "apt-get install apache2")
    modules = Path("/usr/lib/apache2/modules")
    if not (modules / "mod_rewrite.so").exists():
        missing("apache2", f"no mod_rewrite in {modules}; apt-get install apache2")
    folder = Path(tempfile.mkdtemp(prefix="crosstalk-apache-"))
    os.chmod(folder, 0o755)
    port = free_port()
    access = folder / "access.log"
    (folder / "ok.txt").write_text("ok", encoding="utf-8")
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    load = "\n".join(f"LoadModule {name}_module {modules}/mod_{name}.so"
                     for name in ("mpm_prefork", "authz_core", "rewrite", "alias"))
    conf = folder / "httpd.conf"
    conf.write_text(f"""ServerRoot {folder}
{load}
{user}ServerName localhost
Listen {HOST}:{port}
PidFile {folder / "httpd.pid"}
ErrorLog {folder / "error.log"}
LogLevel warn
StartServers 1
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 8
LogFormat {APACHE_FORMATS[log_format]} {log_format}
<VirtualHost {HOST}:{port}>
    ServerName localhost
    CustomLog {access} {log_format}
    {extra}
    {(chr(10) + "    ").join(exported.strip().splitlines())}
    AliasMatch ^ {folder / "ok.txt"}
    <Directory {folder}>
        Require all granted
    </Directory>
</VirtualHost>
""", encoding="utf-8")
    command = [binary, "-d", str(folder), "-f", str(conf)]
    env = {**os.environ, "APACHE_RUN_DIR": str(folder), "APACHE_LOCK_DIR": str(folder),
           "APACHE_LOG_DIR": str(folder)}
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False,
                             env=env)
    if checked.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise AssertionError(f"apache2 -t rejected the config:\n{checked.stderr}")
    with open(folder / "stderr.log", "wb") as stderr:
        process = subprocess.Popen([*command, "-DFOREGROUND"], stdout=subprocess.DEVNULL,
                                   stderr=stderr, env=env, start_new_session=True)
    # its own session: on SIGTERM prefork signals its whole process group
    try:
        _wait_listening(process, port, "apache2", folder / "error.log", folder / "stderr.log")
        yield WebServer("apache", port, folder, access)
    finally:
        _stop(process)
        shutil.rmtree(folder, ignore_errors=True)
