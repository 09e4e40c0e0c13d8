"""The warehouse floor in a browser: sign in, receive the stock a backorder waits for, find the
order, hold and release it, pick it (with a serial), pack it in two packages, ship it, read its
timeline; a wrong password; and what a merchant user may not see.

Every screen is saved under test-output/screenshots/<backend>/.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.ui.conftest import PASSWORD, WAREHOUSE, Floor, browser_missing, shot, sign_in

if browser_missing():  # locally: skipped with the reason; in CI this fails instead
    pytest.skip(browser_missing(), allow_module_level=True)

from playwright.async_api import expect  # only once it is known to be installed


async def _order(floor: Floor, reference: str) -> dict[str, Any]:
    """An order arrives through the API: 1 serial-tracked phone (none in stock yet) and 2 cases."""
    async with floor.api(floor.operator_key) as operator:
        stocked = await operator.post(
            "/v1/stock/adjustments",
            json={
                "warehouse_code": WAREHOUSE,
                "sku": "CASE-X",
                "quantity": 10,
                "reason": "opening stock",
                "location": "A-01-07",
            },
        )
        assert stocked.status_code == 201, stocked.text
    async with floor.api(floor.merchant_key) as merchant:
        created = await merchant.post(
            "/v1/orders",
            json={
                "external_reference": reference,
                "warehouse_code": WAREHOUSE,
                "ship_to": {
                    "name": "Jane Doe",
                    "address1": "1 Main St",
                    "city": "Austin",
                    "state": "TX",
                    "postal_code": "73301",
                    "country": "US",
                },
                "lines": [{"sku": "PHONE-X", "quantity": 1}, {"sku": "4006381333931", "quantity": 2}],
                "transport_detail": {"carrier_code": "UPS", "service_level_code": "GND"},
                "required_ship_date": dt.datetime.now(dt.UTC).date().isoformat(),
                "po_number": f"PO-{reference}",
            },
        )
    assert created.status_code == 201, created.text
    order: dict[str, Any] = created.json()
    assert order["status"] == "backordered"
    return order


async def _choose(page: Any, floor: Floor, picker: str = "#org-picker") -> None:
    """Operators choose the organization when there are several."""
    await page.wait_for_load_state("load")  # htmx binds its triggers once the page has loaded
    if await page.locator(picker).count():
        await page.locator(picker).select_option(floor.org)
        # The button, not only the change event: choosing the organization already shown fires
        # no change event (the first organization is preselected, and slugs here are random).
        button = "Show" if picker == "#org-picker" else "Filter"
        await page.get_by_role("button", name=button).click()
        await expect(page).to_have_url(re.compile(f"org={floor.org}"))


async def test_wrong_password_is_refused(page: Any, floor: Floor) -> None:
    await sign_in(page, floor.operator_email, "not the password")
    error = page.locator("#sign-in-error")
    await expect(error).to_contain_text("do not match")
    await shot(page, floor, "sign-in-refused")
    said = await error.inner_text()
    await sign_in(page, "nobody@example.com", "not the password")  # an unknown e-mail: the same words
    await expect(page.locator("#sign-in-error")).to_have_text(said)
    await expect(page).to_have_url(re.compile(r"/ui/sign-in"))


async def test_the_operators_nav_fits_one_line_on_a_tablet(page: Any, floor: Floor) -> None:
    """At 1,024 px (a tablet in landscape, the page fixture's width) every link of the operator's
    nav, Users included, sits on one line beside the account: one tap row, never two."""
    await sign_in(page, floor.operator_email)
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    await expect(links.last).to_have_text("Users")
    tops = await links.evaluate_all("links => links.map(a => Math.round(a.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, tops
    account = await page.locator(".who").evaluate("e => Math.round(e.getBoundingClientRect().bottom)")
    header = await page.locator("header.top").evaluate("e => Math.round(e.getBoundingClientRect().bottom)")
    assert header - account < 40, (header, account)  # the account sits in the nav's row, not below


async def test_an_order_from_received_to_shipped(page: Any, floor: Floor) -> None:
    reference = f"FLOOR-{floor.backend}"
    order = await _order(floor, reference)
    number, shipment = order["number"], f"{order['number']}-1"
    await sign_in(page, floor.operator_email)
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    await _choose(page, floor)
    await expect(page.locator("#board")).to_contain_text(number)  # a backorder, due today
    await shot(page, floor, "dashboard")

    # Stock: a wrong quantity is told next to its field; the receipt allocates the backorder.
    await page.get_by_role("link", name="Stock", exact=True).click()
    await expect(page.get_by_role("heading", name="Stock", exact=True)).to_be_visible()
    await _choose(page, floor)
    form = page.locator("#adjust-form")
    await form.get_by_label("Warehouse").select_option(WAREHOUSE)
    await form.get_by_label("SKU, article code or EAN").fill("PHONE-X")
    await form.get_by_label("Quantity").fill("five")
    await form.get_by_label("Reason").fill("PO 4711")
    await form.get_by_role("button", name="Save").click()
    await expect(form.locator(".field-error")).to_contain_text("whole number")
    await form.get_by_label("Quantity").fill("5")
    await form.get_by_label("Bin").fill("A-02-01")
    await form.get_by_role("button", name="Save").click()
    await expect(page.locator(".flash")).to_contain_text("1 waiting order allocated")
    await shot(page, floor, "stock")

    # Orders: the list filtered by status (htmx), then a search by any reference opens the order.
    await page.get_by_role("link", name="Orders", exact=True).click()
    await expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    await _choose(page, floor, "#f-org")
    await page.locator("#f-status").select_option("allocated")
    # The change filters at once (htmx); "Filter" does the same for keyboards and when a change
    # event raced the page's scripts.
    await page.get_by_role("button", name="Filter").click()
    await expect(page.locator("#results")).to_contain_text(number)
    await expect(page).to_have_url(re.compile(r"status=allocated"))
    await shot(page, floor, "orders")
    await page.get_by_role("searchbox").fill(f"PO-{reference}")
    await page.get_by_role("searchbox").press("Enter")
    await expect(page.get_by_role("heading", name=re.compile(f"Order {number}"))).to_be_visible()

    # Only what the lifecycle allows: an allocated order can be held or canceled, not released.
    actions = page.get_by_role("region", name="Actions")
    await expect(actions.get_by_role("button", name="Release")).to_have_count(0)
    await page.get_by_placeholder("Reason (optional)").fill("customer called")
    await actions.get_by_role("button", name="Hold").click()
    await expect(page.locator(".notice")).to_contain_text("Customer called")
    await page.get_by_role("region", name="Actions").get_by_role("button", name="Release").click()
    await expect(page.locator(".flash")).to_contain_text("now allocated")

    # Pick: a pick list for the order, printed, then confirmed line by line with scans.
    await page.get_by_role("link", name="Pick", exact=True).click()
    await expect(page.get_by_role("heading", name="Pick", exact=True)).to_be_visible()
    await _choose(page, floor)
    await shot(page, floor, "pick")
    await page.get_by_label(f"Pick {number}").check()
    await page.get_by_role("button", name="Make a pick list").click()
    await expect(page.locator(".flash")).to_contain_text("1 shipment to pick")
    pdf = await page.request.get(await page.locator("#print-pick-list").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert (await pdf.body()).startswith(b"%PDF")
    await page.wait_for_load_state("load")  # the scan handlers are bound once scripts have run
    scan = page.locator("#scan")
    await expect(scan).to_be_focused()
    await scan.fill("phone-x")
    await scan.press("Enter")  # a scanner types the code, then Enter: the phone's serial input
    await expect(page.get_by_placeholder("Serial 1")).to_be_focused()
    await page.get_by_role("button", name=f"Confirm pick of {shipment}").click()  # no serial yet
    await expect(page.locator(".pick-form .field-error")).to_contain_text("serial")
    await shot(page, floor, "pick-list")
    await page.locator("#scan").fill("PHONE-X")
    await page.locator("#scan").press("Enter")
    await page.get_by_placeholder("Serial 1").fill("SN-0001")
    await page.get_by_placeholder("Serial 1").press("Enter")  # back to the scan box, not a submit
    await expect(page.locator("#scan")).to_be_focused()
    await page.locator("#scan").fill("4006381333931")  # the case's EAN: its quantity
    await page.locator("#scan").press("Enter")
    await expect(page.locator(".pick-row.found input.qty")).to_be_focused()
    await page.get_by_role("button", name=f"Confirm pick of {shipment}").click()
    await expect(page.locator(".flash")).to_contain_text(f"Pick of {shipment} confirmed")

    # Pack: two packages (the second one added by htmx), the phone in one, the cases in the other.
    await page.get_by_role("link", name="Pack & ship", exact=True).click()
    await expect(page.get_by_role("heading", name="Pack & ship")).to_be_visible()
    await _choose(page, floor)
    await shot(page, floor, "pack-and-ship")
    await page.get_by_role("region", name="Picked, to pack").get_by_role("link", name=shipment).click()
    await expect(page.locator("fieldset.package")).to_have_count(1)
    await page.wait_for_load_state("load")  # "Add a package" is an htmx link
    await page.get_by_role("link", name="Add a package").click()
    await expect(page.locator("fieldset.package")).to_have_count(2)
    for p, (weight, phone, cases) in enumerate([("0.4", "1", "0"), ("0.6", "0", "2")]):
        box = page.locator(f"#package-{p}")
        await box.get_by_label("Weight").fill(weight)
        for dim in ("Length", "Width", "Height"):
            await box.get_by_label(dim).fill("20")
        await box.get_by_label(f"Units of line 1 in package {p + 1}").fill(phone)
        await box.get_by_label(f"Units of line 2 in package {p + 1}").fill(cases)
    await shot(page, floor, "pack")
    await page.get_by_role("button", name="Pack", exact=True).click()
    await expect(page.locator(".flash")).to_contain_text("Packed in 2 packages")
    slip = await page.request.get(await page.locator("#packing-slip").get_attribute("href"))
    assert slip.headers["content-type"] == "application/pdf"

    # Ship: the carrier comes from the order; the tracking number is scanned from the label.
    await expect(page.get_by_label("Carrier", exact=True)).to_have_value("UPS")
    await page.get_by_role("button", name="Ship").click()
    await expect(page.locator("#ship-form .field-error")).to_be_visible()  # no tracking number yet
    await page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    await shot(page, floor, "ship")
    await page.get_by_role("button", name="Ship").click()

    # The order: shipped, with its packages, serial, tracking, documents and timeline.
    await expect(page.locator(".flash")).to_contain_text(f"Shipment {shipment} shipped")
    heading = page.get_by_role("heading", name=re.compile(f"Order {number}"))
    await expect(heading).to_contain_text("Shipped")
    await expect(page.locator(".packages li")).to_have_count(2)
    await expect(page.locator("main")).to_contain_text("SN-0001")
    await expect(page.locator(".tracking")).to_contain_text("1Z999AA10123456784")
    await expect(page.get_by_role("link", name=f"Packing slip {shipment}")).to_be_visible()
    timeline = page.locator("ol.timeline")
    for step in (
        "Order received",
        "Order Received → Backordered",
        "Order Backordered → Allocated",
        "Order Allocated → On hold (customer called)",
        "Order Picking → Packed",
        f"Shipment {shipment} shipped: UPS 1Z999AA10123456784",
        "Order Packed → Shipped",
    ):
        await expect(timeline).to_contain_text(step)
    await shot(page, floor, "order-detail")

    await page.get_by_role("link", name="Webhooks", exact=True).click()
    await expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    await _choose(page, floor)
    await expect(page.get_by_role("heading", name="Deliveries")).to_be_visible()
    await shot(page, floor, "webhooks")

    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_a_merchant_user_sees_only_their_organization(page: Any, floor: Floor) -> None:
    other = f"other-{floor.org}"
    await floor.cli("org", "create", other)
    await sign_in(page, floor.merchant_email)
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    await expect(page.locator("#org-picker")).to_have_count(0)
    await expect(page.get_by_role("link", name="Pick", exact=True)).to_have_count(0)
    await page.goto("/ui/stock")
    await expect(page.get_by_role("heading", name="Levels")).to_be_visible()
    await expect(page.locator("#adjust-form")).to_have_count(0)
    assert (await page.goto(f"/ui/orders?org={other}")).status == 404
    assert (await page.goto("/ui/pick")).status == 403
    await expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    await shot(page, floor, "merchant-not-allowed")


async def test_an_operator_adds_and_disables_a_user(page: Any, floor: Floor) -> None:
    newcomer = f"temp-{floor.org}@example.com"
    await sign_in(page, floor.operator_email)
    await page.get_by_role("link", name="Users").click()
    await expect(page.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    await page.get_by_label("E-mail").fill(newcomer)
    await page.get_by_label("Name").fill("Temp packer")
    await page.get_by_label("Sees").select_option(floor.org)
    await page.get_by_label("First password").fill(PASSWORD)
    await page.get_by_role("button", name="Add").click()
    await expect(page.locator(".flash")).to_contain_text(f"{newcomer} can sign in now")
    row = page.get_by_role("row").filter(has_text=newcomer)
    await expect(row).to_contain_text("Enabled")
    await row.get_by_role("button", name="Disable").click()
    await expect(page.locator(".flash")).to_contain_text("is disabled")
    await expect(page.get_by_role("row").filter(has_text=newcomer)).to_contain_text("Disabled")
    await shot(page, floor, "users")
    await page.get_by_role("button", name="Sign out").click()
    # Signed out first: a goto racing the sign-out could cancel it and stay signed in.
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await sign_in(page, newcomer)
    await expect(page.locator("#sign-in-error")).to_contain_text("do not match")
