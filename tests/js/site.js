// What tests/js's tools share: the script a built site serves (SITE/static/search.<digest>.js,
// the bundle of static/search.js/) and a cold searcher over the site's export on disk.
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

// `folder` is SITE/search.
function shippedClient(folder) {
  const statics = path.join(folder, "..", "static");
  const shipped = fs.readdirSync(statics).filter((name) => /^search\.[0-9a-f]{10}\.js$/.test(name));
  if (shipped.length !== 1) throw new Error(`one search script expected in ${statics}, found ${shipped}`);
  return require(path.join(statics, shipped[0]));
}

// A searcher with an empty cache (a cold visitor) that records the files it fetches in `fetched`.
function coldSearcher(search, folder, fetched) {
  // The version a search page carries (it names the shard count); read here, not fetched.
  const version = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(folder, "manifest.bin")))).version;
  return search.createSearcher((file) => {
    fetched.push(file);
    return Promise.resolve(zlib.gunzipSync(fs.readFileSync(path.join(folder, file))));
  }, version);
}

module.exports = { shippedClient, coldSearcher };
