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


class Fingerprints:
    """`references`: template source -> the templates it names, kept by the live engine between
    runs (parsing every template again was a third of deciding what to render)."""

    def __init__(self, renderer: Renderer, references: dict[str, tuple[str, ...]] | None = None):
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

    def of(self, spec: PageSpec, shown: Iterable[str] = ()) -> str:
        """`shown`: sources whose Markdown the page showed last time (recorded while rendering)."""
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
