// Fetching and ranking: the stages of townsite/search/query.py over the export's files,
// scored exactly as the build's Whoosh index scores (integer units, ties to the lower id).
"use strict";

var decode = require("./decode"), plans = require("./plans"), traditional = require("./traditional");
var fnv1a = decode.fnv1a, readShard = decode.readShard;
var pinyinPlans = plans.pinyinPlans, homophonePlan = plans.homophonePlan, spell = plans.spell;
var cjkChars = traditional.cjkChars, converting = traditional.converting, isTraditional = traditional.isTraditional;
var commonConversions = traditional.commonConversions;
var CHAR_SHARDS = 64;  // export.CHAR_SHARDS

// Whole matches of `plan`: every group met; entries whose titles meet every group first.
function combine(plan, postings, whole) {
  var scores = new Map(), titles = new Map(), has = new Map(), inTitle = new Map();
  plan.terms.forEach(function (t) {
    var p = postings.get(t);
    if (!p) return;
    for (var i = 0; i < p.ids.length; i++) {
      var id = p.ids[i];
      scores.set(id, (scores.get(id) || 0) + p.units[i]);
      if (!has.has(id)) { has.set(id, new Set()); inTitle.set(id, new Set()); }
      has.get(id).add(t);
      if (p.title[i]) { inTitle.get(id).add(t); titles.set(id, (titles.get(id) || 0) + p.title[i]); }
    }
  });
  function meets(set) {
    return plan.groups.every(function (g) { return g.some(function (t) { return set.has(t); }); });
  }
  var hits = [];
  scores.forEach(function (units, id) {
    if (whole && !meets(has.get(id))) return;
    var title = whole && meets(inTitle.get(id)) ? titles.get(id) || 0 : 0;
    hits.push({ id: id, units: units, title: title });
  });
  hits.sort(function (a, b) { return (!a.title - !b.title) || b.title - a.title || b.units - a.units || a.id - b.id; });
  return hits;
}

