"""The ``gremium`` command line: one module per area registers its subcommands here.

Every domain error and unreadable file becomes a one-line message on stderr and exit code 2;
no traceback reaches the user. Every command's help shows each option's default
(:class:`HelpFormatter`); ``--format json`` writes the object the API answers with for the
same request.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import version

from models.errors import GremiumError, InvalidInput
from models.labels import DEFAULT_LANG
from models.messages import speaking

from . import discussion, export, governance, raci, serve, worker

EXIT_USAGE = 2


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """argparse's defaults formatter, for options without a help text too; an option without
    a default (None, False) says nothing."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, argparse.SUPPRESS, []):
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return f"{text} (default: %(default)s)".lstrip()
        return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gremium",
        description="Social-media governance: RACI matrices, lint, and discussion simulation.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('gremium')}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in (raci, governance, export, discussion, serve, worker):
        area.register(commands)
    for command in commands.choices.values():
        command.formatter_class = HelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with speaking(getattr(args, "lang", DEFAULT_LANG)):
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
