"""The `posyandu` command line.

Pure computations (`zscore`, `assess`) import only `posyandu.core` and the file readers, never
Django, so they start fast; `demo` and `manage` start Django.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posyandu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["posyandu", *argv])
    return 0


def _zscore(args: argparse.Namespace) -> int:
    from posyandu.zscore_csv import zscore_csv

    return zscore_csv(args.input, args.output)


def _assess(args: argparse.Namespace) -> int:
    from posyandu.assess_json import assess_files

    return assess_files(args.input, args.output, rules_version=args.rules_version)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="posyandu", description="Posyandu ILP command line")
    sub = parser.add_subparsers(dest="command", required=True)

    zscore = sub.add_parser("zscore", help="WHO growth z-scores for a CSV of children")
    zscore.add_argument("input", help="input CSV, or - for standard input")
    zscore.add_argument("-o", "--output", default="-", help="output CSV (default: stdout)")
    zscore.set_defaults(func=_zscore)

    assess = sub.add_parser("assess", help="assess one person (JSON) or many (JSONL)")
    assess.add_argument("input", help="input JSON or JSONL, or - for standard input")
    assess.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    assess.add_argument(
        "--rules-version", default=None, help="assess under this rules version (default: in force)"
    )
    assess.set_defaults(func=_assess)

    sub.add_parser("demo", help="load the demo data set (development only)")
    sub.add_parser("manage", help="Django management commands, e.g. `posyandu manage migrate`")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        return _django(args_list[1:])
    if args_list[:1] == ["demo"]:
        return _django(["demo", *args_list[1:]])
    args = build_parser().parse_args(args_list)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
