"""What the command line prints when a run fails for a reason that is not the content: one line
naming the path and what to do for a fault of the machine (permissions, a full disk, a busy or
read-only folder), and for anything unexpected one line saying it is a bug, with the traceback
saved to a report file instead of shown. Never a raw traceback on an editor's screen."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from .i18n import _
from .problems import printable


def _advice(code: int | None) -> str | None:
    """What to do about a fault of the machine (the path is named before it)."""
    return {
        errno.EACCES: _("permission denied: give the user running townsite access to it (chmod/chown), "
                        "or use another folder"),
        errno.EPERM: _("operation not permitted: give the user running townsite access to it, or use another folder"),
        errno.ENOSPC: _("no space left on its device: free some space, then run again"),
        errno.EDQUOT: _("disk quota exceeded: free some space, then run again"),
        errno.EROFS: _("is on a read-only file system: build into a writable folder (--out)"),
        errno.EBUSY: _("is busy (a mount point, or in use by another program): townsite replaces the output "
                       "folder whole, so give --out a folder inside it"),
        errno.EXDEV: _("is on another file system than its staging folder: give --out a folder that is not a "
                       "mount point"),
        errno.ENOENT: _("disappeared while townsite was using it (deleted by another program?): run again"),
        errno.EMFILE: _("too many open files: close other programs or raise the limit (ulimit -n), then run again"),
        errno.ENFILE: _("too many open files on the system: close other programs, then run again"),
        errno.ENOTDIR: _("is not a folder where townsite expects one: move or rename it"),
        errno.EISDIR: _("is a folder where townsite expects a file: move or rename it"),
        errno.ENAMETOOLONG: _("the path is too long for the file system: use a shorter folder or file name"),
        errno.ELOOP: _("has too many levels of symbolic links: fix the link"),
        errno.EIO: _("input/output error (a failing disk or network share?): check the device, then run again"),
    }.get(code or 0)  # fmt: skip


# A file in the hidden folder a build stages the new site in is named by the output folder.
_STAGED = re.compile(r"(^|.*/)\.([^/]+)\.(?:staging|old)-\d+(?:/.*)?$")


def _shown(path: object) -> str:
    """A path as the editor knows it: relative to the working folder when inside it, and the
    output folder for anything in its staging folder."""
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    text = _STAGED.sub(r"\1\2", text)
    try:
        relative = os.path.relpath(text)
        text = relative if not relative.startswith("..") else text
    except ValueError:
        pass
    return printable(text)


def environment_message(exc: OSError) -> str:
    """One line for a fault of the machine: the path, what went wrong and what to do."""
    path = exc.filename2 if exc.errno == errno.EXDEV and exc.filename2 else exc.filename
    advice = _advice(exc.errno)
    where = _shown(path) if path is not None else _("a file townsite needed")
    if advice is None:
        return _("error: {path}: {reason}").format(path=where, reason=printable(exc.strerror or str(exc)))
    return _("error: {path}: {advice}").format(path=where, advice=advice)


def save_report(folder: Path, argv: list[str]) -> Path:
    """The current exception's traceback in a file (in `folder`, else the temporary folder)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(
        [f"townsite crash report {stamp}\n", f"command: {argv!r}\n", f"python: {sys.version}\n\n",
         traceback.format_exc()]
    )  # fmt: skip
    for where in (folder, Path(tempfile.gettempdir())):
        try:
            where.mkdir(parents=True, exist_ok=True)
            report = where / f"crash-{stamp}-{os.getpid()}.txt"
            report.write_text(text, encoding="utf-8", errors="backslashreplace")
            return report
        except OSError:
            continue
    raise OSError("no folder to save the crash report in")


def guarded(run: Callable[[], int], report_folder: Callable[[], Path], argv: list[str], kept: str) -> int:
    """`run()`, with every failure that is not a content problem turned into one line on stderr.
    `kept` is appended to the line of a fault (e.g. "site/ was not changed.")."""
    try:
        return run()
    except KeyboardInterrupt:
        print(f"\n{_('interrupted.')} {kept}".rstrip(), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `townsite search x | head`: the reader left; nothing to say
        return 0
    except OSError as exc:
        print(f"{environment_message(exc)} {kept}".rstrip(), file=sys.stderr)
        return 1
    except Exception:
        try:
            report = save_report(report_folder(), argv)
            where = _shown(report)
        except Exception:
            where = _("(the report could not be saved)")
        message = _("error: townsite stopped on an internal error; this is a bug in townsite, not in your content. "
                    "Please report it with the file {report}")  # fmt: skip
        print(f"{message.format(report=where)} {kept}".rstrip(), file=sys.stderr)
        return 1
