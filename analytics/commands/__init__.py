"""Subcommands of ``python -m analytics``.

Each module here defines ``NAME``, ``HELP``, ``configure(parser)`` and
``run(args) -> int`` (the exit code). Add a module to :data:`COMMANDS` to plug it in;
``--db`` is added to every subcommand by ``analytics.__main__``.
"""
COMMANDS = [
    "import_cmd",
    "export_cmd",
    "users_cmd",
    "metrics_cmd",
    "verify_cmd",
    "explain_cmd",
    "demo_cmd",
    "preinvoice_cmd",
    "api_cmd",
    "invoice_cmd",
]
