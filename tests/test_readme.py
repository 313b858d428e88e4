"""The README's Python tour is run as a doctest: what a newcomer copies must be true."""

import doctest
import pathlib

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_readme_tour_is_true():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10
    assert result.failed == 0
