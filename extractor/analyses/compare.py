"""compare: the researchers' table across councils — who provides which service, on what contract.

One row per service a paper names (copies published twice counted once): the
council, the service with its register id, the provider with its register id,
the arrangement's status, and the provider's contract in the same paper
(start, term, end, annual value, savings), with the paper, page and quote that
say so. A contract whose provider no service names in that paper is a row of
its own. Services and providers that were never reconciled are reconciled on
the fly against the registers (nothing is written back).

``pivot`` turns the rows into a matrix: services (``by="service"``) or
providers (``by="provider"``) down the side and councils across, or one
summary row per council (``by="council"``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from rapidfuzz import fuzz

from ..errors import MinutesError
from ..store import Store

COLUMNS = ["council", "service", "service_id", "provider", "provider_id", "status", "start_date", "term_years",
           "end_date", "annual_value_gbp", "savings_gbp", "savings_period", "committee", "date", "paper", "doc",
           "page", "section", "quote", "contract_page", "contract_quote", "also_in", "record_id", "contract_record_id"]
TABLE_COLUMNS = ["council", "service", "service_id", "provider", "provider_id", "status", "end_date",
                 "annual_value_gbp", "paper", "page"]
PIVOTS = ("service", "provider", "council")
# Provider names this similar (rapidfuzz token_set_ratio) name the same provider within one paper.
SAME_PROVIDER = 90
_FOLD = re.compile(r"[^\w]+")


class CompareError(MinutesError):
    """A pivot or filter the comparison cannot do."""


def _fold(name: str | None) -> str:
    return _FOLD.sub(" ", (name or "").lower()).strip()


def _same(a: str | None, b: str | None) -> bool:
    fa, fb = _fold(a), _fold(b)
    return bool(fa and fb) and (fa == fb or fuzz.token_set_ratio(fa, fb) >= SAME_PROVIDER)


def compare(db: str | Path, council: str | None = None, reconcile: bool = True) -> list[dict]:
    """The comparison rows (see the module docstring), sorted by council, service and provider."""
    with Store(db, create=False, readonly=True) as store:
        papers = {r["id"]: r for r in store.conn.execute(
            "SELECT id, name, council, committee, meeting_date FROM documents")}
        by_doc: dict[str, dict[str, list[tuple]]] = {}
        for r in store.conn.execute(
                "SELECT id, doc_id, type, page, section, quote, block_id, data FROM records "
                "WHERE type IN ('service', 'provider', 'contract') AND duplicate_of IS NULL ORDER BY doc_id, seq"):
            paper = papers.get(r["doc_id"])
            if paper is None or (council and (paper["council"] or "").lower() != council.lower()):
                continue
            by_doc.setdefault(r["doc_id"], {}).setdefault(r["type"], []).append(
                (json.loads(r["data"]), r["page"], r["section"], r["quote"], r["block_id"], r["id"]))
    rows = []
    for doc_id, found in by_doc.items():
        rows.extend(_paper_rows(papers[doc_id], found))
    if reconcile:
        _fill_register_ids(rows)
    rows = _collapse(rows)
    rows.sort(key=lambda x: ((x["council"] or "").lower(), _fold(x["service"]), _fold(x["provider"])))
    return rows


def _paper_rows(paper, found: dict[str, list[tuple]]) -> list[dict]:
    providers = found.get("provider", [])
    contracts = found.get("contract", [])
    used: set[int] = set()
    rows = []

    def provider_record(name: str | None) -> dict | None:
        for data, *_ in providers:
            if _same(name, data.get("name")) or any(_fold(a) == _fold(name) for a in data.get("aliases") or []):
                return data
        return None

    def contract_for(name: str | None, block_id: int | None) -> tuple | None:
        if not name:
            return None
        record = provider_record(name)
        names = [name] + ([record["name"], *(record.get("aliases") or [])] if record else [])
        matches = [(i, c) for i, c in enumerate(contracts) if any(_same(n, c[0].get("provider")) for n in names)]
        if not matches:
            return None
        # the contract stated beside the service first, else the one that says most
        i, best = max(matches, key=lambda ic: (ic[1][4] == block_id and block_id is not None,
                                               sum(ic[1][0].get(f) is not None for f in _CONTRACT_FIELDS)))
        used.add(i)
        return best

    for data, page, section, quote, block_id, record_id in found.get("service", []):
        provider = data.get("provider")
        record = provider_record(provider)
        rows.append(_row(paper, data.get("name"), data.get("register_id"), provider,
                         record.get("register_id") if record else None, data.get("status"),
                         contract_for(provider, block_id), page, section, quote, record_id))
    for i, contract in enumerate(contracts):
        if i in used:
            continue
        data, page, section, quote, _, record_id = contract
        record = provider_record(data.get("provider"))
        rows.append(_row(paper, None, None, data.get("provider"), record.get("register_id") if record else None,
                         None, contract, page, section, quote, record_id))
    return rows


_CONTRACT_FIELDS = ("start_date", "term_years", "end_date", "annual_value_gbp", "savings_gbp", "savings_period")


def _row(paper, service, service_id, provider, provider_id, status, contract, page, section, quote, record_id) -> dict:
    terms = contract[0] if contract else {}
    return {
        "council": paper["council"], "service": service, "service_id": service_id, "provider": provider,
        "provider_id": provider_id, "status": status, **{f: terms.get(f) for f in _CONTRACT_FIELDS},
        "committee": paper["committee"], "date": paper["meeting_date"], "paper": paper["name"], "doc": paper["id"],
        "page": page, "section": section, "quote": quote,
        "contract_page": contract[1] if contract else None, "contract_quote": contract[3] if contract else None,
        "also_in": [], "record_id": record_id, "contract_record_id": contract[5] if contract else None,
    }


def _fill_register_ids(rows: list[dict]) -> None:
    """Register ids for names the store holds unreconciled, decided by the shipped registers (and decisions)."""
    want = {"services": {r["service"] for r in rows if r["service"] and not r["service_id"]},
            "providers": {r["provider"] for r in rows if r["provider"] and not r["provider_id"]}}
    if not any(want.values()):
        return
    from ..reconcile import build_reconcilers

    reconcilers = build_reconcilers()
    ids = {}
    for kind, names in want.items():
        names = sorted(names)
        for name, match in zip(names, reconcilers[kind].match_many(names)):
            ids[(kind, name)] = match.register_id
    for r in rows:
        if r["service"] and not r["service_id"]:
            r["service_id"] = ids.get(("services", r["service"]))
        if r["provider"] and not r["provider_id"]:
            r["provider_id"] = ids.get(("providers", r["provider"]))


def _collapse(rows: list[dict]) -> list[dict]:
    """One row per council, service, provider and status: the paper that says most (the latest on a tie)
    keeps the row, the other papers saying the same are named in ``also_in``."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        # the service as named, not its register id: two services of one paper sharing an id stay two rows
        key = ((r["council"] or "").lower(), _fold(r["service"]), r["provider_id"] or _fold(r["provider"]), r["status"],
               None if r["service"] else r["contract_quote"])
        groups.setdefault(key, []).append(r)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (sum(r[f] is not None for f in _CONTRACT_FIELDS), r["date"] or ""), reverse=True)
        best = dict(group[0])
        best["also_in"] = sorted({r["paper"] for r in group[1:] if r["paper"] != best["paper"]})
        out.append(best)
    return out


