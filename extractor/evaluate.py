"""evaluate: score extracted records against gold JSONL (docs/RECORDS.md, "Evaluation").

A gold directory holds one JSONL file per paper, the same records ``minutes
extract`` writes (``source``, ``doc``, ``register_id`` and ``match_score`` may be
left out). Its ``document`` record's ``id`` (sha256[:16] of the paper's bytes)
joins it to the predictions; a gold file without one is joined by file stem.

Per type: precision, recall and F1 over records, a predicted record matching a
gold record of the same type and paper under the type's rule, pairs taken
one-to-one, best first. Per attribute: accuracy over matched pairs. The
``document`` record's fields are each scored on their own. The macro average is
the mean F1 over the types that have gold, plus the document-field accuracy as
one more term — the same figures as ``../shared/eval/score.py``.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from rapidfuzz.fuzz import token_set_ratio

from .document import document_id
from .errors import MinutesError

RECORD_TYPES = ["item", "service", "provider", "contract", "kpi", "figure", "recommendation", "person"]
DOCUMENT_FIELDS = ["council", "committee", "doc_type", "meeting_date", "title"]
SIMILAR_DOCUMENT_FIELDS = {"committee", "title"}  # the rest compare exactly after folding

_NOT_WORD = re.compile(r"[^\w\s%]")
_SPACES = re.compile(r"\s+")


class EvaluationError(MinutesError):
    """Gold or predictions that cannot be read; ``str()`` names the file and the reason."""


# --- comparisons ----------------------------------------------------------------------------


def fold(value: Any) -> str:
    """Lower case, ``&`` as ``and``, punctuation (but ``%``) dropped, spaces collapsed; None is ``""``."""
    if value is None:
        return ""
    text = str(value).lower().replace("&", " and ")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


def similarity(a: Any, b: Any) -> float:
    """rapidfuzz ``token_set_ratio`` (0–100) of the folded texts."""
    return token_set_ratio(fold(a), fold(b))


def numbers_equal(a: Any, b: Any, tolerance: float) -> bool:
    """Both null, or both numbers within ``tolerance``."""
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tolerance


def _similar_or_both_null(threshold: float) -> Callable[[Any, Any], bool]:
    def check(gold: Any, pred: Any) -> bool:
        if gold is None or pred is None:
            return gold is None and pred is None
        return similarity(gold, pred) >= threshold
    return check


def _same_folded(gold: Any, pred: Any) -> bool:
    return fold(gold) == fold(pred)


def _same_number(gold: Any, pred: Any) -> bool:
    # half a percent of the gold value: £10.8m and 10,800,000 agree, rounding aside
    return numbers_equal(gold, pred, 0.005 * abs(float(gold)) if gold is not None else 0)


ATTRIBUTE_RULES: dict[str, dict[str, Callable[[Any, Any], bool]]] = {
    "service": {"status": _same_folded, "provider": _similar_or_both_null(90)},
    "contract": {"start_date": _same_folded, "term_years": _same_number, "end_date": _same_folded,
                 "annual_value_gbp": _same_number, "savings_gbp": _same_number},
    "recommendation": {"kind": _same_folded},
    "person": {"role": _similar_or_both_null(80)},
    "provider": {"kind": _same_folded},
    "figure": {"subject": _similar_or_both_null(80)},
}
# A contract's attributes count only where the gold states them.
ONLY_STATED_ATTRIBUTES = {"contract"}


def _match_item(gold: dict, pred: dict) -> float:
    if fold(gold["number"]) != fold(pred.get("number")):
        return 0
    s = similarity(gold["title"], pred.get("title"))
    return s if s >= 90 else 0


def _match_service(gold: dict, pred: dict) -> float:
    s = similarity(gold["name"], pred.get("name"))
    if s < 90:
        return 0
    # two services of one name: the one with the gold's provider wins the tie
    return s + (0.5 if ATTRIBUTE_RULES["service"]["provider"](gold.get("provider"), pred.get("provider")) else 0)


def _match_provider(gold: dict, pred: dict) -> float:
    s = similarity(gold["name"], pred.get("name"))
    if s >= 90:
        return s
    if any(fold(gold["name"]) == fold(alias) for alias in pred.get("aliases") or []):
        return 90
    return 0


def _match_contract(gold: dict, pred: dict) -> float:
    s = similarity(gold["provider"], pred.get("provider"))
    if s < 90:
        return 0
    # one provider may hold several contracts: prefer the one agreeing on dates and value
    rules = ATTRIBUTE_RULES["contract"]
    agreeing = sum(1 for f in ("start_date", "end_date", "annual_value_gbp", "term_years")
                   if gold.get(f) is not None and rules[f](gold.get(f), pred.get(f)))
    return s + 0.25 * agreeing


def _match_kpi(gold: dict, pred: dict) -> float:
    if not numbers_equal(gold.get("value"), pred.get("value"), 0.5):
        return 0
    if fold(gold.get("period")) != fold(pred.get("period")):
        return 0
    s = similarity(gold["name"], pred.get("name"))
    return s if s >= 60 else 0


def _match_figure(gold: dict, pred: dict) -> float:
    try:
        g, p = float(gold["value"]), float(pred.get("value"))
    except (TypeError, ValueError):
        return 0
    if gold.get("unit") != pred.get("unit"):
        return 0
    if g != p and abs(g - p) > 0.005 * abs(g):
        return 0
    # the subject only orders candidates of equal value
    return 100 + similarity(gold.get("subject"), pred.get("subject")) / 1000


def _match_recommendation(gold: dict, pred: dict) -> float:
    s = similarity(gold["text"], pred.get("text"))
    return s if s >= 80 else 0


def _match_person(gold: dict, pred: dict) -> float:
    return 100 if fold(gold["name"]) == fold(pred.get("name")) else 0


MATCHERS: dict[str, Callable[[dict, dict], float]] = {
    "item": _match_item, "service": _match_service, "provider": _match_provider,
    "contract": _match_contract, "kpi": _match_kpi, "figure": _match_figure,
    "recommendation": _match_recommendation, "person": _match_person,
}


def match_records(type_name: str, golds: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs, best score first.

    Equal scores go to the later gold and prediction, the order the reference
    scorer uses, so both give the same pairs.
    """
    rule = MATCHERS[type_name]
    candidates = []
    for i, gold in enumerate(golds):
        for j, pred in enumerate(preds):
            score = rule(gold, pred)
            if score > 0:
                candidates.append((score, i, j))
    candidates.sort(reverse=True)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_gold and j not in used_pred:
            used_gold.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


