"""Steps that bring the people of a Keycloak scenario into being."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page
from pytest_bdd import given

from fixtures.keycloak.actors import admin_console_of
from fixtures.keycloak.screens import AdminConsole
from herstelpad.actors import Actor


@given("ik ben een medewerker met een gekoppelde authenticator-app", target_fixture="me")
def employee_with_app(make_actor: Callable[..., Actor]) -> Actor:
    """A user of the realm whose authenticator app is linked (an OTP credential)."""
    return make_actor("de persoon")


@given("ik ben een nieuwe medewerker die nog een authenticator-app moet koppelen", target_fixture="me")
def new_employee(make_actor: Callable[..., Actor]) -> Actor:
    """A user who must set up an authenticator at the first login (required action CONFIGURE_TOTP)."""
    return make_actor("de persoon", authenticator="verplicht")


@given("een collega van de helpdesk is ingelogd in de beheerconsole", target_fixture="helpdesk")
def helpdesk_in_admin_console(make_actor: Callable[..., Actor], open_page: Callable[[], Page], admin_console_url: str) -> AdminConsole:
    """A colleague with the realm's user-management roles, logged in to its admin console in their own browser."""
    colleague = make_actor("de helpdesk", authenticator="geen", helpdesk=True)
    return admin_console_of(colleague, open_page(), admin_console_url)
