"""`python -m bench [NAME [ARGS...]]`: run the benchmarks and print the performance table.

With no NAME every `bench/*_bench.py` module runs, the storage benchmark first. A module that
offers `results(argv) -> list[Result]` contributes rows to one combined table printed at the end;
one that only has `main(argv)` prints its own figures as it goes. `python -m bench --list` names them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from bench._table import Result, format_table

FIRST = ("store", "demo")  # the physical baseline, then the book every other benchmark reads


def available() -> list[str]:
    names = sorted(p.stem.removesuffix("_bench") for p in Path(__file__).parent.glob("*_bench.py"))
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def run(name: str, argv: Sequence[str]) -> list[Result]:
    module = importlib.import_module(f"bench.{name}_bench")
    if hasattr(module, "results"):
        return list(module.results(list(argv)))
    code = module.main(list(argv))
    if code:
        raise SystemExit(code)
    return []


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    names = available()
    if args[:1] in (["-h"], ["--help"], ["--list"]):
        print(__doc__.strip() if args[0] != "--list" else "\n".join(names))
        return 0
    if args and not args[0].startswith("-"):
        if args[0] not in names:
            print(f"bench: no benchmark called {args[0]!r}; choose from: {', '.join(names)}", file=sys.stderr)
            return 2
        selected, rest = [args[0]], args[1:]
    else:
        selected, rest = names, args
    results: list[Result] = []
    for name in selected:
        print(f"== {name}", file=sys.stderr, flush=True)
        results += run(name, rest if len(selected) == 1 else [])
    if results:
        print(format_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
