"""XPS Ship ("eCommerce Webship") REST API dialect (``/compat/webship``); see docs/dialects/webship.md."""
