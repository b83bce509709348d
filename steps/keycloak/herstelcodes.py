"""Steps of Keycloak's recovery codes and of its strict TOTP window (the generic recovery-code steps are the core's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytest_bdd import given, when

from fixtures.keycloak.actors import keep_recovery_codes_at_login
from fixtures.keycloak.provisioning import KeycloakProvisioner
from fixtures.keycloak.recovery_codes import otp_policy, set_otp_policy
from fixtures.keycloak.screens import AccountConsole, LoginScreens
from herstelpad.actors import Actor
from herstelpad.pack import TargetPack, TotpWindow

STRICT = TotpWindow(0, 0)
# The strict realm's time step: 15 s instead of 30. A code of the current step only, never twice, means the second
# login of a scenario waits for the next step: 7.5 s on average instead of 15. The phone learns it from the QR code.
STRICT_PERIOD = 15


@given("ik ben een medewerker met een gekoppelde authenticator-app die herstelcodes moet aanmaken", target_fixture="me")
def employee_who_must_create_recovery_codes(make_actor: Callable[..., Actor]) -> Actor:
    """A user with a linked authenticator whom Keycloak shows a set of recovery codes at the next login."""
    return make_actor("de persoon", herstelcodes=True)


@given("ik heb herstelcodes aangemaakt en bewaard", target_fixture="me")
def recovery_codes_created(
    make_actor: Callable[..., Actor], login: LoginScreens, account_console: AccountConsole, target_pack: TargetPack
) -> Actor:
    """A user who logged in with the app, kept the recovery codes Keycloak showed and confirmed it (on to the console)."""
    me = make_actor("de persoon", herstelcodes=True)
    keep_recovery_codes_at_login(me, login, account_console, target_pack.recovery_codes_selector)
    return me


@when("ik bevestig dat ik de herstelcodes veilig heb bewaard")
def confirm_recovery_codes_kept(login: LoginScreens) -> None:
    """Ticks 'Ik heb deze codes op een veilige plaats bewaard' and completes the set-up."""
    login.confirm_recovery_codes_kept()


@when("ik kies om in te loggen met een herstelcode")
def choose_recovery_code(login: LoginScreens) -> None:
    """'Probeer op een ander manier' → 'Herstelcode voor authenticatie'."""
    login.choose_recovery_code()


@pytest.fixture
def strict_realm(provisioner: KeycloakProvisioner, realm: str) -> Iterator[TotpWindow]:
    """The session realm accepts only the current time step (of STRICT_PERIOD seconds) for this scenario; its policy
    is restored afterwards."""
    window, period = otp_policy(provisioner.admin, realm)
    set_otp_policy(provisioner.admin, realm, STRICT, STRICT_PERIOD)
    yield STRICT
    set_otp_policy(provisioner.admin, realm, window, period)


@given("Keycloak neemt alleen de code van het huidige tijdvak aan")
def only_current_time_step(me: Actor, strict_realm: TotpWindow) -> None:
    """The realm's OTP policy looks around no step (RFC 6238's strictest verifier); the phone learns that window."""
    me.phone.window = strict_realm
