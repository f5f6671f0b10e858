"""`kctl validate`: offline validation of manifests with apply's own admission.

Pure parts: `findings` (the data), `reports` (findings -> text/json/junit/tap/sarif),
`references` (cross-document checks). The CLI glue lives in `kctl.cli.validate`.
"""
