"""Run an assignment's test cells in an interpreter that never ran learner code.

Started as a script by :class:`kit.course.sandbox.SandboxedExecute`::

    python -I _judge.py CONTROL_FD

it imports pandas and the kit once, then waits on ``CONTROL_FD`` (a Unix socket) for one
socket per notebook (passed with ``SCM_RIGHTS``); for each it forks a *judge*: a child
that holds the instructor's cells only.  On the judge's socket, JSON lines:

* grader → judge ``{"op": "run", "code", "trusted", "inject"}``: run one cell (a locked
  cell of the instructor, or a test cell) with ``inject``'s answer values bound first
  (each as :func:`kit.course._plain.fetch` described it: plain data, a learner function
  or a module);
* judge → grader ``{"op": "call", "name", "payload"}`` while a test calls a learner's
  function; the grader answers ``{"op": "reply", "text"}`` with what the kernel said;
* judge → grader ``{"op": "done", "stdout", "error"}``.

A learner's function is a proxy: it sends plain arguments to the learner's kernel and
returns the plain result, so nothing the learner wrote ever runs here.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import json
import os
import signal
import socket
import sys
import traceback
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
BUILTIN_ERRORS = {name for name, value in vars(builtins).items()
                  if isinstance(value, type) and issubclass(value, BaseException)}


class NotPlainData(TypeError):
    """An answer the checks cannot use: not plain data (see :mod:`kit.course._plain`)."""


class AnswerError(Exception):
    """The learner's function raised an error when the check called it."""


def _plain() -> Any:
    try:
        from kit.course import _plain as module
    except ImportError:  # pragma: no cover - run from a checkout without the kit installed
        sys.path.insert(0, os.path.dirname(os.path.dirname(_HERE)))
        from kit.course import _plain as module
    return module


class _Channel:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = sock.makefile("r", encoding="utf-8")
        self.writer = sock.makefile("w", encoding="utf-8")

    def send(self, message: dict[str, Any]) -> None:
        self.writer.write(json.dumps(message) + "\n")
        self.writer.flush()

    def receive(self) -> dict[str, Any] | None:
        line = self.reader.readline()
        return json.loads(line) if line else None


class LearnerFunction:
    """Stands for a function the learner wrote: each call runs it in the learner's kernel."""

    def __init__(self, name: str, channel: _Channel) -> None:
        self.__name__ = self.__qualname__ = name
        self._channel = channel

    def __repr__(self) -> str:
        return f"<your function {self.__name__}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        plain = _plain()
        try:
            payload = plain.dumps([list(args), kwargs], f"an argument of {self.__name__}()")
        except plain.NotPlain as error:
            raise TypeError(f"the check passes {error}") from None
        self._channel.send({"op": "call", "name": self.__name__, "payload": payload})
        answer = self._channel.receive()
        if not answer or answer.get("op") != "reply":
            raise SystemExit("the grader went away")
        try:
            reply = json.loads(answer["text"])
            if "value" in reply:
                return plain.load(reply["value"])
        except (ValueError, KeyError, TypeError, RecursionError) as error:
            raise NotPlainData(f"what {self.__name__}() returned is not plain data") from error
        problem = reply.get("error") if isinstance(reply, dict) else None
        if problem == "raised":
            name = reply.get("ename")
            name = name if name in BUILTIN_ERRORS else "an error"
            raise AnswerError(f"{self.__name__}() stopped with {name} when the check called it")
        if problem == "bad":
            raise NotPlainData(f"{self.__name__}() returned something that is not plain data "
                               "(text, numbers, True/False, None, lists, tuples, sets, dicts "
                               "or tables)")
        if problem == "missing":
            raise NameError(f"name '{self.__name__}' is not defined")
        raise AnswerError(f"{self.__name__}() could not be called "
                          f"({'stopped' if problem == 'timeout' else 'no answer'})")


def _bind(namespace: dict[str, Any], inject: dict[str, Any], channel: _Channel) -> None:
    plain = _plain()
    for name, description in inject.items():
        if not isinstance(description, dict) or description.get("missing"):
            namespace.pop(name, None)
            continue
        if "bad" in description:
            raise NotPlainData(f"`{name}` cannot be checked: "
                               f"{str(description['bad'])[:200]}. Answers must be plain data: "
                               "text, numbers, True/False, None, lists, tuples, sets, dicts "
                               "or tables")
        if description.get("function"):
            namespace[name] = LearnerFunction(name, channel)
        elif "module" in description:
            module = str(description["module"])
            try:
                namespace[name] = importlib.import_module(module)
            except ImportError:
                raise NotPlainData(f"`{name}` is a module the grader cannot import") from None
        else:
            try:
                namespace[name] = plain.load(description.get("value"))
            except (plain.NotPlain, ValueError, KeyError, TypeError, AttributeError,
                    RecursionError) as error:
                raise NotPlainData(f"`{name}` is not plain data: {str(error)[:200]}") from None


def _error(exc: BaseException, code: str) -> dict[str, Any]:
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == "<cell>"]
    name = type(exc).__name__
    shown = traceback.format_exception_only(type(exc), exc)
    cell_frames = [f"Cell line {frame.lineno}: {frame.line}" for frame in frames
                   if frame.filename == "<cell>"]
    return {"ename": name, "evalue": str(exc), "line": lines[-1] if lines else None,
            "traceback": [*cell_frames, *(line.rstrip("\n") for line in shown)]}


def run_cell(namespace: dict[str, Any], message: dict[str, Any], channel: _Channel
             ) -> dict[str, Any]:
    """Run one cell; ``{"op": "done", "stdout", "error"}``."""
    code = str(message.get("code", ""))
    out = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            _bind(namespace, message.get("inject") or {}, channel)
            exec(compile(code, "<cell>", "exec"), namespace)
    except SystemExit:
        raise
    except BaseException as exc:  # the check failed: report it like a kernel would
        error = _error(exc, code)
    return {"op": "done", "stdout": out.getvalue()[-200_000:], "error": error}


def serve(sock: socket.socket) -> None:
    """One judge: run the cells the grader sends until it closes the socket."""
    channel = _Channel(sock)
    channel.send({"op": "hello", "pid": os.getpid()})
    namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
    while True:
        message = channel.receive()
        if message is None:
            return
        if message.get("op") == "run":
            channel.send(run_cell(namespace, message, channel))


def zygote(control_fd: int) -> None:
    """Import once, then fork one fresh judge per socket received on ``control_fd``."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import pandas  # noqa: F401 - warm: every judge forks with it imported

    with contextlib.suppress(ImportError):
        import kit.redirects  # noqa: F401
    _plain()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # judges are reaped by the system
    control = socket.socket(fileno=control_fd)
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(control, 16, 1)
        except OSError:
            return
        if not fds:
            return  # the grader closed the control socket
        pid = os.fork()
        if pid == 0:
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                serve(socket.socket(fileno=fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])


if __name__ == "__main__":
    os.chdir(sys.argv[2] if len(sys.argv) > 2 else "/")
    zygote(int(sys.argv[1]))
