"""Moved to townsite.store (the engine's store); kept as a name until townsite.search imports it from there."""

from .store import Table, code_digest, content_key

__all__ = ["Table", "code_digest", "content_key"]
