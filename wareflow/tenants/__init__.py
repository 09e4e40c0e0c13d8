"""Organizations (tenants), warehouses and API keys."""
