"""Test configuration: hypothesis profiles (``HYPOTHESIS_PROFILE=ci|dev|exhaustive``)."""

import os
import sys

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "exhaustive", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter):
    """Print the number of certificate mutants tried per kind (``tests/test_checker_fuzz.py``)."""
    fuzz = sys.modules.get("test_checker_fuzz") or sys.modules.get("tests.test_checker_fuzz")
    counts = getattr(fuzz, "MUTANT_COUNTS", None)
    if not counts:
        return
    terminalreporter.section("checker fuzzing: mutants per certificate kind")
    for schema in sorted(counts):
        c = counts[schema]
        terminalreporter.write_line(
            f"{schema:40s} {c['rejected']:6d} rejected as expected, {c['excluded']:5d} excluded (listed mutants)"
        )