def document_field_matches(gold: dict, pred: dict | None) -> dict[str, bool]:
    """Each document field right or wrong; a missing prediction counts as all null."""
    pred = pred or {}
    out = {}
    for name in DOCUMENT_FIELDS:
        g, p = gold.get(name), pred.get(name)
        if name in SIMILAR_DOCUMENT_FIELDS:
            out[name] = _similar_or_both_null(90)(g, p)
        else:
            out[name] = fold(g) == fold(p)
    return out


# --- inputs ---------------------------------------------------------------------------------


@dataclass
class GoldPaper:
    """One gold file: its join key (the document id, else the file stem) and records by type."""

    key: str
    stem: str
    path: Path
    records: dict[str, list[dict]]

    @property
    def document(self) -> dict:
        docs = self.records.get("document") or []
        return docs[0] if docs else {}


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise EvaluationError(f"{path}:{n}: not JSON ({exc})") from None
        if not isinstance(record, dict) or "type" not in record:
            raise EvaluationError(f"{path}:{n}: a record needs a 'type'")
        out.append(record)
    return out


def load_gold(gold_dir: str | Path) -> list[GoldPaper]:
    """Every ``*.jsonl`` under ``gold_dir`` (sorted), one paper each."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvaluationError(f"{gold_dir}: not a folder of gold JSONL files")
    papers = []
    for path in sorted(gold_dir.glob("*.jsonl")):
        by_type: dict[str, list[dict]] = defaultdict(list)
        for record in _read_jsonl(path):
            by_type[record["type"]].append(record)
        docs = by_type.get("document") or []
        key = docs[0].get("id") if docs and docs[0].get("id") else path.stem
        papers.append(GoldPaper(key=key, stem=path.stem, path=path, records=dict(by_type)))
    if not papers:
        raise EvaluationError(f"{gold_dir}: no gold *.jsonl files")
    return papers


def group_predictions(records: Iterable[dict]) -> dict[str, list[dict]]:
    """Records by the paper they come from (``doc``, or ``id`` on a document record)."""
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_doc[record.get("doc") or record.get("id")].append(record)
    return dict(by_doc)


def load_predictions(path: str | Path) -> dict[str, list[dict]]:
    """A predictions JSONL (``minutes extract --format jsonl`` output), grouped by paper."""
    return group_predictions(_read_jsonl(Path(path)))


def paper_files(docs_dir: str | Path) -> list[Path]:
    """The papers under ``docs_dir`` (walked, sorted, hidden files skipped)."""
    root = Path(docs_dir)
    if not root.is_dir():
        raise EvaluationError(f"{root}: not a folder of papers")
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


def extract_predictions(gold: list[GoldPaper], docs_dir: str | Path,
                        on_error: Callable[[str], None] | None = None) -> dict[str, list[dict]]:
    """Run the extractor over the papers in ``docs_dir`` that have gold.

    A paper joins its gold by document id (sha256[:16] of its bytes) or, when
    the bytes changed since annotation, by file stem. Predictions come back
    keyed by the gold's key. A paper that fails is reported through
    ``on_error`` and scores as predicting nothing.
    """
    from .pipeline import extract

    by_key = {g.key: g for g in gold}
    by_stem = {g.stem: g for g in gold}
    out: dict[str, list[dict]] = {}
    for path in paper_files(docs_dir):
        try:
            doc_id = document_id(path.read_bytes())
        except OSError as exc:
            if on_error:
                on_error(f"{path}: cannot read ({exc})")
            continue
        paper = by_key.get(doc_id) or by_stem.get(path.stem)
        if paper is None or paper.key in out:
            continue
        try:
            result = extract(path)
        except MinutesError as exc:
            if on_error:
                on_error(str(exc))
            continue
        except Exception as exc:  # a bug in one paper must not cost the evaluation
            if on_error:
                on_error(f"{path}: internal error while extracting ({type(exc).__name__}: {exc})")
            continue
        records = [r.to_dict() for r in result.records]
        for record in records:  # join under the gold's key even if the bytes changed
            record["doc"] = paper.key
        out[paper.key] = records
    return out


# --- scoring --------------------------------------------------------------------------------


@dataclass
class TypeScore:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"tp": self.tp, "pred": self.pred, "gold": self.gold, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class Miss:
    """A gold record no prediction matched (``kind="miss"``), a prediction matching no gold
    (``"false_positive"``), or a matched pair disagreeing on an attribute (``"attribute"``)."""

    kind: str
    type: str
    paper: str
    record: dict
    attribute: str | None = None
    predicted: Any = None
    expected: Any = None


@dataclass
class Evaluation:
    """The scores of one run: per type, per attribute, per document field, and the errors."""

    types: dict[str, TypeScore] = field(default_factory=dict)
    attributes: dict[str, list[int]] = field(default_factory=dict)  # "type.attr" → [right, scored]
    document_fields: dict[str, list[int]] = field(default_factory=dict)
    per_paper: dict[str, dict[str, tuple[int, int, int]]] = field(default_factory=dict)
    errors: list[Miss] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        """Mean F1 over types with gold, with document-field accuracy as one more term."""
        terms = [s.f1 for s in self.types.values() if s.gold]
        if self.document_fields:
            right = sum(r for r, _ in self.document_fields.values())
            scored = sum(n for _, n in self.document_fields.values())
            terms.append(right / scored)
        return sum(terms) / len(terms) if terms else 0.0

    def reported_types(self) -> dict[str, TypeScore]:
        """Types with any gold or any prediction, in contract order."""
        return {t: s for t, s in self.types.items() if s.gold or s.pred}

    def to_dict(self, with_errors: bool = False) -> dict:
        """The machine form (``--json``); the keys ``score.py --json`` uses, plus errors when asked."""
        out: dict[str, Any] = {
            "types": {t: s.to_dict() for t, s in self.reported_types().items()},
            "attributes": {k: round(r / n, 3) if n else None for k, (r, n) in sorted(self.attributes.items())},
            "document_fields": {k: round(r / n, 3) if n else None for k, (r, n) in self.document_fields.items()},
            "macro_f1": round(self.macro_f1, 3),
            "per_doc": {paper: {t: list(v) for t, v in counts.items()} for paper, counts in self.per_paper.items()},
        }
        if with_errors:
            out["errors"] = [
                {"kind": e.kind, "type": e.type, "paper": e.paper, "attribute": e.attribute,
                 "expected": e.expected, "predicted": e.predicted, "record": e.record}
                for e in self.errors
            ]
        return out


def check_types(types: Iterable[str]) -> set[str]:
    """The set of type names, refusing any the contract does not have."""
    names = {t.strip() for t in types if t.strip()}
    unknown = names - set(RECORD_TYPES) - {"document"}
    if unknown:
        raise EvaluationError(f"unknown record type(s): {', '.join(sorted(unknown))}")
    return names


def evaluate(gold: list[GoldPaper], predictions: dict[str, list[dict]],
             types: Iterable[str] | None = None) -> Evaluation:
    """Score ``predictions`` (records by paper key) against ``gold``.

    ``types`` limits scoring to those record types; document fields are scored
    only when ``types`` is None or names ``document``.
    """
    only = check_types(types) if types is not None else None
    result = Evaluation(types={t: TypeScore() for t in RECORD_TYPES if only is None or t in only})
    for paper in gold:
        preds_by_type: dict[str, list[dict]] = defaultdict(list)
        for record in predictions.get(paper.key, []):
            preds_by_type[record.get("type")].append(record)
        if only is None or "document" in only:
            pred_doc = (preds_by_type.get("document") or [None])[0]
            for name, right in document_field_matches(paper.document, pred_doc).items():
                tally = result.document_fields.setdefault(name, [0, 0])
                tally[0] += right
                tally[1] += 1
                if not right:
                    result.errors.append(Miss("attribute", "document", paper.stem, paper.document, attribute=name,
                                              predicted=(pred_doc or {}).get(name), expected=paper.document.get(name)))
        counts = {}
        for type_name, score in result.types.items():
            golds = paper.records.get(type_name, [])
            preds = preds_by_type.get(type_name, [])
            pairs = match_records(type_name, golds, preds)
            score.tp += len(pairs)
            score.pred += len(preds)
            score.gold += len(golds)
            counts[type_name] = (len(pairs), len(preds), len(golds))
            _score_attributes(result, paper, type_name, golds, preds, pairs)
            matched_gold = {i for i, _ in pairs}
            matched_pred = {j for _, j in pairs}
            result.errors.extend(Miss("miss", type_name, paper.stem, g)
                                 for i, g in enumerate(golds) if i not in matched_gold)
            result.errors.extend(Miss("false_positive", type_name, paper.stem, p)
                                 for j, p in enumerate(preds) if j not in matched_pred)
        result.per_paper[paper.stem] = counts
    return result


def _score_attributes(result: Evaluation, paper: GoldPaper, type_name: str,
                      golds: list[dict], preds: list[dict], pairs: list[tuple[int, int]]) -> None:
    rules = ATTRIBUTE_RULES.get(type_name, {})
    for i, j in pairs:
        gold, pred = golds[i], preds[j]
        for name, same in rules.items():
            if type_name in ONLY_STATED_ATTRIBUTES and gold.get(name) is None:
                continue
            right = same(gold.get(name), pred.get(name))
            tally = result.attributes.setdefault(f"{type_name}.{name}", [0, 0])
            tally[0] += right
            tally[1] += 1
            if not right:
                # the prediction is shown: it carries the quote a rule writer needs
                result.errors.append(Miss("attribute", type_name, paper.stem, pred, attribute=name,
                                          predicted=pred.get(name), expected=gold.get(name)))


# --- presentation ---------------------------------------------------------------------------

_SUMMARY_FIELDS = {
    "item": ("number", "title"),
    "service": ("name", "status", "provider"),
    "provider": ("name", "kind", "aliases"),
    "contract": ("provider", "start_date", "term_years", "end_date", "annual_value_gbp", "savings_gbp"),
    "kpi": ("name", "ref", "value", "unit", "period", "target", "qualifier"),
    "figure": ("text", "value", "unit", "subject"),
    "recommendation": ("kind", "number", "text"),
    "person": ("name", "role", "organisation"),
    "document": DOCUMENT_FIELDS,
}


def describe(type_name: str, record: dict) -> str:
    """A record's telling fields on one line (``name=…, status=…``)."""
    parts = []
    for name in _SUMMARY_FIELDS.get(type_name, ()):
        value = record.get(name)
        if value in (None, "", []):
            continue
        parts.append(f"{name}={value}")
    return ", ".join(parts)


