"""`contracts diff`: not built yet (its issue is open)."""
