"""The command line: `townsite build | check` (and `python build.py ...`, the same CLI)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import __version__
from .buildstate import input_key, up_to_date
from .clock import build_date
from .crash import guarded
from .i18n import LANGUAGES, _, choose_language, ngettext, set_language, translate_argparse
from .lock import BuildLocked, build_lock
from .options import CACHE_DIR, BuildOptions
from .problems import ContentError, printable
from .schema import KINDS

COMMANDS = {"build", "check", "search", "serve", "new"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("`{text}` is not a date: expected YYYY-MM-DD").format(text=text)) from None


def _base_url(text: str) -> str:
    from .config import base_url_problem

    problem = base_url_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text if text.endswith("/") else text + "/"


def _lang(parser: argparse.ArgumentParser) -> None:
    lang_help = _("language of messages: zh (the default) or en; LANG=en_* also gives en")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), help=lang_help)


def _root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help=_("project folder holding content/ (default: .)"))
    _lang(parser)


def _common(parser: argparse.ArgumentParser) -> None:
    _root(parser)
    parser.add_argument("--drafts", action="store_true", help=_("include entries marked `draft: true`"))
    parser.add_argument("--base-url", type=_base_url, help=_("override base_url from content/site.yaml"))
    today_help = _("date treated as today, YYYY-MM-DD (default: SOURCE_DATE_EPOCH)")
    parser.add_argument("--today", type=_date, help=today_help)


def make_parser() -> argparse.ArgumentParser:
    """The parser, its help in the current language (main() chooses it before calling this)."""
    parser = argparse.ArgumentParser(
        prog="townsite",
        description=_("Build the special-towns showcase: Markdown + YAML in content/ → static site in site/."),
    )
    parser.add_argument("--version", action="version", version=f"townsite {__version__}")
    _lang(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _build_and_check(commands)
    _search_serve_new(commands)
    return parser


def _build_and_check(commands: argparse._SubParsersAction) -> None:
    """The commands that run the whole build: `build` writes the site, `check` only validates."""
    links_help = _("also check every internal link, anchor and image of the built pages")
    build_cmd = commands.add_parser(
        "build",
        help=_("validate content/ and build site/ (the default)"),
        description=_(
            "Validate content/ and build the site. The new site replaces site/ only if the whole "
            "build succeeds; on any content problem, every problem is listed as path:line: message, "
            "site/ is left as it was and the exit code is 1."
        ),
    )
    _common(build_cmd)
    build_cmd.add_argument("--out", type=Path, help=_("output folder (default: <root>/site)"))
    build_cmd.add_argument("--timings", action="store_true", help=_("print the time each build stage took"))
    build_cmd.add_argument("--links", action="store_true", help=_("{links}; a broken one keeps the old site").format(
        links=links_help))  # fmt: skip
    check_cmd = commands.add_parser(
        "check",
        help=_("validate everything without writing"),
        description=_(
            "Run the whole build (validation, references, templates, links in bodies) without "
            "writing anything. Exit code 0 when the content is good, 1 with every problem listed otherwise."
        ),
    )
    _common(check_cmd)
    check_cmd.add_argument("--links", action="store_true", help=links_help)


def _search_serve_new(commands: argparse._SubParsersAction) -> None:
    """The editor's other commands: query the index, preview live, start an entry."""
    search_cmd = commands.add_parser(
        "search",
        help=_("query the search index as visitors would, and print the ranked hits"),
        description=_(
            "Bring the Whoosh index in the build cache up to date with content/, then run QUERY "
            "on it: all words must match (when none match all, any may: the output says so). Prints one "
            "hit per line: rank, title, kind, URL, score. The browser's search ranks identically."
        ),
    )
    search_cmd.add_argument("query", help=_('the query, e.g. "玫瑰 小镇"'))
    search_cmd.add_argument("--limit", type=int, default=10, help=_("how many hits to print (default 10)"))
    _common(search_cmd)
    serve_cmd = commands.add_parser(
        "serve",
        help=_("live preview: build with drafts, serve on 127.0.0.1, rebuild and reload on every save"),
        description=_(
            "Build (drafts included, marked 草稿) into a preview folder of its own, serve it on 127.0.0.1 and "
            "watch content/, templates/ and static/. Each save rebuilds only what depends on the change and "
            "reloads the open browser; a content or template error shows in the browser instead of the page, "
            "and the next good save recovers. Ctrl-C stops."
        ),
    )
    _root(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=0, help=_("port (default: any free port; the URL is printed)"))
    serve_cmd.add_argument("--out", type=Path, help=_("preview folder (default: .townsite-cache/preview, never site/)"))
    serve_cmd.add_argument("--today", type=_date, help=_("date treated as today, YYYY-MM-DD"))
    new_cmd = commands.add_parser(
        "new",
        help=_("start a new entry: new town|park|event|page|org NAME"),
        description=_(
            "Write content/<section>/<pinyin-slug>.md with every required field present as a "
            "placeholder (待填写) and a short comment; `check` fails until the placeholders are filled. "
            "Never overwrites an existing file."
        ),
    )
    new_cmd.add_argument("kind", choices=list(KINDS))
    new_cmd.add_argument("name", help=_("the name or title, e.g. 丽江九色玫瑰小镇"))
    _root(new_cmd)
    new_cmd.add_argument("--today", type=_date, help=_("date for a new event (default: today)"))


