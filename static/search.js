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

  // Pinyin, as chinese.segment / syllable_terms / initials_terms.
  var SYLLABLE = "~", INITIAL = "^", MAX_PINYIN_LETTERS = 60, INITIALS = "bpmfdtnlgkhjqxzcsryw";
  var CHAR_SHARDS = 64;  // export.CHAR_SHARDS

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

  // The CJK characters of `query`, normalized.
  function cjkChars(query) {
    var chars = new Set();
    runs(query).forEach(function (r) { if (r[0] === "cjk") Array.from(r[1]).forEach(function (ch) { chars.add(ch); }); });
    return chars;
  }

  // The query's runs, plan and typed form with the characters of `data` converted, and the
  // readings `data` gives; `converted` is the typed form when anything was converted.
  function converting(query, data) {
    var convert = new Map(), readings = new Map();
    data.forEach(function (entry, ch) {
      if (entry[0]) convert.set(ch, entry[0]);
      if (entry[1]) readings.set(entry[0] || ch, entry[1]);
    });
    var found = runs(query, convert), typed = found.map(function (r) { return r[1]; }).join(" ");
    var converted = typed !== runs(query).map(function (r) { return r[1]; }).join(" ") ? typed : "";
    return { found: found, typed: typed, converted: converted, readings: readings,
      plan: converted ? textPlan(query, convert) : textPlan(query) };
  }

  // Which characters of U+3400-U+9FFF OpenCC's t2s converts (chinese.traditional_bits: one bit
  // per code point, base64; checked against the build's table by tests/test_search_analysis.py):
  // such a character's c/ file is fetched before the text is searched, not after a failed try.
  var TRADITIONAL_FROM = 0x3400, TRADITIONAL_BITS = "AAAAAAAAAAAAAAAAAMBIAAAACAAAAAAAEAAAAAABAAAACAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAEgAACGAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAAAAAEICBAAQAgAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAQAgAAACAAAAAAAAAAAAAAAAACAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAQABIAAAAAAAAAAAAAAAAAAAAAAAAAAgACAAQAAAoAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIAAAAAAQEAAAAAAAAAAACAAAAAAAICAAAAAAAAAAAAAAAAAAAAgAIAAEAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwACAAAAAAAIAAAAAAAIAAAAAAAQACABAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAQAAAAgAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAgAQRAAAAAAAACCABAgAEAZAAACaAAlAoCAAAQAAAAAAUAAAIAAAAAIAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAAAAAAAAAAAAAAAAAAAABAACAAgAAAAAAAAACAAAAAAAACAAAAAAAAAAAAAABAAAgACAAAAAAAAAgAAEAAAAAAACAABAEAAAAAAAAAAAAAAIAAYAAkIAAAAAABIAAEAAAAAAEAAAAAAAAIAAAABAAACIAAAAAAAAAEAAAAAAAAAAAAAAAAAABAAAACQAKIAAIICAAAAAIkAgAgAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAISAAQAAEEAFAACAAABQSAAACGGAAAAACQASAAAAAIAQAABgAQgJQAEAAAAQAAAAAAAAAAAAAEADAAACgBCBISIAQAEAAAEAAAAAEJQIAAAACgAAABASIAAAAAAAABgAAAAgAAAABAAAAAAAAAAAAAAAAIBAAAAAAAAAAAAAAEAEAABCAAAAAAAAAAAAAAAAAAAAAAAAAACAARAAAAAgAEAAQAAAAMAABgAYACEQAABBC0IAAAgEAAACAgAAADAgABBCAwSguEAkAiJAMAECAhdDMYEIJIQdgBCEAIACAAAABAIAAAQAAAAhABIAAAIAAAAAACAEAACQSIAoAECwQJi2AgQAAAAAAgAiagwCKgkAAAAAAKACAAEAEAAAAAAqAAAAAhEgFAAYAAAABAAAAAAABAAAAEgABAAAAAAAAAAAAAAAAAAAEAAAAAACgAAAEAAIAAAAAAEAgAjABAAAAABAAAQAXAQAwEQABAACQQJAINgQAMYpJSIACGRhgBQDgRAhCuBBXCAvEwYAAAQAAIAoTEEAAAAAAAAAAAAAAAAAAAAAAAAACAAAAAACEYEAIARAJACAEgAAjIQEFAAggwAEABABQE1IgEmI1w2GADQAAAAAJQAAQAAAAQCAVgAQAAAAIAAAAAAAIAAAQAAAAAAAAAoAAAAAAgAAAEIgAAAAAQAAgIABMAAIgAAAACCMiRkAAloEAQnYWAAAAAgAyQAAAAAAQAAAAQAAAMUaYACAaQAAAACAAEAgCBAUEwAAAAAAAAIAAAAAAAAAAIBQIAAgggIEEAAAAACBAAAAAHCSAZABhUEANwAM1AEAAAECAAAAACAISAAJAIihCBqAQgAAAAAACAAAFkEg5I8SCAAAABQAAACoAFhREAIhCASAABACQAECIIIAAAAAAAAAAAAAAAAAAAAAQAAAACAAAAAgAABAAABgIAAAAAACAAYIAAAAGAABkEgQKACFGExIVAQERwQUSEQDgXIAwBgBxFWBABAAgAJHAAAAAEAAAAAAAAAAAAAAAAAACAAEAAAAAAAAAAAAAgJAAAAAAAAJBgBYAIAOAgAAAAEAAAwAwAAAACDAAIAAYAAACAOQAIBIDACFCaCoCAzIkgwYhAuYl3xQiFA6HBQAAABAiAEAACABbAAgAAAQgBEEAAAACAAAAIAAAAAAAAAABAIAKAAAAAAAAwEBBAgAANCGQAAhEQABCAAAAKBAAAAAAAAAAAACAAAAAAAAABAAAAAAAAAAIAwAAAAAAAAAAAAAAAAAAAKAAABQsQAABAAQBMCAggBEAACAAAAAAAQAgAQIAAAhIAAAAAABQEQEgAAoCACQSUgQJgAKQp0ICIcACQCABIgAAAICEJAM4CgJKCAI7KEdCgmwpE9BAAAAIABAAYACAISBAAAAQRTpBRxBBAAAAAAAgAQRAAAIOAhAAEAAAgAAAAQAAEQAAAAAAAIAACAAAAAAAAAAAAACQAAAAAAAAAAAgoAAgAAAAAAQAAAEBCAHYAQAAAAKRBAAQAAMAECAgAAAAAFAIAJICBAwUAACAJCEyQIkAAQMECSBAgAyDhiAgYDhAIEAUVoCQFoAIJ2QCAPU7IogocEBBUAYICYjmgIAIAAAAAAAAAAEAIAAAAAAEAAAAAAAAgAAAIACBAIkEgIAJBKMBAIAB0ADA0SSQDBQWJggQQigIAREQQAAAQAAECAAAEBIhAAAAAEAAAAAAAAiABAAAgAAQAg6RAAAAE+nHQMAAAAAAAAAAAAAAAAAAFAAAAAAAAAChAAIBAAYBgQoAAagIEqIIfEwhDAMAAAAAAAQIAAMAAAAAAAAIAQIYRCABAAAAAAAAAAAAAIBQABABCgIQIJABgzEAgWBtnIHEAIAAIQAAAEFCAAAUJoFAAAAAABgIAAAQACgAFAAAAAAAAAAURAAQBCAAgoEAIAAAAAAAAAAAAAACAAAEBCBAAAAACACACIANQAAAgSJgABgEEAFAkBcAgAAACAAAAAAgABgIABCRAOAAAEAAAAAAAAggQCQAEACAIFwAAAHKgAAAAAAAADGYASwBQAEAARCAAAAAAAAAAAAQCAAAIAAEACAiAAEAAAAABEKEAEVAggBBSACQA4IAGIoGBCaEVYEAAAAAAAAACAAAAIAYIAAVUb9K/n/AlAvln9gIWrmBU8G29tL8I+8P++QLJ7nW9PXGwBvo+iI+P9nbIE9xAb/yfvCtfgVAAAAAAAAAAAAAAAAAAAAAAAAACAIUQAAAAChAGAJAAAoA2AAAAAEAAAYACIAAAAAAFAAAAAAQEAAgO1qIAAAAAAAAAAAAAAAAAAAACABAAgoCgACAEBAAEIMCAEIACBEBQIA4gCigIUlAQAEgAdAAQAAAAAAAAACWAiCAAAAAAAAAAAIAAAAAIAAAAAAAAAAAAAEAAAEAAAAAAAAAARAAIQAAAAAACAAAIAQAYAEAAAAEDAAAAIEIFCAgAAAIDlAACAAEEEIAACAwBAgEAAQQWigAIBCQCwhBCaIIEEVEoFAAjgGAGAAICAk0AbRDADEBCAAhEACIJiAgAAAAAAAAAAAAAAAAAAAAAAADEAAAAAAAAAAAQAggEABAAEQAABABEAAiBRBABEIkEwIYyATgkgBQkhABCgsAAAAAAAAAEAAAIAAAIQAMAIAACCAEAABAAAMCYGCyCERlDUAAMlICWKUhLYBAAAAAABQAQ7V7/ksJ1IcQ0T/aU9+r5D0OCZFex3d1pSqzvj+6N9Vd8bRLgO5CkNmxkrXAKmRYSFcbFQAAAAAAAAAAAAAAAAAAAAAAAAAgABBEQAAEGAAACCI4oef3b2/BS723zwxfLiv2xwAAAAAAAAAAAAQAAAAACACAAEEAAAAAAACAAAAAAABAAAAEQAAEDCAGQAIDARuLiViBAAAAb62uBAZhN+4D/z4ZNfI2fVmkYAfAAAAAAAAAEDgBAAAAAAAAAAQAAAAIAIIAAYAAEwwUgMCxhWShAEAAAAAAAAAAIAAACAAQAJUgIAiXQSAAQAAAAAAAAgAQNAIGEYAKwi9p9gDvMb7a/dI68Cd52Mvsmz1cMjtL6VKHWkfyhqukoWieedDE9eBJf93y0wx+y8UDTFyYVSUNVhvzvbtgcizg/V2AaFumOkdI+HPbLURFjZAKSSX8gYAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIAATfufYTo7ZvrIP39QNwAAAAAAAAAAAAAAAAAAYQgACSEARiIIEMUSCQAIQFoMAAQIAAACAIwAADBUAwA0wAEAAACAACBAAABgSjoIfgEAAIju9Z8RU2i1K2zwnEusmBsAAAAAAADhy11RCQAIba528DjX/l3CPerVKh+G0QUAAAAAAAAAAPAaEgpGP++WLkOZPvZS9pFs81k//KiOdA0AAAAAAAAAgAAAAIB0AABAAABAIEAEpUMCAgBAAI1kgbAke20P9FvsaYXTBvRolh3T6E6/L5j5a+5+9QfUpZ3hhAUAAAAAAAAAAAAAAACgEtxw6QK1+GjBnagOhA+0g96FQJAWzAVjtheeNwbZhnirnKeEnKJtAAAAAAAAAAAAACA2AACAACCfvDAIEABAAAHUoAQCIAAAABAAAMy0k8v21VAAYDsQAKAAAAIACAAAAAAA";
  var traditional = null;

  function isTraditional(ch) {
    if (!traditional) traditional = Uint8Array.from(atob(TRADITIONAL_BITS), function (c) { return c.charCodeAt(0); });
    var i = ch.codePointAt(0) - TRADITIONAL_FROM;
    return i >= 0 && i < traditional.length * 8 && (traditional[i >> 3] & (1 << (i & 7))) !== 0;
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash;
  }

  // A shard: the byte length of its terms, the terms, then (if any term has them) the records
  // of its terms' top entries as JSON (records.py). A term: [term, spelling, n, n doc-id
  // deltas, n score units, n title units]; strings are a varint byte length and UTF-8,
  // numbers varints. Each wanted term's postings get `records`: id -> what a result shows.
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
    function string() {
      var length = varint(), text = decoder.decode(bytes.subarray(pos, pos + length));
      pos += length;
      return text;
    }
    var end = varint();
    end += pos;
    while (pos < end) {
      var term = string(), spelling = string();
      var n = varint(), ids = new Array(n), units = new Array(n), title = new Array(n), doc = 0, i;
      for (i = 0; i < n; i++) ids[i] = doc += varint();
      for (i = 0; i < n; i++) units[i] = varint();
      for (i = 0; i < n; i++) title[i] = varint();
      if (wanted.has(term)) found.set(term, { ids: ids, units: units, title: title, spelling: spelling, records: new Map() });
    }
    if (end < bytes.length) {
      var records = JSON.parse(decoder.decode(bytes.subarray(end)));
      found.forEach(function (p, t) {
        (records.t[t] || []).forEach(function (pair) {
          var d = records.d[pair[0]];
          p.records.set(pair[0], { title: d[0], kind: d[1], url: d[2], when: d[3], passage: pair[1] });
        });
      });
    }
    return found;
  }

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
    var manifestPromise = null, cache = new Map(), known = null;
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

    // The manifest (facets, syllables) is fetched alongside the first shards, not before them.
    function rank(query) {
      var m = manifest();
      return stages(query).then(function (result) {
        return m.then(function (loaded) { result.manifest = loaded; return result; });
      });
    }

    // The stages of query.search: text, pinyin, homophone, partial. The characters the client
    // knows to be traditional (isTraditional) are converted before the text is searched; the
    // data of the others (readings, and conversions outside the blocks it knows) is fetched
    // only once the text found nothing whole, so ordinary queries never pay for it.
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
      return (flagged.size ? charData(flagged) : Promise.resolve(new Map())).then(function (first) {
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

    return { manifest: manifest, rank: rank, details: details };
  }

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

  var api = { tokenize: tokenize, runs: runs, textPlan: textPlan, pinyinPlan: pinyinPlan, segment: segment,
    segmentations: segmentations, pinyinPlans: pinyinPlans,
    homophonePlan: homophonePlan, fnv1a: fnv1a, readShard: readShard, createSearcher: createSearcher,
    applyFilters: applyFilters, highlight: highlight, excerpt: excerpt, markTerms: markTerms };
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
})(typeof globalThis !== "undefined" ? globalThis : this);
