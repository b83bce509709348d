"""Binds every scenario of features/keycloak to a pytest test."""

from pytest_bdd import scenarios

scenarios("../../features/keycloak")
