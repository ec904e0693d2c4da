/* Search results that quote the page around the word searched for (see search_excerpts.py).
 *
 * Sphinx's search (searchtools.js) fetches each result's page to cut an excerpt from it. The
 * pages' texts are already here (search-texts.js, loaded before this file), so those fetches
 * are answered from them: nothing is fetched, which also spares the CORS errors of file://.
 * The excerpt starts a little before the first place where a word typed (or its stem)
 * appears. */
(() => {
  "use strict";
  const texts = window.BOOK_SEARCH_TEXTS || {};
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);

  /* The document name ("chapters/algorithm") of a URL inside the site, or null. */
  const documentName = (url) => {
    const target = new URL(url, location.href);
    if (target.protocol !== root.protocol || target.host !== root.host) return null;
    if (!target.pathname.startsWith(root.pathname)) return null;
    return decodeURIComponent(target.pathname.slice(root.pathname.length)).replace(/\.html$/, "");
  };

  const fetchFromNetwork = window.fetch.bind(window);
  window.fetch = (resource, options) => {
    const name = typeof resource === "string" ? documentName(resource) : null;
    if (name !== null && Object.prototype.hasOwnProperty.call(texts, name)) {
      const page = `<!DOCTYPE html><div role="main">${texts[name]}</div>`;
      return Promise.resolve(new Response(page, { headers: { "Content-Type": "text/html" } }));
    }
    return fetchFromNetwork(resource, options);
  };

  const CONTEXT = 120; // characters shown before the word
  const LENGTH = 240; // characters shown in all

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof Search === "undefined") return;
    const query = new URLSearchParams(location.search).get("q") || "";
    const typed = query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);

    Search.makeSearchSummary = (htmlText, keywords, anchor) => {
      const text = Search.htmlToText(htmlText, anchor).replace(/\s+/g, " ").trim();
      if (text === "") return null;
      const lower = text.toLowerCase();
      const terms = [...typed, ...[...keywords].map((k) => k.toLowerCase())];
      const places = terms.map((term) => lower.indexOf(term)).filter((at) => at > -1);
      const at = places.length > 0 ? Math.min(...places) : 0;
      const start = Math.max(at - CONTEXT, 0);
      const summary = document.createElement("p");
      summary.classList.add("context");
      summary.textContent =
        (start > 0 ? "..." : "") +
        text.substr(start, LENGTH).trim() +
        (start + LENGTH < text.length ? "..." : "");
      return summary;
    };
  });
})();
