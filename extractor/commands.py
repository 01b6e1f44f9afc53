"""The ``minutes`` commands, in click. Thin: each command parses options, calls the library, renders.

``extractor.cli.main`` is the entry point: it imports this module when a command needs click.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .cli import ingest_command, report_failures
from .errors import MinutesError

FORMATS = ["table", "jsonl", "csv"]


def default_format(fmt: str | None) -> str:
    """A rich table on a terminal, JSONL when piped, unless the user said."""
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "jsonl"


class MinutesGroup(click.Group):
    """Turns the library's typed errors into one clear line on stderr and exit 1, for every command."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MinutesError as exc:
            click.echo(f"minutes: error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=MinutesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minutes")
def main() -> None:
    """Read UK council committee papers into cited, queryable facts.

    Papers may be PDF, DOCX, HTML (ModernGov pages included), text or markdown;
    the type is sniffed from the content.
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--blocks", is_flag=True,
              help="Print the blocks the text is read as (kind, page, section, number, level, lead-in) instead.")
def text(path: Path, blocks: bool) -> None:
    """Print the normalised plain text of PATH that every record offset refers to.

    Example: minutes text corpus/docs/002_16938f72451128da.txt
    """
    from .loaders import load

    document = load(path)
    for warning in document.warnings:
        click.echo(f"minutes: warning: {document.path}: {warning}", err=True)
    if blocks:
        from .structure import describe, structure

        for line in describe(document, structure(document)):
            click.echo(line)
        return
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
    if as_json:
        click.echo(json.dumps(result.to_dict(with_errors=show_errors), indent=1, ensure_ascii=False))
    else:
        ev.render(result, Console(), show_errors=show_errors, title=f"Evaluation against {gold_dir}")
    report_failures(failures)


def _db_option(f):
    return click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="The corpus database (default: $MINUTES_DB, else minutes.db here).")(f)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_db_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--force", is_flag=True, help="Extract every paper again, changed or not.")
@click.option("--council", default=None, help="The council of every paper, whatever the papers say.")
def ingest(paths: tuple[Path, ...], db: Path | None, jobs: int | None, force: bool, council: str | None) -> None:
    """Extract the papers under PATHS into the corpus database.

    Folders are walked for PDF, DOCX, HTML, text and markdown papers. A paper
    whose bytes are already stored by this version of the rules is skipped, so
    running it again over the same folders only does what is new. The council
    comes from the paper, else from its folder (papers/barnet/2017/x.pdf is
    Barnet), unless --council says.

    Example: minutes ingest papers/ --db minutes.db
    """
    code = ingest_command(paths, db, jobs, force, council)
    if code:
        sys.exit(code)


def _listing_options(f):
    """``--format``, ``-o`` and ``--db``, as every corpus listing command takes them."""
    from .outputs.table import LISTING_FORMATS

    f = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Write to this file (the format follows its suffix unless --format says).")(f)
    f = click.option("--format", "fmt", type=click.Choice(LISTING_FORMATS), default=None,
                     help="table (default on a terminal), csv, jsonl (default when piped) or xlsx (needs -o).")(f)
    return _db_option(f)


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--council", default=None, help="Only papers of this council.")
@click.option("--since", default=None, help="Only meetings on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, help="Only meetings on or before this date.")
@click.option("--type", "record_type", type=click.Choice(["item", "service", "provider", "contract", "kpi", "figure",
                                                          "recommendation", "person"]), default=None,
              help="Only passages holding a record of this type (and list those records).")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True, help="At most this many hits (0: all).")
@click.option("--all", "include_duplicates", is_flag=True, help="Also show passages that repeat one already shown.")
@_listing_options
def search(query: tuple[str, ...], council: str | None, since: str | None, until: str | None, record_type: str | None,
           limit: int, include_duplicates: bool, fmt: str | None, output: Path | None, db: Path | None) -> None:
    """Full-text search of the ingested papers, each hit cited (council, date, paper, page, section).

    QUERY is FTS5 syntax: words (all must occur), "a phrase", OR, NOT, prefix*.

    Example: minutes search Babcock --council Worcestershire --format csv -o hits.csv
    """
    from .analyses.search import COLUMNS, TABLE_COLUMNS, SearchQuery, search as run_search
    from .outputs.table import choose_format, write_rows
    from .store import default_db

    fmt = choose_format(fmt, output)
    hits = run_search(db or default_db(), SearchQuery(" ".join(query), council=council, since=since, until=until,
                                                      record_type=record_type, limit=limit or None,
                                                      include_duplicates=include_duplicates))
    table_columns = TABLE_COLUMNS + (["records"] if record_type else [])
    write_rows(hits, fmt, output, columns=COLUMNS, table_columns=table_columns,
               title=f"{len(hits)} passage(s) matching {' '.join(query)!r}")


@main.command()
@click.argument("records", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--names", "names_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Reconcile a plain list of names (one a line) or a CSV column instead of records.")
@click.option("--column", default=None, help="The CSV column holding the names (default: the first).")
@click.option("--kind", type=click.Choice(["services", "providers"]), default="services", show_default=True,
              help="Which register --names are matched against.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="jsonl (records; default when piped), csv, or table (default on a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file.")
@click.option("--register", "register_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Your own register CSV (services or providers, sniffed from its header); extends the shipped one.")
@click.option("--replace-register", is_flag=True, help="Use --register instead of the shipped register, not as well.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Decisions file (default: beside --register, else models/registers/decisions.csv).")
@click.option("--review", is_flag=True, help="Walk the close calls interactively and remember the decisions.")
@click.option("--export-review", "export_review_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the close calls to a CSV to fill in (column 'choice').")
@click.option("--apply", "apply_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Record the decisions filled in a review CSV before reconciling.")
@click.option("--match-threshold", type=float, default=None, help="Score to accept a match (default 88).")
@click.option("--review-threshold", type=float, default=None, help="Score below which a name is unmatched (default 60).")
@click.option("--margin", type=float, default=None, help="Lead over the runner-up a match needs (default 6).")
@_db_option
def reconcile(records: Path | None, names_path: Path | None, column: str | None, kind: str, fmt: str | None,
              output: Path | None, register_files: tuple[Path, ...], replace_register: bool, decisions_path: Path | None,
              review: bool, export_review_path: Path | None, apply_path: Path | None, match_threshold: float | None,
              review_threshold: float | None, margin: float | None, db: Path | None) -> None:
    """Give services and providers canonical register ids.

    RECORDS is an extraction JSONL file: `service` records get `register_id` and `match_score`,
    `provider` records too. Without RECORDS, the corpus database (--db) is reconciled in place.
    Or reconcile your own list: --names FILE [--column NAME]. Close calls
    are never accepted silently: walk them with --review, or --export-review FILE, fill in
    `choice`, and --apply FILE. Decisions win over scores next time.

    Example: minutes reconcile --names councils_services.csv --column service --format csv
    """
    from .reconcile import Thresholds, run_reconcile

    if records is not None and names_path is not None:
        raise click.UsageError("give either RECORDS or --names, not both")
    if records is None and names_path is None and db is None and apply_path is None:
        from .store import default_db

        if default_db().exists():
            db = default_db()
        else:
            raise click.UsageError("give an extraction JSONL file, --names FILE, --db FILE, or --apply FILE")
    if review and not sys.stdin.isatty():
        raise click.UsageError("--review needs a terminal; use --export-review FILE and --apply FILE instead")
    fmt = fmt or ("jsonl" if records is not None and (output or not sys.stdout.isatty()) else default_format(None))
    defaults = Thresholds()
    thresholds = Thresholds(match=defaults.match if match_threshold is None else match_threshold,
                            review=defaults.review if review_threshold is None else review_threshold,
                            margin=defaults.margin if margin is None else margin)
    problems = run_reconcile(records_path=records, names_path=names_path, column=column, kind=kind, fmt=fmt,
                             output=output, register_files=register_files, replace=replace_register,
                             decisions_path=decisions_path, review=review, export_review_path=export_review_path,
                             apply_path=apply_path, thresholds=thresholds, echo=lambda m: click.echo(m, err=True),
                             db_path=db if records is None and names_path is None else None)
    report_failures(problems)


@main.group()
def register() -> None:
    """Check the registers of services and providers."""


@register.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lgsl", "lgsl_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="LGSL export (Identifier,Label,Status) to check LGSL ids against (default: ../shared/registers if there).")
def register_check(files: tuple[Path, ...], lgsl_path: Path | None) -> None:
    """Validate registers (default: the shipped ones): duplicate ids, an alias claimed by two
    entries, empty names, unknown LGSL ids, unknown parents. Exit 1 when any error.

    Example: minutes register check my_services.csv --lgsl englishAndWelshServices-all.csv
    """
    from .registers import run_check

    errors = run_check(files, lgsl_path, echo=click.echo)
    if errors:
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", default=8765, show_default=True, type=int, help="Port (0 picks a free one).")
@click.option("--register", "register_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Your own register CSV, extending the shipped one.")
@click.option("--replace-register", is_flag=True, help="Serve --register instead of the shipped register.")
@click.option("--decisions", "decisions_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Decisions file whose rulings win over scores.")
def serve(host: str, port: int, register_files: tuple[Path, ...], replace_register: bool, decisions_path: Path | None) -> None:
    """Serve the registers as an OpenRefine reconciliation service (http://127.0.0.1:8765/reconcile).

    Example: minutes serve --port 8765, then in OpenRefine: Reconcile > Start reconciling >
    Add standard service > http://127.0.0.1:8765/reconcile
    """
    from .reconcile import Decisions, build_reconcilers, default_decisions_path
    from .serve import run_server

    decisions = Decisions(decisions_path or default_decisions_path(register_files[0] if register_files else None))
    reconcilers = build_reconcilers(register_files, replace=replace_register, decisions=decisions)
    run_server(reconcilers, host, port, echo=lambda m: click.echo(m, err=True))


@main.command()
@click.option("--council", default=None, help="Only recommendations in papers of this council.")
@click.option("--committee", default=None, help="Only papers of committees whose name holds this text.")
@click.option("--since", default=None, help="Only papers dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default=None, help="Only papers dated on or before this.")
@click.option("--as-of", "as_of", default=None, help="Judge 'overdue' on this day (YYYY-MM-DD; default today).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Score (0-1) a passage needs to be proposed as evidence (default 0.6).")
@click.option("--review", is_flag=True, help="Confirm or reject each proposed link in the terminal.")
@click.option("--export-review", "export_review_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the proposals to a CSV to fill in (column 'decision': confirm or reject).")
@click.option("--apply", "apply_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store the rulings of a filled review CSV first.")
@_listing_options
def followup(council: str | None, committee: str | None, since: str | None, until: str | None, as_of: str | None,
             min_score: float | None, review: bool, export_review_path: Path | None, apply_path: Path | None,
             fmt: str | None, output: Path | None, db: Path | None) -> None:
    """Was each recommendation followed up? Evidence from later papers of the same council.

    Status: 'followed up' (with the citing passage and a score), 'overdue' (due date passed,
    no evidence) or 'no evidence yet'. Confirmed links are remembered and win next time.

    Example: minutes followup --council Kent --format csv -o tracker.csv
    """
    from .analyses.followup import DEFAULT_MIN_SCORE, FollowupQuery, run_followup
    from .outputs.table import choose_format
    from .store import default_db

    if review and not sys.stdin.isatty():
        raise click.UsageError("--review needs a terminal; use --export-review FILE and --apply FILE instead")
    query = FollowupQuery(council=council, committee=committee, since=since, until=until, as_of=as_of,
                          min_score=DEFAULT_MIN_SCORE if min_score is None else min_score)
    problems = run_followup(db or default_db(), query, fmt=choose_format(fmt, output), output=output, review=review,
                            export_review_path=export_review_path, apply_path=apply_path,
                            echo=lambda m: click.echo(m, err=True))
    report_failures(problems)


@main.command()
@click.option("--by", type=click.Choice(["service", "provider", "council"]), default=None,
              help="Pivot: services or providers down the side and councils across, or one row per council.")
@click.option("--council", default=None, help="Only papers of this council.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl", "xlsx", "parquet"]), default=None,
              help="table (default on a terminal), csv, jsonl (default when piped), xlsx or parquet (need -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (the format follows its suffix unless --format says).")
@click.option("--save-ids", is_flag=True,
              help="Write the register ids found on the fly back to the database (as `minutes reconcile --db` does).")
@_db_option
def compare(by: str | None, council: str | None, fmt: str | None, output: Path | None, save_ids: bool,
            db: Path | None) -> None:
    """Compare councils: service (register id), provider (register id), status, contract terms, and the paper.

    Example: minutes compare --by service --format xlsx -o councils.xlsx
    """
    from .analyses.compare import run_compare
    from .outputs.table import choose_format
    from .store import default_db

    if fmt is None and output is not None and output.suffix.lower() == ".parquet":
        fmt = "parquet"
    run_compare(db or default_db(), by=by, council=council, fmt=choose_format(fmt, output), output=output,
                save_ids=save_ids)


@main.command()
@click.option("--council", default=None, help="Only papers of this council.")
@click.option("--measure", default=None, help="Only measures whose name holds this text (or whose ref is it).")
@click.option("--chart", "chart_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw every series as a line chart in this SVG file.")
@_listing_options
def kpis(council: str | None, measure: str | None, chart_path: Path | None, fmt: str | None, output: Path | None,
         db: Path | None) -> None:
    """KPI observations as time series per council and measure (periods normalised to sortable keys).

    Example: minutes kpis --council Barnet --measure assessments --chart kpis.svg
    """
    from .analyses.kpi_series import run_kpis
    from .outputs.table import choose_format
    from .store import default_db

    run_kpis(db or default_db(), council=council, measure=measure, fmt=choose_format(fmt, output), output=output,
             chart_path=chart_path, echo=lambda m: click.echo(m, err=True))


@main.command("export")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet", "xlsx"]), default="csv",
              show_default=True, help="One file per record type in this format.")
@click.option("--unique", is_flag=True, help="Leave out records that copy one already stored (published twice).")
@_db_option
def export_cmd(outdir: Path, fmt: str, unique: bool, db: Path | None) -> None:
    """Write one table per record type (service.csv, kpi.csv, ...) joined with its paper's metadata.

    Example: minutes export --format parquet out/tables
    """
    from .outputs.export import export
    from .store import default_db

    written = export(db or default_db(), outdir, fmt, include_duplicates=not unique)
    for rtype, path in written.items():
        click.echo(f"{rtype}\t{path}")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--as-of", "as_of", default=None, help="Judge overdue recommendations on this day (default today).")
@_db_option
def report(output: Path, as_of: str | None, db: Path | None) -> None:
    """Write ONE self-contained HTML report (no network needed to view it).

    Corpus overview, council x service outsourcing matrix, follow-up tracker, KPI charts,
    and every record linked to its quote.

    Example: minutes report --db minutes.db -o report.html
    """
    from .outputs.report import write_report
    from .store import default_db

    path = write_report(db or default_db(), output, as_of=as_of)
    click.echo(f"minutes: report written to {path.resolve()} (open it in a browser)", err=True)


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
