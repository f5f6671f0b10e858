"""The command line: the only package that imports click. Heavy imports stay inside commands."""
