"""Stock per warehouse, its movements, and allocation of orders against it."""
