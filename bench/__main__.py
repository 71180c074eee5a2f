"""`python -m bench [name ...]`: run the benchmarks, print the table, write bench/results.json."""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.core import Figure, Skipped, table, write_results

# In the order of issue 10; each module has `run() -> (figures, skipped)`.
BENCHMARKS = ["verification", "clr_import", "big_wallet", "share_page", "transcript"]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default); with --strict, exit 1 on a missed target."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name", help=", ".join(BENCHMARKS))
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target does not hold")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    names = args.names or BENCHMARKS
    started = time.perf_counter()
    figures: list[Figure] = []
    skipped: list[Skipped] = []
    with tempfile.TemporaryDirectory(prefix="bench-media-") as media:
        from bench.environment import configure

        configure(Path(media))
        for name in names:
            print(f"== {name}", file=sys.stderr, flush=True)
            module = importlib.import_module(f"bench.{name}")
            try:
                found, missed = module.run()
            except Exception as error:
                traceback.print_exc()
                missed, found = [Skipped(name, f"failed: {error!r}")], []
            figures += found
            skipped += missed
    seconds = time.perf_counter() - started
    print(table(figures, skipped))
    path = write_results(figures, skipped, seconds)
    print(f"\n{len(figures)} figures in {seconds:.0f} s; written to {path}")
    missed = [item for item in figures if item.holds is False]
    if missed:
        print(f"{len(missed)} target(s) do not hold: see docs/performance.md", file=sys.stderr)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
