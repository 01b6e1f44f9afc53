"""The ``minutes`` command. Thin: each command parses options, calls the library, renders."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import MinutesError

FORMATS = ["table", "jsonl", "csv"]


def default_format(fmt: str | None) -> str:
    """A rich table on a terminal, JSONL when piped, unless the user said."""
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "jsonl"


def report_failures(failures: list[str]) -> None:
    """Name every file that failed, one line each, then exit 1."""
    if failures:
        click.echo(f"minutes: {len(failures)} file(s) failed:", err=True)
        for line in failures:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutes")
def main() -> None:
    """Read UK council committee papers into cited, queryable facts.

    Papers may be PDF, DOCX, HTML (ModernGov pages included), text or markdown;
    the type is sniffed from the content.
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def text(path: Path) -> None:
    """Print the normalised plain text of PATH that every record offset refers to.

    Example: minutes text corpus/docs/002_16938f72451128da.txt
    """
    from .loaders import load

    try:
        document = load(path)
    except MinutesError as exc:
        click.echo(f"minutes: error: {exc}", err=True)
        sys.exit(1)
    for warning in document.warnings:
        click.echo(f"minutes: warning: {document.path}: {warning}", err=True)
    sys.stdout.write(document.text)
    if not document.text.endswith("\n"):
        sys.stdout.write("\n")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="table (default on a terminal), jsonl (default when piped) or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@click.option("--council", default=None, help="Council name to use when a paper does not say.")
def extract(paths: tuple[Path, ...], fmt: str | None, output: Path | None, council: str | None) -> None:
    """Extract the contract's records from each paper in PATHS.

    A file that cannot be read is named with the reason on stderr; the rest of
    the batch goes on, and the exit code is 1 at the end.

    Example: minutes extract corpus/docs/*.txt --format jsonl
    """
    from .outputs.render import RecordWriter
    from .pipeline import extract as extract_paper

    fmt = "jsonl" if (output and not fmt) else default_format(fmt)
    failures: list[str] = []
    with RecordWriter(fmt, output) as writer:
        for path in _expand(paths):
            try:
                result = extract_paper(path, council=council)
            except MinutesError as exc:
                click.echo(f"minutes: error: {exc}", err=True)
                failures.append(str(exc))
                continue
            except Exception as exc:  # a bug must not cost the rest of the batch
                msg = f"{path}: internal error while extracting ({type(exc).__name__}: {exc})"
                click.echo(f"minutes: error: {msg}", err=True)
                failures.append(msg)
                continue
            for warning in result.document.warnings:
                click.echo(f"minutes: warning: {path}: {warning}", err=True)
            writer.write(result)
    report_failures(failures)


@main.command()
@click.argument("gold_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--docs", "docs_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Extract the papers in this folder and score them (default: docs/ beside GOLD_DIR).")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Score this JSONL of records (minutes extract --format jsonl) instead of extracting.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--show-errors", is_flag=True, help="List misses, false positives and wrong attributes with their quotes.")
@click.option("--types", default=None, help="Comma-separated record types to score (document fields only if 'document' is named).")
def evaluate(gold_dir: Path, docs_dir: Path | None, predictions: Path | None, as_json: bool,
             show_errors: bool, types: str | None) -> None:
    """Score extraction against gold JSONL files: P/R/F1 per type, attribute accuracy.

    Matching follows docs/RECORDS.md ("Evaluation"). Papers join their gold
    file by document id (sha256[:16] of the bytes) or by file stem.

    Example: minutes evaluate corpus/gold --docs corpus/docs --show-errors
    """
    import json

    from rich.console import Console

    from . import evaluate as ev

    if docs_dir and predictions:
        raise click.UsageError("give --docs or --predictions, not both")
    failures: list[str] = []
    try:
        only = ev.check_types(types.split(",")) if types else None
        gold = ev.load_gold(gold_dir)
        if predictions:
            preds = ev.load_predictions(predictions)
        else:
            if docs_dir is None:
                docs_dir = gold_dir.parent / "docs"
                if not docs_dir.is_dir():
                    raise click.UsageError(f"no --docs or --predictions given and {docs_dir} does not exist")

            def failed(msg: str) -> None:
                click.echo(f"minutes: error: {msg}", err=True)
                failures.append(msg)

            preds = ev.extract_predictions(gold, docs_dir, on_error=failed)
            for paper in gold:
                if paper.key not in preds and not any(paper.key in f for f in failures):
                    click.echo(f"minutes: warning: no paper in {docs_dir} for gold {paper.path.name}", err=True)
        result = ev.evaluate(gold, preds, only)
    except MinutesError as exc:
        click.echo(f"minutes: error: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result.to_dict(with_errors=show_errors), indent=1, ensure_ascii=False))
    else:
        ev.render(result, Console(), show_errors=show_errors, title=f"Evaluation against {gold_dir}")
    report_failures(failures)


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders walked (sorted, hidden files skipped)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out


if __name__ == "__main__":  # pragma: no cover
    main()
