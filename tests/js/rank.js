// Ranks queries with the script the site serves (SITE/static/search.<digest>.js, the bundle
// of static/search.js/) against the site's exported index.
// usage: node tests/js/rank.js SITE/search < queries.json
//   -> [{query, stage, suggestion, hits: [[id, units]...], files}]
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const folder = process.argv[2];
const statics = path.join(folder, "..", "static");
const shipped = fs.readdirSync(statics).filter((name) => /^search\.[0-9a-f]{10}\.js$/.test(name));
if (shipped.length !== 1) throw new Error(`one search script expected in ${statics}, found ${shipped}`);
const search = require(path.join(statics, shipped[0]));
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
