"""herstelpad: test harness and scenario runner for the recovery paths of a two-factor login."""

__version__ = "0.1.0"
