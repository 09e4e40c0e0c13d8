"""Orders: create, read, list, update, cancel, hold and release."""
