# language: nl
@sso
Functionaliteit: Ingelogd via SSO: geen tabbladen Instellingen / Beveiliging
  Zie je de tabbladen Instellingen / Beveiliging niet? Dan ben je ingelogd via SSO. Deze
  tabbladen zijn alleen zichtbaar als je inlogt met twee-factorauthenticatie. Gebruik
  hiervoor de URL afasonline.nl, zonder je deelnemersnummer (/12345) erachter.

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket

  Scenario: Wie via SSO inlogt, ziet de tabbladen Instellingen en Beveiliging niet
    Als ik inlog via SSO op de URL met het deelnemersnummer van mijn organisatie
    Dan ben ik ingelogd op de AFAS Online Portal
    Maar zie ik de tabbladen "Instellingen" en "Beveiliging" niet
    En meldt "Instellingen / Beveiliging" dat de tabbladen alleen zichtbaar zijn met twee-factorauthenticatie

  Scenario: Wie zonder deelnemersnummer met twee-factorauthenticatie inlogt, ziet de tabbladen wel
    Gegeven ik ben ingelogd via SSO
    Als ik uitlog
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek goedkeur in AFAS Pocket
    Dan zie ik de tabbladen "Instellingen" en "Beveiliging"
    En zie ik "Bij het inloggen ontvang je een notificatie via AFAS Pocket" met "Opnieuw koppelen"
