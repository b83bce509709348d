# language: nl
@inloggen
Functionaliteit: Inloggen bij Keycloak met wachtwoord en authenticator-app
  Keycloak vraagt na het wachtwoord de eenmalige code uit een authenticator-app op je telefoon.
  Wie nog geen app gekoppeld heeft, koppelt die bij de eerste inlog: Keycloak toont het scherm
  'Mobiele authenticator instellen' met een QR-code.

  Scenario: Bij de eerste inlog koppel je verplicht een authenticator-app
    Gegeven ik ben een nieuwe medewerker die nog een authenticator-app moet koppelen
    Als ik inlog met mijn e-mailadres en wachtwoord
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole

  Scenario: Na het wachtwoord vraagt Keycloak de code uit de authenticator-app
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole

  Scenario: Een onjuiste code uit de authenticator-app wordt geweigerd
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik een onjuiste code uit mijn authenticator-app invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd

  Scenario: Koppelen en meteen opnieuw inloggen lukt ook als Keycloak alleen de code van het huidige tijdvak aanneemt
    Gegeven ik ben een nieuwe medewerker die nog een authenticator-app moet koppelen
    En Keycloak neemt alleen de code van het huidige tijdvak aan
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole
