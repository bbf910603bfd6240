// What a query means: the terms to score and the groups each entry must meet, for the typed
// text, its pinyin and its homophones; as townsite/search/query.py and chinese.py.
"use strict";

var text = require("./text");
var runs = text.runs, pairs = text.pairs;

// Pinyin, as chinese.segment / syllable_terms / initials_terms.
var SYLLABLE = "~", INITIAL = "^", MAX_PINYIN_LETTERS = 60, INITIALS = "bpmfdtnlgkhjqxzcsryw";

function segment(letters, known) {
  var n = letters.length;
  if (!n || n > MAX_PINYIN_LETTERS || !/^[a-z]+$/.test(letters)) return null;
  var best = new Array(n + 1).fill(null);
  best[n] = [0, 0];
  for (var i = n - 1; i >= 0; i--) {
    for (var length = Math.min(6, n - i); length > 0; length--) {
      var rest = best[i + length];
      if (rest && known.has(letters.slice(i, i + length)) && (!best[i] || rest[0] + 1 < best[i][0])) {
        best[i] = [rest[0] + 1, length];
      }
    }
  }
  if (!best[0]) return null;
  var out = [];
  for (i = 0; i < n; i += best[i][1]) out.push(letters.slice(i, i + best[i][1]));
  return out;
}

// As chinese.segmentations: segment's split, then the next best made of syllables with a vowel.
var PINYIN_SPLITS = 3;

function segmentations(letters, known) {
  var first = segment(letters, known);
  if (!first) return [];
  var voweled = new Set(Array.from(known).filter(function (s) { return /[aeiouv]/.test(s); }));
  var n = letters.length, best = new Array(n + 1);
  best[n] = [[]];
  for (var i = n - 1; i >= 0; i--) {
    var found = [];
    for (var size = Math.min(6, n - i); size > 0; size--) {
      var syllable = letters.slice(i, i + size);
      if (!voweled.has(syllable)) continue;
      best[i + size].forEach(function (rest) { found.push([syllable].concat(rest)); });
    }
    found.sort(function (a, b) {
      if (a.length !== b.length) return a.length - b.length;
      for (var k = 0; k < a.length; k++) if (a[k].length !== b[k].length) return b[k].length - a[k].length;
      return 0;
    });
    best[i] = found.slice(0, PINYIN_SPLITS);
  }
  var out = [first];
  best[0].forEach(function (split) { if (split.join(" ") !== first.join(" ")) out.push(split); });
  return out.slice(0, PINYIN_SPLITS);
}

function syllableTerms(run) {
  if (run.length === 1) return [SYLLABLE + run[0]];
  return pairs(run, function (a, b) { return SYLLABLE + a + b; });
}

function isInitials(letters) {
  return letters.length >= 2 && letters.length <= 8 &&
    Array.from(letters).every(function (ch) { return INITIALS.indexOf(ch) >= 0; });
}

// Plans, as query.py: the terms to score and the groups each entry must meet.
function covering(terms, count) {
  if (count === 1) return [terms.slice()];
  var groups = [];
  for (var j = 0; j < count; j++) groups.push([terms[j - 1], terms[j]].filter(function (t, k) { return j - 1 + k >= 0 && j - 1 + k < terms.length; }));
  return groups;
}

function makePlan(parts) {
  var terms = [], seen = new Set(), groups = [], seenGroups = new Set();
  parts.forEach(function (part) {
    part[0].forEach(function (t) { if (!seen.has(t)) { seen.add(t); terms.push(t); } });
    part[1].forEach(function (g) {
      var key = JSON.stringify(g);
      if (!seenGroups.has(key)) { seenGroups.add(key); groups.push(g); }
    });
  });
  return { terms: terms, groups: groups, runs: parts.map(function (p) { return p[0]; }) };
}

function textPlan(query, convert) {
  return makePlan(runs(query, convert).map(function (r) {
    var chars = Array.from(r[1]);
    if (r[0] === "word" || chars.length === 1) return [[r[1]], [[r[1]]]];
    var bigrams = pairs(chars, function (a, b) { return a + b; });
    return [bigrams, covering(bigrams, chars.length)];
  }));
}

function syllablePart(syllables) {
  var terms = syllableTerms(syllables);
  return [terms, covering(terms, syllables.length)];
}

function pinyinPlans(query, known) {
  var found = runs(query);
  if (!found.length || found.some(function (r) { return r[0] !== "word"; })) return [];
  var letters = found.map(function (r) { return r[1]; }).join(""), splits = segmentations(letters, known);
  if (splits.length) return splits.map(function (split) { return makePlan([syllablePart(split)]); });
  if (!isInitials(letters)) return [];
  var terms = pairs(Array.from(letters), function (a, b) { return INITIAL + a + b; });
  return [makePlan([[terms, covering(terms, letters.length)]])];
}

function pinyinPlan(query, known) {
  var plans = pinyinPlans(query, known);
  return plans.length ? plans[0] : null;
}

// `found` are the runs of the converted query; `readings` maps a character to its reading.
function homophonePlan(found, readings) {
  if (!found.length) return null;
  var parts = [];
  for (var i = 0; i < found.length; i++) {
    var chars = Array.from(found[i][1]);
    if (found[i][0] !== "cjk" || chars.some(function (ch) { return !readings.get(ch); })) return null;
    parts.push(syllablePart(chars.map(function (ch) { return readings.get(ch); })));
  }
  return makePlan(parts);
}

function spell(plan, spellings) {
  var words = [];
  for (var i = 0; i < plan.runs.length; i++) {
    var word = "";
    for (var j = 0; j < plan.runs[i].length; j++) {
      var text = spellings.get(plan.runs[i][j]) || "";
      if (!text) return "";
      word = word ? word + Array.from(text).slice(1).join("") : text;
    }
    words.push(word);
  }
  return words.join(" ");
}

module.exports = { segment: segment, segmentations: segmentations, textPlan: textPlan, pinyinPlans: pinyinPlans,
  pinyinPlan: pinyinPlan, homophonePlan: homophonePlan, spell: spell };
