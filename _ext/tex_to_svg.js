// Typeset TeX as SVG with MathJax 3 at build time (run by light_pages.py under Node).
// stdin: {"mathjax": "<folder of MathJax's es5 files>", "pages": [[[tex, display], ...], ...]}
// stdout: {"css": "<MathJax's SVG stylesheet>", "pages": [{"math": [html, ...], "cache": html}]}
// One page's equations share a glyph cache: each glyph's path is written once per page,
// in `cache` (a hidden <svg>), and the equations refer to it.
"use strict";

const fs = require("fs");
// The page's glyph cache, as MathJax itself writes it in a browser.
const HIDDEN =
  'style="display: none" aria-hidden="true" id="MJX-SVG-global-cache" ' +
  'xmlns="http://www.w3.org/2000/svg"';
const request = JSON.parse(fs.readFileSync(0, "utf8"));

require(`${request.mathjax}/node-main.js`)
  .init({
    // "[tex]/html" for \class{d2l-q-...}{...}, which ties a symbol to the explorers'
    // linked quantities (loaded up front: autoloading it would need MathJax's retry).
    loader: { load: ["input/tex", "[tex]/html", "output/svg", "a11y/assistive-mml"] },
    tex: { packages: { "[+]": ["html"] } },
    svg: { fontCache: "global" },
    startup: { typeset: false },
  })
  .then((MathJax) => {
    const adaptor = MathJax.startup.adaptor;
    const cache = MathJax.startup.output.fontCache;
    const pages = request.pages.map((equations) => {
      cache.clearCache();
      const math = equations.map(([tex, display]) =>
        adaptor.outerHTML(MathJax.tex2svg(tex, { display })),
      );
      const defs = adaptor.outerHTML(cache.getCache());
      return { math, cache: `<svg ${HIDDEN}>${defs}</svg>` };
    });
    const css = adaptor.textContent(MathJax.svgStylesheet());
    process.stdout.write(JSON.stringify({ css, pages }));
  })
  .catch((error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(1);
  });