def _take_language(argv: list[str]) -> tuple[str | None, list[str]]:
    """`--lang X` / `--lang=X` (anywhere: before or after the command), read before the parser
    exists so that its help and errors are in that language too; and the other arguments. A
    value other than zh or en is left for the parser to refuse."""
    lang, rest, i = None, [], 0
    while i < len(argv):
        arg = argv[i]
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
            lang, i = value, i + (2 if arg == "--lang" else 1)
            continue
        rest.append(arg)
        i += 1
    return lang, rest


def _report(problems: list, action: str) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(problems)
    summary = ngettext("error: {count} problem found.", "error: {count} problems found.", count).format(count=count)
    print(_("{summary} {action}").format(summary=summary, action=action) if action else summary, file=sys.stderr)


def run_search(args: argparse.Namespace) -> int:
    from .pipeline import Stages, prepare
    from .search.documents import search_docs
    from .search.record_index import index_of_record

    options = BuildOptions(root=args.root, include_drafts=args.drafts, base_url=args.base_url, today=args.today)
    try:
        config, site = prepare(options, Stages())
    except ContentError as exc:
        _report(exc.problems, _("Fix them to search."))
        return 1
    docs = search_docs(site)
    outcome = index_of_record(docs, options.cache_dir).search(args.query)
    hits = outcome.hits
    if not hits:
        print(_("no hits for “{query}”").format(query=args.query))
        return 0
    if outcome.stage == "partial":
        print(_("no entry has every word of “{query}”; showing entries with some of them").format(query=args.query))
    elif outcome.stage in ("pinyin", "homophone"):
        print(_search_notice(outcome.stage, args.query, outcome.suggestion))
    for rank, hit in enumerate(hits[: args.limit], start=1):
        shown = docs[hit.doc_id].display
        url = config.base_path + shown["url"].lstrip("/")
        print(f"{rank:>3}  {shown['title']}  {shown['kind']}  {url}  {hit.units / 1024:.4f}")
    if len(hits) > args.limit:
        print("     " + _("... {count} more").format(count=len(hits) - args.limit))
    return 0


def _search_notice(stage: str, query: str, meant: str) -> str:
    if stage == "pinyin":
        return _("read {query} as pinyin").format(query=repr(query))
    if meant:
        return _("nothing has {query} whole; did you mean {meant}? showing its results").format(
            query=repr(query), meant=repr(meant)
        )
    return _("nothing has {query} whole; showing entries that sound the same").format(query=repr(query))


def main(argv: list[str] | None = None) -> int:
    lang, argv = _take_language(list(sys.argv[1:] if argv is None else argv))
    set_language(choose_language(lang, os.environ))
    translate_argparse()
    parser = make_parser()
    if not argv or argv[0] not in COMMANDS | {"-h", "--help", "--version"}:
        argv = ["build", *argv]  # `python build.py [options]` means build
    args = parser.parse_args(argv)
    root = getattr(args, "root", Path("."))
    if args.command == "build":
        misplaced = out_dir_problem(root, args.out or root / "site")
        if misplaced:
            print(_("error: {error}").format(error=misplaced), file=sys.stderr)
            return 2
    kept = _("site/ was not changed.") if args.command == "build" else ""
    report_folder = BuildOptions(root=root).cache_dir
    return guarded(lambda: _locked(args), lambda: report_folder, argv, kept)


