"""Contract tests against a live API (issue: contract-testing suite)."""
