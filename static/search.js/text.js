// Text as search reads it: normalization, runs of CJK characters or words, index tokens.
// The same rules as townsite/search/analysis.py (checked against tests/search_vectors.json).
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

// [kind, run] for each maximal run ("cjk" or "word"), as analysis.runs; `convert` maps a
// traditional character to its simplified form (the characters the browser knows of).
function runs(text, convert) {
  var out = [], run = [], runClass = 0;
  var chars = Array.from(normalize(text)).map(function (ch) { return (convert && convert.get(ch)) || ch; });
  chars.push(" ");
  for (var i = 0; i < chars.length; i++) {
    var cls = charClass(chars[i]);
    if (cls !== runClass || cls === 0) {
      if (run.length) out.push(runClass === 2 ? ["word", run.slice(0, MAX_WORD).join("")] : ["cjk", run.join("")]);
      run = [];
    }
    runClass = cls;
    if (cls) run.push(chars[i]);
  }
  return out;
}

function pairs(units, join) {
  var out = [];
  for (var i = 0; i + 1 < units.length; i++) out.push(join(units[i], units[i + 1]));
  return out;
}

function cjkTokens(run) {
  var chars = Array.from(run);
  if (chars.length === 1) return chars;
  return pairs(chars, function (a, b) { return a + b; }).concat(chars);
}

// Index tokens, as analysis.tokenize (checked against the shared vectors).
function tokenize(text, convert) {
  var tokens = [];
  runs(text, convert).forEach(function (r) {
    if (r[0] === "word") tokens.push(r[1]);
    else tokens.push.apply(tokens, cjkTokens(r[1]));
  });
  return tokens;
}

module.exports = { normalize: normalize, runs: runs, pairs: pairs, tokenize: tokenize };
