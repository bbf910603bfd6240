// The search page: the form, the URL, the status line and the result list. Results are
// rendered as text, never as HTML.
"use strict";

var createSearcher = require("./searcher").createSearcher, results = require("./results");
var applyFilters = results.applyFilters, markTerms = results.markTerms;
var highlight = results.highlight, excerpt = results.excerpt;

function startUi(app) {
  var base = app.getAttribute("data-index"), version = app.getAttribute("data-version");
  var kindLabels = JSON.parse(app.getAttribute("data-kinds"));
  var searcher = createSearcher(function (path) {
    return fetch(base + path + "?v=" + version).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + path);
      var stream = response.body.pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); });
  }, version);
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
    statusFor(current, count);
    showMore();
  }

  // What the count means: whole matches, a pinyin reading, the query meant, or partial ones.
  function statusFor(result, count) {
    status.textContent = "";
    var q = state().q;
    if (result.stage === "partial") {
      status.textContent = "没有同时包含全部词语的结果，以下 " + count + " 条包含其中部分词语，按相关度排列。";
    } else if (result.stage === "pinyin") {
      status.textContent = "找到 " + count + " 条结果（按拼音“" + q + "”）。";
    } else if (result.stage === "homophone") {
      status.append("没有找到“" + q + "”。");
      if (result.suggestion) {
        var link = document.createElement("a");
        link.className = "search-suggestion";
        link.href = toUrl({ q: result.suggestion, kind: want.kind, province: want.province, program: want.program });
        link.textContent = result.suggestion;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          input.value = result.suggestion;
          run(true);
        });
        status.append("您要找的是：", link, "？以下是读音相同的 " + count + " 条结果。");
      } else {
        status.append("以下是读音相同的 " + count + " 条结果。");
      }
    } else {
      status.textContent = "找到 " + count + " 条结果" + (result.converted ? "（按简体“" + result.converted + "”）" : "") + "。";
    }
  }

  function showMore() {
    var batch = current.filtered.slice(shown, shown + 10), terms = markTerms(current);
    shown += batch.length;
    more.hidden = shown >= current.filtered.length;
    return searcher.details(batch.map(function (h) { return h.id; }), current).then(function (docs) {
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
    var passage = document.createElement("p");
    passage.className = "search-result-excerpt";
    appendMarked(passage, doc.passage !== undefined ? doc.passage : excerpt(doc, terms, 90), terms);
    li.append(heading, meta, passage);
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

module.exports = { startUi: startUi };
