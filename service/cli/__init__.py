"""The ``gremium`` command line: one module per area registers its subcommands here.

Every domain error and unreadable file becomes a one-line message on stderr and exit code 2;
no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from models.errors import GremiumError, InvalidInput

from . import discussion, governance, raci, serve, worker

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gremium",
        description="Social-media governance: RACI matrices, lint, and discussion simulation.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in (raci, governance, discussion, serve, worker):
        area.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except InvalidInput as exc:
        for problem in exc.problems:
            print(f"gremium: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"gremium: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except GremiumError as exc:
        print(f"gremium: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
