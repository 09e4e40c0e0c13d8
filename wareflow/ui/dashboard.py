"""The dashboard: what is on the floor, what is due or late, what waits, what failed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.core.lifecycle import OrderStatus
from wareflow.ui import queries, render
from wareflow.ui.context import CurrentViewer, DbSession, visible_organizations

router = APIRouter()


@router.get("/")
async def dashboard(request: Request, session: DbSession, viewer: CurrentViewer, org: str = "") -> Response:
    orgs = await visible_organizations(request, session, viewer)
    chosen = [o for o in orgs if o.slug == org] or orgs
    ids = [o.id for o in chosen]
    day = render.today(request.app.state.settings)
    due = await queries.due_by(session, ids, day) if ids else []
    counts = await queries.status_counts(session, ids) if ids else {}
    totals = {s.value: sum(c.get(s.value, 0) for c in counts.values()) for s in OrderStatus}
    context = {
        "nav": "dashboard",
        "orgs": orgs,
        "org": org if len(chosen) == 1 and len(orgs) > 1 else "",
        "rows": [o for o in chosen if o.id in counts],  # organizations that have orders
        "statuses": [s.value for s in OrderStatus],
        "counts": counts,
        "totals": totals,
        "today": day,
        "due_today": [(o, slug) for o, slug in due if o.data.get("required_ship_date") == day.isoformat()],
        "late": [(o, slug) for o, slug in due if o.data.get("required_ship_date") != day.isoformat()],
        "backorders": await queries.in_status(session, ids, OrderStatus.BACKORDERED) if ids else [],
        "held": await queries.in_status(session, ids, OrderStatus.ON_HOLD) if ids else [],
        "failures": await queries.failed_deliveries(session, ids) if ids else [],
    }
    return render.page(request, "dashboard.html", context)
