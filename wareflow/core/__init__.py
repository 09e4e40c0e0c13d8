"""The core domain: pure Python, no I/O, no FastAPI or SQLAlchemy.

What lives here: the canonical order (``order``), its lifecycle as transition tables
(``lifecycle``), the event names (``events``), the field rules (``rules``) and the
domain errors (``errors``).
"""