def render(evaluation: Evaluation, console, show_errors: bool = False, title: str = "Evaluation") -> None:
    """Print the scores as rich tables (and the errors, grouped by type, when asked)."""
    from rich.table import Table

    table = Table(title=title)
    for col in ("type", "tp", "pred", "gold", "P", "R", "F1"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for type_name, s in evaluation.reported_types().items():
        table.add_row(type_name, str(s.tp), str(s.pred), str(s.gold),
                      f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
    console.print(table)
    if evaluation.document_fields:
        fields_table = Table(title="Document fields (accuracy)")
        fields_table.add_column("field")
        fields_table.add_column("right", justify="right")
        fields_table.add_column("accuracy", justify="right")
        for name, (right, n) in evaluation.document_fields.items():
            fields_table.add_row(name, f"{right}/{n}", f"{right / n:.2f}")
        console.print(fields_table)
    if evaluation.attributes:
        attr_table = Table(title="Attributes of matched pairs (accuracy)")
        attr_table.add_column("attribute")
        attr_table.add_column("right", justify="right")
        attr_table.add_column("accuracy", justify="right")
        for name, (right, n) in sorted(evaluation.attributes.items()):
            attr_table.add_row(name, f"{right}/{n}", f"{right / n:.2f}" if n else "–")
        console.print(attr_table)
    console.print(f"macro F1 {evaluation.macro_f1:.3f}")
    if show_errors:
        render_errors(evaluation, console)


def render_errors(evaluation: Evaluation, console) -> None:
    """Misses, false positives and wrong attributes per type, each with its paper and quote."""
    from rich.markup import escape

    headings = {"miss": "missed (in gold, not extracted)", "false_positive": "false positives (extracted, not in gold)",
                "attribute": "wrong attributes of matched records"}
    by_type: dict[str, list[Miss]] = defaultdict(list)
    for err in evaluation.errors:
        by_type[err.type].append(err)
    for type_name in ["document", *RECORD_TYPES]:
        errs = by_type.get(type_name)
        if not errs:
            continue
        console.rule(f"[bold]{type_name}[/bold]")
        for kind, heading in headings.items():
            group = [e for e in errs if e.kind == kind]
            if not group:
                continue
            if type_name == "document" and kind == "attribute":
                heading = "wrong document fields"
            console.print(f"[bold]{heading}[/bold] ({len(group)})")
            for e in group:
                source = e.record.get("source") or {}
                where = e.paper + (f" p.{source['page']}" if source.get("page") else "") + \
                    (f" §{source['section']}" if source.get("section") else "")
                if kind == "attribute":
                    line = f"  {escape(where)}: {e.attribute}: gold {e.expected!r}, predicted {e.predicted!r}"
                    if type_name != "document":
                        line += f" — {escape(describe(type_name, e.record))}"
                else:
                    line = f"  {escape(where)}: {escape(describe(type_name, e.record))}"
                console.print(line, highlight=False, soft_wrap=True)
                if source.get("quote"):
                    quote = " ".join(source["quote"].split())
                    quote = quote if len(quote) <= 240 else quote[:237] + "…"
                    console.print(f"      [dim]“{escape(quote)}”[/dim]", highlight=False, soft_wrap=True)
