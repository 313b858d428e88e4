"""Generators of named constructions; each returns a certified object (see ``exact.checker``)."""
