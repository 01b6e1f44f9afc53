"""The ``minutes`` command's entry point, ``main`` (the commands themselves are in ``extractor.commands``).

Importing click and defining the commands takes longer than an unchanged
re-ingest takes to do its work, so the calls that need neither are run here
without them: ``minutes --version``, and ``minutes ingest`` with its arguments
in the plain forms (``parse_ingest_args``). Anything else — help, a mistake to
report, any other command — goes to click.
"""
from __future__ import annotations

import gc
import os
import sys

# The command's garbage-collector thresholds (Python's are 700, 10, 10). Importing spaCy and
# extracting papers make millions of objects that live for the whole run: with the defaults the
# collector runs some 200 times during start-up alone (about 0.1 s of CPU, 0.2-0.3 s over the 7
# Kent packs), and every few full collections walk them all again.
COMMAND_GC_THRESHOLDS = (50_000, 20, 20)


class _Main:
    """``main``: the click group ``extractor.commands.main``, imported on first use.

    Called as the console script does (no arguments), it first tries the calls
    that need no click. Anything else (``CliRunner().invoke(main, ...)``,
    ``main.commands``) is the click group's own.
    """

    def __call__(self, *args, **kwargs):
        if args or kwargs:
            return _click_group()(*args, **kwargs)
        # The console script: this process is the command's, and ends with it.
        gc.set_threshold(*COMMAND_GC_THRESHOLDS)
        try:
            code = run_without_click(sys.argv[1:])
            if code is not None:
                sys.exit(code)
            return _click_group()()  # click ends the process too (SystemExit)
        except SystemExit:
            # Leave what is still alive to the operating system: the interpreter's shutdown would
            # otherwise collect and free it object by object (spaCy's vocabulary, matchers and
            # tokenizer: about 0.2 s of CPU). atexit handlers, stream flushing and plain
            # reference-count clean-up still run; the database is closed before this.
            gc.freeze()
            raise

    def __getattr__(self, name: str):
        return getattr(_click_group(), name)


def _click_group():
    from .commands import main as group

    return group


main = _Main()


def run_without_click(argv: list[str]) -> int | None:
    """Run ``minutes ARGV`` without click if it needs none: the exit code, else None."""
    if argv == ["--version"]:
        from . import __version__

        sys.stdout.write(f"minutes, version {__version__}\n")  # as click.version_option words it
        return 0
    # on Windows click expands wildcards in the arguments itself
    if argv[:1] == ["ingest"] and os.name != "nt":
        options = parse_ingest_args(argv[1:])
        if options is not None:
            try:
                return ingest_command(**options)
            except KeyboardInterrupt:  # as click ends a command interrupted outside its own handling
                sys.stderr.write("\nAborted!\n")
                return 1
    return None


_INGEST_VALUE_OPTIONS = {"--db": "db", "-j": "jobs", "--jobs": "jobs", "--council": "council"}


def parse_ingest_args(args: list[str]) -> dict | None:
    """``minutes ingest``'s arguments as its click command parses them, or None unless they
    are all in the plain forms: paths, ``--db X``, ``-j N``, ``--jobs N``, ``--force``,
    ``--council X``, each option at most once (``--db=X`` and the like too). Click then
    parses them, and is the one to report any mistake."""
    from pathlib import Path

    paths: list[str] = []
    options: dict = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if not arg.startswith("-"):
            paths.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name == "--force" and not equals:
            key, value = "force", True
        elif name in _INGEST_VALUE_OPTIONS and (not equals or name.startswith("--")):
            key = _INGEST_VALUE_OPTIONS[name]
            if not equals:
                if not rest:
                    return None
                value = rest.pop(0)
            if not value or value.startswith("-"):
                return None
        else:
            return None  # --help, --, -j2, an unknown option, "-": click's to handle
        if key in options:
            return None
        options[key] = value
    jobs = options.get("jobs")
    if jobs is not None:
        if not (jobs.isascii() and jobs.isdigit()) or int(jobs) < 1:
            return None
        jobs = int(jobs)
    db = options.get("db")
    # what click.Path checks of a path that exists: readable, and --db not a folder
    if not paths or "" in paths or any(os.path.exists(p) and not os.access(p, os.R_OK) for p in paths):
        return None
    if db is not None and os.path.exists(db) and (os.path.isdir(db) or not os.access(db, os.R_OK)):
        return None
    return {"paths": tuple(Path(p) for p in paths), "db": None if db is None else Path(db), "jobs": jobs,
            "force": options.get("force", False), "council": options.get("council")}


def ingest_command(paths, db, jobs: int | None, force: bool, council: str | None) -> int:
    """``minutes ingest`` once its arguments are parsed (by click or ``parse_ingest_args``): the exit code."""
    from .errors import MinutesError
    from .ingest import RichProgress, ingest as run_ingest, summary_lines
    from .store import default_db

    db = db or default_db()
    try:
        with RichProgress() as progress:
            summary = run_ingest(list(paths), db, jobs=jobs, force=force, council=council, progress=progress)
    except MinutesError as exc:
        _say(f"minutes: error: {exc}")
        return 1
    except KeyboardInterrupt:  # before the run had started: nothing was written
        _say("minutes: interrupted")
        return 130
    for line in summary_lines(summary):
        _say(line)
    if summary.interrupted:
        return 130
    return failures_reported(summary.failures)


def report_failures(failures: list[str]) -> None:
    """Name every file that failed, one line each, then exit 1."""
    if failures_reported(failures):
        sys.exit(1)


def failures_reported(failures: list[str]) -> int:
    """Name every file that failed on stderr, one line each: 1 if any did, else 0."""
    if not failures:
        return 0
    _say(f"minutes: {len(failures)} file(s) failed:")
    for line in failures:
        _say(f"  {line}")
    return 1


def _say(line: str) -> None:
    """A line on stderr, as ``click.echo(line, err=True)`` writes it."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
