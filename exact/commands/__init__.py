"""Subcommands of ``reluscape`` that live outside :mod:`exact.cli`, one module per command.

Every module in this package defines ``add(sub)``: it adds its parser to the ``argparse``
sub-parsers ``sub`` and sets ``run`` (a function of the parsed arguments returning the exit
status). :func:`exact.cli.main` discovers the modules, so a new command is a new file here.
The helpers below parse the argument types the commands share.
"""

import importlib
import pkgutil

from ..errors import ReluscapeError

__all__ = ["add_all", "int_list", "text_list", "exact_text", "decimal"]


def add_all(sub):
    """Register every command module of this package with the sub-parsers ``sub``, by name."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}").add(sub)


def int_list(text, name):
    """``"4,8,16"`` as ``[4, 8, 16]``: positive integers, or an error naming the option."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError as err:
        raise ReluscapeError(f"{name} {text!r}: expected comma-separated integers") from err
    if not values or min(values) < 1:
        raise ReluscapeError(f"{name} {text!r}: expected comma-separated integers >= 1")
    return values


def text_list(text, name):
    """``"a, b"`` as ``["a", "b"]``; an empty list is an error naming the option."""
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise ReluscapeError(f"{name} is empty")
    return values


def exact_text(v):
    """An exact number as text: a Fraction or sympy expression as is, a ball by its bounds."""
    from ..balls import is_ball, lower, upper

    if is_ball(v):
        return f"[{decimal(lower(v))}, {decimal(upper(v))}]"
    return str(v)


def decimal(q, digits=20):
    """A rational as a decimal string of ``digits`` significant digits (the checker's format)."""
    from ..checker import _decimal

    return _decimal(q, digits)
