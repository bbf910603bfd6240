// Ranks queries with the script the site serves against the site's exported index.
// usage: node tests/js/rank.js SITE/search < queries.json
//   -> [{query, stage, suggestion, hits: [[id, units]...], files}]
const fs = require("node:fs");
const { shippedClient, coldSearcher } = require("./site.js");

const folder = process.argv[2];
const search = shippedClient(folder);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));

(async () => {
  const out = [];
  for (const query of queries) {
    const fetched = [];  // a fresh searcher per query: a cold visitor
    const searcher = coldSearcher(search, folder, fetched);
    const result = await searcher.rank(query);
    await searcher.details(result.hits.slice(0, 10).map((h) => h.id), result);
    out.push({ query, stage: result.stage, suggestion: result.suggestion, hits: result.hits.map((h) => [h.id, h.units]), files: fetched });
  }
  process.stdout.write(JSON.stringify(out));
})();
