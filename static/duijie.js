// 镇企对接: filter the directory in place by every dimension at once, show the counts the other
// filters leave, and keep the filters in the URL (?industry=...&province=...). Without this
// script the filter links lead to static pages. It loads in <head>, unlike the other scripts: the
// class it sets first swaps the links for the form in CSS before the first paint (no layout shift).
document.documentElement.classList.add("duijie-js");
function duijieStart() {
  "use strict";
  var form = document.getElementById("duijie-form");
  var list = document.getElementById("duijie-rows");
  var status = document.getElementById("duijie-status");
  if (!form || !list) return;
  var rows = Array.prototype.slice.call(list.children);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var keys = selects.map(function (s) { return s.name; });
  var labels = {};
  selects.forEach(function (s) {
    labels[s.name] = {};
    Array.prototype.forEach.call(s.options, function (o) { labels[s.name][o.value] = o.textContent.replace(/（\d+）$/, ""); });
  });

  function has(row, key, value) {
    return !value || (" " + (row.getAttribute("data-" + key) || "") + " ").indexOf(" " + value + " ") >= 0;
  }

  function wanted() {
    var want = {};
    selects.forEach(function (s) { want[s.name] = s.value; });
    return want;
  }

  function apply(push) {
    var want = wanted();
    var shown = 0;
    var counts = {};
    keys.forEach(function (k) { counts[k] = {}; });
    rows.forEach(function (row) {
      var fails = keys.filter(function (k) { return !has(row, k, want[k]); });
      row.hidden = fails.length > 0;
      if (!row.hidden) shown += 1;
      keys.forEach(function (k) {
        // A value's count: the rows it would show with the other filters as they are.
        if (fails.length === 0 || (fails.length === 1 && fails[0] === k)) {
          (row.getAttribute("data-" + k) || "").split(" ").forEach(function (v) {
            if (v) counts[k][v] = (counts[k][v] || 0) + 1;
          });
        }
      });
    });
    selects.forEach(function (s) {
      Array.prototype.forEach.call(s.options, function (o) {
        if (o.value) o.textContent = labels[s.name][o.value] + "（" + (counts[s.name][o.value] || 0) + "）";
      });
    });
    status.textContent = "共 " + shown + " 条";
    var params = new URLSearchParams();
    keys.forEach(function (k) { if (want[k]) params.set(k, want[k]); });
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;  // e.g. the skip link's #main
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      var value = params.get(s.name) || "";
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === value; }) ? value : "";
    });
  }

  form.hidden = false;
  var links = document.querySelector(".duijie-filters");
  if (links) links.hidden = true;
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("popstate", function () { fromUrl(); apply(false); });
  fromUrl();
  apply(false);
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", duijieStart);
else duijieStart();
