"""The native HTTP edge: auth, body parsing, problem+json errors, idempotent writes."""
