"""The static export the browser searches: everything under search/ in the site.

* `manifest.bin`: facet vocabularies, every document's facets (a column each), the pinyin syllables (to
  split typed pinyin as the build does) and the traditional -> simplified conversions of the
  characters the site's text makes likely in a query (chinese.common_conversions); counts, for
  tools.
* `t/<n>.bin`: term shards. A term lives in shard fnv1a(term) % shard_count; the shard count
  ends the export's version (the search page carries it), so a query fetches its terms' shards
  at once, the manifest alongside. Each term has its usual spelling (pinyin terms; else empty)
  and postings: document id deltas, score units, title score units. The score units are the
  term's score in that document, summed over fields, exactly as Whoosh scores it (see
  scoring.py); the title's share ranks entries whose titles cover the query. After the terms,
  their top entries with passages (records.py): the results a query shows come with its
  postings, with no request of their own.
* `c/<n>.bin`: per-character data (chinese.char_data), fetched only for the characters of a
  query that found nothing whole (readings for homophones), and for a rare traditional
  character the manifest does not convert: traditional -> simplified, and readings.
* `d/<id>.bin`: what a result shows (title, kind, URL, when/where, summary, the text excerpts
  are chosen from), one document per file, fetched only for shown hits no term's records cover.

All files are gzip (libdeflate's, whose header has no time or name, so the bytes are
reproducible) and the client inflates them: static hosts do not set Content-Encoding for us."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from operator import itemgetter, sub

import deflate

from .chinese import char_data, common_conversions, data_versions, syllables
from .documents import KIND_LABELS, SearchDoc, pinyin_spellings
from .postings import Postings, postings_of
from .records import MIN_DF, TOP_K, inert_json, shard_records
from .scoring import SCALE

FORMAT_VERSION = 5
CHARS_PER_SHARD = 1000  # about 600 postings
MAX_SHARDS = 4096
META_CHUNK = 1  # the browser asks for d/<id>.bin
CHAR_SHARDS = 64
# libdeflate compresses a whole buffer at once: at level 6 in 45% of zlib's time at its level 6,
# and 0.6% smaller (5,000 entries: 0.84 s against 1.89 s, 19.06 against 19.16 MB). Level 9 costs
# 70% more time for 0.3% fewer bytes.
GZIP_LEVEL = 6

__all__ = ["export_search", "export_version", "fnv1a", "postings_of"]


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


@cache
def _small() -> list[bytes]:
    """The encodings of 0 to 2**16 - 1: nearly every number in a shard (document id gaps, score
    units) is one of them, and is looked up instead of computed, in C."""
    one = [bytes((n,)) for n in range(1 << 7)]
    two = [bytes((n & 0x7F | 0x80, n >> 7)) for n in range(1 << 7, 1 << 14)]
    three = [bytes((n & 0x7F | 0x80, n >> 7 & 0x7F | 0x80, n >> 14)) for n in range(1 << 14, 1 << 16)]
    return one + two + three


def varints(numbers: Sequence[int]) -> bytes:
    small = _small()
    try:
        return b"".join(map(small.__getitem__, numbers))
    except IndexError:  # a number beyond the table
        return b"".join([small[n] if n < len(small) else _encoded(n) for n in numbers])


def gz(data: bytes) -> bytes:
    return bytes(deflate.gzip_compress(data, GZIP_LEVEL))


def export_version(docs: list[SearchDoc]) -> str:
    """Changes with anything the export is made from, so the client's cache never mixes builds;
    known before exporting, so pages can be rendered while the export is still being made.
    Ends with `-<shard count>`: what the browser needs to find a term's shard."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION} scale {SCALE} libdeflate {GZIP_LEVEL} {data_versions()}".encode())
    for doc in docs:
        digest.update(doc.digest.encode())
    return f"{digest.hexdigest()[:12]}-{shard_count_of(docs)}"


def shard_count_of(docs: list[SearchDoc]) -> int:
    """Known from the texts' length (which the postings grow with) before anything is indexed,
    so the version carries it (see export_version) and the browser fetches a query's shards
    straight away, without asking the manifest first."""
    chars = sum(len(text) for doc in docs for text in doc.texts.values())
    return max(1, min(MAX_SHARDS, round(chars / CHARS_PER_SHARD)))


