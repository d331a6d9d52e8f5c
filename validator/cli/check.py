"""`contracts check`: not built yet (its issue is open)."""
