"""The `oms` console script: every Django management command, with the project's settings."""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from urllib.parse import unquote, urlsplit

# The commands that change the schema: run as the owner when OMS_MIGRATE_DATABASE_URL names one.
SCHEMA_COMMANDS = frozenset({"migrate", "createcachetable"})


def connect_schema_commands_as_owner(arguments: list[str], environ: MutableMapping[str, str]) -> None:
    """`oms migrate` connects with OMS_MIGRATE_DATABASE_URL; the role of DATABASE_URL (the application's)
    is then granted its rights after the migration (oms/accounts/database_roles.py)."""
    owner_url = environ.get("OMS_MIGRATE_DATABASE_URL", "")
    if not arguments or arguments[0] not in SCHEMA_COMMANDS or not owner_url:
        return
    app_role = unquote(urlsplit(environ.get("DATABASE_URL", "")).username or "")
    environ.setdefault("OMS_APP_DATABASE_ROLE", app_role)
    environ["DATABASE_URL"] = owner_url


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oms.settings")
    connect_schema_commands_as_owner(arguments, os.environ)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["oms", *arguments])


if __name__ == "__main__":
    main()
