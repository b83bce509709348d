# language: nl
@manier-2 @opnieuw-koppelen
Functionaliteit: Stap 2 — AFAS Pocket opnieuw koppelen in Instellingen / Beveiliging
  Nu het je gelukt is om in te loggen op de AFAS Online Portal, kun je AFAS Pocket opnieuw
  koppelen: verwijder in AFAS Pocket het account 'afasonline.com' (als het er staat), ga
  naar Instellingen / Beveiliging, klik op 'Opnieuw koppelen' en scan de code met het
  plus-teken (+).

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega werkt bij dezelfde organisatie

  @handleiding
  Scenario: Na het inloggen via een collega koppel je AFAS Pocket opnieuw in Instellingen / Beveiliging
    Gegeven ik ben ingelogd via mijn collega
    Als ik in AFAS Pocket het account 'afasonline.com' verwijder met het prullenbakje
    En ik ga naar "Instellingen / Beveiliging"
    Dan zie ik "Bij het inloggen ontvang je een notificatie via AFAS Pocket" met "Opnieuw koppelen"
    Als ik mijn wachtwoord nog eens invul
    En ik klik op "Opnieuw koppelen"
    En ik de QR-code scan met AFAS Pocket
    En ik de code van het nieuwe account invul bij "Koppelen"
    Dan zie ik "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."
    Als ik uitlog
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek goedkeur in AFAS Pocket
    Dan ben ik ingelogd op de AFAS Online Portal

  Abstract Scenario: Staat het account er niet (<geval>), dan is er niets te verwijderen en lukt koppelen toch
    Gegeven op mijn telefoon geldt: "<situatie>"
    En ik ben ingelogd via mijn collega
    Dan staat het account 'afasonline.com' niet in AFAS Pocket
    Als ik AFAS Pocket opnieuw koppel in "Instellingen / Beveiliging"
    Dan zie ik "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."
    Als ik uitlog
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

    Voorbeelden:
      | geval           | situatie                   |
      | nieuwe telefoon | ik heb een nieuwe telefoon |
      | app verwijderd  | de app is verwijderd       |

  Scenario: Na opnieuw koppelen werkt de code van de oude telefoon niet meer
    Gegeven ik bewaar mijn oude telefoon
    En ik heb een nieuwe telefoon
    En ik ben ingelogd via mijn collega
    En ik heb AFAS Pocket opnieuw gekoppeld in "Instellingen / Beveiliging"
    Dan werkt de code van mijn oude telefoon niet meer
    En zie ik de melding "De code is onjuist."
    En ben ik niet ingelogd
