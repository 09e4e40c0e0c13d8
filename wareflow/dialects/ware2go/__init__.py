"""Ware2Go's outbound order API (``/compat/ware2go``); see docs/dialects/ware2go.md."""
