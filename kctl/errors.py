"""Error types shared by every layer. The CLI maps them to exit codes and texts.

Texts follow kubectl/kube-apiserver 1.37; `str(err)` is exactly what kubectl would print
after `error: ` (or on its own for server errors, which kubectl prints without a prefix).
"""

from __future__ import annotations


class KctlError(Exception):
    """Any error a user can cause. `exit_code` is what the CLI exits with."""

    exit_code = 1
    #: kubectl prints client-side errors as `error: <msg>`; server errors stand alone.
    prefix = "error: "

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message)
        self.message = message
        #: "file:line" where the error came from a manifest, else None
        self.source = source

    def render(self) -> str:
        text = f"{self.prefix}{self.message}"
        return f"{self.source}: {text}" if self.source else text


class UsageError(KctlError):
    """Bad flags or arguments (kubectl: `error: unknown flag: --x`)."""


class ManifestError(KctlError):
    """A manifest that cannot be read or decoded (YAML syntax, not a mapping, no kind...)."""


class StatusError(KctlError):
    """An error the API server would return (NotFound, Invalid, Conflict, AlreadyExists...).

    kubectl prints these without the `error: ` prefix, e.g.
    `Error from server (NotFound): pods "x" not found`.
    """

    prefix = ""
    reason = "InternalError"

    def __init__(self, message: str, source: str | None = None):
        super().__init__(message, source)


class NotFound(StatusError):
    reason = "NotFound"

    def __init__(self, resource: str, name: str, source: str | None = None):
        # resource is the plural with group, e.g. 'deployments.apps' or 'pods'
        super().__init__(f'Error from server (NotFound): {resource} "{name}" not found', source)
        self.resource = resource
        self.name = name


class AlreadyExists(StatusError):
    reason = "AlreadyExists"

    def __init__(self, resource: str, name: str, source: str | None = None):
        super().__init__(
            f'Error from server (AlreadyExists): {resource} "{name}" already exists', source
        )


class Conflict(StatusError):
    reason = "Conflict"
    TEXT = "the object has been modified; please apply your changes to the latest version and try again"

    def __init__(self, resource: str, name: str, source: str | None = None):
        super().__init__(
            f'Error from server (Conflict): Operation cannot be fulfilled on {resource} "{name}": {self.TEXT}',
            source,
        )


class Invalid(StatusError):
    """`The Deployment "web" is invalid: <field errors>` (kubectl's multi-line form for many)."""

    reason = "Invalid"

    def __init__(self, kind: str, name: str, errors: list, source: str | None = None):
        self.kind = kind
        self.name = name
        self.errors = list(errors)
        super().__init__(self._text(), source)

    def _text(self) -> str:
        head = f'The {self.kind} "{self.name}" is invalid'
        if len(self.errors) == 1:
            return f"{head}: {self.errors[0]}"
        return f"{head}: \n" + "\n".join(f"* {e}" for e in self.errors)


class Forbidden(StatusError):
    reason = "Forbidden"


class StoreError(KctlError):
    """The store cannot be opened or used."""


class ConvergeError(KctlError):
    """The control loops did not settle within their bound."""


class PendingPods(KctlError):
    """`apply --fail-on-pending`: some applied pod stayed Pending."""

    exit_code = 3
