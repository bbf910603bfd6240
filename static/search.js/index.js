/* townsite search client: tokenizes like townsite/search/analysis.py, fetches only the
   shards of the query's terms and the metadata of the hits it shows, ranks exactly as the
   build's Whoosh index does (integer scores, ties to the lower document id), and renders
   every result as text, never as HTML. No framework, no third-party requests.

   The modules of this folder are published as one script, /static/search.<digest>.js
   (townsite/jsbundle.py, minified); node loads them as they are (tests/js). */
"use strict";

var text = require("./text"), plans = require("./plans"), decode = require("./decode");
var searcher = require("./searcher"), results = require("./results"), traditional = require("./traditional");

var api = { tokenize: text.tokenize, runs: text.runs, textPlan: plans.textPlan, pinyinPlan: plans.pinyinPlan,
  segment: plans.segment, segmentations: plans.segmentations, pinyinPlans: plans.pinyinPlans,
  homophonePlan: plans.homophonePlan, fnv1a: decode.fnv1a, readShard: decode.readShard,
  createSearcher: searcher.createSearcher, applyFilters: results.applyFilters, highlight: results.highlight,
  excerpt: results.excerpt, markTerms: results.markTerms, isTraditional: traditional.isTraditional };
module.exports = api;
globalThis.TownsiteSearch = api;

if (typeof document !== "undefined") {
  var app = document.getElementById("search-app");
  if (app) require("./page").startUi(app);
}
