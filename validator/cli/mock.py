"""`contracts mock`: not built yet (its issue is open)."""
