"""What creating a site's files costs on this machine's file system, fresh and right after a
site as large was deleted (what compare.py does before every cold build, for both sides).

    python bench/inodes.py [--pages 8000] [--in DIR]

Writes `--pages` folders of one small page each and as many files in one folder (about the
inodes of a townsite build of that many pages), deletes them, writes them again, and prints the
CPU seconds of each writing. On an ext4 file system without a journal, the kernel checks every
free inode it considers for a recent deletion (fs/ext4/ialloc.c, find_inode_bit), so creating
files where many were just deleted costs several times more: it is a cost per file created,
paid by any generator, and larger for the one that writes more files."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def write_site(root: Path, pages: int) -> float:
    """CPU seconds to write `pages` folders with an index.html each, and `pages` files in one folder."""
    start = time.process_time()
    root.mkdir()
    (root / "search").mkdir()
    for n in range(pages):
        (root / f"p{n}").mkdir()
        (root / f"p{n}" / "index.html").write_bytes(b"<!doctype html>" * 200)
        (root / "search" / f"{n}.bin").write_bytes(b"\x1f\x8b" * 1000)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=8000)
    parser.add_argument("--in", dest="where", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    base = Path(tempfile.mkdtemp(prefix="townsite-inodes-", dir=args.where))
    try:
        fresh = write_site(base / "first", args.pages)
        beside = write_site(base / "second", args.pages)
        shutil.rmtree(base / "first")
        shutil.rmtree(base / "second")
        after = write_site(base / "third", args.pages)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    inodes = 3 * args.pages
    print(f"{inodes:,} inodes each, CPU seconds: fresh {fresh:.2f}, beside the first {beside:.2f}, "
          f"right after deleting both {after:.2f} ({after / fresh:.1f}x fresh)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
