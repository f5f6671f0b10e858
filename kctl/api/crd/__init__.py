"""Custom resources against their CustomResourceDefinition (apiextensions-apiserver's rules).

Pure functions; see openapi.py. CEL rules (cel.py) load cel-python only when a schema has them.
The names below resolve on first use, so importing `kctl.api.crd.registry` (every command on a
store holding CRDs does) does not pay for the validator.
"""

__all__ = ["version_schema", "prune", "default", "validate", "validate_crd"]


def __getattr__(name):
    if name in __all__:
        from kctl.api.crd import openapi

        return getattr(openapi, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
