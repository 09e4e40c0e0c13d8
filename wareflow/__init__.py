"""Wareflow: a self-hosted warehouse fulfillment order service."""

__version__ = "0.1.0"
