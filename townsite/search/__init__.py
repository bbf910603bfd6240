"""Prebuilt Chinese-aware search: Whoosh is the index of record at build time; the browser
queries a static, sharded export of it with the same tokens and the same ranking."""
