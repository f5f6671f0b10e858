"""kctl: a local Kubernetes control plane in one SQLite file, driven like kubectl."""

__version__ = "0.1.0"
# The Kubernetes minor whose API, defaults and texts kctl follows.
KUBERNETES_VERSION = "1.37"
