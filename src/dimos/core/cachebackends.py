"""Cache backends: the default shared cache on local disk (see ADR 0013)."""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class DiskCache(DjangoCache):  # type: ignore[misc]
    """diskcache's Django backend, keeping its database connections from request to request.

    Django closes every cache when a request ends. diskcache would then reopen its shard
    databases (SQLite files) on the next request, which cost about 2 ms a request in the
    benchmarks. Its connections are per thread and reopened after a fork (it checks the
    process id), so keeping them is safe, as with Django's persistent database connections
    and its Redis backend, whose close() does nothing either.
    """

    def close(self, **kwargs: Any) -> None:
        pass
