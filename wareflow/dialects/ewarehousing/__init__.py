"""eWarehousing Solutions' middleware API (``/compat/ewarehousing``); see docs/dialects/ewarehousing.md."""
