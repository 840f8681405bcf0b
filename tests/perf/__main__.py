"""``make bench``: run every benchmark, print the ratios, optionally record them in the docs.

``python -m tests.perf`` runs everything (a couple of minutes); ``--quick`` runs each benchmark
on a tiny input (a smoke run, no verdicts); ``--write-doc`` replaces the figures block of
``docs/performance.md`` with this run's table; ``--only NAME`` runs some benchmarks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tests.perf._bench import BENCHMARKS, Scale, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny inputs, no verdicts")
    parser.add_argument("--write-doc", action="store_true", help=f"record the table in {DOC}")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), default=None)
    options = parser.parse_args(argv)
    scale = Scale.quick() if options.quick else Scale()
    started = time.perf_counter()
    rows = []
    for name in options.only or list(BENCHMARKS):
        print(f"# {name} ...", file=sys.stderr, flush=True)
        rows += BENCHMARKS[name](scale)
    table = render(rows, verdicts=not options.quick)
    print(table)
    print(f"\n{scale.describe()}; {time.perf_counter() - started:.0f} s in all")
    if options.write_doc:
        text = DOC.read_text(encoding="utf-8")
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        block = f"{BEGIN}\n{table}\n\n{scale.describe()}\n{END}"
        DOC.write_text(head + block + tail, encoding="utf-8")
    missed = [row for row in rows if row.met is False]
    return 1 if missed and options.strict else 0


if __name__ == "__main__":
    sys.exit(main())
