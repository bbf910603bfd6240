// The export's binary forms: the hash that names a term's shard, and a shard's terms.
"use strict";

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

module.exports = { fnv1a: fnv1a, readShard: readShard };
