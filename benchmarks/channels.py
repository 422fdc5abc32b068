"""The canonical channel study: scale x mode x overload policy, with replications and CRN.

Usage (the same options as ``fieldtotable bench channels``)::

    python benchmarks/channels.py [-n 20] [--out bench-channels] [--store DIR] [--quick]
                                  [--scales 1,2,5,10] [--issuing FIFO,FEFO] [--workers 2]

Scale 1x to 10x of 2023 x {road (2023 dispatch), road full truckload, rail for the
long leg, air for matsutake} under realistic overload policies (full stores refuse
upstream, most perishable lots first), and the 2023 road configuration with its own
policy (goods wait outside full stores) for reference; FEFO issuing. Every
configuration runs the same replications and random streams. Writes ``channels.md``,
``channels.csv``, ``capacity.csv`` and ``channels.png`` to ``--out`` and prints the
tables. The study
itself lives in :mod:`fieldtotable.bench`; this script only calls it. Run it from
the repository root (it reads ``scenarios/``, else the installed scenario library) or
give ``--scenarios DIR``.
"""

from __future__ import annotations

import argparse
import sys

from fieldtotable.cli.bench import add_bench_commands
from fieldtotable.errors import ScenarioError


def main(argv: list[str] | None = None) -> int:
    """Parse the options as ``fieldtotable bench channels`` does and run the study."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="benchmarks/channels.py")
    add_bench_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bench", "channels", *arguments])
    args.argv = ["bench", "channels", *arguments]
    try:
        status: int = args.handler(args, sys.stdout, sys.stderr)
    except ScenarioError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
