# language: nl
@helpdesk
Functionaliteit: De helpdesk stuurt een e-mail om een nieuwe telefoon te koppelen
  Een collega van de helpdesk zoekt je op in de beheerconsole van Keycloak, verwijdert de
  authenticator-app van je verloren telefoon en stuurt je een e-mail met de actie om een
  authenticator-app in te stellen. Met de link koppel je zelf je nieuwe telefoon; de oude
  telefoon werkt daarna niet meer.

  Scenario: Met de e-mail van de helpdesk koppel je een nieuwe telefoon
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    En ik bewaar mijn oude telefoon
    En ik heb een nieuwe telefoon
    En een collega van de helpdesk is ingelogd in de beheerconsole
    Als de helpdesk de authenticator-app van mijn verloren telefoon verwijdert
    En de helpdesk mij de e-mail stuurt om een authenticator-app in te stellen
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    Dan zie ik het scherm "Voer de volgende actie(s) uit"
    Als ik "» Klik hier om verder te gaan" kies
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan zie ik de melding "Uw account is bijgewerkt."
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik de code van mijn oude telefoon invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd
