"""Idempotency-Key: a retried write answers what the first one did, and never runs twice."""
