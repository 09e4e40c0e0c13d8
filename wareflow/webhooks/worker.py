"""The delivery loop: fan events out, claim what is due, send it, record the answer; repeat.

Run it as ``wareflow worker`` (one or many processes, on PostgreSQL they share the queue), or
inside ``wareflow serve`` with ``WAREFLOW_RUN_WORKER=true``. Every database step is a short
transaction of its own; requests are sent outside any transaction, up to
``WAREFLOW_WEBHOOK_CONCURRENCY`` at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator

import httpx
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.config import Settings
from wareflow.db import Database, utcnow
from wareflow.metrics import WEBHOOK_ATTEMPTS
from wareflow.webhooks import outcomes, queue
from wareflow.webhooks.policy import Decision, DeliveryPolicy
from wareflow.webhooks.sender import Answer, Outgoing, send
from wareflow.webhooks.ssrf import guarded_client

log = structlog.get_logger()
ERROR_PAUSE = 2.0  # seconds to wait after the database failed a step
RECORD_BATCH = 64  # answers recorded in one transaction at most


class Worker:
    """One delivery loop: ``run`` until stopped, or ``step`` it by hand (tests, benchmarks)."""

    def __init__(self, db: Database, settings: Settings, *, client: httpx.AsyncClient | None = None):
        self.db = db
        self.policy = DeliveryPolicy.of(settings)
        self.client = client or guarded_client(self.policy.allowed_hosts, connections=self.policy.concurrency)
        self.in_flight: set[asyncio.Task[None]] = set()
        self._to_record: list[tuple[Outgoing, Answer, asyncio.Future[Decision]]] = []
        self._recorder: asyncio.Task[None] | None = None
        self._fanned_at = self._claimed_at = 0.0  # event-loop clock of the last fan-out and claim
        self.sent = 0  # attempts finished by this worker (for benchmarks and logs)

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """One short transaction, committed at the end. On PostgreSQL the commit does not wait for
        the disk: a commit lost in a database crash only means a message is sent again (leases,
        cursors and deliveries commit together), which at-least-once delivery allows."""
        async with self.db.sessions() as session:
            if not self.db.is_sqlite:
                await session.execute(text("SET LOCAL synchronous_commit = off"))
            yield session
            await session.commit()

    async def step(self) -> bool:
        """Fan out new events and start sending what is due; True when there was work.

        While requests are in flight, the log is read and new work claimed at most once per poll
        interval, or as soon as half the slots are free: not a round trip per finished request."""
        clock = asyncio.get_running_loop().time()
        fanned = 0
        if not self.in_flight or clock - self._fanned_at >= self.policy.poll_seconds:
            self._fanned_at = clock
            async with self._transaction() as session:
                fanned = await queue.fan_out(session, self.policy, utcnow())
        free = self.policy.concurrency - len(self.in_flight)
        worth_it = (
            free >= max(1, self.policy.concurrency // 2)
            or clock - self._claimed_at >= self.policy.poll_seconds
        )
        claimed: list[Outgoing] = []
        if free > 0 and worth_it:
            self._claimed_at = clock
            async with self._transaction() as session:
                claimed = await queue.claim(session, self.policy, utcnow(), free)
        for outgoing in claimed:
            task = asyncio.create_task(self._deliver(outgoing))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)
        return bool(fanned or claimed)

    async def _deliver(self, outgoing: Outgoing) -> None:
        answer = await send(self.client, outgoing, self.policy)
        try:
            decision = await self._record(outgoing, answer)
        except Exception:
            # Not recorded: the lease runs out and the message is sent again (at least once).
            log.exception("webhook_record_failed", delivery_id=str(outgoing.delivery_id))
            return
        self.sent += 1
        WEBHOOK_ATTEMPTS.labels(decision.verdict.value).inc()
        log.debug(
            "webhook_attempt",
            delivery_id=str(outgoing.delivery_id),
            status_code=answer.status_code,
            error=answer.error,
            verdict=decision.verdict.value,
        )

    async def _record(self, outgoing: Outgoing, answer: Answer) -> Decision:
        """Queue the answer for the next group commit and wait for it: attempts that finish
        while a record is being committed are all recorded by the next one."""
        done: asyncio.Future[Decision] = asyncio.get_running_loop().create_future()
        self._to_record.append((outgoing, answer, done))
        if self._recorder is None:
            self._recorder = asyncio.create_task(self._record_batches())
        return await done

    async def _record_batches(self) -> None:
        try:
            while self._to_record:
                batch, self._to_record = self._to_record[:RECORD_BATCH], self._to_record[RECORD_BATCH:]
                try:
                    async with self._transaction() as session:
                        decisions = await outcomes.record(
                            session, self.policy, [(o, a) for o, a, _ in batch], utcnow()
                        )
                except Exception as exc:
                    for _, _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                    continue
                for (_, _, done), decision in zip(batch, decisions, strict=True):
                    if not done.done():
                        done.set_result(decision)
        finally:
            self._recorder = None

    async def run(self, stop: asyncio.Event) -> None:
        """Work until ``stop`` is set, then finish the requests in flight."""
        log.info("webhook_worker_started", concurrency=self.policy.concurrency)
        while not stop.is_set():
            try:
                busy = await self.step()
            except Exception:
                log.exception("webhook_worker_step_failed")
                await _wait(stop, ERROR_PAUSE)
                continue
            if not busy:
                await self._idle(stop)
        await self.close()
        log.info("webhook_worker_stopped")

    async def _idle(self, stop: asyncio.Event) -> None:
        """Sleep a poll interval, waking early when a request in flight finishes (a free slot)."""
        waiters = [asyncio.ensure_future(stop.wait()), *self.in_flight]
        try:
            await asyncio.wait(waiters, timeout=self.policy.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiters[0].cancel()

    async def drain(self) -> None:
        """Wait for the requests in flight."""
        while self.in_flight:
            await asyncio.gather(*list(self.in_flight), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        await self.client.aclose()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


@contextlib.asynccontextmanager
async def in_process(db: Database, settings: Settings) -> AsyncIterator[None]:
    """For ``wareflow serve``: run a worker beside the API when ``WAREFLOW_RUN_WORKER`` is true."""
    if not settings.run_worker:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(Worker(db, settings).run(stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def run_until_signalled(settings: Settings) -> None:
    """For ``wareflow worker``: run until SIGTERM or SIGINT, then finish what is in flight."""
    db = Database(settings.database_url, echo=settings.echo_sql)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await Worker(db, settings).run(stop)
    finally:
        await db.dispose()
