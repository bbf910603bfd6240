"""What a run makes, as plain data in and out: the planned outputs whose fingerprint differs
from the record's (the rest are kept as they are), and the record of the outputs after it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .buildstate import Outputs
from .fingerprints import Fingerprints
from .pages import PageSpec, output_path
from .render import Made, content_digest

SEARCH = "search "  # how the record's fingerprint of a search export file starts


def outdated(
    specs: Sequence[PageSpec], fingerprints: Fingerprints, previous: Outputs
) -> tuple[list[PageSpec], Outputs]:
    """The pages to render, and the record of those whose fingerprint is unchanged."""
    todo: list[PageSpec] = []
    kept: Outputs = {}
    for spec in specs:
        path = output_path(spec.url)
        before = previous.get(path)
        if before is not None and before[0] == fingerprints.of(spec, before[2]):
            kept[path] = before
        else:
            todo.append(spec)
    return todo, kept


def new_record(
    specs: Sequence[PageSpec], fingerprints: Fingerprints, made: list[Made], kept: Outputs,
    assets: Mapping[str, bytes], search: Outputs,
) -> Outputs:  # fmt: skip
    """Kept outputs as they were, made ones with their fingerprint as rendered (with the bodies
    they showed), the static files and the search export."""
    by_path = {output_path(spec.url): spec for spec in specs}
    outputs: Outputs = dict(kept)
    for item in made:
        outputs[item.path] = (fingerprints.of(by_path[item.path], item.shown), item.digest, item.shown)
    for path, data in assets.items():
        digest = content_digest(data)
        outputs[path] = (f"asset {digest}", digest, ())
    outputs.update(search)
    return outputs


def search_record(version: str, files: Mapping[str, bytes]) -> Outputs:
    return {path: (f"{SEARCH}{version}", content_digest(data), ()) for path, data in files.items()}


def search_part(outputs: Outputs) -> Outputs:
    """The search export's files of a record."""
    return {path: value for path, value in outputs.items() if value[0].startswith(SEARCH)}
