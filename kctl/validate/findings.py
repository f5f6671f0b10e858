"""What `kctl validate` found: one Finding per problem, grouped by Document."""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem. `message` is the exact text printed after `file:line: ` (for admission
    errors the same text `kctl apply` prints, prefix such as `error: ` included)."""

    file: str
    line: int
    column: int
    field: str  # apimachinery field path, "" when not known
    rule: str  # e.g. "dns1123-subdomain", "schema", "unknown-kind", "yaml", "missing-reference"
    message: str
    severity: str = ERROR  # "error" | "warning"
    object: str = ""  # "Deployment/web" when known

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "field": self.field,
                "rule": self.rule, "severity": self.severity, "object": self.object,
                "message": self.message}


@dataclass
class Document:
    """One input document (or `*List` item); a file that could not be parsed counts as one
    invalid document per parse error."""

    file: str
    line: int
    kind: str = ""
    name: str = ""
    namespace: str = ""
    skipped: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        return "invalid" if any(f.severity == ERROR for f in self.findings) else "valid"

    @property
    def label(self) -> str:
        """`Deployment/web` (or `document` when it could not be parsed)."""
        if self.kind:
            return f"{self.kind}/{self.name}"
        return "document"


def all_findings(docs: list[Document]) -> list[Finding]:
    """Every finding, in document order then line order (stable: same-line findings keep
    the order admission reported them in, as apply prints them)."""
    out: list[Finding] = []
    for d in docs:
        out.extend(sorted(d.findings, key=lambda f: f.line))
    return out


def summary(docs: list[Document]) -> dict:
    """Counts: documents, valid, invalid, skipped, errors, warnings."""
    findings = all_findings(docs)
    return {
        "documents": len(docs),
        "valid": sum(d.status == "valid" for d in docs),
        "invalid": sum(d.status == "invalid" for d in docs),
        "skipped": sum(d.status == "skipped" for d in docs),
        "errors": sum(f.severity == ERROR for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
    }


def exit_code(docs: list[Document]) -> int:
    """CLI-CONTRACT.md: 0 all valid, 1 some document invalid."""
    return 1 if any(d.status == "invalid" for d in docs) else 0
