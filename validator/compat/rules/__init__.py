"""The compatibility rules, one small named function each; :mod:`..catalogue` gives them ids and verdicts."""
