// What a result list shows: facet filters with counts, the words to mark, highlights and
// excerpts.
"use strict";

var normalize = require("./text").normalize;

// Facet filters and their counts; each facet's counts honour the other active filters.
// The manifest's facet columns (townsite/search/export.py): one character a document.
var FACET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function applyFilters(hits, m, filters) {
  var f = m.facets;
  function kindOf(id) { return f.kinds[FACET_ALPHABET.indexOf(f.kind[id])]; }
  function provinceOf(id) { var at = FACET_ALPHABET.indexOf(f.province[id]); return at < 0 ? null : f.provinces[at]; }
  function hasProgram(id, bit) { return f.program[bit][id] === "1"; }
  function keep(id, skip) {
    if (skip !== "kind" && filters.kind && kindOf(id) !== filters.kind) return false;
    if (skip !== "province" && filters.province && provinceOf(id) !== filters.province) return false;
    if (skip !== "program" && filters.program) {
      var bit = f.programs.indexOf(filters.program);
      if (bit < 0 || !hasProgram(id, bit)) return false;
    }
    return true;
  }
  var counts = { kind: {}, province: {}, program: {} };
  hits.forEach(function (h) {
    if (keep(h.id, "kind")) bump(counts.kind, kindOf(h.id));
    if (keep(h.id, "province") && provinceOf(h.id) !== null) bump(counts.province, provinceOf(h.id));
    if (keep(h.id, "program")) {
      f.programs.forEach(function (name, bit) { if (hasProgram(h.id, bit)) bump(counts.program, name); });
    }
  });
  return { hits: hits.filter(function (h) { return keep(h.id, null); }), counts: counts };
}

function bump(table, key) { table[key] = (table[key] || 0) + 1; }

// The words to mark: the plan's text terms, or for a pinyin plan the characters its terms read.
function markTerms(result) {
  if (result.stage !== "pinyin" && result.stage !== "homophone") return result.plan.terms;
  var words = [];
  result.plan.terms.forEach(function (t) {
    var text = result.spellings.get(t);
    if (text) words.push(text);
  });
  return words;
}

// Split `text` into [segment, matched] pairs, matching the terms on normalized text.
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

// The passage of the summary or body with the most of the matched words: its sentence,
// cut to about `width` characters around the first of them. No match: the summary.
function excerpt(doc, terms, width) {
  var sentences = [doc.summary || ""].concat((doc.text || "").split(/(?<=[。！？；!?;])/));
  var best = null, bestCount = 0;
  sentences.forEach(function (sentence) {
    var norm = normalize(sentence), count = 0;
    terms.forEach(function (t) { if (norm.indexOf(t) >= 0) count++; });
    if (count > bestCount) { best = sentence; bestCount = count; }
  });
  if (!best) return doc.summary || "";
  var chars = Array.from(best.trim());
  if (chars.length <= width) return chars.join("");
  var first = highlight(best.trim(), terms).findIndex(function (p) { return p[1]; });
  var offset = 0, parts = highlight(best.trim(), terms);
  for (var i = 0; i < first; i++) offset += Array.from(parts[i][0]).length;
  var start = Math.max(0, Math.min(offset - Math.floor(width / 3), chars.length - width));
  return (start > 0 ? "…" : "") + chars.slice(start, start + width).join("") + (start + width < chars.length ? "…" : "");
}

module.exports = { applyFilters: applyFilters, markTerms: markTerms, highlight: highlight, excerpt: excerpt };
