// The conversions the script the site serves makes of traditional characters before it
// searches (its searcher's `conversions`), from the site's export.
// usage: node tests/js/convert.js SITE/search < chars.json
//   -> {flagged: [characters the script knows to be traditional], conversions: {char: simplified},
//       files: [what it fetched]}
const fs = require("node:fs");
const { shippedClient, coldSearcher } = require("./site.js");

const folder = process.argv[2];
const search = shippedClient(folder);
const chars = JSON.parse(fs.readFileSync(0, "utf8"));

(async () => {
  const fetched = [];
  const flagged = chars.filter((ch) => search.isTraditional(ch));
  const data = await coldSearcher(search, folder, fetched).conversions(new Set(flagged));
  const conversions = Object.fromEntries(Array.from(data, ([ch, entry]) => [ch, entry[0]]));
  process.stdout.write(JSON.stringify({ flagged, conversions, files: fetched }));
})();
