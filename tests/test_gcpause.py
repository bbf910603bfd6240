"""gc_paused: no collections inside, the collector as it was after (also after an error)."""

from __future__ import annotations

import gc

import pytest

from townsite.gcpause import gc_paused


def test_collections_are_paused_then_restored():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_restores_the_collector():
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
