/* townsite search client: tokenizes like townsite/search/analysis.py, fetches only the
   shards of the query's terms and the metadata of the hits it shows, ranks exactly as the
   build's Whoosh index does (integer scores, ties to the lower document id), and renders
   every result as text, never as HTML. No framework, no third-party requests. */
(function (root) {
  "use strict";

  // Keep in step with CJK_RANGES / WORD_RANGES in townsite/search/analysis.py.
  var CJK = [[0x3040, 0x30ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xac00, 0xd7af],
    [0xf900, 0xfaff], [0x20000, 0x2fa1f], [0x30000, 0x323af]];
  var WORD = [[0x30, 0x39], [0x61, 0x7a], [0xdf, 0xf6], [0xf8, 0xff], [0x100, 0x24f],
    [0x370, 0x3ff], [0x400, 0x4ff]];
  var MAX_WORD = 40;

  function inRanges(code, ranges) {
    for (var i = 0; i < ranges.length; i++) {
      if (code >= ranges[i][0] && code <= ranges[i][1]) return true;
    }
    return false;
  }

  function charClass(ch) {
    var code = ch.codePointAt(0);
    if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) ? 2 : 0;
    if (inRanges(code, CJK)) return 1;
    return inRanges(code, WORD) ? 2 : 0;
  }

  function normalize(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function flush(run, runClass, tokens) {
    if (!run.length) return;
    if (runClass === 2) tokens.push(run.slice(0, MAX_WORD).join(""));
    else if (run.length === 1) tokens.push(run[0]);
    else for (var i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
  }

  function tokenize(text) {
    var tokens = [], run = [], runClass = 0;
    var chars = Array.from(normalize(text));
    chars.push(" ");
    for (var i = 0; i < chars.length; i++) {
      var cls = charClass(chars[i]);
      if (cls !== runClass || cls === 0) {
        flush(run, runClass, tokens);
        run = [];
      }
      runClass = cls;
      if (cls) run.push(chars[i]);
    }
    return tokens;
  }

  function queryTerms(query) {
    var seen = new Set();
    return tokenize(query).filter(function (t) {
      if (seen.has(t)) return false;
      seen.add(t);
      return true;
    });
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash;
  }

  // A shard: repeated [term length, term, n, n doc-id deltas, n score units], all varints.
  function readShard(bytes, wanted) {
    var pos = 0, found = new Map(), decoder = new TextDecoder();
    function varint() {
      var value = 0, shift = 0, byte;
      do {
        byte = bytes[pos++];
        value += (byte & 0x7f) * Math.pow(2, shift);
        shift += 7;
      } while (byte & 0x80);
      return value;
    }
    while (pos < bytes.length) {
      var length = varint();
      var term = decoder.decode(bytes.subarray(pos, pos + length));
      pos += length;
      var n = varint(), ids = new Array(n), units = new Array(n), doc = 0, i;
      for (i = 0; i < n; i++) ids[i] = doc += varint();
      for (i = 0; i < n; i++) units[i] = varint();
      if (wanted.has(term)) found.set(term, { ids: ids, units: units });
    }
    return found;
  }

  // load(path) resolves to the inflated bytes of a file under search/.
  function createSearcher(load) {
    var manifestPromise = null, shardCache = new Map(), chunkCache = new Map();

    function manifest() {
      if (!manifestPromise) {
        manifestPromise = load("manifest.bin").then(function (bytes) {
          return JSON.parse(new TextDecoder().decode(bytes));
        });
      }
      return manifestPromise;
    }

    function shard(number) {
      if (!shardCache.has(number)) shardCache.set(number, load("t/" + number + ".bin"));
      return shardCache.get(number);
    }

    // All terms must match; when no document has them all, any may (and `partial` says so).
    function rank(query) {
      var terms = queryTerms(query);
      if (!terms.length) return Promise.resolve({ terms: terms, hits: [], partial: false });
      return manifest().then(function (m) {
        var wanted = new Set(terms), numbers = new Set();
        terms.forEach(function (t) { numbers.add(fnv1a(t) % m.shards); });
        var order = Array.from(numbers);
        return Promise.all(order.map(shard)).then(function (blobs) {
          var postings = new Map();
          blobs.forEach(function (bytes) {
            readShard(bytes, wanted).forEach(function (p, term) { postings.set(term, p); });
          });
          var hits = combine(terms, postings, true), partial = false;
          if (!hits.length) {
            hits = combine(terms, postings, false);
            partial = hits.length > 0;
          }
          return { terms: terms, hits: hits, partial: partial, manifest: m };
        });
      });
    }

    function combine(terms, postings, matchAll) {
      var scores = new Map(), counts = new Map();
      terms.forEach(function (t) {
        var p = postings.get(t);
        if (!p) return;
        for (var i = 0; i < p.ids.length; i++) {
          scores.set(p.ids[i], (scores.get(p.ids[i]) || 0) + p.units[i]);
          counts.set(p.ids[i], (counts.get(p.ids[i]) || 0) + 1);
        }
      });
      var hits = [];
      scores.forEach(function (units, id) {
        if (!matchAll || counts.get(id) === terms.length) hits.push({ id: id, units: units });
      });
      hits.sort(function (a, b) { return b.units - a.units || a.id - b.id; });
      return hits;
    }

    function details(ids) {
      return manifest().then(function (m) {
        return Promise.all(ids.map(function (id) {
          var number = Math.floor(id / m.chunk);
          if (!chunkCache.has(number)) {
            chunkCache.set(number, load("d/" + number + ".bin").then(function (bytes) {
              return JSON.parse(new TextDecoder().decode(bytes));
            }));
          }
          return chunkCache.get(number).then(function (chunk) { return chunk[id % m.chunk]; });
        }));
      });
    }

    return { manifest: manifest, rank: rank, details: details };
  }

  // Facet filters and their counts; each facet's counts honour the other active filters.
  function applyFilters(hits, m, filters) {
    var f = m.facets;
    function keep(id, skip) {
      var row = f.docs[id];
      if (skip !== "kind" && filters.kind && f.kinds[row[0]] !== filters.kind) return false;
      if (skip !== "province" && filters.province && f.provinces[row[1]] !== filters.province) return false;
      if (skip !== "program" && filters.program) {
        var bit = f.programs.indexOf(filters.program);
        if (bit < 0 || !(row[2] & (1 << bit))) return false;
      }
      return true;
    }
    var counts = { kind: {}, province: {}, program: {} };
    hits.forEach(function (h) {
      var row = f.docs[h.id];
      if (keep(h.id, "kind")) bump(counts.kind, f.kinds[row[0]]);
      if (keep(h.id, "province") && row[1] >= 0) bump(counts.province, f.provinces[row[1]]);
      if (keep(h.id, "program")) {
        f.programs.forEach(function (name, bit) { if (row[2] & (1 << bit)) bump(counts.program, name); });
      }
    });
    return { hits: hits.filter(function (h) { return keep(h.id, null); }), counts: counts };
  }

  function bump(table, key) { table[key] = (table[key] || 0) + 1; }

  // Split `text` into [segment, matched] pairs, matching the query's tokens on normalized text.
  function highlight(text, terms) {
    var raw = Array.from(text), norm = [], origin = [];
    raw.forEach(function (ch, i) {
      Array.from(normalize(ch)).forEach(function (n) { norm.push(n); origin.push(i); });
    });
    var marked = new Array(raw.length).fill(false);
    terms.forEach(function (term) {
      var t = Array.from(term);
      for (var i = 0; i + t.length <= norm.length; i++) {
        var j = 0;
        while (j < t.length && norm[i + j] === t[j]) j++;
        if (j === t.length) for (j = 0; j < t.length; j++) marked[origin[i + j]] = true;
      }
    });
    var parts = [];
    raw.forEach(function (ch, i) {
      if (parts.length && parts[parts.length - 1][1] === marked[i]) parts[parts.length - 1][0] += ch;
      else parts.push([ch, marked[i]]);
    });
    return parts;
  }

  var api = { tokenize: tokenize, queryTerms: queryTerms, fnv1a: fnv1a, readShard: readShard,
    createSearcher: createSearcher, applyFilters: applyFilters, highlight: highlight };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.TownsiteSearch = api;

  if (typeof document === "undefined") return;
  var app = document.getElementById("search-app");
  if (app) startUi(app);

  function startUi(app) {
    var base = app.getAttribute("data-index"), version = app.getAttribute("data-version");
    var kindLabels = JSON.parse(app.getAttribute("data-kinds"));
    var searcher = createSearcher(function (path) {
      return fetch(base + path + "?v=" + version).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + path);
        var stream = response.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer();
      }).then(function (buffer) { return new Uint8Array(buffer); });
    });
    var form = app.querySelector("form"), input = form.elements.q;
    var selects = { kind: form.elements.kind, province: form.elements.province, program: form.elements.program };
    var status = app.querySelector("#search-status"), list = app.querySelector("#search-results");
    var more = app.querySelector("#search-more");
    var current = null, shown = 0, timer = null, serial = 0;
    var want = { kind: "", province: "", program: "" };  // the filters, as in the URL

    function state() {
      return { q: input.value.trim(), kind: want.kind, province: want.province, program: want.program };
    }

    function toUrl(s) {
      var params = new URLSearchParams();
      ["q", "kind", "province", "program"].forEach(function (k) { if (s[k]) params.set(k, s[k]); });
      var text = params.toString();
      return location.pathname + (text ? "?" + text : "");
    }

    function fromUrl() {
      var params = new URLSearchParams(location.search);
      input.value = params.get("q") || "";
      Object.keys(want).forEach(function (k) { want[k] = params.get(k) || ""; });
    }

    function run(push) {
      var s = state();
      if (push === true) history.pushState(s, "", toUrl(s));
      else if (push === false) history.replaceState(s, "", toUrl(s));
      var mine = ++serial;
      if (!s.q) {
        current = null;
        list.textContent = "";
        more.hidden = true;
        status.textContent = "请输入要搜索的词语，例如：西吉、玫瑰小镇、峰会。";
        return Promise.resolve();
      }
      status.textContent = "正在搜索…";
      return searcher.rank(s.q).then(function (result) {
        if (mine !== serial) return;
        current = result;
        render();
      }).catch(function (error) {
        status.textContent = "搜索索引加载失败（" + error.message + "），请稍后重试。";
      });
    }

    function fillSelect(select, counts, labels, wanted) {
      while (select.options.length > 1) select.remove(1);
      var keys = Object.keys(counts).sort();
      if (wanted && keys.indexOf(wanted) < 0) keys.push(wanted);
      keys.forEach(function (key) {
        var option = document.createElement("option");
        option.value = key;
        option.textContent = (labels ? labels[key] || key : key) + "（" + (counts[key] || 0) + "）";
        select.appendChild(option);
      });
      select.value = wanted;
    }

    function render() {
      var filtered = applyFilters(current.hits, current.manifest, want);
      fillSelect(selects.kind, filtered.counts.kind, kindLabels, want.kind);
      fillSelect(selects.province, filtered.counts.province, null, want.province);
      fillSelect(selects.program, filtered.counts.program, null, want.program);
      list.textContent = "";
      shown = 0;
      current.filtered = filtered.hits;
      var count = filtered.hits.length;
      if (!count) {
        status.textContent = "没有找到与“" + state().q + "”相关的结果。可以换个说法，或去掉筛选条件。";
        more.hidden = true;
        return;
      }
      status.textContent = (current.partial
        ? "没有同时包含全部词语的结果，以下 " + count + " 条包含其中部分词语，按相关度排列。"
        : "找到 " + count + " 条结果。");
      showMore();
    }

    function showMore() {
      var batch = current.filtered.slice(shown, shown + 10), terms = current.terms;
      shown += batch.length;
      more.hidden = shown >= current.filtered.length;
      return searcher.details(batch.map(function (h) { return h.id; })).then(function (docs) {
        docs.forEach(function (doc) { list.appendChild(resultItem(doc, terms)); });
      });
    }

    function resultItem(doc, terms) {
      var li = document.createElement("li"), link = document.createElement("a");
      li.className = "search-result";
      link.href = app.getAttribute("data-base") + doc.url.replace(/^\//, "");
      appendMarked(link, doc.title, terms);
      var heading = document.createElement("h2");
      heading.className = "search-result-title";
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "search-result-meta";
      meta.textContent = (kindLabels[doc.kind] || doc.kind) + (doc.when ? " · " + doc.when : "");
      var excerpt = document.createElement("p");
      excerpt.className = "search-result-excerpt";
      appendMarked(excerpt, doc.summary, terms);
      li.append(heading, meta, excerpt);
      return li;
    }

    function appendMarked(parent, text, terms) {
      highlight(text || "", terms).forEach(function (part) {
        if (part[1]) {
          var mark = document.createElement("mark");
          mark.textContent = part[0];
          parent.appendChild(mark);
        } else {
          parent.appendChild(document.createTextNode(part[0]));
        }
      });
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(false); }, 120);
    });
    Object.keys(selects).forEach(function (k) {
      selects[k].addEventListener("change", function () {
        want[k] = selects[k].value;
        history.pushState(state(), "", toUrl(state()));
        if (current) render();
      });
    });
    more.addEventListener("click", function () { showMore(); });
    // Arrow keys move between the box and the results; Enter follows the focused link.
    app.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Escape") return;
      var all = links(), index = all.indexOf(document.activeElement);
      if (event.key === "Escape") { input.focus(); return; }
      if (document.activeElement === input && event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        all[0].focus();
      } else if (index >= 0) {
        event.preventDefault();
        var next = index + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else if (next < all.length) all[next].focus();
      }
    });
    window.addEventListener("popstate", function () { fromUrl(); run(null); });
    fromUrl();
    run(false);
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
