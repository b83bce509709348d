# language: nl
@herstel
Functionaliteit: Telefoon kwijt: een nieuwe telefoon koppelen via 'Wachtwoord vergeten?'
  Wie zijn telefoon kwijt is, kiest op het inlogscherm 'Wachtwoord vergeten?'. Keycloak stuurt
  een e-mail met een link; die link verwijdert de oude authenticator, toont een nieuwe QR-code
  en vraagt een nieuw wachtwoord.

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app
    En ik bewaar mijn oude telefoon
    En ik heb een nieuwe telefoon

  Scenario: Met de link uit de e-mail koppel je een nieuwe telefoon en kies je een nieuw wachtwoord
    Als ik bij het inloggen "Wachtwoord vergeten?" kies en mijn e-mailadres opgeef
    Dan zie ik de melding "U ontvangt binnenkort een e-mail met verdere instructies."
    Als ik een e-mail ontvang
    Dan staat in de e-mail een link om mijn aanmeldgegevens te wijzigen
    Als ik de link in de e-mail open
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    En ik een nieuw wachtwoord kies
    Dan ben ik ingelogd in de accountconsole

  Scenario: Na het herstel per e-mail weigert Keycloak de code van de oude telefoon
    Als ik bij het inloggen "Wachtwoord vergeten?" kies en mijn e-mailadres opgeef
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    En ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    En ik een nieuw wachtwoord kies
    En ik later opnieuw inlog met mijn nieuwe wachtwoord
    En ik de code van mijn oude telefoon invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd
