"""The PDF loader's ruled-table finder gives exactly the tables of pdfplumber's ``TableFinder``.

``extractor.loaders.pdf._ruled_tables`` re-does pdfplumber's "lines" strategy on tuples for
speed; these tests hold it to pdfplumber's own answer, bit for bit, on rule sets built to hit
the algorithm's hard cases: rules snapped to a mean, pieces joined across gaps at and around
the tolerance, cells drawn box by box, missing rules, single-cell boxes, nested and touching
tables, duplicates and strays, and coordinates that are not exact in binary.
"""
from __future__ import annotations

import random

import pytest
from pdfplumber.table import TableFinder

from extractor.loaders.pdf import _ruled_tables


class _Edges:
    """The part of a pdfplumber page its table finder reads with the "lines" strategy."""

    def __init__(self, edges: list[dict]):
        self.edges = edges
        self.bbox = (0.0, 0.0, 0.0, 0.0)


def pdfplumber_tables(horizontal, vertical):
    edges = [{"object_type": "line", "orientation": "v", "x0": x0, "top": top, "x1": x1, "bottom": bottom,
              "width": 0.0, "height": length} for x0, top, x1, bottom, length in vertical]
    edges += [{"object_type": "line", "orientation": "h", "x0": x0, "top": top, "x1": x1, "bottom": bottom,
               "width": length, "height": 0.0} for x0, top, x1, bottom, length in horizontal]
    finder = TableFinder(_Edges(edges), {"vertical_strategy": "lines", "horizontal_strategy": "lines"})
    return [(table.bbox, [row.cells for row in table.rows]) for table in finder.tables]


class Rules:
    """Horizontal and vertical rules as the loader's ``_ruling_edges`` gives them."""

    def __init__(self, step: float | None = None):
        self.h: list[tuple] = []
        self.v: list[tuple] = []
        self.step = step  # coordinates on a lattice: ties and gaps of exactly a tolerance

    def _at(self, value: float) -> float:
        return value if self.step is None else round(value / self.step) * self.step

    def hline(self, x0: float, x1: float, y: float) -> None:
        x0, x1, y = self._at(x0), self._at(x1), self._at(y)
        if abs(x1 - x0) >= 1:
            self.h.append((min(x0, x1), y, max(x0, x1), y, abs(x1 - x0)))

    def vline(self, x: float, y0: float, y1: float) -> None:
        x, y0, y1 = self._at(x), self._at(y0), self._at(y1)
        if abs(y1 - y0) >= 1:
            self.v.append((x, min(y0, y1), x, max(y0, y1), abs(y1 - y0)))

    def grid(self, xs: list[float], ys: list[float]) -> None:
        for y in ys:
            self.hline(xs[0], xs[-1], y)
        for x in xs:
            self.vline(x, ys[0], ys[-1])


def same_as_pdfplumber(rules: Rules) -> list:
    ours = _ruled_tables(rules.h, rules.v)
    assert repr(ours) == repr(pdfplumber_tables(rules.h, rules.v))  # repr: floats to the last bit
    return ours


def test_a_plain_grid_is_one_table_of_its_cells():
    rules = Rules()
    rules.grid([50, 150, 300], [100, 120, 140, 160])
    tables = same_as_pdfplumber(rules)
    assert len(tables) == 1
    bbox, rows = tables[0]
    assert bbox == (50, 100, 300, 160) and len(rows) == 3 and all(len(row) == 2 for row in rows)


def test_rules_a_little_apart_snap_to_their_mean():
    rules = Rules()
    rules.grid([50.0, 150.0, 300.0], [100.0, 120.0, 140.0])
    rules.hline(50.0, 300.0, 102.1)  # a second, slightly lower rule: both move to their mean
    rules.vline(151.7, 100.0, 140.0)
    rules.vline(153.4, 100.0, 140.0)  # chained: 150 - 151.7 - 153.4 snap together though 3.4 apart
    (bbox, rows), = same_as_pdfplumber(rules)
    assert rows[0][0][1] == pytest.approx((100.0 + 102.1) / 2)


def test_pieces_of_a_rule_join_across_gaps_up_to_the_tolerance():
    for gap in (0.0, 2.9, 3.0, 3.1, 3.0000000000000004, 5.0):
        rules = Rules()
        rules.grid([50.0, 100.0, 150.0], [100.0, 150.0])
        rules.h = [edge for edge in rules.h if edge[1] != 150.0]
        rules.hline(50.0, 100.0, 150.0)
        rules.hline(100.0 + gap, 150.0, 150.0)
        same_as_pdfplumber(rules)


def test_snapped_positions_round_as_pdfplumber_rounds_them():
    # A rule moves by (mean - position), which is not always the mean itself: here, off the page's
    # top edge, the two copies of the top rule end an ulp apart, on two lines, as in pdfplumber.
    rules = Rules()
    rules.grid([50.0, 150.0, 300.0], [-2.2, 20.0, 40.0])
    rules.hline(50.0, 300.0, 0.3)
    assert same_as_pdfplumber(rules)


