"""Webhooks: signed, retried, at-least-once delivery of the event log to merchants' URLs."""
