"""serve's background work keeps out of a burst of saves: automatic full garbage collections are
off after its first build, one runs when no save came for a while or after many rebuilds in a
row (townsite/serve.py, IDLE_COLLECT); the search export starts once saves pause (SEARCH_AFTER)."""

from __future__ import annotations

import gc
import time
import weakref

import pytest

from townsite import serve
from townsite.serve import Preview


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def no_automatic_gc():
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def garbage() -> weakref.ref:
    return weakref.ref(Cycle())  # unreachable at once, freed only by a collection


def test_garbage_is_collected_once_serve_is_idle(project, no_automatic_gc):
    preview = Preview(project.options())
    assert preview.build()
    dead = garbage()
    assert not preview.collect_garbage(idle=True)  # the rebuild just ended: a save may follow
    assert dead() is not None
    assert not preview.collect_garbage(idle=False)
    preview.built_at = time.monotonic() - serve.IDLE_COLLECT
    assert preview.collect_garbage(idle=True)
    assert dead() is None
    assert not preview.collect_garbage(idle=True)  # nothing rebuilt since


def test_many_rebuilds_in_a_row_are_collected_without_a_pause(project, no_automatic_gc, monkeypatch):
    monkeypatch.setattr(serve, "COLLECT_EVERY", 3)
    preview = Preview(project.options())
    dead = garbage()
    for _ in range(2):
        assert preview.build()
        assert not preview.collect_garbage(idle=False)
    assert preview.build()
    assert preview.collect_garbage(idle=False)
    assert dead() is None


def test_the_search_export_waits_for_saves_to_pause(project, monkeypatch):
    import threading

    monkeypatch.setattr(serve, "SEARCH_AFTER", 0.5)
    preview = Preview(project.options())
    started: list[float] = []
    monkeypatch.setattr(preview, "update_search", lambda pool: started.append(time.monotonic()) or True)
    stop, wanted = threading.Event(), threading.Event()
    preview.built_at = saved = time.monotonic()  # a rebuild just ended
    wanted.set()
    thread = threading.Thread(target=serve._index, args=(preview, None, stop, wanted))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not started and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join()
    assert started and started[0] - saved >= 0.5
