// The browser's rules against the vectors the Python side is checked against too: tokens,
// traditional -> simplified, pinyin segmentation and query plans.
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const search = require(path.join(__dirname, "..", "..", "static", "search.js"));

const shared = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "search_vectors.json"), "utf8"));
const known = new Set(shared.syllables);

function maps(chars) {
  const convert = new Map(), readings = new Map();
  for (const [ch, entry] of Object.entries(chars)) {
    if (entry[0]) convert.set(ch, entry[0]);
    if (entry[1]) readings.set(entry[0] || ch, entry[1]);
  }
  return { convert, readings };
}

const plain = (plan) => (plan ? { terms: plan.terms, groups: plan.groups } : null);

for (const vector of shared.vectors) {
  test(`tokenize ${JSON.stringify(vector.input).slice(0, 30)}`, () => {
    // The index side is converted by the build; the vectors' inputs that need it carry it.
    const chars = (shared.conversions.find((c) => c.input === vector.input) || {}).chars;
    const convert = chars ? maps(chars).convert : undefined;
    assert.deepStrictEqual(search.tokenize(vector.input, convert), vector.tokens);
  });
}

for (const vector of shared.conversions) {
  test(`convert ${vector.input}`, () => {
    assert.deepStrictEqual(search.runs(vector.input, maps(vector.chars).convert), vector.runs);
  });
}

test("pinyin segmentation", () => {
  for (const vector of shared.segments) assert.deepStrictEqual(search.segment(vector.letters, known), vector.syllables, vector.letters);
});

test("pinyin splits tried in turn", () => {
  for (const vector of shared.splits) assert.deepStrictEqual(search.segmentations(vector.letters, known), vector.splits, vector.letters);
});

for (const vector of shared.plans) {
  test(`plans of ${vector.query}`, () => {
    const { convert, readings } = maps(vector.chars);
    assert.deepStrictEqual(plain(search.textPlan(vector.query)), vector.text);
    assert.deepStrictEqual(plain(search.pinyinPlan(vector.query, known)), vector.pinyin);
    assert.deepStrictEqual(plain(search.homophonePlan(search.runs(vector.query, convert), readings)), vector.homophone);
  });
}

test("fnv1a matches the Python hash of the export", () => {
  // Values from townsite.search.export.fnv1a.
  assert.strictEqual(search.fnv1a("玫瑰"), 853620419);
  assert.strictEqual(search.fnv1a(""), 0x811c9dc5);
});

test("highlight marks the query's tokens on the original text", () => {
  const parts = search.highlight("西吉ＰＰＰ项目", ["ppp", "西吉"]);
  assert.deepStrictEqual(parts, [["西吉ＰＰＰ", true], ["项目", false]]);
});

test("the excerpt is the sentence with the most matched words, cut around them", () => {
  const doc = { summary: "一个摘要。", text: "第一句没有。" + "很长的铺垫".repeat(30) + "在四川宜宾召开峰会。最后一句。" };
  const text = search.excerpt(doc, ["宜宾"], 40);
  assert.ok(text.includes("宜宾"), text);
  assert.ok(Array.from(text).length <= 42, text);
  assert.strictEqual(search.excerpt(doc, ["没有的词"], 40), "一个摘要。");
});
