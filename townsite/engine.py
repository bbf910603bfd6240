"""The build engine: one place that decides what to make. A run goes through named, timed
stages: cache → config → load+validate → link → assets → plan → fingerprint → render ‖ index →
body links → (links) → swap → keep. Each planned output has a fingerprint of what it is made
from; the build-state record (buildstate.py) holds the fingerprints of the outputs the folder
has, so only outputs whose fingerprint changed are rendered; the rest are hard-linked from the
previous site into the staging folder. A cold build is a run with an empty record, a build with
nothing changed finds nothing to do, and `serve` is the same engine kept alive (`live`): after
its first run it updates its preview folder in place, with what it read kept in memory; its
search export always follows the pages (phase 2, `update_search`), so they come first.

Many pages to make means both cores (workers.py): workers write pages themselves and return
paths and digests, so the parent never holds every page's bytes."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from . import pipeline, workers
from .assets import collect_assets
from .buildstate import BuildState, Outputs, input_key, listing, load_state, save_state
from .clock import build_date
from .decide import BuildResult, Planned, outdated, search_part, search_record
from .duijie_pages import DuijieFeature
from .fingerprints import Fingerprints
from .folders import FolderOutputs, link_all, prune_empty, scratch_folder, write_all
from .gcpause import gc_paused
from .images import VariantCache
from .linkcheck import check_outputs
from .load import relpath
from .markup import Bodies, load_bodies, markup_table, save_bodies
from .model import Site
from .opendata import DATA_URL, DATASETS, OpenData
from .options import BuildOptions
from .pages import Feature, PageSpec, output_path, plan_site
from .pictures import Pictures
from .pipeline import Stages, prepare, raise_if
from .problems import Problem
from .render import Made, body_link_problems, render_into, write_file
from .search.documents import SearchDoc, search_doc, search_docs
from .search.export import export_version
from .search.page import SearchFeature
from .search.stage import SearchIndex, index_docs
from .showcase import Showcase
from .templating import CompiledTemplates, KeptFragments, Renderer
from .timeline import ICS_URL, TIMELINE_URL, Timeline
from .write import Staging


def features() -> tuple[Feature, ...]:
    """Optional parts of the site, each adding pages and navigation; an engine has its own, as
    some keep what they made for the next run (the timeline its calendar entries)."""
    return (Timeline(), DuijieFeature(), OpenData(), Showcase())


SEARCH_FOLDER = "search/"
# What an edit of any event renders again and keeps between runs (timeline items, calendar
# entries, data rows): made in idle time when the last run rendered on the workers (`warm`).
WARM = frozenset({TIMELINE_URL, ICS_URL, *(f"{DATA_URL}{name}.{ext}" for name in DATASETS for ext in ("json", "csv"))})


class Engine:
    """`live` (serve): the engine is kept between runs; after its first run it updates the
    output folder in place, and it keeps what it read, validated and rendered in memory."""

    def __init__(self, options: BuildOptions, live: bool = False):
        self.options = options
        self.live = live
        self.cache: pipeline.LiveCache | None = pipeline.LiveCache() if live else None
        self.rendered_bodies: Bodies = {}
        self.state = BuildState()  # live: what the folder holds now
        self.last: Planned | None = None  # live: the last good run, for the next one
        self.generation = 0  # counts live runs, so a late search export is not applied
        self.pictures = VariantCache(options.cache_dir, write=options.write)  # by content hash
        self.compiled: dict[str, CompiledTemplates] = {}  # live: by base URL (see templating)
        self.docs_made: dict[tuple[str, str], SearchDoc] = {}  # live: by (source, digest of its bytes)
        self.references: dict[str, tuple[str, ...]] = {}  # live: see Fingerprints
        self.features = features()
        self.kept = KeptFragments() if live else None  # fragments kept between runs
        self.cold = True  # live: what runs keep was not made in this process yet (see warm)

    @property
    def current(self) -> dict[str, str]:
        """Output path -> digest of what the folder holds (live)."""
        return {path: made[1] for path, made in self.state.outputs.items()}

    # --- planning -------------------------------------------------------------------------------
    def _plan(self, stages: Stages, search_version: str | None, changed: frozenset[Path] | None = None) -> Planned:
        """Everything up to the fingerprints. `search_version`: of the export the pages will
        announce (None: of this content, as a build makes it); `changed`: see LiveCache."""
        options = self.options
        root = options.root.absolute()
        config, site = prepare(options, stages, self.cache, changed)
        docs = self._search_docs(site)
        version = export_version(docs)
        shown_version = version if search_version is None else search_version
        assets, asset_urls = stages.run("assets", collect_assets, root / "static")
        if not self.live or not self.rendered_bodies:
            table = markup_table(options.cache_dir if options.write else None)
            texts = [e.body for e in site.all_entries()]
            self.rendered_bodies = stages.run("cached", load_bodies, table, config.base_path, texts)
        features = (*self.features, SearchFeature(shown_version), Pictures(root, self.pictures))
        extra_nav = [item for feature in features for item in feature.nav_items(site)]
        today = build_date(options.today)
        compiled = self.compiled.setdefault(config.base_url, CompiledTemplates()) if self.live else None
        renderer = Renderer(site, config, root / "templates", asset_urls, today, extra_nav, self.rendered_bodies,
                            compiled, self.kept)  # fmt: skip
        plan = stages.run("plan", plan_site, renderer, features)
        before = self.last.fingerprints if self.live and self.last else None
        fingerprints = stages.run("fingerprint", Fingerprints, renderer, self.references if self.live else None, before)
        return Planned(config, site, plan, fingerprints, assets, docs, version)

    def _search_docs(self, site: Site) -> list[SearchDoc]:
        """Live: a document is a function of its file's bytes alone (not of what links it),
        so an update makes documents only for the files that changed."""
        if not self.live:
            return search_docs(site)
        made = {
            (e.source, e.digest): self.docs_made.get((e.source, e.digest)) or search_doc(e) for e in site.all_entries()
        }
        self.docs_made = made
        return list(made.values())

    # --- making ---------------------------------------------------------------------------------
    def _render(
        self, stages: Stages, planned: Planned, todo: list[PageSpec], folder: Path | None, search: bool, in_place: bool
    ) -> tuple[list[Made], list[Problem], SearchIndex | None]:
        """Render `todo` into `folder` and, when `search`, make the search export: on both cores
        when there are many pages, else in this process."""
        cache_dir = self.options.cache_dir if self.options.write else None
        renderer = planned.renderer
        if folder is not None and len(todo) >= pipeline.PARALLEL_FROM and workers.available():
            entries = planned.site.all_entries()
            known = frozenset(e.source for e in entries if renderer.has_body(e))
            job = workers.RenderJob(planned.plan, todo, folder, in_place, planned.docs if search else None,
                                    cache_dir, known, os.getpid())  # fmt: skip
            written = lambda index: self._write_search(index, folder, in_place)  # noqa: E731
            outcome = stages.run("render ‖ index", workers.render_and_index, job, written)
            self.cold = True  # what the workers made and kept died with them
            renderer.add_bodies(outcome.bodies_by_source)
            return outcome.made, outcome.problems, outcome.search
        index = None
        if search:
            index = stages.run("index", index_docs, planned.docs, cache_dir)
            if folder is not None:
                self._write_search(index, folder, in_place)
        made, problems = stages.run("render", render_into, renderer, todo, folder, in_place)
        return made, problems, index

    @staticmethod
    def _write_search(index: SearchIndex, folder: Path, in_place: bool) -> None:
        for path, data in index.outputs.items():
            write_file(folder, path, data, in_place)

    # --- runs -----------------------------------------------------------------------------------
    def run(self, changed: Iterable[Path] = ()) -> BuildResult:
        """A build; live, after the first run: an update of the folder in place (`changed`, from
        the file watcher, allows the fast path for saves that touch only bodies)."""
        try:
            if not self.live:
                return self.build()
            if not self.state.outputs:
                return self._first_live_run()
            paths = [Path(p).absolute() for p in changed]
            return self._bodies_only(paths) or self._update(self._named(paths))
        except Exception as exc:
            if self.cache is not None:
                self.cache.files = None  # the files this run's changes added or removed may not be listed
            if isinstance(exc, pipeline.ContentError):
                self.last = None  # after any problem, the next run plans everything again
            raise

    def _named(self, paths: list[Path]) -> frozenset[Path] | None:
        """The watcher's changed files, when they can be trusted to name every change in the
        project (else None: every file is read again)."""
        root = self.options.root.absolute()
        return frozenset(paths) if paths and all(p.is_relative_to(root) for p in paths) else None

    def _first_live_run(self) -> BuildResult:
        out = self.options.output_dir
        previous = load_state(self.options.cache_dir, out)
        if not previous.intact(out):
            return self.build()
        self.state = previous  # the folder of an earlier session: brought up to date in place
        return self._update()

    def build(self, key: str | None = None) -> BuildResult:
        """A run into a staging folder that replaces the output folder at the end (`build`;
        `check` writes nothing). `key`: the inputs' digest, when the caller has it already."""
        stages = Stages()
        options, out = self.options, self.options.output_dir
        previous = BuildState()
        if options.write:
            key = key or stages.run("cache", input_key, options.root.absolute(), options.settings_text())
            previous = stages.run("record", load_state, options.cache_dir, out)
            if not stages.run("listing", previous.intact, out):
                previous = BuildState()
            elif previous.key == key and not self.live:
                return BuildResult(None, None, {}, [], stages.timings, unchanged=True)
        planned = self._plan(stages, None)
        todo, kept = outdated(planned.plan.specs, planned.fingerprints, previous.outputs)
        planned.renderer.kept.keep_if(planned.fingerprints.shared(planned.plan.specs))
        if not options.write:
            with scratch_folder(options) as folder:
                outputs, made, index = self._make(stages, planned, todo, kept, previous, folder)
            digests = {path: value[1] for path, value in outputs.items()}
            return BuildResult(planned.config, planned.site, digests, planned.plan.specs, stages.timings, index,
                               rendered=len(made), written=0)  # fmt: skip
        with Staging(out) as staging:
            outputs, made, index = self._make(stages, planned, todo, kept, previous, staging.folder)
            stages.run("swap", staging.commit)
        complete = index is not None or not self.live  # else the export is phase 2's: not up to date yet
        search_version = index.version if index else previous.search_version
        self.state = BuildState((key or "") if complete else "", {}, search_version, {})
        self.state.outputs = outputs
        stages.run("keep", self._keep, planned)
        self.last = planned
        self.generation += 1
        return BuildResult(planned.config, planned.site, {p: v[1] for p, v in outputs.items()}, planned.plan.specs,
                           stages.timings, index, rendered=len(made), written=len(made))  # fmt: skip

    def _make(
        self, stages: Stages, planned: Planned, todo: list[PageSpec], kept: Outputs, previous: BuildState,
        folder: Path | None,
    ) -> tuple[Outputs, list[Made], SearchIndex | None]:  # fmt: skip
        """Render what changed into `folder`, bring in what did not, check links: the new record."""
        search_again = planned.search_version != previous.search_version and not self.live
        made, problems, index = self._render(stages, planned, todo, folder, search_again, in_place=False)
        problems += stages.run("body links", body_link_problems, planned.renderer, planned.plan.existing)
        raise_if(problems)
        search = search_record(index.version, index.outputs) if index else search_part(previous.outputs)
        outputs = planned.record(made, kept, search)
        if folder is not None:
            out = self.options.output_dir
            reused = [*kept, *(search if index is None else ())]
            stages.run("reuse", link_all, out, folder, reused)
            stages.run("assets", write_all, folder, planned.assets)
            if self.options.check_links:  # on the staged outputs, so a broken site is never swapped in
                found = stages.run("links", check_outputs, FolderOutputs(folder, outputs), planned.config.base_url)
                raise_if(found)
        return outputs, made, index

    def _keep(self, planned: Planned) -> None:
        """Save the record of the new folder and the rendered bodies in the build cache."""
        options = self.options
        self.state.files = listing(options.output_dir)
        save_state(options.cache_dir, options.output_dir, self.state)
        save_bodies(markup_table(options.cache_dir), planned.config.base_path, planned.renderer.rendered_bodies)

    def save(self) -> None:
        """Live: record the folder as it is now, so the next session starts from it."""
        if self.last is not None and self.options.write:
            self._keep(self.last)

    # --- live: the folder updated in place --------------------------------------------------
    def _update(self, changed: frozenset[Path] | None = None) -> BuildResult:
        """Everything planned again; only outputs whose fingerprint changed are written, and
        those no longer planned are removed. The search export keeps its last version (phase 2,
        `update_search`, brings it up to date)."""
        stages = Stages()
        out = self.options.output_dir
        planned = self._plan(stages, self.state.search_version, changed)
        todo, kept = stages.run("decide", outdated, planned.plan.specs, planned.fingerprints, self.state.outputs)
        planned.renderer.kept.keep_if(planned.fingerprints.shared(planned.plan.specs))
        raise_if(stages.run("body links", body_link_problems, planned.renderer, planned.plan.existing))
        made, problems, _ = self._render(stages, planned, todo, out, search=False, in_place=True)
        outputs = stages.run("record", planned.record, made, kept, search_part(self.state.outputs))
        if problems:  # the pages written so far stay recorded as what the folder holds
            self.state.outputs.update({item.path: outputs[item.path] for item in made})
            raise_if(problems)
        for path, data in planned.assets.items():
            if self.state.outputs.get(path, ("", "", ()))[1] != outputs[path][1]:
                write_file(out, path, data, in_place=True)
        gone = [path for path in self.state.outputs if path not in outputs]
        for path in gone:
            (out / path).unlink(missing_ok=True)
            prune_empty(out / path, out)
        written = sum(1 for item in made if self.state.outputs.get(item.path, ("", "", ()))[1] != item.digest)
        self.state.outputs = outputs
        self.last = planned
        self.generation += 1
        return BuildResult(planned.config, planned.site, self.current, planned.plan.specs, stages.timings,
                           rendered=len(made), written=written, removed=len(gone))  # fmt: skip

    def _bodies_only(self, paths: list[Path]) -> BuildResult | None:
        """When every changed file is a published entry whose typed front matter is unchanged,
        only the pages that showed those bodies (recorded while rendering) are rendered again;
        anything else returns None for a full update."""
        last = self.last
        if last is None or not paths or self.cache is None:
            return None
        start = time.perf_counter()
        root = self.options.root.absolute()
        by_source = {e.source: e for e in last.site.all_entries()}
        updates = []
        for path in paths:
            entry = by_source.get(relpath(path, root))
            if entry is None or path.is_symlink() or not path.is_file():
                return None
            job = workers.FileJob([(path, entry.kind)], root, last.config, os.getpid())
            new, load_problems, problems = pipeline.check_cached(job, self.cache)[0]
            if new is None or load_problems or problems or new.front_digest != entry.front_digest:
                return None
            if (new.kind, new.slug) != (entry.kind, entry.slug):
                return None
            updates.append((entry, new))
        for entry, new in updates:  # the linked entry takes the new body in place
            entry.body, entry.digest, entry.body_line, entry.lines = new.body, new.digest, new.body_line, new.lines
            last.fingerprints.set_body(entry.source, new.digest)
        raise_if(body_link_problems(last.renderer, last.plan.existing, [entry for entry, _ in updates]))
        sources = {entry.source for entry, _ in updates}
        specs = {output_path(spec.url): spec for spec in last.plan.specs}
        todo = [specs[p] for p, value in self.state.outputs.items() if p in specs and sources.intersection(value[2])]
        made, problems = render_into(last.renderer, todo, self.options.output_dir, in_place=True)
        raise_if(problems)
        written = sum(1 for item in made if self.state.outputs[item.path][1] != item.digest)
        for item in made:
            fingerprint = last.fingerprints.of(specs[item.path], item.shown)
            self.state.outputs[item.path] = (fingerprint, item.digest, item.shown)
        self.generation += 1
        timings = [("bodies", time.perf_counter() - start)]
        return BuildResult(last.config, last.site, self.current, last.plan.specs, timings,
                           rendered=len(made), written=written)  # fmt: skip

    def warm(self) -> bool:
        """Live, in idle time: when what runs keep was made on the workers (it died with them), render
        here, writing nothing, what WARM names, so the first edit of an event after the first run does
        not make every timeline item, calendar entry and data row (about 1 s at 5,000). True if it did."""
        last = self.last
        if last is None or not self.cold:
            return False
        self.cold = False
        render_into(last.renderer, [spec for spec in last.plan.specs if spec.url in WARM], None)
        return True

    # --- live: the search export, phase 2 ----------------------------------------------------
    def search_snapshot(self) -> tuple[int, list[SearchDoc]] | None:
        """What phase 2 needs, as plain data (so `serve` can index in another process); None
        when the folder's export is already this content's."""
        if self.last is None:
            return None
        docs = self._search_docs(self.last.site)
        if export_version(docs) == self.state.search_version:
            return None
        return self.generation, docs

    def apply_search(self, generation: int, index: SearchIndex) -> BuildResult | None:
        """Publish a finished search export, unless the site changed meanwhile (a newer one is
        then on its way) or it is the one the folder has: only search files and the search page
        are written."""
        last = self.last
        if last is None or generation != self.generation or index.version == self.state.search_version:
            return None
        out = self.options.output_dir
        fresh = search_record(index.version, index.outputs)
        # Only the files whose bytes changed: an edit changes a few shards of thousands, and a
        # save that arrives meanwhile waits for this.
        changed = [p for p, v in fresh.items() if self.state.outputs.get(p, ("", "", ()))[1] != v[1]]
        for path in changed:
            write_file(out, path, index.outputs[path], in_place=True)
        gone = [p for p in search_part(self.state.outputs) if p not in fresh]
        for path in gone:
            (out / path).unlink(missing_ok=True)
            del self.state.outputs[path]
        spec = next(iter(SearchFeature(index.version).pages(last.renderer)))
        made, problems = render_into(last.renderer, [spec], out, in_place=True)
        raise_if(problems)
        last.plan.specs[:] = [spec if p.url == spec.url else p for p in last.plan.specs]
        self.state.outputs.update(fresh)
        self.state.outputs.update(last.record(made, {}, {}))
        self.state.search_version = index.version
        return BuildResult(last.config, last.site, self.current, last.plan.specs, [], index,
                           rendered=1, written=len(changed) + 1, removed=len(gone))  # fmt: skip

    def update_search(self) -> BuildResult | None:
        """Phase 2 in this process: the search export brought up to date."""
        if self.last is None:
            raise RuntimeError("run() first")
        snapshot = self.search_snapshot()
        if snapshot is None:
            return None
        generation, docs = snapshot
        return self.apply_search(generation, index_docs(docs, self.options.cache_dir))

    def build_all(self) -> BuildResult:
        """Both phases, as a full build would."""
        first = self.run()
        second = self.update_search()
        if second is not None:
            first.rendered, first.written = first.rendered + second.rendered, first.written + second.written
            first.removed += second.removed
        return first


def build(options: BuildOptions, key: str | None = None) -> BuildResult:
    """One build (or `check`): `key` is the inputs' digest when the caller has it already."""
    with gc_paused():  # what a build makes it mostly keeps to the end (see gcpause)
        return Engine(options).build(key)
