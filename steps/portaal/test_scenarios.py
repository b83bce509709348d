"""Binds every scenario of features/portaal to a pytest test."""

from pytest_bdd import scenarios

scenarios("../../features/portaal")
