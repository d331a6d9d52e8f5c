"""`contracts serve`: not built yet (its issue is open)."""
