"""What a chapter's execution used, and whether any of it changed since: which chapters to
execute again.

While ``tools/execute_chapters.py`` executes a framework notebook, its kernel runs the
startup hook ``tools/usage/sitecustomize.py``, which logs the package's code that ran
(each module imported, each function or method called) and the package's files read as
data. Once the chapter has run, ``record`` turns its notebooks' logs into the chapter's
record, kept with its entry in the execution cache: each file with a fingerprint of each
part used, and the fingerprints of the files that execute and merge chapters
(``EXECUTION``). On the next build ``changes`` compares the record with the files as they
are: the chapter runs again only if a part it used changed.

Fingerprints ignore formatting: a Python module is split into definitions (each function
and method, nested ones inside their outermost) and the rest, what importing it runs (the
module with every function's body left out: its statements, classes, decorators,
defaults), each fingerprinted by ``ast.dump`` of its syntax tree, which has no line
numbers, comments or layout. A chapter that imported a module depends on that rest; one
that called a function, on its definition too. Any other file (data, and a module whose
source was read as text) is fingerprinted by its bytes.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The book's package, by import name: what the hook watches in the kernels.
PACKAGE = "d2l_utils"
HOOK = ROOT / "tools" / "usage"
#: The format of a record; an older one is treated as no record.
VERSION = 1
#: Files whose code decides how every chapter is executed and merged into the cache: a
#: change to one (not to its formatting) executes every chapter again.
EXECUTION = [
    "tools/execute_chapters.py",
    "tools/framework_notebooks.py",
    "tools/frameworks.py",
    "tools/kernels.py",
    "tools/dependencies.py",
    "tools/usage/sitecustomize.py",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "tools" / "without").rglob("*.py")),
]
#: The name under which a module's top level (what importing it runs) is recorded.
MODULE_LEVEL = ""

Use = tuple[str, str | None]


def recording_environment(log: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` for a kernel that logs its uses of the package into ``log``."""
    path = environ.get("PYTHONPATH")
    hook = str(HOOK)
    return {
        **environ,
        "PYTHONPATH": os.pathsep.join([hook, path] if path else [hook]),
        "D2L_USAGE_LOG": str(log),
        "D2L_USAGE_PACKAGE": PACKAGE,
    }


def read_log(log: Path) -> set[Use] | None:
    """The uses a kernel logged, or None when its hook never started (no log)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    uses: set[Use] = set()
    started = False
    for line in lines:
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed process
        if isinstance(entry, dict):
            started = True
        elif isinstance(entry, list) and len(entry) == 2:
            uses.add((str(entry[0]), None if entry[1] is None else str(entry[1])))
    return uses if started else None


def _digest(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()[:16]


def _definitions(body: Iterable[ast.stmt], prefix: str) -> Iterable[tuple[str, ast.AST]]:
    """Each function or method defined in ``body`` (also inside if/try/with blocks and
    classes), by dotted name."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef):
            yield from _definitions(node.body, f"{prefix}{node.name}.")
        else:
            for field in ("body", "orelse", "finalbody", "handlers"):
                yield from _definitions(getattr(node, field, []), prefix)


class _WithoutBodies(ast.NodeTransformer):
    """Leave every function's body out (decorators, arguments and defaults stay)."""

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        node.body = [ast.Pass()]
        return node

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        node.body = [ast.Pass()]
        return node


def module_parts(source: str | bytes) -> dict[str, str]:
    """Fingerprints of a module's parts: ``MODULE_LEVEL`` for what importing it runs,
    and each function and method by dotted name (a name defined twice: both)."""
    tree = ast.parse(source)
    parts: dict[str, str] = {}
    for name, node in _definitions(tree.body, ""):
        parts[name] = _digest(parts.get(name, "") + ast.dump(node))
    parts[MODULE_LEVEL] = _digest(ast.dump(_WithoutBodies().visit(copy.deepcopy(tree))))
    return parts


