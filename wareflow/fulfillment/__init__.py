"""Fulfillment: shipments, pick lists, pick, pack, ship, and the carrier rates chosen at pack."""
