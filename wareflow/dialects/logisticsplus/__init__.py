"""Logistics Plus Warehouse API dialect (``/compat/logisticsplus``); see docs/dialects/logisticsplus.md."""
