"""The declared limits: read from CONTRACTS_MAX_* variables, overridden by options, enforced by a deadline."""

from __future__ import annotations

import time

import pytest

from validator import limits
from validator.errors import TooComplexError, UsageError


def test_limits_come_from_the_environment_and_options_override_them() -> None:
    read = limits.Limits.from_env({"CONTRACTS_MAX_SECONDS": "2.5", "CONTRACTS_MAX_REGEX_STEPS": "500"})
    assert (read.seconds, read.regex_steps, read.expansion) == (2.5, 500, limits.DEFAULTS.expansion)
    assert read.with_values(seconds=None, expansion=7).expansion == 7


@pytest.mark.parametrize("raw", ["lots", "0", "-3"])
def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(raw: str) -> None:
    with pytest.raises(UsageError, match="CONTRACTS_MAX_EXPANSION"):
        limits.Limits.from_env({"CONTRACTS_MAX_EXPANSION": raw})


def test_check_raises_once_the_deadline_has_passed_and_not_outside_an_analysis() -> None:
    limits.check("/anywhere")  # no analysis running: no deadline
    with limits.bounded(0.01):
        limits.check("/early")
        spent = time.process_time() + 0.02
        while time.process_time() < spent:  # the deadline is in CPU time: spend some
            pass
        with pytest.raises(TooComplexError) as caught:
            limits.check("/components/schemas/A", "file:///c/openapi.yaml")
    assert caught.value.limit == "seconds"
    assert caught.value.pointer == "/components/schemas/A"
    limits.check("/after")  # the deadline ended with the analysis


def test_the_deadline_counts_cpu_time_so_waiting_does_not_spend_it() -> None:
    # A loaded machine makes an analysis wait for the CPU; waiting must not turn a document away.
    with limits.bounded(0.05):
        time.sleep(0.1)
        limits.check("/after-waiting")
