"""The operator UI at ``/ui``: server-rendered pages (Jinja2) with htmx, over the same services
the API calls. Routers parse, authorize and delegate; no rule and no SQL write lives here."""
