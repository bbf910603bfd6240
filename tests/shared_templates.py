"""The suite's one speed-up below the tests: what a cold build (not `serve`'s live engine, which
keeps its own) spends parsing and compiling the same templates again, shared by the builds of
one test process. Compiling the templates was about half of a fixture site's cold build, and the
suite makes hundreds of them, nearly all from the repository's templates/.

Exact by construction: compiled code is reused only for the same template name and source and
the same folding inputs (Jinja folds a filter on a constant at compile time, and the filters read
the renderer's configuration: key below); a template's references are a function of its source.
The live engine is left alone, so the equivalence tests still compare its caches against builds
that share nothing with them."""

from __future__ import annotations

import hashlib
import types
from typing import Any

import jinja2
import pytest

import townsite.fingerprints
import townsite.templating


def _refiled(code: types.CodeType, filename: str) -> types.CodeType:
    """The code as if compiled from `filename` (Jinja reads a template's path from its code)."""
    consts = tuple(_refiled(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class SharedCode(jinja2.BytecodeCache):
    """Compiled templates by (name, source, folding inputs), for every cold build of the process."""

    def __init__(self) -> None:
        self.codes: dict[str, types.CodeType] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Any:
        bucket = jinja2.bccache.Bucket(environment, self._key(environment, name, source), "")
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.code = _refiled(code, filename or "<template>")
        return bucket

    def set_bucket(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key and bucket.code is not None:
            self.codes[bucket.key] = bucket.code

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # only get_bucket/set_bucket are used
        raise NotImplementedError

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        raise NotImplementedError

    @staticmethod
    def _key(environment: jinja2.Environment, name: str, source: str) -> str:
        """The key; "" (never shared) unless the filters are the renderer's, whose inputs are then the key."""
        renderer = getattr(environment.filters.get("url"), "__self__", None)
        if not isinstance(renderer, townsite.templating.Renderer):
            return ""
        inputs = (name, source, repr(renderer.config), renderer.today, sorted(renderer.asset_urls.items()),
                  sorted(environment.filters), sorted(environment.tests))  # fmt: skip
        return hashlib.sha256(repr(inputs).encode()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shared_templates() -> Any:
    shared = SharedCode()
    references: dict[str, tuple[str, ...]] = {}
    environment = townsite.templating.environment
    fingerprints_init = townsite.fingerprints.Fingerprints.__init__

    def cold_environment(templates_dir: Any, compiled: Any = None) -> jinja2.Environment:
        return environment(templates_dir, shared if compiled is None else compiled)

    def cold_fingerprints(self: Any, renderer: Any, refs: Any = None, before: Any = None) -> None:
        fingerprints_init(self, renderer, references if refs is None else refs, before)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(townsite.templating, "environment", cold_environment)
        patch.setattr(townsite.fingerprints.Fingerprints, "__init__", cold_fingerprints)
        yield shared
