"""The ``safeharbor`` command: set-up, demo, serving, the worker, and every Django management
command. Hyphenated names map to the management commands behind them
(``safeharbor demo-accounts`` runs ``demo_accounts``)."""

from __future__ import annotations

import os
import sys

# Commands that run without Django, a database or settings (before Django is configured).
STANDALONE_COMMANDS = {
    "link-file": "safeharbor.linkage.filemode",
    "encode": "safeharbor.linkage.pprl.encode_command",
    "link-encodings": "safeharbor.linkage.pprl.link_command",
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in STANDALONE_COMMANDS:
        from importlib import import_module

        sys.exit(import_module(STANDALONE_COMMANDS[args[1]]).main(args[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeharbor.settings.dev")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    if len(args) == 1:
        args.append("help")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
