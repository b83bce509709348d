# language: nl
@manier-2 @opnieuw-koppelen
Functionaliteit: Stap 2 — AFAS Pocket opnieuw koppelen in Instellingen / Beveiliging
  Nu het je gelukt is om in te loggen op de AFAS Online Portal, kun je AFAS Pocket opnieuw
  koppelen: verwijder in AFAS Pocket het account 'afasonline.com' (als het er staat), ga
  naar Instellingen / Beveiliging, klik op 'Opnieuw koppelen' en scan de code met het
  plus-teken (+).

  Achtergrond:
    Gegeven mijn collega werkt bij dezelfde organisatie

  @handleiding
  Scenario: Na het inloggen via een collega AFAS Pocket opnieuw koppelen
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En ik ben ingelogd via mijn collega
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

  Abstract Scenario: <geval>: er is geen account om te verwijderen, koppelen lukt toch
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En ik bewaar mijn oude telefoon
    En op mijn telefoon geldt: "<situatie>"
    En ik ben ingelogd via mijn collega
    Dan staat het account 'afasonline.com' niet in AFAS Pocket
    Als ik AFAS Pocket opnieuw koppel in "Instellingen / Beveiliging"
    Dan zie ik "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen."
    Als ik uitlog
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code van mijn oude telefoon invul
    Dan zie ik de melding "De code is onjuist."
    Als ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

    Voorbeelden:
      | geval              | situatie                  |
      | Nieuwe telefoon    | ik heb een nieuwe telefoon |
      | App verwijderd     | de app is verwijderd       |
