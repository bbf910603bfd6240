"""What a run makes: only the outputs whose recorded fingerprint differs, and the new record."""

from __future__ import annotations

from townsite.buildstate import load_state
from townsite.decide import new_record, outdated, search_part, search_record
from townsite.engine import Engine
from townsite.pages import output_path
from townsite.pipeline import Stages


def plan_and_record(project):
    project.build()
    options = project.options()
    planned = Engine(options)._plan(Stages(), None)
    return planned, load_state(options.cache_dir, options.output_dir).outputs


def test_a_plan_against_the_record_of_its_own_build_makes_nothing(project):
    planned, previous = plan_and_record(project)
    todo, kept = outdated(planned.plan.specs, planned.fingerprints, previous)
    assert todo == []
    assert set(kept) == {output_path(spec.url) for spec in planned.plan.specs}


def test_only_the_outputs_whose_fingerprint_differs_are_made(project):
    planned, previous = plan_and_record(project)
    changed = sorted(path for path in previous if path.endswith(".html"))[:2]
    for path in changed:
        previous[path] = ("another fingerprint", *previous[path][1:])
    del previous["index.html"]  # not in the record at all: made too
    todo, kept = outdated(planned.plan.specs, planned.fingerprints, previous)
    assert sorted(output_path(spec.url) for spec in todo) == sorted([*changed, "index.html"])
    assert not set(kept) & {*changed, "index.html"}


def test_the_new_record_has_kept_assets_and_search_files(project):
    planned, previous = plan_and_record(project)
    search = search_record("v1", {"search/manifest.bin": b"x"})
    kept = {"towns/index.html": previous["towns/index.html"]}
    record = new_record(planned.plan.specs, planned.fingerprints, [], kept, {"style.css": b"body{}"}, search)
    assert record["towns/index.html"] == previous["towns/index.html"]
    assert record["style.css"][0].startswith("asset ") and record["style.css"][1] == record["style.css"][0][6:]
    assert search_part(record) == search == {"search/manifest.bin": ("search v1", record["search/manifest.bin"][1], ())}
