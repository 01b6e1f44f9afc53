"""Imported once by ingest's forkserver, so that every worker it forks starts ready.

A forked worker shares what its forkserver had already done: importing spaCy
(about half a second), the loaders and extractors (their rules compiled) and
building the spaCy pipeline. Done here once, none of it is repeated per worker,
and the workers start extracting as soon as they exist.
"""
from __future__ import annotations

import gc

from .cli import COMMAND_GC_THRESHOLDS

# the command's collector thresholds, in this server and the workers it forks (they keep its settings)
gc.set_threshold(*COMMAND_GC_THRESHOLDS)

from .document import Document  # noqa: E402
from .extract import extract_records  # noqa: E402
from .loaders import docx, html, pdf, text  # noqa: E402,F401  (imported for their side: loaded once)
from .nlp import get_nlp  # noqa: E402
from .pipeline import extract  # noqa: E402,F401
from .regex_screen import compile_lazy_patterns  # noqa: E402
from .structure import structure  # noqa: E402

# A few lines that reach every extractor, so the caches they fill on first use (patterns compiled
# on demand, word lists read) are filled here once rather than in each worker on its first paper.
_WARM_UP = ("Minutes of the Cabinet held on 4 March 2025\n\n1. Apologies\n\n"
            "Mr John Smith, Director of Finance, said the five year contract with Capita Ltd for IT services "
            "(£1.2m a year) would start on 1 April 2025.\n\nRESOLVED that the Cabinet note the report.\n\n"
            "Indicator\tTarget\tActual\nKPI 1 Rate\t90%\t85%\n")

get_nlp()
_warm = Document(path="warm-up.txt", format="txt", text=_WARM_UP, doc_id="0" * 16)
extract_records(_warm, structure(_warm))
del _warm
# the patterns compiled on first use that the warm-up did not reach: compiled here once, not in each worker
compile_lazy_patterns()

# Workers are forked from this process: freeze what is loaded so the garbage collector in each worker
# never walks (and so writes to, copying page by page) the objects they share with it. No collection
# first: it would find a few thousand objects to free and hold up every worker by some 40 ms.
gc.freeze()
