// Ranks queries with the browser client's own code against an exported index on disk.
// usage: node tests/js/rank.js SITE/search < queries.json
//   -> [{query, stage, suggestion, hits: [[id, units]...], requests}]
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const search = require(path.join(__dirname, "..", "..", "static", "search.js"));

const folder = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
// The version a search page carries (it names the shard count); read here, not fetched.
const version = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(folder, "manifest.bin")))).version;

(async () => {
  const out = [];
  for (const query of queries) {
    const fetched = [];  // a fresh searcher per query: a cold visitor
    const searcher = search.createSearcher((file) => {
      fetched.push(file);
      return Promise.resolve(zlib.gunzipSync(fs.readFileSync(path.join(folder, file))));
    }, version);
    const result = await searcher.rank(query);
    await searcher.details(result.hits.slice(0, 10).map((h) => h.id), result);
    out.push({ query, stage: result.stage, suggestion: result.suggestion, hits: result.hits.map((h) => [h.id, h.units]), files: fetched });
  }
  process.stdout.write(JSON.stringify(out));
})();
