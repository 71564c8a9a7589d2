"""The HTTP API (``/api/v1``): the systems around the network push reports and pull what is ready.

A thin layer over the same ``analytics`` functions as the pages and the command line (so the
three cannot disagree): it authenticates a token (:mod:`analytics.access.tokens`), throttles,
turns HTTP into the functions' arguments and their results into JSON, CSV or PDF. Who may see
or change what is decided by those functions (the caller's :class:`~analytics.access.scope.Scope`),
never here. Built by :func:`analytics.api.app.create_app`; served by ``python -m analytics api``.
"""
