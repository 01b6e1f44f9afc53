"""Canonical registers of council services and providers: loading, merging, validation.

A register is a CSV in ``models/registers/`` (see the README there). Services have
``id, name, category, aliases, lgsl``; providers have ``id, name, kind, parent, aliases``.
Multi-valued cells (``aliases``, ``lgsl``) are separated by ``|``.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import MinutesError
from .resources import models_dir

KINDS = ("services", "providers")
SERVICE_COLUMNS = ("id", "name", "category", "aliases", "lgsl")
PROVIDER_COLUMNS = ("id", "name", "kind", "parent", "aliases")
PROVIDER_KINDS = ("company", "joint_venture", "partnership", "subcontractor", "council_body",
                  "council_company", "purchasing_body", "charity", "sole_trader")
LIST_SEPARATOR = "|"


class RegisterError(MinutesError):
    """A register file that cannot be read. ``str()`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Entry:
    """One register entry: a canonical service area or provider."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    category: str | None = None      # services
    lgsl: tuple[str, ...] = ()       # services: LGSL identifiers
    kind: str | None = None          # providers
    parent: str | None = None        # providers: the group's entry id
    source: str = ""                 # file the entry came from
    line: int = 0

    def names(self) -> tuple[str, ...]:
        """The entry's name followed by its aliases."""
        return (self.name, *self.aliases)

    def to_dict(self) -> dict:
        out = {"id": self.id, "name": self.name, "aliases": list(self.aliases)}
        if self.category is not None or self.lgsl:
            out.update(category=self.category, lgsl=list(self.lgsl))
        if self.kind is not None or self.parent is not None:
            out.update(kind=self.kind, parent=self.parent)
        return out


@dataclass
class Register:
    """An ordered set of entries of one kind (``services`` or ``providers``)."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {e.id: e for e in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._by_id

    def group_of(self, entry_id: str) -> str:
        """The top of the ``parent`` chain (a provider's group); the id itself when it has none."""
        seen = {entry_id}
        entry = self.get(entry_id)
        while entry is not None and entry.parent and entry.parent not in seen and entry.parent in self:
            seen.add(entry.parent)
            entry = self.get(entry.parent)
        return entry.id if entry else entry_id

    def extended(self, other: "Register", replace: bool = False) -> "Register":
        """This register with ``other``'s entries added (an entry with a known id replaces it),
        or ``other`` alone when ``replace``."""
        if replace:
            return Register(self.kind, list(other.entries), list(other.paths))
        merged = {e.id: e for e in self.entries}
        for e in other.entries:
            merged[e.id] = e
        return Register(self.kind, list(merged.values()), [*self.paths, *other.paths])


def _split(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip())


def shipped_register_path(kind: str) -> Path:
    """``models/registers/services.csv`` or ``providers.csv``."""
    if kind not in KINDS:
        raise ValueError(f"unknown register kind {kind!r}")
    return models_dir() / "registers" / f"{kind}.csv"


def sniff_kind(header: Iterable[str]) -> str | None:
    """``providers`` when the header has provider columns, ``services`` when it has service columns."""
    cols = {c.strip().lower() for c in header}
    if "id" not in cols or "name" not in cols:
        return None
    if cols & {"kind", "parent"}:
        return "providers"
    if cols & {"category", "lgsl"}:
        return "services"
    return None


def load_register(path: str | Path, kind: str | None = None) -> Register:
    """Read one register CSV; ``kind`` is sniffed from the header when not given.

    Raises RegisterError naming the file when it is missing, not UTF-8, or lacks ``id``/``name``.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            sniffed = sniff_kind(header)
            if "id" not in header or "name" not in header:
                raise RegisterError(path, "not a register: the header needs at least 'id' and 'name' columns")
            kind = kind or sniffed or "services"
            entries = []
            for line, row in enumerate(reader, start=2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
                entries.append(Entry(
                    id=row.get("id", ""), name=row.get("name", ""), aliases=_split(row.get("aliases")),
                    category=row.get("category") or None, lgsl=_split(row.get("lgsl")),
                    kind=row.get("kind") or None, parent=row.get("parent") or None,
                    source=str(path), line=line,
                ))
    except FileNotFoundError:
        raise RegisterError(path, "no such register file") from None
    except UnicodeDecodeError:
        raise RegisterError(path, "not UTF-8 text") from None
    except csv.Error as exc:
        raise RegisterError(path, f"not a readable CSV ({exc})") from None
    return Register(kind, entries, [path])


@cache
def _shipped(kind: str) -> Register:
    return load_register(shipped_register_path(kind), kind)


def shipped_register(kind: str) -> Register:
    """The register shipped in ``models/registers`` (loaded once per process)."""
    return _shipped(kind)


def load_registers(user_files: Iterable[str | Path] = (), replace: bool = False) -> dict[str, Register]:
    """The shipped services and providers registers, each extended (or replaced) by the user's files.

    A user file's kind is sniffed from its header (provider columns ``kind``/``parent``).
    """
    registers = {k: shipped_register(k) for k in KINDS}
    replaced: set[str] = set()
    for f in user_files:
        user = load_register(f)
        first = replace and user.kind not in replaced
        registers[user.kind] = registers[user.kind].extended(user, replace=first)
        replaced.add(user.kind)
    return registers


def load_lgsl(path: str | Path) -> dict[str, tuple[str, str]]:
    """LGSL identifiers from an esd/LGA export CSV (``Identifier, Label, Status``): id -> (label, status)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            cols = {c.lower(): c for c in (reader.fieldnames or [])}
            id_col = cols.get("identifier") or cols.get("lgsl")
            label_col = cols.get("label") or cols.get("description") or cols.get("servicename")
            if not id_col:
                raise RegisterError(path, "not an LGSL export: no 'Identifier' column")
            out = {}
            for row in reader:
                ident = (row.get(id_col) or "").strip()
                if ident:
                    out[ident] = ((row.get(label_col) or "").strip() if label_col else "",
                                  (row.get(cols.get("status", ""), "") or "Live").strip())
            return out
    except FileNotFoundError:
        raise RegisterError(path, "no such LGSL file") from None
    except UnicodeDecodeError:
        raise RegisterError(path, "not UTF-8 text") from None


def default_lgsl_path() -> Path | None:
    """The LGSL export beside the checkout (``../shared/registers``), when it is there."""
    base = models_dir().parent.parent / "shared" / "registers" / "esd_LGSL_englishAndWelshServices-all.csv"
    return base if base.exists() else None


@dataclass(frozen=True)
class Problem:
    """One finding of ``register check``: ``error`` fails the check, ``warning`` does not."""

    level: str
    source: str
    line: int
    entry_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.level}: {self.entry_id or '(no id)'}: {self.message}"


def check_register(register: Register, lgsl: dict[str, tuple[str, str]] | None = None) -> list[Problem]:
    """Validate a register: duplicate ids, empty names, an alias claimed by two entries,
    unknown or withdrawn LGSL ids (when an LGSL list is given), unknown parents and kinds."""
    from .reconcile import normaliser_for  # the same folding the matcher uses decides "same alias"

    fold = normaliser_for(register.kind).fold
    problems: list[Problem] = []

    def add(level: str, e: Entry, msg: str) -> None:
        problems.append(Problem(level, e.source, e.line, e.id, msg))

    seen_ids: dict[str, Entry] = {}
    claimed: dict[str, Entry] = {}
    ids = {e.id for e in register}
    for e in register:
        if not e.id:
            add("error", e, "empty id")
        elif e.id in seen_ids:
            add("error", e, f"duplicate id (also line {seen_ids[e.id].line})")
        else:
            seen_ids[e.id] = e
        if e.id and (e.id != e.id.strip().lower() or any(c.isspace() for c in e.id)):
            add("error", e, "id must be a lower-case slug without spaces")
        if not e.name:
            add("error", e, "empty name")
        local: set[str] = set()
        for label in e.names():
            key = fold(label)
            if not key:
                if label:
                    add("warning", e, f"alias {label!r} is empty once normalised")
                continue
            if key in local:
                continue
            local.add(key)
            other = claimed.get(key)
            if other is not None and other.id != e.id:
                add("error", e, f"alias {label!r} is also claimed by {other.id!r} (line {other.line})")
            else:
                claimed[key] = e
        if register.kind == "services":
            if not e.category:
                add("error", e, "empty category")
            for ident in e.lgsl:
                if not ident.isdigit():
                    add("error", e, f"LGSL id {ident!r} is not a number")
                elif lgsl is not None:
                    if ident not in lgsl:
                        add("error", e, f"unknown LGSL id {ident}")
                    elif lgsl[ident][1].lower() not in ("live", ""):
                        add("warning", e, f"LGSL id {ident} ({lgsl[ident][0]}) is {lgsl[ident][1]}")
        else:
            if e.kind and e.kind not in PROVIDER_KINDS:
                add("error", e, f"unknown kind {e.kind!r} (one of {', '.join(PROVIDER_KINDS)})")
            if e.parent and e.parent not in ids:
                add("error", e, f"unknown parent {e.parent!r}")
            if e.parent == e.id:
                add("error", e, "an entry cannot be its own parent")
    return problems


@cache
def normalisation_rules() -> dict:
    """``models/registers/normalisation.json``: the word lists the normaliser applies, per register kind."""
    path = models_dir() / "registers" / "normalisation.json"
    with open(path, encoding="utf-8") as fh:
        rules = json.load(fh)
    for kind in KINDS:
        if kind not in rules:
            raise RegisterError(path, f"no {kind!r} section")
    return rules


def run_check(files: Iterable[str | Path] = (), lgsl_path: str | Path | None = None,
              echo=print) -> int:
    """What ``minutes register check`` does: validate each file (default: the shipped registers)
    and print one line per problem and a summary per file. Returns the number of errors."""
    lgsl = None
    lgsl_path = lgsl_path or default_lgsl_path()
    if lgsl_path:
        lgsl = load_lgsl(lgsl_path)
    targets = [load_register(f) for f in files] if files else [shipped_register(k) for k in KINDS]
    errors = 0
    for register in targets:
        problems = check_register(register, lgsl)
        for p in problems:
            echo(str(p))
        n_err = sum(p.level == "error" for p in problems)
        n_warn = len(problems) - n_err
        errors += n_err
        where = ", ".join(str(p) for p in register.paths)
        note = "" if register.kind != "services" or lgsl is not None else " (LGSL ids checked for form only: give --lgsl FILE)"
        echo(f"{where}: {register.kind}, {len(register)} entries, {n_err} error(s), {n_warn} warning(s){note}")
    return errors
