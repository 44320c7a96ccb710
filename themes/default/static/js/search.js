/*
 * Waymark search. Runs from disk (file://) as well as from a web server.
 *
 * The page includes this file as a classic deferred script with data
 * attributes (see src/search/mod.rs and the search template):
 *   data-index        URL of search-index.js, relative to the page
 *   data-lang         page language (used to split queries into words)
 *   data-kinds        JSON object: kind -> localized label
 *   data-no-results   "No results" in the page language
 * and, optionally:
 *   data-results      "{n} results" (with {n}); data-results-one "1 result"
 *   data-loading      shown while the index loads
 *   data-error        shown when the index cannot be loaded
 *   data-more         label of the button that shows more hits
 *   data-base         prefix of hit links (default "../": index URLs are
 *                     relative to the language root)
 *
 * The index is loaded only when the reader searches (focus or typing in the
 * search box, or at once when the page is opened with ?q=WORDS), by adding a
 * <script> element: no fetch, no modules, no WebAssembly, no inline code.
 *
 * Query words are folded and normalized exactly as the Rust indexer does
 * (src/search/text.rs) and split into words with Intl.Segmenter where the
 * browser has it. An unspaced run of Thai, Lao, Khmer or Burmese is one
 * query word: it matches a document where the run appears as a sequence of
 * whole indexed words (the index marks word boundaries in stored text), so
 * a substring that is not a word matches nothing, whichever way the
 * browser splits the run.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var input = document.getElementById("search-input");
  var statusEl = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!script || !input || !results) return;

  function attr(name, fallback) {
    var v = script.getAttribute(name);
    return v === null || v === "" ? fallback : v;
  }
  var lang = attr("data-lang", document.documentElement.lang || "en");
  var indexSrc = attr("data-index", "search-index.js");
  var base = attr("data-base", "../");
  var kindNames = {};
  try {
    kindNames = JSON.parse(attr("data-kinds", "{}")) || {};
  } catch (e) {
    kindNames = {};
  }
  var msg = {
    none: attr("data-no-results", "No results"),
    many: attr("data-results", "{n} results"),
    one: attr("data-results-one", attr("data-results", "1 result")),
    loading: attr("data-loading", ""),
    error: attr("data-error", "The search index could not be loaded."),
    more: attr("data-more", "More results")
  };

  var BOUNDARY = "\u007f";
  var PAGE = 50; // hits rendered at once
  var MAX_TERM_CHARS = 48;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 220;

  // ---- text folding: mirror of src/search/text.rs ------------------------

  var IGNORABLE = /[\u00ad\u200c\u200d\u2060\ufeff\u007f]/g;
  var WORD_CHAR = /[\p{Alphabetic}\p{N}\p{M}_]/u;
  var INDEXABLE = /[\p{Alphabetic}\p{N}]/u;
  var REPETITION = /[\u0e46\u0e2f\u0ec6\u0eaf\u17d7]/g;

  function isComplexCode(cp) {
    return (cp >= 0x0e00 && cp <= 0x0eff) || (cp >= 0x1000 && cp <= 0x109f) ||
      (cp >= 0x1780 && cp <= 0x17ff) || (cp >= 0x1950 && cp <= 0x19ff) ||
      (cp >= 0x1a20 && cp <= 0x1aaf) || (cp >= 0xa9e0 && cp <= 0xa9ff) ||
      (cp >= 0xaa60 && cp <= 0xaadf);
  }
  function isComplex(ch) {
    return ch !== undefined && ch !== "" && isComplexCode(ch.charCodeAt(0));
  }
  function ccc(ch) {
    switch (ch) {
      case "\u0e38": case "\u0e39": return 103;
      case "\u0e3a": return 9;
      case "\u0e48": case "\u0e49": case "\u0e4a": case "\u0e4b": return 107;
      case "\u0eb8": case "\u0eb9": return 118;
      case "\u0eba": return 9;
      case "\u0ec8": case "\u0ec9": case "\u0eca": case "\u0ecb": return 122;
      case "\u1037": return 7;
      case "\u1039": case "\u103a": return 9;
      case "\u108d": return 220;
      case "\u17d2": return 9;
      case "\u17dd": return 230;
      default: return 0;
    }
  }
  var COMPOSE = { "\u0e4d\u0e32": "\u0e33", "\u0ecd\u0eb2": "\u0eb3", "\u1025\u102e": "\u1026" };

  function fold(s) {
    var out = [];
    for (var ch of s.replace(IGNORABLE, "")) {
      var last = out.length ? out[out.length - 1] : "";
      var composed = COMPOSE[last + ch];
      if (composed) {
        out[out.length - 1] = composed;
        continue;
      }
      var k = ccc(ch);
      if (k === 0) {
        out.push(ch);
        continue;
      }
      var i = out.length;
      while (i > 0 && ccc(out[i - 1]) > k) i--;
      out.splice(i, 0, ch);
    }
    return out.join("");
  }

  function normalizeTerm(w) {
    return w.toLowerCase().replace(/[\u2019\u02bc]/g, "'");
  }

  function indexable(w) {
    return INDEXABLE.test(w.replace(REPETITION, "")) && Array.from(w).length <= MAX_TERM_CHARS;
  }

  // ---- word segmentation of the query ------------------------------------

  var segmenter = null;
  try {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      segmenter = new Intl.Segmenter(lang, { granularity: "word" });
    }
  } catch (e) {
    segmenter = null;
  }
  var FALLBACK_WORD = /[\p{Alphabetic}\p{N}\p{M}_]+(?:['\u2019.:][\p{Alphabetic}\p{N}\p{M}_]+)*/gu;

  /** Word-like segments of s as {text, index}. */
  function words(s) {
    var out = [];
    if (segmenter) {
      for (var seg of segmenter.segment(s)) {
        if (seg.isWordLike) out.push({ text: seg.segment, index: seg.index });
      }
      return out;
    }
    var m;
    FALLBACK_WORD.lastIndex = 0;
    while ((m = FALLBACK_WORD.exec(s)) !== null) out.push({ text: m[0], index: m.index });
    return out;
  }

  /**
   * Splits a query into query words. Each query word is a list of
   * alternatives; an alternative is a list of terms that must be adjacent
   * in a document. Latin (and other spaced) words are one term each; an
   * unspaced run of Thai, Lao, Khmer or Burmese letters is tried whole, as
   * the browser splits it, and as the shortest split into indexed terms.
   */
  function parseQuery(q) {
    var folded = fold(q);
    var out = [];
    var seen = new Set();
    function add(alternatives) {
      var key = alternatives.map(function (a) { return a.join(BOUNDARY); }).join("\n");
      if (alternatives.length && !seen.has(key)) {
        seen.add(key);
        out.push(alternatives);
      }
    }
    // Complex runs: maximal runs of complex letters between anything else
    // (spaces, zero-width spaces, punctuation, other scripts).
    var pieces = words(folded);
    var run = null; // {text, end, parts}
    function flush() {
      if (run) add(resolveRun(run.text, run.parts));
      run = null;
    }
    for (var p of pieces) {
      var complex = isComplex(p.text[0]) && isComplex(p.text[p.text.length - 1]);
      if (!complex) {
        flush();
        var t = normalizeTerm(p.text);
        if (indexable(t)) add([[t]]);
        continue;
      }
      if (run && run.end === p.index) {
        run.text += p.text;
        run.parts.push(p.text);
        run.end = p.index + p.text.length;
      } else {
        flush();
        run = { text: p.text, end: p.index + p.text.length, parts: [p.text] };
      }
    }
    flush();
    return out;
  }

  function resolveRun(text, parts) {
    var alternatives = [];
    var keys = new Set();
    function alt(terms) {
      var key = terms.join(BOUNDARY);
      if (terms.length && !keys.has(key) && terms.every(function (t) { return dict.has(t); })) {
        keys.add(key);
        alternatives.push(terms);
      }
    }
    var whole = normalizeTerm(text);
    alt([whole]);
    var split = parts.map(normalizeTerm).filter(indexable);
    if (split.length > 1) alt(split);
    var dp = splitWithDictionary(whole);
    if (dp) alt(dp);
    if (!alternatives.length) {
      // nothing matches; keep the word so that ranking counts it as missing
      alternatives.push([whole]);
    }
    return alternatives;
  }

  /** Shortest split of s into indexed terms, or null. */
  function splitWithDictionary(s) {
    var n = s.length;
    if (n === 0 || n > 200) return null;
    var best = new Array(n + 1).fill(Infinity);
    var from = new Array(n + 1).fill(-1);
    best[0] = 0;
    for (var i = 1; i <= n; i++) {
      for (var j = Math.max(0, i - maxTermLength); j < i; j++) {
        if (best[j] + 1 < best[i] && dict.has(s.slice(j, i))) {
          best[i] = best[j] + 1;
          from[i] = j;
        }
      }
    }
    if (best[n] === Infinity) return null;
    var terms = [];
    for (var k = n; k > 0; k = from[k]) terms.unshift(s.slice(from[k], k));
    return terms;
  }

  // ---- the index -----------------------------------------------------------

  var index = null; // raw index object
  var dict = new Map(); // term -> position in index.terms
  var decoded = new Map(); // term -> Map(doc -> weight)
  var lowered = new Map(); // doc -> {title, text} lower-cased
  var maxTermLength = 1;
  var avgLength = 1;
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS[d]] = d;

  function prepare(raw) {
    index = raw;
    dict = new Map();
    maxTermLength = 1;
    for (var i = 0; i < raw.terms.length; i++) {
      var t = raw.terms[i];
      dict.set(t, i);
      if (t.length > maxTermLength) maxTermLength = t.length;
    }
    var total = 0;
    for (var doc of raw.docs) total += doc[4];
    avgLength = raw.docs.length ? Math.max(1, total / raw.docs.length) : 1;
  }

  /** Map(doc -> weight) of one term (weight: bit 0 title, bits 1.. count). */
  function postings(term) {
    var cached = decoded.get(term);
    if (cached) return cached;
    var out = new Map();
    var pos = dict.get(term);
    if (pos !== undefined) {
      var s = index.postings[pos];
      var doc = -1;
      var i = 0;
      while (i < s.length) {
        var n = 0;
        var v;
        do {
          v = DIGIT[s[i++]];
          n = n * 32 + (v & 31);
        } while (v >= 32);
        doc += n;
        out.set(doc, DIGIT[s[i++]]);
      }
    }
    decoded.set(term, out);
    return out;
  }

  function lower(doc) {
    var l = lowered.get(doc);
    if (!l) {
      var row = index.docs[doc];
      l = { title: lowerSameLength(row[1]), text: lowerSameLength(row[3]) };
      lowered.set(doc, l);
    }
    return l;
  }

  /** Lower-cased copy with the same length, so that offsets carry over. */
  function lowerSameLength(s) {
    var l = normalizeTerm(s);
    if (l.length === s.length) return l;
    var out = "";
    for (var ch of s) {
      var c = normalizeTerm(ch);
      out += c.length === ch.length ? c : ch;
    }
    return out;
  }

  function isWordChar(ch) {
    return ch !== undefined && ch !== "" && WORD_CHAR.test(ch);
  }

  /** Whether needle found at hay[i..j) starts and ends on word boundaries. */
  function atBoundaries(hay, i, j) {
    var first = hay[i];
    var last = hay[j - 1];
    var before = i > 0 ? hay[i - 1] : "";
    var after = j < hay.length ? hay[j] : "";
    var okBefore = isComplex(first) ? !isComplex(before) : !(isWordChar(before) && !isComplex(before));
    var okAfter = isComplex(last) ? !isComplex(after) : !(isWordChar(after) && !isComplex(after));
    return okBefore && okAfter;
  }

  /** Start offsets of whole-word occurrences of needle in hay[from..to). */
  function occurrences(hay, needle, from, to, limit) {
    var out = [];
    if (!needle) return out;
    var i = hay.indexOf(needle, from);
    while (i !== -1 && i < to && out.length < limit) {
      if (atBoundaries(hay, i, i + needle.length)) out.push(i);
      i = hay.indexOf(needle, i + 1);
    }
    return out;
  }

  /**
   * Documents matching one query word: Map(doc -> {title, tf}).
   */
  function matchWord(alternatives) {
    var out = new Map();
    for (var terms of alternatives) {
      if (terms.length === 1) {
        postings(terms[0]).forEach(function (w, doc) {
          merge(out, doc, (w & 1) === 1, w >> 1);
        });
        continue;
      }
      // phrase: all terms, adjacent
      var lists = terms.map(postings).sort(function (a, b) { return a.size - b.size; });
      var needle = terms.join(BOUNDARY);
      // Words of caseless scripts (Thai, Lao, Khmer, Burmese) can be looked
      // for in the stored text as it is, without lower-casing it first.
      var caseless = needle.toUpperCase() === needle;
      lists[0].forEach(function (w, doc) {
        for (var k = 1; k < lists.length; k++) if (!lists[k].has(doc)) return;
        var row = index.docs[doc];
        var l = caseless ? { title: row[1], text: row[3] } : lower(doc);
        var inTitle = occurrences(l.title, needle, 0, l.title.length, 1).length > 0;
        var tf = occurrences(l.text, needle, 0, l.text.length, 31).length;
        if (tf === 0 && !inTitle && index.docs[doc][5] & 1) tf = 1; // text was cut
        if (inTitle || tf > 0) merge(out, doc, inTitle, tf);
      });
    }
    return out;
  }

  function merge(map, doc, inTitle, tf) {
    var m = map.get(doc);
    if (!m) map.set(doc, { title: inTitle, tf: tf });
    else {
      m.title = m.title || inTitle;
      m.tf = Math.max(m.tf, tf);
    }
  }

  /** Ranked hits: [{doc, needles}] best first. */
  function search(q) {
    var query = parseQuery(q);
    var n = index.docs.length;
    var hits = new Map();
    var needles = [];
    for (var alternatives of query) {
      var matches = matchWord(alternatives);
      if (matches.size === 0) continue;
      for (var a of alternatives) needles.push(a.join(BOUNDARY));
      var df = matches.size;
      var idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      matches.forEach(function (m, doc) {
        var h = hits.get(doc);
        if (!h) {
          h = { doc: doc, words: 0, titleWords: 0, score: 0 };
          hits.set(doc, h);
        }
        var len = index.docs[doc][4];
        var body = m.tf > 0 ? (m.tf * 2.2) / (m.tf + 1.2 * (0.25 + 0.75 * len / avgLength)) : 0;
        h.words += 1;
        if (m.title) h.titleWords += 1;
        h.score += idf * (body + (m.title ? 3 : 0));
      });
    }
    var list = Array.from(hits.values());
    list.sort(function (a, b) {
      return b.words - a.words || b.titleWords - a.titleWords || b.score - a.score || a.doc - b.doc;
    });
    return { hits: list, needles: needles.sort(function (a, b) { return b.length - a.length; }) };
  }

  // ---- rendering -----------------------------------------------------------

  function el(name, className) {
    var e = document.createElement(name);
    if (className) e.className = className;
    return e;
  }

  /** Appends s[from..to) to parent with matches in <mark>. */
  function appendMarked(parent, s, low, from, to, needles) {
    var ranges = [];
    for (var needle of needles) {
      for (var i of occurrences(low, needle, from, to, 1000)) {
        if (i + needle.length <= to) ranges.push([i, i + needle.length]);
      }
    }
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = from;
    for (var r of ranges) {
      if (r[0] < pos) continue; // overlaps an earlier match
      if (r[0] > pos) parent.appendChild(document.createTextNode(clean(s.slice(pos, r[0]))));
      var mark = el("mark");
      mark.textContent = clean(s.slice(r[0], r[1]));
      parent.appendChild(mark);
      pos = r[1];
    }
    if (pos < to) parent.appendChild(document.createTextNode(clean(s.slice(pos, to))));
  }

  function clean(s) {
    return s.split(BOUNDARY).join("");
  }

  function isBreak(ch) {
    return ch === " " || ch === BOUNDARY;
  }

  /** Window [start, end) of text around the first match. */
  function snippetWindow(text, low, needles) {
    var first = -1;
    for (var needle of needles) {
      var occ = occurrences(low, needle, 0, low.length, 1);
      if (occ.length && (first === -1 || occ[0] < first)) first = occ[0];
    }
    var start = 0;
    if (first > SNIPPET_BEFORE) {
      start = first - SNIPPET_BEFORE;
      var limit = first;
      while (start < limit && !isBreak(text[start - 1])) start++;
      if (start === limit) start = first - SNIPPET_BEFORE;
    }
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
      var e = end;
      while (e > start + SNIPPET_LENGTH / 2 && !isBreak(text[e])) e--;
      if (e > start + SNIPPET_LENGTH / 2) end = e;
    }
    // do not cut a surrogate pair
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start--;
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end++;
    return [start, end];
  }

  function renderHit(h, needles) {
    var row = index.docs[h.doc];
    var l = lower(h.doc);
    var kind = index.kinds[row[2]];
    var li = el("li", "search-hit");
    var a = el("a");
    a.href = base + row[0];
    var title = el("span", "search-hit-title");
    appendMarked(title, row[1], l.title, 0, row[1].length, needles);
    var kindEl = el("span", "search-hit-kind");
    kindEl.textContent = kindNames[kind] || kind;
    var snippet = el("span", "search-hit-snippet");
    var text = row[3];
    if (text) {
      var w = snippetWindow(text, l.text, needles);
      if (w[0] > 0) snippet.appendChild(document.createTextNode("\u2026"));
      appendMarked(snippet, text, l.text, w[0], w[1], needles);
      if (w[1] < text.length || row[5] & 1) snippet.appendChild(document.createTextNode("\u2026"));
    }
    if (row[6]) {
      title.lang = row[6];
      snippet.lang = row[6];
    }
    a.appendChild(title);
    a.appendChild(document.createTextNode(" "));
    a.appendChild(kindEl);
    if (text) {
      a.appendChild(document.createTextNode(" "));
      a.appendChild(snippet);
    }
    li.appendChild(a);
    return li;
  }

  function countMessage(n) {
    return (n === 1 ? msg.one : msg.many).replace("{n}", String(n));
  }

  var statusTimer = 0;
  function setStatus(text, delay) {
    clearTimeout(statusTimer);
    if (!statusEl) return;
    if (delay) {
      statusTimer = setTimeout(function () { statusEl.textContent = text; }, delay);
    } else {
      statusEl.textContent = text;
    }
  }

  var lastQuery = null;

  function run(q, fromTyping) {
    q = q.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    results.textContent = "";
    results.removeAttribute("aria-busy");
    if (!q) {
      setStatus("", 0);
      results.setAttribute("data-query", "");
      return;
    }
    var found = search(q);
    var hits = found.hits;
    if (hits.length === 0) {
      var p = el("p", "search-empty");
      p.textContent = msg.none;
      results.appendChild(p);
      setStatus(msg.none, fromTyping ? 400 : 0);
    } else {
      var ol = el("ol", "search-hits");
      results.appendChild(ol);
      var shown = 0;
      var more = null;
      var showMore = function (focus) {
        var firstNew = null;
        var upto = Math.min(hits.length, shown + PAGE);
        for (; shown < upto; shown++) {
          var li = renderHit(hits[shown], found.needles);
          if (!firstNew) firstNew = li;
          ol.appendChild(li);
        }
        if (shown >= hits.length && more) {
          more.remove();
          more = null;
        }
        if (focus && firstNew) firstNew.querySelector("a").focus();
      };
      showMore(false);
      if (shown < hits.length) {
        more = el("button", "search-more");
        more.type = "button";
        more.textContent = msg.more;
        more.addEventListener("click", function () { showMore(true); });
        results.appendChild(more);
      }
      setStatus(countMessage(hits.length), fromTyping ? 400 : 0);
    }
    results.setAttribute("data-query", q);
  }

  // ---- loading the index and wiring the form -----------------------------

  var loadState = 0; // 0 not loaded, 1 loading, 2 ready, 3 failed
  var pending = null; // {fromTyping}

  function load() {
    if (loadState !== 0) return;
    if (window.waymarkSearchIndex) {
      ready();
      return;
    }
    loadState = 1;
    results.setAttribute("aria-busy", "true");
    if (msg.loading) setStatus(msg.loading, 0);
    var s = document.createElement("script");
    s.src = indexSrc;
    s.async = true;
    s.onload = function () {
      if (window.waymarkSearchIndex) ready();
      else fail();
    };
    s.onerror = fail;
    document.head.appendChild(s);
  }

  function ready() {
    prepare(window.waymarkSearchIndex);
    loadState = 2;
    results.removeAttribute("aria-busy");
    if (pending !== null) {
      var fromTyping = pending;
      pending = null;
      run(input.value, fromTyping);
    } else if (statusEl && msg.loading && statusEl.textContent === msg.loading) {
      setStatus("", 0);
    }
  }

  function fail() {
    loadState = 3;
    results.removeAttribute("aria-busy");
    setStatus(msg.error, 0);
  }

  function request(fromTyping) {
    if (loadState === 2) run(input.value, fromTyping);
    else {
      pending = fromTyping;
      load();
    }
  }

  function updateUrl(q) {
    try {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
    } catch (e) {
      // some browsers refuse history changes on file:// pages
    }
  }

  var typingTimer = 0;
  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { request(true); }, 80);
  });
  if (input.form) {
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(typingTimer);
      lastQuery = null;
      request(false);
      updateUrl(input.value.trim());
    });
  }

  var initial = null;
  try {
    initial = new URLSearchParams(window.location.search).get("q");
  } catch (e) {
    initial = null;
  }
  if (initial) {
    input.value = initial;
    request(false);
  }
})();
