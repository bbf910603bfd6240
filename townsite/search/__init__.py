"""Prebuilt Chinese-aware search: the build makes a static, sharded export that the browser
queries; Whoosh is the index of record (made on demand by `townsite search`), with the same
tokens and the same ranking."""