// load(path) resolves to the inflated bytes of a file under search/; `version` is the
// export's (export.export_version), which ends with its shard count.
function createSearcher(load, version) {
  var manifestPromise = null, cache = new Map(), known = null, common = null;
  var shards = Number(String(version).split("-").pop());

  function json(path) {
    return cached(path).then(function (bytes) { return JSON.parse(new TextDecoder().decode(bytes)); });
  }

  function cached(path) {
    if (!cache.has(path)) cache.set(path, load(path));
    return cache.get(path);
  }

  function manifest() {
    if (!manifestPromise) {
      manifestPromise = json("manifest.bin").then(function (m) {
        known = new Set(m.syllables.split(" "));
        common = commonConversions(m.t2s);
        return m;
      });
    }
    return manifestPromise;
  }

  // term -> postings, for the terms of `plan` (fetching the shards not yet fetched).
  function postingsFor(plan, into) {
    var numbers = new Set(), wanted = new Set(plan.terms);
    plan.terms.forEach(function (t) { numbers.add(fnv1a(t) % shards); });
    return Promise.all(Array.from(numbers).map(function (n) { return cached("t/" + n + ".bin"); })).then(function (blobs) {
      blobs.forEach(function (bytes) { readShard(bytes, wanted).forEach(function (p, t) { into.set(t, p); }); });
      return into;
    });
  }

  // char -> [simplified or "", reading] for `chars` (a Set), from their c/ files.
  function charData(chars) {
    var numbers = new Set();
    chars.forEach(function (ch) { numbers.add(ch.codePointAt(0) % CHAR_SHARDS); });
    return Promise.all(Array.from(numbers).map(function (n) { return json("c/" + n + ".bin"); })).then(function (shards) {
      var data = new Map();
      shards.forEach(function (shard) { chars.forEach(function (ch) { if (shard[ch]) data.set(ch, shard[ch]); }); });
      return data;
    });
  }

  // char -> [simplified, reading or ""] for `flagged` (a Set of characters isTraditional
  // flags): the manifest's table of the conversions the site's text makes likely, and the
  // c/ files of the characters it leaves out (rare ones: their simplified forms are in few
  // or no documents).
  function conversions(flagged) {
    if (!flagged.size) return Promise.resolve(new Map());
    return manifest().then(function () {
      var data = new Map(), rest = new Set();
      flagged.forEach(function (ch) { if (common.has(ch)) data.set(ch, [common.get(ch), ""]); else rest.add(ch); });
      if (!rest.size) return data;
      return charData(rest).then(function (more) {
        more.forEach(function (entry, ch) { data.set(ch, entry); });
        return data;
      });
    });
  }

  // The manifest (facets, syllables, common conversions) is fetched alongside the first
  // shards, not before them, unless the query has traditional characters.
  function rank(query) {
    var m = manifest();
    return stages(query).then(function (result) {
      return m.then(function (loaded) { result.manifest = loaded; return result; });
    });
  }

  // The stages of query.search: text, pinyin, homophone, partial. The characters the client
  // knows to be traditional (isTraditional) are converted before the text is searched
  // (conversions); the data of the others (readings, and conversions outside the blocks it
  // knows) is fetched only once the text found nothing whole, so ordinary queries never pay
  // for it.
  function stages(query) {
    var postings = new Map(), chars = cjkChars(query);
    var flagged = new Set(Array.from(chars).filter(isTraditional));
    function result(stage, plan, hits, extra) {
      var out = { stage: stage, plan: plan, hits: hits, query: query, converted: "", suggestion: "",
        spellings: new Map(), postings: postings };
      postings.forEach(function (p, t) { if (p.spelling) out.spellings.set(t, p.spelling); });
      return Object.assign(out, extra || {});
    }
    function whole(plan) {
      return postingsFor(plan, postings).then(function () { return combine(plan, postings, true); });
    }
    function firstWhole(plans) {  // the first plan with whole matches, tried in turn
      if (!plans.length) return Promise.resolve(null);
      return whole(plans[0]).then(function (hits) {
        return hits.length ? { plan: plans[0], hits: hits } : firstWhole(plans.slice(1));
      });
    }
    return conversions(flagged).then(function (first) {
      var early = converting(query, first), text = early.plan;
      if (!text.terms.length) return result("none", text, []);
      return whole(text).then(function (hits) {
        if (hits.length) return result("whole", text, hits, { converted: early.converted });
        return Promise.all([charData(chars), manifest()]).then(function (loaded) {
          var late = converting(query, loaded[0]), plan = late.plan, converted = late.converted;
          var again = converted && converted !== early.converted;  // a character outside the known blocks
          return (again ? whole(plan) : Promise.resolve([])).then(function (hits) {
            if (hits.length) return result("whole", plan, hits, { converted: converted });
            return firstWhole(pinyinPlans(query, known)).then(function (pinyin) {
              if (pinyin) return result("pinyin", pinyin.plan, pinyin.hits);
              var sounds = homophonePlan(late.found, late.readings);
              return (sounds ? whole(sounds) : Promise.resolve([])).then(function (hits) {
                if (hits.length) {
                  var r = result("homophone", sounds, hits), meant = spell(sounds, r.spellings);
                  r.suggestion = meant !== late.typed ? meant : "";
                  return r;
                }
                hits = combine(plan, postings, false);
                return result(hits.length ? "partial" : "none", plan, hits, { converted: converted });
              });
            });
          });
        });
      });
    });
  }

  // The ids' records: from the shards of the result's terms whose top entries include them
  // (the terms covering the most first, so one term's passages serve as many as they can);
  // the rest from d/ files.
  function details(ids, result) {
    var left = new Set(ids), records = new Map(), tops = [];
    (result ? result.plan.terms : []).forEach(function (term) {
      var p = result.postings.get(term);
      if (p && p.records.size) tops.push(p.records);
    });
    while (left.size && tops.length) {
      var best = 0, bestCount = 0;
      tops.forEach(function (top, i) {
        var count = 0;
        left.forEach(function (id) { if (top.has(id)) count++; });
        if (count > bestCount) { best = i; bestCount = count; }
      });
      if (!bestCount) break;
      var chosen = tops.splice(best, 1)[0];
      Array.from(left).forEach(function (id) {
        if (chosen.has(id)) { records.set(id, chosen.get(id)); left.delete(id); }
      });
    }
    return Promise.all(ids.map(function (id) {
      if (records.has(id)) return records.get(id);
      return json("d/" + id + ".bin").then(function (chunk) { return chunk[0]; });
    }));
  }

  return { manifest: manifest, rank: rank, details: details, conversions: conversions };
}

module.exports = { combine: combine, createSearcher: createSearcher };
