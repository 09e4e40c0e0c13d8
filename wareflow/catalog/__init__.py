"""The catalog: products (sellable variants) and how an order line's code finds one."""
