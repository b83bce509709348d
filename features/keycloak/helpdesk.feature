# language: nl
@helpdesk
Functionaliteit: De helpdesk stuurt een e-mail om een nieuwe telefoon te koppelen
  Een collega van de helpdesk zoekt je op in de beheerconsole van Keycloak en stuurt je een
  e-mail met de actie om een authenticator-app in te stellen. Met de link koppel je zelf je
  nieuwe telefoon.

  Scenario: Met de e-mail van de helpdesk koppel je een nieuwe telefoon
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    En ik heb een nieuwe telefoon
    En een collega van de helpdesk is ingelogd in de beheerconsole
    Als de helpdesk mij de e-mail stuurt om een authenticator-app in te stellen
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    Dan zie ik het scherm "Voer de volgende actie(s) uit"
    Als ik "» Klik hier om verder te gaan" kies
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan zie ik de melding "Uw account is bijgewerkt."
