"""Startup hook of the build's kernels: note which parts of the book's package a run used.

``tools/execute_chapters.py`` puts this folder first on a kernel's PYTHONPATH, so Python
imports this module while it starts, and sets ``D2L_USAGE_LOG`` (the file to append to)
and ``D2L_USAGE_PACKAGE`` (the package's import name, ``d2l_utils``). Without both it does
nothing. (A process the notebook starts inherits both and records too: what it uses is
also a dependency of the chapter.)

The log's first line says the hook ran (``{"started": pid}``); then each use is one JSON
line ``[path, name]``, written the first time it happens:

* ``name`` is ``<module>`` when one of the package's modules was imported, and a
  function's or method's qualified name when it was called (a nested function's own,
  which ``tools/dependencies.py`` maps to the definition around it);
* ``name`` is null when a file inside the package's folder was opened for reading by
  anything but the import system (a data file, or a module's source read for a traceback
  or ``inspect.getsource``, whose exact text the output may show), or when a module of
  the package has no source to instrument (then its bytes are what the run used).

Calls are seen without tracing, which would slow every line of a kernel by a third
(measured on a chapter's MXNet notebook): the package's modules are compiled from their
source with one statement put first in each function's body (after its docstring, on the
line of the body's first statement, so tracebacks are unchanged) that notes the call.
Those modules are compiled afresh and never written to ``__pycache__``. Files are seen by
an audit hook's "open" events.
"""

from __future__ import annotations

import ast
import builtins
import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
from collections.abc import Sequence
from types import CodeType, FrameType, ModuleType
from typing import Any

#: The name the inserted statements call (a builtin, so no module's namespace shows it).
CALL = "__d2l_usage__"


class _Instrument(ast.NodeTransformer):
    """Put ``CALL(path, qualified name)`` first in every function's body."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.scope: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()
        return node

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        qualname = ".".join([*self.scope, node.name])
        self.scope += [node.name, "<locals>"]
        self.generic_visit(node)
        del self.scope[-2:]
        first = node.body[0]
        docstring = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        at = 1 if docstring else 0  # after the docstring, on the next statement's line
        anchor = node.body[min(at, len(node.body) - 1)]
        target = ast.Name(CALL, ast.Load())
        arguments: list[ast.expr] = [ast.Constant(self.path), ast.Constant(qualname)]
        call = ast.Expr(ast.Call(target, arguments, []))
        for part in ast.walk(call):
            ast.copy_location(part, anchor)
        node.body.insert(at, call)
        return node

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function


def _start(log: str, package: str) -> None:
    """Install the import hook, the recorder builtin and the audit hook."""
    inside = package + "."
    folders: list[str] = []  # the package's folder, once it is imported
    seen: set[tuple[str, str | None]] = set()
    out = open(log, "a", encoding="utf-8", buffering=1)  # noqa: SIM115 (kept open: the run's)
    lock = threading.Lock()

    def note(path: str, name: str | None) -> None:
        key = (path, name)
        if key in seen:
            return
        with lock:
            if key not in seen:
                seen.add(key)
                out.write(json.dumps([path, name]) + "\n")

    class Loader(importlib.machinery.SourceFileLoader):
        """Compile the module instrumented, and note its import."""

        def get_code(self, fullname: str) -> CodeType:
            path = self.get_filename(fullname)
            tree = _Instrument(path).visit(ast.parse(self.get_data(path), path))
            code: CodeType = compile(tree, path, "exec", dont_inherit=True)
            return code

        def exec_module(self, module: ModuleType) -> None:
            path = os.path.abspath(self.get_filename(module.__name__))
            if module.__name__ == package and not folders:
                folders.append(os.path.join(os.path.dirname(path), ""))
            note(path, "<module>")
            super().exec_module(module)

    class Finder(importlib.abc.MetaPathFinder):
        """Find the package's modules as the other finders do, loaded by ``Loader``."""

        def find_spec(
            self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
        ) -> importlib.machinery.ModuleSpec | None:
            if not (fullname == package or fullname.startswith(inside)):
                return None
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if finder is self or find is None:
                    continue
                spec: importlib.machinery.ModuleSpec | None = find(fullname, path, target)
                if spec is None:
                    continue
                loader = spec.loader
                if isinstance(loader, importlib.machinery.SourceFileLoader):
                    spec.loader = Loader(loader.name, loader.path)
                elif spec.origin and os.path.isfile(spec.origin):
                    note(os.path.abspath(spec.origin), None)  # no source: its bytes
                return spec
            return None

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not folders or not args or isinstance(args[0], int):
            return
        try:
            path = os.path.abspath(os.fsdecode(args[0]))
        except (TypeError, ValueError):
            return
        if not path.startswith(folders[0]) or "__pycache__" in path:
            return
        mode = args[1] if len(args) > 1 else "r"
        if isinstance(mode, str) and any(flag in mode for flag in "wax+"):
            return
        caller: FrameType = sys._getframe(1)
        if caller.f_code.co_filename.startswith("<frozen importlib"):
            return  # the import system reading a module: its code is instrumented instead
        note(path, None)

    out.write(json.dumps({"started": os.getpid()}) + "\n")
    setattr(builtins, CALL, note)
    sys.meta_path.insert(0, Finder())
    sys.addaudithook(audit)


_LOG = os.environ.get("D2L_USAGE_LOG")
_PACKAGE = os.environ.get("D2L_USAGE_PACKAGE")
if _LOG and _PACKAGE:
    _start(_LOG, _PACKAGE)
