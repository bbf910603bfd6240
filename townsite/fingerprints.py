"""What a page is made from, as one digest: its templates (with everything they extend,
include or import), what every page shows (configuration, navigation, assets, taxonomy URLs,
the pages, townsite's code), and the content its PageSpec says it shows: the front matter of
its `sources`, what it shows of the entries it only `names`, the bodies it showed. Equal
fingerprints, equal bytes: the build-state record keeps them, the engine compares them."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from jinja2 import meta

from .buildstate import CODE_VERSION
from .pages import PageSpec, digest, named
from .templating import Renderer

# A page's fingerprint as last worked out: the spec and the bodies shown it was made from.
Memo = dict[str, tuple[PageSpec, tuple[str, ...], str]]


class Fingerprints:
    """`references`: template source -> the templates it names, kept by the live engine between
    runs (parsing every template again was a third of deciding what to render). `before`: the
    live engine's fingerprints of its last run: a page whose spec is the same and none of whose
    inputs moved since has the same fingerprint, taken from there instead of hashed again."""

    def __init__(
        self, renderer: Renderer, references: dict[str, tuple[str, ...]] | None = None,
        before: Fingerprints | None = None,
    ):  # fmt: skip
        self.env = renderer.env
        self.templates: dict[str, str] = {}
        self.references = {} if references is None else references
        site = renderer.site
        entries = site.all_entries()
        self.front = {e.source: e.front_digest for e in entries}
        self.full = {e.source: e.digest for e in entries}
        self.named = {e.source: digest(*named(e)) for e in entries}
        self.everything = digest(*sorted(self.front.items()))
        terms = sorted((t.taxonomy, t.name, t.url) for tax in site.taxonomies.values() for t in tax.terms)
        pages = sorted((p.source, p.front_digest) for p in site.entries["page"])
        self.common = digest(
            CODE_VERSION, repr(renderer.config), renderer.navigation(), sorted(renderer.asset_urls.items()),
            renderer.today, terms, pages,
        )  # fmt: skip
        self.memo: Memo = {}
        if before is not None:
            before.before = None  # only the last run's are kept
        self.before: Fingerprints | None = before if before is not None and before.common == self.common else None
        self.moved = self._moved(self.before) if self.before else frozenset()

    def _moved(self, before: Fingerprints) -> frozenset[str]:
        """Sources whose front matter, name or bytes differ from `before`'s (or that came or went)."""
        sources = self.full.keys() | before.full.keys()
        return frozenset(
            s for s in sources
            if self.full.get(s) != before.full.get(s) or self.front.get(s) != before.front.get(s)
            or self.named.get(s) != before.named.get(s)
        )  # fmt: skip

    def set_body(self, source: str, digest_: str) -> None:
        """An entry's bytes changed but not its front matter (`serve`'s fast path): the pages
        whose fingerprint included them are worked out again."""
        self.full[source] = digest_
        self.memo = {url: m for url, m in self.memo.items() if m[0].main != source and source not in m[1]}

    def template(self, name: str) -> str:
        """Digest of a template and everything it extends, includes or imports."""
        if name not in self.templates:
            self.templates[name] = ""  # guards against include cycles
            source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
            if source not in self.references:
                found = meta.find_referenced_templates(self.env.parse(source))
                self.references[source] = tuple(sorted(r for r in found if r))
            parts = [source]
            for ref in self.references[source]:
                try:
                    parts.append(self.template(ref))
                except jinja2.TemplateNotFound:
                    parts.append(f"missing:{ref}")  # `ignore missing` includes: appearing counts as a change
            self.templates[name] = digest(*parts)
        return self.templates[name]

    def shared(self, specs: Iterable[PageSpec]) -> str:
        """What a fragment kept between updates (templating.KeptFragments) may show beyond what
        its version names: what every page shows, and the templates of `specs` (the planned
        pages) with everything they extend, include or import."""
        for name in sorted({spec.template for spec in specs if spec.template}):
            self.template(name)
        return digest(self.common, *sorted(self.templates.items()))

    def of(self, spec: PageSpec, shown: Iterable[str] = ()) -> str:
        """`shown`: sources whose Markdown the page showed last time (recorded while rendering)."""
        shown = tuple(shown)
        known = self.before.memo.get(spec.url) if self.before else None
        if known is not None and known[1] == shown and self._unmoved(known[0], spec, shown):
            self.memo[spec.url] = (spec, shown, known[2])  # not the old spec: it holds the old site
            return known[2]
        value = self._of(spec, shown)
        self.memo[spec.url] = (spec, shown, value)
        return value

    def _unmoved(self, old: PageSpec, spec: PageSpec, shown: tuple[str, ...]) -> bool:
        """Everything `_of` reads is as it was when `old`'s fingerprint was worked out."""
        before = self.before
        assert before is not None
        if (old.template, old.extra, old.main, old.body, old.sources, old.names) != (
            spec.template, spec.extra, spec.main, spec.body, spec.sources, spec.names,
        ):  # fmt: skip
            return False
        if spec.template and (
            spec.template not in before.templates or before.templates[spec.template] != self.template(spec.template)
        ):
            return False
        moved = self.moved
        if "*" in spec.sources and before.everything != self.everything:
            return False
        return (
            moved.isdisjoint(spec.sources)
            and moved.isdisjoint(spec.names)
            and moved.isdisjoint(shown)
            and spec.main not in moved
        )

    def _of(self, spec: PageSpec, shown: tuple[str, ...]) -> str:
        template = self.template(spec.template) if spec.template else ""
        if "*" in spec.sources:
            fronts = self.everything
        else:
            fronts = digest(*((s, self.front.get(s)) for s in sorted(spec.sources)))
        names = digest(*((s, self.named.get(s)) for s in sorted(spec.names)))
        sources = {*shown, *([spec.main] if spec.main else [])}
        bodies = digest(*(self.full.get(source, "") for source in sorted(sources)))
        inline = digest(spec.body) if spec.body is not None else ""
        return digest(spec.url, spec.template, template, self.common, spec.extra, bodies, fronts, names, inline)
