"""The static export the browser searches: everything under search/ in the site.

* `manifest.bin`: counts, the shard count, facet vocabularies and every document's facets.
* `t/<n>.bin`: term shards. A term lives in shard fnv1a(term) % shard_count; a query fetches
  only the shards of its terms. Each posting is (document id delta, score units): the score of
  the term in that document, summed over fields, exactly as Whoosh scores it (see scoring.py).
* `d/<n>.bin`: result metadata, `chunk` documents per file, fetched only for shown hits.

All files are gzip (mtime 0, so the bytes are reproducible) and the client inflates them:
static hosts do not set Content-Encoding for us."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict

from .documents import FIELDS, KIND_LABELS, SearchDoc
from .scoring import K1, SCALE, B, Stats, quantized_length

FORMAT_VERSION = 1
TARGET_POSTINGS_PER_SHARD = 600
MAX_SHARDS = 4096
META_CHUNK = 4


def fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def varint(number: int, out: bytearray) -> None:
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)


def _encoded(number: int) -> bytes:
    out = bytearray()
    varint(number, out)
    return bytes(out)


# Most numbers in a shard (document id gaps, score units) are below 2**14: their encodings are
# looked up instead of computed, a posting at a time.
_SMALL = [_encoded(n) for n in range(1 << 14)]


def varints(numbers: list[int]) -> bytes:
    small, limit = _SMALL, len(_SMALL)
    return b"".join([small[n] if n < limit else _encoded(n) for n in numbers])


def gz(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def postings_of(docs: list[SearchDoc]) -> tuple[dict[str, list[tuple[int, int]]], Stats]:
    """term -> [(doc id, score units)] in doc id order. The arithmetic is whoosh.scoring.bm25's,
    operation for operation (so the floats are the same bits), with what does not change per
    posting hoisted out of the loop: idf per term, the length norm per document field."""
    counts = [doc.term_counts for doc in docs]
    stats = Stats.of(counts)
    boosts = dict(FIELDS)
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    idf_of = {field: {term: stats.idf(field, term) for term in stats.doc_freq[field]} for field, _ in FIELDS}
    k1_plus_1 = K1 + 1
    for doc_id, fields in enumerate(counts):
        per_term: dict[str, int] = defaultdict(int)
        for field, terms in fields.items():
            fl = quantized_length(sum(terms.values()))
            norm = K1 * ((1 - B) + B * fl / stats.avg_length[field])
            idfs, boost = idf_of[field], boosts[field]
            for term, tf in terms.items():
                idf = idfs[term]
                weight = float(tf * boost)
                per_term[term] += round(idf * ((weight * k1_plus_1) / (weight + norm)) * SCALE)
        for term, units in per_term.items():
            postings[term].append((doc_id, units))
    return postings, stats


def export_version(docs: list[SearchDoc]) -> str:
    """Changes with anything the export is made from, so the client's cache never mixes builds;
    known before exporting, so pages can be rendered while the export is still being made."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION} scale {SCALE}".encode())
    for doc in docs:
        digest.update(doc.digest.encode())
    return digest.hexdigest()[:12]


def shard_count_for(total_postings: int) -> int:
    return max(1, min(MAX_SHARDS, round(total_postings / TARGET_POSTINGS_PER_SHARD)))


def encode_shard(terms: list[tuple[str, list[tuple[int, int]]]]) -> bytes:
    out = bytearray()
    for term, plist in sorted(terms):
        encoded = term.encode("utf-8")
        varint(len(encoded), out)
        out += encoded
        varint(len(plist), out)
        ids = [doc_id for doc_id, _ in plist]
        out += varints([ids[0], *map(int.__sub__, ids[1:], ids)])  # gaps
        out += varints([units for _, units in plist])
    return bytes(out)


def _facets(docs: list[SearchDoc]) -> dict:
    kinds = list(KIND_LABELS)
    provinces = sorted({d.province for d in docs if d.province})
    programs = sorted({p for d in docs for p in d.programs})
    rows = []
    for doc in docs:
        mask = sum(1 << programs.index(p) for p in doc.programs)
        rows.append([kinds.index(doc.kind), provinces.index(doc.province) if doc.province else -1, mask])
    return {"kinds": kinds, "provinces": provinces, "programs": programs, "docs": rows}


def export_search(docs: list[SearchDoc], prefix: str = "search/") -> tuple[dict[str, bytes], str]:
    """The export's files and its version (a digest of all of them)."""
    postings, stats = postings_of(docs)
    shard_count = shard_count_for(sum(len(p) for p in postings.values()))
    shards: dict[int, list[tuple[str, list[tuple[int, int]]]]] = defaultdict(list)
    for term, plist in postings.items():
        shards[fnv1a(term) % shard_count].append((term, plist))
    outputs: dict[str, bytes] = {}
    for number in range(shard_count):
        outputs[f"{prefix}t/{number}.bin"] = gz(encode_shard(shards.get(number, [])))
    for start in range(0, len(docs), META_CHUNK):
        chunk = [doc.display for doc in docs[start : start + META_CHUNK]]
        outputs[f"{prefix}d/{start // META_CHUNK}.bin"] = gz(_json(chunk))
    version = export_version(docs)
    manifest = {
        "format": FORMAT_VERSION,
        "version": version,
        "docCount": stats.doc_count,
        "shards": shard_count,
        "chunk": META_CHUNK,
        "scale": SCALE,
        "facets": _facets(docs),
    }
    outputs[f"{prefix}manifest.bin"] = gz(_json(manifest))
    return outputs, version


def _json(value: object) -> bytes:
    # Escape < > & so the JSON is inert even if a host serves it as text/html.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode()
