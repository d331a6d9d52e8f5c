"""`contracts test`: not built yet (its issue is open)."""
