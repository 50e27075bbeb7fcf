"""Django's SQLite backend, with every write transaction queued on a lock file before `BEGIN IMMEDIATE`.

SQLite runs one writer at a time. A writer that finds the database locked waits in SQLite's busy handler,
which sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms between tries: under a few concurrent
writers it often sleeps on long after the lock was released, and a scan at the front desk waits for
nothing (bench/README.md, "The SQLite write lock"). Here each transaction first takes an exclusive
`flock()` on a file beside the database: a waiter sleeps in the kernel and is woken the moment the holder
commits or rolls back, then takes SQLite's write lock at once.

Threads of one process queue on a `threading.Lock` first (one `flock()` per process at a time), with the
database's timeout: a thread waiting on another of its own process that never finishes gets SQLite's own
"database is locked" error after that time, as it would without the queue.

An in-memory database (the test suite's) has no file to lock and no other process: nothing changes there.
`TIMETILL_SQLITE_WRITE_QUEUE=0` turns the queue off (the benchmark measures both).
"""

from __future__ import annotations

import fcntl
import os
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# One lock per lock file and process: threads queue here, processes on the file.
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(path, threading.Lock())


def queue_enabled() -> bool:
    return os.environ.get("TIMETILL_SQLITE_WRITE_QUEUE", "1").strip().lower() not in (
        "0",
        "false",
        "no",
        "off",
    )


def lock_path(database_name: str) -> str:
    """The lock file of a database file: beside it, named after it."""
    return f"{database_name}.write-lock"


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._queue_fd: int | None = None
        self._queue_held: threading.Lock | None = None

    def _queued(self) -> bool:
        return queue_enabled() and not self.is_in_memory_db()

    def _start_transaction_under_autocommit(self) -> None:
        if self._queued() and self._queue_held is None:
            self._enter_queue()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _enter_queue(self) -> None:
        path = lock_path(str(self.settings_dict["NAME"]))
        in_process = _process_lock(path)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not in_process.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        try:
            if self._queue_fd is None:
                self._queue_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX)  # sleeps in the kernel until the holder is done
        except BaseException:
            in_process.release()
            raise
        self._queue_held = in_process

    def _leave_queue(self) -> None:
        held, self._queue_held = self._queue_held, None
        if held is None:
            return
        try:
            if self._queue_fd is not None:
                fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
        finally:
            held.release()

    def _commit(self):  # noqa: ANN202
        try:
            return super()._commit()
        finally:
            # After a failed COMMIT SQLite may still hold the transaction: Django rolls it back next, and a
            # writer let in meanwhile only waits in SQLite's busy handler, as it would without the queue.
            self._leave_queue()

    def _rollback(self):  # noqa: ANN202
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):  # noqa: ANN202
        try:
            return super()._close()
        finally:
            self._leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
