"""Steps of the recovery paths: 'Wachtwoord vergeten?', the account console, the helpdesk's e-mail."""

from __future__ import annotations

from playwright.sync_api import Page
from pytest_bdd import given, parsers, then, when

from fixtures.keycloak.actors import log_in_with_app
from fixtures.keycloak.screens import AccountConsole, AdminConsole, LoginScreens
from herstelpad.actors import Actor
from herstelpad.pack import PackError
from herstelpad.people import strong_password

RESET_LINK = "/login-actions/action-token"  # where Keycloak's e-mailed links lead (the subject changes between versions)


@when("ik bij het inloggen \"Wachtwoord vergeten?\" kies en mijn e-mailadres opgeef")
def request_password_reset(me: Actor, login: LoginScreens, account_console: AccountConsole) -> None:
    """Opens the login screen, chooses 'Wachtwoord vergeten?' and asks for the e-mail."""
    login.open(account_console.url)
    login.forgot_password()
    login.request_reset(me.person.email)


@then("staat in de e-mail een link om mijn aanmeldgegevens te wijzigen")
def link_in_email(me: Actor) -> None:
    """The e-mail I read last holds a link to Keycloak's action token."""
    me.last_email().link(RESET_LINK)


@when("ik een nieuw wachtwoord kies")
def choose_new_password(me: Actor, login: LoginScreens) -> None:
    """Sets a new strong password on 'Wachtwoord bijwerken'; from now on I know that one."""
    me.change_password(strong_password())
    login.set_new_password(me.person.password)


@when("ik later opnieuw inlog met mijn nieuwe wachtwoord")
def log_in_later_with_new_password(me: Actor, login: LoginScreens, account_console: AccountConsole) -> None:
    """Closes the browser and logs in with my e-mail address and new password."""
    login.log_in_at(account_console.url, me.person.email, me.person.password, fresh_browser=True)


@when("ik de link in de e-mail nog een keer open")
def open_link_again(me: Actor, prepared_page: Page) -> None:
    """Opens the link of the e-mail I read last once more."""
    prepared_page.goto(me.last_email().link(RESET_LINK))


@given("ik ben ingelogd in de accountconsole")
def logged_in_to_account_console(me: Actor, login: LoginScreens, account_console: AccountConsole) -> None:
    """Logs in with password and the app's code."""
    log_in_with_app(me, login, account_console)
    account_console.shown_for(me.person.name).wait_for()


@when('ik bij "Aanmelden" mijn authenticator-app verwijder')
def remove_authenticator(account_console: AccountConsole) -> None:
    """Removes the authenticator app under 'Accountbeveiliging' → 'Aanmelden'."""
    account_console.open_signing_in()
    account_console.remove_authenticator()


@when('ik bij "Aanmelden" een authenticator-app instel')
def set_up_authenticator(account_console: AccountConsole) -> None:
    """Chooses to set up an authenticator app under 'Aanmelden'."""
    account_console.open_signing_in()
    account_console.set_up_authenticator()


@when("de helpdesk de authenticator-app van mijn verloren telefoon verwijdert")
def helpdesk_removes_authenticator(helpdesk: AdminConsole, me: Actor) -> None:
    """The helpdesk finds me and deletes my authenticator app's credential."""
    helpdesk.open_user(me.person.email)
    helpdesk.remove_authenticator()


@when("de helpdesk mij de e-mail stuurt om een authenticator-app in te stellen")
def helpdesk_sends_action_email(helpdesk: AdminConsole, me: Actor) -> None:
    """The helpdesk sends me the e-mail with the action 'Configure OTP'."""
    helpdesk.open_user(me.person.email)
    helpdesk.send_action_email("Configure OTP")


@when(parsers.parse("er {minutes:d} minuten verstrijken"))
def time_passes(minutes: int) -> None:
    """Keycloak's clock cannot be moved from outside: scenarios with this step need @vereist-klok."""
    raise PackError(f"Keycloak's clock cannot be moved forward {minutes} minutes; tag the scenario @vereist-klok")


@when('ik "» Klik hier om verder te gaan" kies')
def proceed(login: LoginScreens) -> None:
    """Goes on from 'Voer de volgende actie(s) uit' to the action the e-mail asked for."""
    login.proceed()