def test_a_joined_rules_length_rounds_as_pdfplumber_rounds_it():
    # Two overlapping pieces of a rule 3 points long, joined: a height grows by the extension
    # (to 2.9999999999999996 here, under the 3-point minimum: the rule goes), a width is end
    # minus start (3.0: the rule stays). The short rules reach the long ones within the tolerance.
    upright = Rules()
    for y in (-1.0, 6.5):
        upright.hline(50.0, 150.0, y)
    for x in (50.0, 100.0, 150.0):
        upright.vline(x, 1.3, 3.8000000000000003)
        upright.vline(x, 1.9000000000000001, 4.3)
    assert same_as_pdfplumber(upright) == []
    lying = Rules()
    for y in (50.0, 100.0, 150.0):
        lying.hline(1.3, 3.8000000000000003, y)
        lying.hline(1.9000000000000001, 4.3, y)
    for x in (-1.0, 6.5):
        lying.vline(x, 50.0, 150.0)
    assert len(same_as_pdfplumber(lying)) == 1


def test_cells_drawn_box_by_box_with_jitter_and_gaps():
    rng = random.Random(7)
    rules = Rules()
    xs, ys = [50, 120, 200, 330], [300, 318, 336, 354, 390]
    for a, b in zip(xs, xs[1:]):
        for t, u in zip(ys, ys[1:]):
            if (a, t) == (120, 318):
                continue  # one cell not drawn
            jitter = lambda: rng.uniform(-1.2, 1.2)  # noqa: E731
            rules.hline(a + jitter(), b + jitter(), t + jitter())
            rules.hline(a + jitter(), b + jitter(), u + jitter())
            rules.vline(a + jitter(), t + jitter(), u + jitter())
            rules.vline(b + jitter(), t + jitter(), u + jitter())
    assert same_as_pdfplumber(rules)


def test_single_boxes_nested_and_touching_tables():
    rules = Rules()
    rules.grid([40, 300], [50, 90])  # a single box: not a table
    rules.grid([40, 200, 560], [120, 300, 330])  # an outer table ...
    rules.grid([210, 300, 400, 550], [130, 150, 170])  # ... with one drawn inside its first cell
    rules.grid([560, 600, 640], [330, 360, 390])  # a table touching the outer one at a corner only
    rules.grid([40, 100], [400, 420, 440])  # short rules (2 points) and a rule at the page edge
    rules.hline(40, 42, 450)
    rules.vline(0, 0, 800)
    assert len(same_as_pdfplumber(rules)) >= 2


def test_duplicated_rules_and_strays_change_nothing():
    rules = Rules(step=0.1)  # tenths: not exact in binary, so means and sums round
    rules.grid([50.3, 170.1, 260.7], [100.1, 130.3, 160.7, 190.9])
    rules.h += rules.h[:3]
    rules.v += rules.v[1:2] * 3
    rules.hline(400.2, 500.4, 130.3)
    rules.vline(172.9, 200.0, 260.0)
    same_as_pdfplumber(rules)


def _random_rules(rng: random.Random) -> Rules:
    rules = Rules(step=rng.choice([None, 1.0, 0.5, 0.1, 1 / 3]))
    for _ in range(rng.randint(1, 4)):
        x, y = rng.uniform(0, 400), rng.uniform(0, 600)
        xs = [x + sum(rng.choice([2, 3, 3.5, 6, 20, 50]) for _ in range(k)) for k in range(rng.randint(2, 6))]
        ys = [y + sum(rng.choice([2, 3, 3.5, 6, 12, 30]) for _ in range(k)) for k in range(rng.randint(2, 7))]
        jitter = rng.choice([0.0, 0.5, 1.5, 2.9, 3.1])
        shake = lambda: rng.uniform(-jitter, jitter)  # noqa: E731
        if rng.random() < 0.5:  # cell by cell, some missing
            for a, b in zip(xs, xs[1:]):
                for t, u in zip(ys, ys[1:]):
                    if rng.random() < 0.9:
                        rules.hline(a + shake(), b + shake(), t + shake())
                        rules.hline(a + shake(), b + shake(), u + shake())
                        rules.vline(a + shake(), t + shake(), u + shake())
                        rules.vline(b + shake(), t + shake(), u + shake())
        else:  # long rules, in pieces with gaps around the join tolerance, some missing
            for top in ys:
                cuts = sorted(rng.uniform(xs[0], xs[-1]) for _ in range(rng.choice([0, 0, 1, 2])))
                ends = [xs[0], *cuts, xs[-1]]
                for a, b in zip(ends, ends[1:]):
                    if rng.random() < 0.9:
                        rules.hline(a + shake(), b - rng.choice([0, 0, 1, 2.9, 3, 3.1, 5]), top + shake())
            for left in xs:
                if rng.random() < 0.9:
                    rules.vline(left + shake(), ys[0] + shake(), ys[-1] + shake())
    for _ in range(rng.randint(0, 5)):  # duplicates and strays
        if rules.h and rng.random() < 0.5:
            rules.h.append(rng.choice(rules.h))
        if rules.v and rng.random() < 0.5:
            rules.v.append(rng.choice(rules.v))
        x, y = rng.uniform(0, 500), rng.uniform(0, 700)
        rules.hline(x, x + rng.uniform(-100, 100), y)
        rules.vline(x, y, y + rng.uniform(-100, 100))
    rng.shuffle(rules.h)
    rng.shuffle(rules.v)
    return rules


def test_random_rule_sets_give_pdfplumbers_tables():
    found = 0
    for seed in range(400):
        found += len(same_as_pdfplumber(_random_rules(random.Random(seed))))
    assert found > 200  # the rule sets do make tables, not only non-tables
