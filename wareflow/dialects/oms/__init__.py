"""Pitney Bowes SendPro 360 / Shipping 360 Order Management dialect (``/compat/oms``).

See docs/dialects/oms.md.
"""
