"""People who sign in to the operator UI: operators (every organization) and merchant users."""
