"""Entry point of `lumbung` and `python main.py`: the window without a command, the CLI with one."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app.cli import build_parser, run_command

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if getattr(args, "command", None):
        return run_command(args)
    from app.ui.app import run

    return run(args.db, demo=args.demo)