def encode_shard(terms: list[tuple[str, Postings]], spellings: dict[str, str]) -> bytes:
    out = bytearray()
    for term, plist in sorted(terms, key=itemgetter(0)):
        for text in (term, spellings.get(term, "")):
            encoded = text.encode("utf-8")
            varint(len(encoded), out)
            out += encoded
        varint(len(plist), out)
        ids = plist.ids
        out += varints([ids[0], *map(sub, ids[1:], ids)])  # gaps
        out += varints(plist.units)
        last = 0  # the titles: zeros (one byte each) but for the few titled postings
        for position, units in plist.in_title:
            out += bytes(position - last)
            varint(units, out)
            last = position + 1
        out += bytes(len(plist) - last)
    return bytes(out)


# One character a document in each facet column: an index into the facet's values. Columns of
# characters compress to about half of per-document JSON arrays (the manifest grows with the
# entries and comes with every query).
FACET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
NO_VALUE = "."


def _facets(docs: list[SearchDoc]) -> dict:
    """Vocabularies, then columns: `kind` and `province` (NO_VALUE: none) one character per
    document, and for each program a column of "1" (the document has it) and "0"."""
    kinds = list(KIND_LABELS)
    provinces = sorted({d.province for d in docs if d.province})
    programs = sorted({p for d in docs for p in d.programs})
    if max(len(kinds), len(provinces)) > len(FACET_ALPHABET):
        raise ValueError(f"more than {len(FACET_ALPHABET)} values in a facet")  # provinces: 34
    at = {value: FACET_ALPHABET[i] for i, value in enumerate(provinces)}
    return {
        "kinds": kinds,
        "provinces": provinces,
        "programs": programs,
        "kind": "".join(FACET_ALPHABET[kinds.index(doc.kind)] for doc in docs),
        "province": "".join(at.get(doc.province, NO_VALUE) for doc in docs),
        "program": ["".join("1" if name in doc.programs else "0" for doc in docs) for name in programs],
    }


@cache
def _char_files(prefix: str) -> dict[str, bytes]:
    """The c/ files: the same for every build with the same OpenCC and pypinyin, so made once."""
    return {f"{prefix}c/{n}.bin": gz(inert_json(chars)) for n, chars in char_data(CHAR_SHARDS).items()}


def _conversions(postings: dict[str, Postings]) -> str:
    """The manifest's conversions, by how many documents hold each simplified character (its
    postings as a one-character term)."""
    return common_conversions(lambda ch: len(postings[ch]) if ch in postings else 0)


def export_search(docs: list[SearchDoc], prefix: str = "search/") -> tuple[dict[str, bytes], str]:
    """The export's files and its version (a digest of all of them)."""
    postings, stats = postings_of(docs)
    spellings = pinyin_spellings(docs)
    shard_count = shard_count_of(docs)
    shard_of = {term: fnv1a(term) % shard_count for term in postings}
    shards: dict[int, list[tuple[str, Postings]]] = defaultdict(list)
    for term, plist in postings.items():
        shards[shard_of[term]].append((term, plist))
    records = shard_records(docs, postings, spellings, shard_of.__getitem__)
    outputs: dict[str, bytes] = {}
    for number in range(shard_count):
        terms = encode_shard(shards.pop(number, []), spellings)
        head = bytearray()
        varint(len(terms), head)
        outputs[f"{prefix}t/{number}.bin"] = gz(bytes(head) + terms + records.pop(number, b""))
    outputs.update(_char_files(prefix))
    for start in range(0, len(docs), META_CHUNK):
        chunk = [doc.display for doc in docs[start : start + META_CHUNK]]
        outputs[f"{prefix}d/{start // META_CHUNK}.bin"] = gz(inert_json(chunk))
    version = export_version(docs)
    manifest = {
        "format": FORMAT_VERSION,
        "version": version,
        "docCount": stats.doc_count,
        "shards": shard_count,
        "charShards": CHAR_SHARDS,
        "chunk": META_CHUNK,
        "recordTop": TOP_K,
        "recordMinDf": MIN_DF,
        "scale": SCALE,
        "syllables": " ".join(sorted(syllables())),
        "t2s": _conversions(postings),
        "facets": _facets(docs),
    }
    outputs[f"{prefix}manifest.bin"] = gz(inert_json(manifest))
    return outputs, version
