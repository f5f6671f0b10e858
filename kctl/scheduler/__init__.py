"""Scheduling: the kube-scheduler framework, its plugins and node inventories."""
