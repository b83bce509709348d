"""Binds every scenario of features/voorbeeld to a pytest test."""

from pytest_bdd import scenarios

scenarios("../../features/voorbeeld")