def _label(name: str | None, register_id: str | None) -> str:
    return f"{name} [{register_id}]" if register_id else (name or "")


def pivot(rows: list[dict], by: str) -> list[dict]:
    """A matrix over councils: ``service`` or ``provider`` down the side, councils across; or per council."""
    if by not in PIVOTS:
        raise CompareError(f"cannot pivot by {by!r} (choose from {', '.join(PIVOTS)})")
    councils = sorted({r["council"] or "(unknown)" for r in rows}, key=str.lower)
    if by == "council":
        return [_council_summary(c, [r for r in rows if (r["council"] or "(unknown)") == c]) for c in councils]
    side: dict[str, dict] = {}
    for r in rows:
        if by == "service" and not r["service"]:
            continue
        name, rid = (r["service"], r["service_id"]) if by == "service" else (r["provider"], r["provider_id"])
        if not name:
            continue
        key = rid or _fold(name)
        entry = side.setdefault(key, {by: name, f"{by}_id": rid, "_cells": {}})
        cell = entry["_cells"].setdefault(r["council"] or "(unknown)", [])
        other = (_label(r["provider"], r["provider_id"]) + (f" ({r['status']})" if r["status"] else "")
                 if by == "service" else _label(r["service"], r["service_id"]))
        if other and other not in cell:
            cell.append(other)
    out = []
    for entry in sorted(side.values(), key=lambda e: (-len(e["_cells"]), _fold(e[by]))):
        cells = entry.pop("_cells")
        out.append({**entry, "councils": len(cells), **{c: "; ".join(cells.get(c, [])) or None for c in councils}})
    return out


def _council_summary(council: str, rows: list[dict]) -> dict:
    services = {r["service_id"] or _fold(r["service"]) for r in rows if r["service"]}
    providers = sorted({_label(r["provider"], r["provider_id"]) for r in rows if r["provider"]}, key=str.lower)
    contracts = {}
    for r in rows:
        if r["contract_quote"]:
            contracts[(r["provider"], r["contract_quote"])] = r
    return {"council": council, "services": len(services), "providers": len(providers),
            "provider_names": "; ".join(providers), "contracts": len(contracts),
            "annual_value_gbp": sum(r["annual_value_gbp"] or 0 for r in contracts.values()) or None,
            "savings_gbp": sum(r["savings_gbp"] or 0 for r in contracts.values()) or None,
            "papers": len({r["doc"] for r in rows})}


def save_register_ids(db: str | Path) -> int:
    """Reconcile the store's services and providers and write their register ids back (``minutes reconcile --db``)."""
    from ..reconcile import build_reconcilers, reconcile_records, store_records, update_store_records

    stored = store_records(Path(db))
    reconcilers = build_reconcilers()
    done = list(reconcile_records([r for _, r in stored], reconcilers["services"], reconcilers["providers"]))
    return update_store_records(Path(db), [(row_id, r) for (row_id, _), r in zip(stored, done)])


def run_compare(db: str | Path, *, by: str | None, council: str | None, fmt: str, output: Path | None,
                save_ids: bool = False) -> int:
    """The ``minutes compare`` command: rows or a pivot, as a table, JSONL, or with pandas to CSV/XLSX/Parquet.
    With ``save_ids`` the register ids are first written back to the store."""
    if save_ids:
        save_register_ids(db)
    rows = compare(db, council=council)
    table = pivot(rows, by) if by else rows
    title = f"{len(rows)} service/contract row(s)" + (f" by {by}" if by else "")
    if fmt in ("table", "jsonl") or (fmt in ("csv", "xlsx") and output is None):
        from ..outputs.table import write_rows

        write_rows(table, fmt, output, columns=None if by else COLUMNS,
                   table_columns=None if by else TABLE_COLUMNS, title=title)
    else:
        from ..outputs.export import write_frame

        if output is None:
            raise CompareError(f"{fmt} is a file format: give -o FILE.{fmt}")
        write_frame(table, fmt, output, columns=None if by else COLUMNS, sheet="compare")
    return len(table)
