# language: nl
@opnieuw-koppelen
Functionaliteit: Opnieuw koppelen in de accountconsole
  In de accountconsole, onder 'Accountbeveiliging' en 'Aanmelden', verwijder je de
  authenticator-app en stel je hem opnieuw in met een nieuwe telefoon.

  Scenario: Na opnieuw koppelen weigert Keycloak de code van de oude telefoon
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    En ik bewaar mijn oude telefoon
    En ik ben ingelogd in de accountconsole
    Als ik bij "Aanmelden" mijn authenticator-app verwijder
    En ik een nieuwe telefoon neem
    En ik bij "Aanmelden" een authenticator-app instel
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik de code van mijn oude telefoon invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd
