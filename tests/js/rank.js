// Ranks queries with the browser client's own code against an exported index on disk.
// usage: node tests/js/rank.js SITE/search < queries.json  ->  [{hits: [[id, units]...], partial}]
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const search = require(path.join(__dirname, "..", "..", "static", "search.js"));

const folder = process.argv[2];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const searcher = search.createSearcher((file) => Promise.resolve(zlib.gunzipSync(fs.readFileSync(path.join(folder, file)))));

(async () => {
  const out = [];
  for (const query of queries) {
    const result = await searcher.rank(query);
    out.push({ query, partial: result.partial, hits: result.hits.map((h) => [h.id, h.units]) });
  }
  process.stdout.write(JSON.stringify(out));
})();