def out_dir_problem(root: Path, out: Path) -> str | None:
    """Why `out` cannot be the output folder (which a build replaces whole), or None."""
    project, target = root.resolve(), out.resolve()
    inputs = [project / name for name in ("content", "templates", "static", CACHE_DIR)]
    if target == project or target in project.parents or any(target.is_relative_to(p) for p in inputs):
        return _("--out {out}: the output folder is replaced whole on every build, so it may not be the project "
                 "folder, hold it, or be inside content/, templates/, static/ or the cache; use e.g. "
                 "{root}/site").format(out=printable(str(out)), root=printable(str(root)))  # fmt: skip
    if out.exists() and not out.is_dir():
        return _("--out {out} is a file, not a folder: name a folder").format(out=printable(str(out)))
    if out.is_dir() and os.path.ismount(out):
        return _("--out {out} is a mount point, which cannot be replaced: give a folder inside it, e.g. "
                 "{out}/site").format(out=printable(str(out)))  # fmt: skip
    return None


def _locked(args: argparse.Namespace) -> int:
    """Commands that write the build cache or the site hold the project's build lock."""
    if args.command not in ("build", "search"):
        return _dispatch(args)
    cache_dir = BuildOptions(root=args.root).cache_dir

    def waiting() -> None:
        print(_("waiting for another build of this project to finish..."), file=sys.stderr)

    try:
        with build_lock(cache_dir, on_wait=waiting):
            return _dispatch(args)
    except BuildLocked as exc:
        message = _("error: another build of this project is running (it holds {lock}); wait for it to finish, "
                    "or stop it, then run again")  # fmt: skip
        print(message.format(lock=printable(str(exc.path))), file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "search":
        return run_search(args)
    if args.command == "serve":
        from .serve import serve  # livereload and tornado load only for the preview

        options = BuildOptions(root=args.root, out_dir=args.out, today=args.today)
        return serve(options, port=args.port)
    if args.command == "new":
        from .scaffold import ScaffoldError, new_entry

        try:
            path = new_entry(args.root, args.kind, args.name, build_date(args.today))
        except ScaffoldError as exc:
            print(_("error: {error}").format(error=exc), file=sys.stderr)
            return 1
        print(_("wrote {path}: fill in every 待填写, then run `python build.py check`").format(path=path))
        return 0
    return _build(args)


def _build(args: argparse.Namespace) -> int:
    """`build` and `check`."""
    options = BuildOptions(
        root=args.root,
        out_dir=getattr(args, "out", None),
        include_drafts=args.drafts,
        base_url=args.base_url,
        today=args.today,
        write=args.command == "build",
        check_links=getattr(args, "links", False),
    )
    key = input_key(options.root.absolute(), options.settings_text()) if options.write else None
    if key and up_to_date(options.cache_dir, options.output_dir, key):
        print(_("{folder} is up to date: no input changed since the last build").format(folder=options.output_dir))
        return 0
    from .engine import build  # the rest of townsite loads only when there is work to do

    try:
        result = build(options, key)
    except ContentError as exc:
        _report(exc.problems, _("site/ was not changed.") if args.command == "build" else "")
        return 1
    if result.unchanged or result.site is None:
        print(_("{folder} is up to date: no input changed since the last build").format(folder=options.output_dir))
    elif args.command == "build":
        entries = sum(len(v) for v in result.site.entries.values())
        message = _("built {pages} pages from {entries} entries into {folder}")
        print(message.format(pages=len(result.pages), entries=entries, folder=options.output_dir))
    else:
        entries = sum(len(v) for v in result.site.entries.values())
        print(_("ok: {entries} entries, {pages} pages, no problems").format(entries=entries, pages=len(result.pages)))
    if getattr(args, "timings", False):
        _print_timings(result.timings)
    return 0


def _print_timings(timings: list[tuple[str, float]]) -> None:
    total = sum(seconds for _name, seconds in timings)
    width = max(len(name) for name, _seconds in [*timings, ("total", 0)])
    for name, seconds in timings:
        print(f"  {name:<{width}} {seconds * 1000:9.1f} ms")
    print(f"  {'total':<{width}} {total * 1000:9.1f} ms")
