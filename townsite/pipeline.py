"""The build, as an ordered list of named, timed stages:
config → load+validate → link → plan → render ‖ index → body links → (links) → write → swap.
Content problems up to the link stage are gathered and raised together before anything is
rendered; pages go to a staging folder that is swapped in only when every stage succeeded.
From PARALLEL_FROM entries on, files are read and pages rendered on both cores (workers.py),
with the search index made beside them; the bytes are those of a serial build."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import workers
from .assets import collect_assets
from .buildcache import input_key, record, up_to_date
from .clock import build_date
from .config import SiteConfig, load_config
from .link import link
from .linkcheck import check_outputs
from .load import LoadCache, load_sources
from .markup import load_bodies, markup_table, save_bodies
from .model import Site
from .options import BuildOptions
from .problems import ContentError, Problem
from .render import Feature, PageSpec, RenderMemo, RenderResult, plan_site, render_pages, render_site
from .schema import SECTION_TO_KIND
from .search.documents import search_docs
from .search.export import export_version
from .search.page import SearchFeature
from .search.stage import SearchIndex, index_docs
from .timeline import Timeline
from .validate import ValidateCache, validate
from .write import Staging

T = TypeVar("T")
# From this many entries on, `build` renders and indexes in two worker processes (below,
# starting them costs more than it saves).
PARALLEL_FROM = 500

# Optional parts of the site, each adding pages and navigation to the render stage.
FEATURES: tuple[Feature, ...] = (Timeline(),)


@dataclass
class BuildResult:
    config: SiteConfig | None  # None only when `unchanged`
    site: Site | None
    outputs: dict[str, bytes]
    pages: list[PageSpec]
    timings: list[tuple[str, float]] = field(default_factory=list)
    search: SearchIndex | None = None
    unchanged: bool = False  # the output was already up to date: nothing was built


class Stages:
    """Runs named stages in order and keeps their wall times, for `build --timings`."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    def run(self, name: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            self.timings.append((name, time.perf_counter() - start))


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ContentError(problems)


def _unreadable_keys(load_problems: list[Problem]) -> frozenset[tuple[str, str]]:
    """(kind, file stem) of files that failed to load: the slug they most likely have."""
    keys = set()
    for problem in load_problems:
        parts = Path(problem.path).parts
        if len(parts) >= 3 and parts[1] in SECTION_TO_KIND:
            keys.add((SECTION_TO_KIND[parts[1]], Path(problem.path).stem))
    return frozenset(keys)


@dataclass
class Caches:
    """Work kept between rebuilds in one process (`serve`), each keyed by what it was made from."""

    load: LoadCache = field(default_factory=dict)
    validate: ValidateCache = field(default_factory=dict)
    bodies: dict = field(default_factory=dict)  # (base path, Markdown) -> rendered HTML
    memo: RenderMemo = field(default_factory=dict)  # url -> (fingerprint, bytes)
    last: RenderResult | None = None  # the last render: its renderer, plans and fingerprints


def prepare(options: BuildOptions, stages: Stages, caches: Caches | None = None) -> tuple[SiteConfig, Site]:
    """config → load → validate → link; raises ContentError with every problem found."""
    root = options.root.absolute()
    config, problems = stages.run("config", load_config, root, root / "content")
    _raise_if(problems)
    assert config is not None
    if options.base_url:
        config = config.with_base_url(options.base_url)
    if caches is None:  # a build: one pass per file, on both cores when there are many
        checked = stages.run("load+validate", workers.load_and_validate, root, root / "content", config, PARALLEL_FROM)
        entries, problems, found = checked
        unreadable = _unreadable_keys(problems)
    else:  # `serve` keeps each file's result for the next rebuild
        docs, problems = stages.run("load", load_sources, root, root / "content", caches.load)
        unreadable = _unreadable_keys(problems)
        entries, found = stages.run("validate", validate, docs, config, caches.validate)
    problems += found
    site, found = stages.run("link", link, entries, config, options.include_drafts, unreadable, root)
    problems += found
    _raise_if(problems)
    return config, site


def render_outputs(
    options: BuildOptions,
    config: SiteConfig,
    site: Site,
    search_version: str,
    stages: Stages,
    caches: Caches | None = None,
) -> tuple[dict[str, bytes], list[PageSpec], int]:
    """assets → render: every output but the search export, and how many pages were rendered
    (with `caches`, pages whose fingerprint is unchanged keep their bytes)."""
    root = options.root.absolute()
    assets, asset_urls = stages.run("assets", collect_assets, root / "static")
    features = (*FEATURES, SearchFeature(search_version))
    today = build_date(options.today)
    bodies = caches.bodies if caches else None
    plan = stages.run("plan", plan_site, site, config, root / "templates", asset_urls, today, features, bodies)
    rendered = stages.run("render", render_site, plan, caches.memo if caches else None)
    _raise_if(rendered.problems)
    if caches is not None:
        caches.memo, caches.last = rendered.memo, rendered
    return {**rendered.outputs, **assets}, rendered.pages, rendered.rendered


def build(options: BuildOptions, key: str | None = None) -> BuildResult:
    """`key`: the inputs' digest when the caller has already computed it (the CLI does)."""
    stages = Stages()
    if options.write:
        # Nothing changed since the last successful build, and its output is intact: done.
        if key is None:
            key = stages.run("cache", input_key, options.root.absolute(), options.settings_text())
        if up_to_date(options.cache_dir, options.output_dir, key):
            return BuildResult(None, None, {}, [], stages.timings, None, unchanged=True)
    config, site = prepare(options, stages)
    root = options.root.absolute()
    docs = search_docs(site)
    cache_dir = options.cache_dir if options.write else None  # `check` leaves the Whoosh index alone
    assets, asset_urls = stages.run("assets", collect_assets, root / "static")
    features = (*FEATURES, SearchFeature(export_version(docs)))
    today = build_date(options.today)
    markup = markup_table(cache_dir)
    bodies = stages.run("cached", load_bodies, markup, config.base_path, [e.body for e in site.all_entries()])
    plan = stages.run("plan", plan_site, site, config, root / "templates", asset_urls, today, features, bodies)
    renderer = plan.renderer
    with Staging(options.output_dir) if options.write else nullcontext() as staging:
        if len(docs) >= PARALLEL_FROM and workers.available():
            # Two workers render chunks of pages, one of them indexes first; chunks are written
            # to the staging folder as they arrive, so writing overlaps rendering too.
            received = staging.add if staging else lambda outputs: None
            both = stages.run("render ‖ index", workers.render_and_index, plan, docs, cache_dir, received)
            page_bytes, problems, search = both.outputs, both.problems, both.search
            renderer.add_bodies(both.bodies)
            unwritten = assets
        else:
            search = stages.run("index", index_docs, docs, cache_dir)
            page_bytes, problems = stages.run("render", render_pages, renderer, plan.specs)
            unwritten = None  # everything, below
        problems += stages.run("body links", renderer.body_link_problems, plan.existing)
        _raise_if(problems)
        outputs = {**page_bytes, **assets, **search.outputs}
        if options.check_links:  # on the staged outputs, so a broken site is never swapped in
            _raise_if(stages.run("links", check_outputs, outputs, config.base_url))
        if staging:
            stages.run("write", staging.add, outputs if unwritten is None else unwritten)
            stages.run("swap", staging.commit)
    if options.write:
        stages.run("keep", save_bodies, markup, config.base_path, renderer.bodies)
        record(options.cache_dir, options.output_dir, key or "")
    return BuildResult(config, site, outputs, plan.specs, stages.timings, search)
