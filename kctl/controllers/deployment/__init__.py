"""Deployment controller package: sync (syncDeployment), rolling, recreate, history, and
util (the pure rollout arithmetic)."""

from kctl.controllers.deployment.sync import DeploymentController

__all__ = ["DeploymentController"]
