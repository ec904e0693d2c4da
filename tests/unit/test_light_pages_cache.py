"""``_ext/light_pages.py`` starts Node (MathJax) only for pages whose math is new: a rebuild
takes each page typeset before from its cache, beside the output folder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE_A = [("x^2", False), ("\\sum_i x_i", True)]
PAGE_B = [("\\gamma", False)]


def light_pages() -> ModuleType:
    """The extension, imported as Sphinx imports it (``_ext`` on the path)."""
    spec = importlib.util.spec_from_file_location("light_pages", ROOT / "_ext" / "light_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("light_pages", module)
    spec.loader.exec_module(module)
    return module


def test_only_pages_with_new_math_are_typeset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = light_pages()
    calls: list[list[Any]] = []

    def typeset(pages: list[Any]) -> tuple[str, list[dict[str, Any]]]:
        calls.append(pages)
        return "css", [
            {"math": [f"<svg>{tex}</svg>" for tex, _ in page], "cache": ""} for page in pages
        ]

    monkeypatch.setattr(module, "typeset", typeset)
    cache = tmp_path / "math.json"
    first = module.typeset_cached([PAGE_A, PAGE_B], cache)
    assert calls == [[PAGE_A, PAGE_B]]
    assert module.typeset_cached([PAGE_B, PAGE_A], cache) == ("css", first[1][::-1])
    assert len(calls) == 1  # nothing new: Node not started
    page_c = [("y", False)]
    _, results = module.typeset_cached([PAGE_A, page_c], cache)
    assert calls[-1] == [page_c] and results[1] == {"math": ["<svg>y</svg>"], "cache": ""}
    cache.write_text("{not json")  # a damaged cache: everything typeset again
    module.typeset_cached([PAGE_A], cache)
    assert calls[-1] == [PAGE_A]


def test_the_chapters_tex_typesets_including_linked_quantities() -> None:
    """Every macro the chapters use typesets at build time, ``\\class`` (the explorers'
    linked quantities) included, which MathJax would otherwise only autoload."""
    css, pages = light_pages().typeset([[("\\class{d2l-q-s}{s_t} + \\gamma", True)]])
    assert 'class="d2l-q-s"' in pages[0]["math"][0] and "mjx-container" in css
