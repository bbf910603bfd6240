// The browser tokenizer against the vectors the Python tokenizer is checked against too.
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const search = require(path.join(__dirname, "..", "..", "static", "search.js"));

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "search_vectors.json"), "utf8")).vectors;

for (const vector of vectors) {
  test(`tokenize ${JSON.stringify(vector.input).slice(0, 30)}`, () => {
    assert.deepStrictEqual(search.tokenize(vector.input), vector.tokens);
  });
}

test("query terms are distinct, in first-seen order", () => {
  assert.deepStrictEqual(search.queryTerms("玫瑰 玫瑰小镇 玫瑰"), ["玫瑰", "瑰小", "小镇"]);
});

test("fnv1a matches the Python hash of the export", () => {
  // Values from townsite.search.export.fnv1a.
  assert.strictEqual(search.fnv1a("玫瑰"), 853620419);
  assert.strictEqual(search.fnv1a(""), 0x811c9dc5);
});

test("highlight marks the query's tokens on the original text", () => {
  const parts = search.highlight("西吉ＰＰＰ项目", ["ppp", "西吉"]);
  assert.deepStrictEqual(parts, [["西吉ＰＰＰ", true], ["项目", false]]);
});
