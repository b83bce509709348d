# language: nl
@herstelcodes
Functionaliteit: Herstelcodes: inloggen als je telefoon kwijt is
  Keycloak toont bij het aanmaken van herstelcodes één keer een lijst met eenmalige codes; daarna
  nooit meer. Bewaar ze op papier of in een wachtwoordkluis. Wie zijn telefoon kwijt is, logt in
  met zijn wachtwoord en kiest 'Probeer op een ander manier' en 'Herstelcode voor authenticatie'.
  Keycloak vraagt de codes op volgorde (herstelcode 1, dan 2, …); elke code werkt maar één keer.
  Na het inloggen koppel je onder 'Accountbeveiliging' en 'Aanmelden' een nieuwe telefoon: haal de
  oude authenticator-app weg, dan werkt de code van de oude telefoon niet meer.

  Scenario: Bij het inloggen toont Keycloak één keer de herstelcodes om te bewaren
    Gegeven ik ben een medewerker met een gekoppelde authenticator-app die herstelcodes moet aanmaken
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de code uit mijn authenticator-app invul
    Dan zie ik het scherm "Herstelcodes voor authenticatie"
    Als ik de herstelcodes bewaar die op het scherm staan
    En ik bevestig dat ik de herstelcodes veilig heb bewaard
    Dan ben ik ingelogd in de accountconsole
    En heb ik nog 12 ongebruikte herstelcodes

  Scenario: Telefoon kwijt: met een herstelcode inloggen en een nieuwe telefoon koppelen
    Gegeven ik heb herstelcodes aangemaakt en bewaard
    En ik heb een nieuwe telefoon
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik kies om in te loggen met een herstelcode
    Dan zie ik het scherm "Aanmelden met een herstelcode voor authenticatie"
    Als ik een ongebruikte herstelcode invul
    Dan ben ik ingelogd in de accountconsole
    Als ik bij "Aanmelden" mijn authenticator-app verwijder
    En ik bij "Aanmelden" een authenticator-app instel
    Dan zie ik het scherm "Mobiele authenticator instellen"
    Als ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    Dan ben ik ingelogd in de accountconsole
    En heb ik nog 11 ongebruikte herstelcodes

  Scenario: Een gebruikte herstelcode werkt geen tweede keer
    Gegeven ik heb herstelcodes aangemaakt en bewaard
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik kies om in te loggen met een herstelcode
    En ik een ongebruikte herstelcode invul
    Dan ben ik ingelogd in de accountconsole
    En werkt een gebruikte herstelcode geen tweede keer
    En zie ik de melding "Ongeldige herstelcode voor authenticatie"
    En ben ik niet ingelogd

  Scenario: Na inloggen met een herstelcode en een nieuwe telefoon weigert Keycloak de code van de oude telefoon
    Gegeven ik heb herstelcodes aangemaakt en bewaard
    En ik bewaar mijn oude telefoon
    En ik heb een nieuwe telefoon
    Als ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik kies om in te loggen met een herstelcode
    En ik een ongebruikte herstelcode invul
    En ik bij "Aanmelden" mijn authenticator-app verwijder
    En ik bij "Aanmelden" een authenticator-app instel
    En ik de QR-code op het scherm scan met mijn authenticator-app
    En ik de code uit mijn authenticator-app invul
    En ik later opnieuw inlog met mijn e-mailadres en wachtwoord
    En ik de code van mijn oude telefoon invul
    Dan zie ik de melding "Ongeldige authenticatiecode."
    En ben ik niet ingelogd
