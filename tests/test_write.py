"""The output folder is replaced whole or not at all, and nothing lands outside it."""

from __future__ import annotations

import pytest

from townsite.write import UnsafeOutputPath, write_site


def test_write_replaces_the_folder_and_drops_stale_files(tmp_path):
    out = tmp_path / "site"
    write_site({"a/index.html": b"1", "stale.html": b"x"}, out)
    write_site({"a/index.html": b"2"}, out)
    assert (out / "a/index.html").read_bytes() == b"2"
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging leftovers


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../x", "a\\..\\x", "", "a//b"])
def test_unsafe_paths_are_refused_before_anything_is_written(tmp_path, bad):
    out = tmp_path / "site"
    write_site({"keep.html": b"old"}, out)
    with pytest.raises(UnsafeOutputPath):
        write_site({"index.html": b"new", bad: b"evil"}, out)
    assert (out / "keep.html").read_bytes() == b"old"
    assert not (tmp_path / "escape.html").exists()


def test_failure_while_writing_keeps_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)

    def explode(outputs, folder, made=None):
        (folder / "half.html").write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr("townsite.write.write_tree", explode)
    with pytest.raises(OSError):
        write_site({"index.html": b"new"}, out)
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert (out / "index.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