def part_of(qualname: str, parts: Mapping[str, str]) -> str:
    """The part of a module a code object belongs to, from its qualified name: the
    outermost definition around it, or the module level (its body, a class body, a
    module-level lambda or comprehension)."""
    names = qualname.split(".")
    if "<locals>" in names:
        names = names[: names.index("<locals>")]
    for end in range(1, len(names) + 1):
        name = ".".join(names[:end])
        if name in parts:
            return name
    return MODULE_LEVEL


class Files:
    """The files as read once (later reads give the first read's content)."""

    def __init__(self) -> None:
        self._bytes: dict[str, bytes | None] = {}
        self._parts: dict[str, dict[str, str] | None] = {}

    def read(self, path: str) -> bytes | None:
        """The file's bytes, or None if it cannot be read."""
        if path not in self._bytes:
            try:
                self._bytes[path] = Path(path).read_bytes()
            except OSError:
                self._bytes[path] = None
        return self._bytes[path]

    def snapshot(self, folder: Path) -> None:
        """Read every file under ``folder`` now (before the kernels import them)."""
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                self.read(str(path))

    def bytes_digest(self, path: str) -> str | None:
        """The fingerprint of the file's bytes, or None if it cannot be read."""
        content = self.read(path)
        return None if content is None else _digest(content)

    def parts(self, path: str) -> dict[str, str] | None:
        """The module's parts' fingerprints, or None if it cannot be read or parsed."""
        if path not in self._parts:
            content = self.read(path)
            try:
                self._parts[path] = None if content is None else module_parts(content)
            except (SyntaxError, ValueError):
                self._parts[path] = None
        return self._parts[path]


def package_folder() -> Path | None:
    """Where the package this process would import is (what the kernels import too)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def execution_fingerprints(files: Files) -> dict[str, str]:
    """The fingerprints of the files of ``EXECUTION``, by path relative to the checkout."""
    found = {}
    for relative in EXECUTION:
        parts = files.parts(str(ROOT / relative))
        found[relative] = _digest(json.dumps(parts, sort_keys=True))
    return found


def record(uses: Iterable[Use], files: Files) -> dict[str, Any]:
    """The record of a chapter whose kernels logged ``uses``: each file with the
    fingerprints of the parts used (``parts``) or of its bytes (``bytes``)."""
    recorded: dict[str, dict[str, Any]] = {}
    for path, name in sorted(uses, key=lambda use: (use[0], use[1] or "")):
        entry = recorded.setdefault(path, {})
        parts = files.parts(path) if name is not None else None
        if name is None or parts is None:
            entry["bytes"] = files.bytes_digest(path)
        else:
            part = part_of(name, parts)
            entry.setdefault("parts", {})[part] = parts[part]
    return {"version": VERSION, "files": recorded, "execution": execution_fingerprints(files)}


def _shown(path: str) -> str:
    """``path`` relative to the checkout when inside it."""
    try:
        return Path(path).relative_to(ROOT).as_posix()
    except ValueError:
        return path


def changes(saved: Any, files: Files) -> list[str] | None:
    """What changed among the things a chapter's ``saved`` record lists (empty: nothing),
    or None when the record is missing, of another version or unreadable."""
    try:
        if saved.get("version") != VERSION:
            return None
        recorded, execution = dict(saved["files"]), dict(saved["execution"])
        changed = [
            f"{path} (how chapters are executed)"
            for path, digest in execution_fingerprints(files).items()
            if execution.get(path) != digest
        ]
        for path, entry in sorted(recorded.items()):
            if "bytes" in entry and files.bytes_digest(path) != entry["bytes"]:
                changed.append(_shown(path))
                continue
            parts = files.parts(path) if entry.get("parts") else {}
            if parts is None:
                changed.append(f"{_shown(path)} (unreadable)")
                continue
            names = [
                name or "module level"
                for name, digest in sorted(dict(entry.get("parts", {})).items())
                if parts.get(name) != digest
            ]
            if names:
                changed.append(f"{_shown(path)} ({', '.join(names)})")
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
    return changed
