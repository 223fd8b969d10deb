"""Long C calls that Ctrl-C and SIGTERM can still stop.

Python runs signal handlers in the main thread between bytecodes, so a signal that arrives while the main thread
is inside one long C call (the embedder on a batch of long texts: minutes) waits for that call to return. Such a
call runs in a helper thread instead; the main thread waits in short, interruptible steps, so the signal's
exception is raised within a fraction of a second and the usual clean-up runs (temporary files removed, exit
130/143). The helper thread is a daemon: the process exits without waiting for its abandoned call.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

POLL_SECONDS = 0.1


def call_interruptibly(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, with the calling (main) thread still answering signals meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        return fn(*args, **kwargs)   # signals only ever reach the main thread: nothing to gain
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 — handed back to the caller below
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="aligner-c-call", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_SECONDS)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
