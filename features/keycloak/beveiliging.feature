# language: nl
@beveiliging
Functionaliteit: Beveiliging van inloggen en herstel bij Keycloak

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app

  Scenario: Een gebruikte e-maillink werkt geen tweede keer
    Gegeven ik heb een nieuwe telefoon
    Als ik bij het inloggen "Wachtwoord vergeten?" kies en mijn e-mailadres opgeef
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    En ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    En ik een nieuw wachtwoord kies
    En ik de link in de e-mail nog een keer open
    Dan zie ik de melding "Actietijd verlopen. Log daarom opnieuw in."

  Scenario: Een gebruikte code uit de authenticator-app werkt geen tweede keer
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik dezelfde code nog een keer invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd

  Scenario: Na 3 onjuiste codes blokkeert Keycloak het account tijdelijk
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik 3 keer een onjuiste code uit mijn authenticator-app invul
    Dan heeft Keycloak mijn account tijdelijk geblokkeerd
    Als ik de code uit mijn authenticator-app invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd

  @vereist-klok
  Scenario: Een link uit de e-mail verloopt na 5 minuten
    Als ik bij het inloggen "Wachtwoord vergeten?" kies en mijn e-mailadres opgeef
    En ik een e-mail ontvang
    En er 6 minuten verstrijken
    En ik de link in de e-mail open
    Dan zie ik de melding "Actietijd verlopen."
