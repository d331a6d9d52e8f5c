"""Reporters: turn returned findings into text, JSON or JUnit XML. Producers never print."""
