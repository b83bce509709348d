# language: nl
Functionaliteit: Inloggen met wachtwoord en authenticator-app
  Wie zijn wachtwoord kent en de code uit zijn authenticator-app invult, komt binnen;
  een code die de app niet gaf, wordt geweigerd.

  Achtergrond:
    Gegeven ik heb een account met een gekoppelde authenticator-app

  Scenario: Met mijn wachtwoord en de code uit mijn app kom ik binnen
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de code uit mijn authenticator-app invul
    Dan zie ik de pagina "Welkom"

  Scenario: Een code die mijn app niet gaf, wordt geweigerd
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik een onjuiste code uit mijn authenticator-app invul
    Dan zie ik de melding "De code is onjuist."
