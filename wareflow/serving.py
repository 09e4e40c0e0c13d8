"""``wareflow serve --workers N``: N uvicorn processes, each listening on a socket of its own.

uvicorn's own ``--workers`` shares one listening socket, and the process that wakes first accepts
every connection waiting: a burst of keep-alive connections (a proxy's upstream pool, a load
generator) could all land on one process while the others idle. The create bench saw all 16 of
its connections on one of two processes in 3 runs of 7. Here each process binds the port with
``SO_REUSEPORT`` and the kernel spreads new connections across their sockets.

The supervisor starts the processes, starts again one that dies, and on SIGINT or SIGTERM stops
them all (each finishes the requests it has, as uvicorn does on SIGTERM). Each process dies with
the supervisor, so a killed supervisor leaves no process holding the port.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

import structlog

log = structlog.get_logger()

_PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def reuse_port_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def run(config: dict[str, Any], workers: int) -> None:
    """Serve ``config`` (uvicorn.Config's arguments, with host and port) from ``workers``
    processes until SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    def start() -> Any:
        process = context.Process(target=_serve_one, args=(config,), name="wareflow-api")
        process.start()
        return process

    processes = [start() for _ in range(workers)]
    log.info("serving", host=config["host"], port=config["port"], workers=workers)
    try:
        while not stopping:
            time.sleep(0.2)
            for n, process in enumerate(processes):
                if not process.is_alive() and not stopping:
                    log.warning("api_process_died", pid=process.pid, exitcode=process.exitcode)
                    processes[n] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes what it has in flight
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def _serve_one(config: dict[str, Any]) -> None:  # pragma: no cover - runs in the child process
    import uvicorn

    _die_with_parent()
    listening = socket.socket(socket.AF_INET6 if ":" in config["host"] else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listening.bind((config["host"], config["port"]))
    uvicorn_config = uvicorn.Config(**config)
    listening.listen(uvicorn_config.backlog)
    uvicorn.Server(uvicorn_config).run(sockets=[listening])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Ask Linux to SIGTERM this process when the supervisor ends, however it ends."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux's libc: the supervisor's finally still stops us
        return
    if os.getppid() != parent:  # the supervisor died before we asked
        sys.exit(1)
