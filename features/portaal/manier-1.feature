# language: nl
@manier-1
Functionaliteit: Manier 1 — AFAS Pocket opnieuw instellen, nog voordat je bent ingelogd
  Koppel AFAS Pocket opnieuw als je in AFAS Pocket geen 6-cijferige code meer ziet van het
  account 'afasonline.com', als je geen inlogverzoek of pushbericht ontvangt, als je de app
  hebt verwijderd of als je een nieuwe telefoon hebt. Voor de nieuwe koppeling begin je op
  je computer met inloggen op afasonline.nl.

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket

  @handleiding
  Scenario: AFAS Pocket opnieuw instellen en daarna inloggen met de zojuist gekoppelde inlogmethode
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    Dan ontvang ik een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Als ik de bevestigingscode uit mijn e-mail invul
    En ik de QR-code scan met AFAS Pocket
    En ik de code van het nieuwe account invul bij "Koppelen"
    Dan kom ik terug op het inlogscherm met de melding "AFAS Pocket is gekoppeld."
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek goedkeur in AFAS Pocket
    Dan ben ik ingelogd op de AFAS Online Portal

  Abstract Scenario: Opnieuw koppelen omdat <reden>
    Gegeven op mijn telefoon geldt: "<situatie>"
    Als ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

    Voorbeelden:
      | reden                                               | situatie                                                |
      | AFAS Pocket geen code van 'afasonline.com' toont     | het account 'afasonline.com' staat niet meer in AFAS Pocket |
      | er geen inlogverzoek of pushbericht komt             | AFAS Pocket ontvangt geen inlogverzoeken meer            |
      | de app is verwijderd                                 | de app is verwijderd                                     |
      | ik een nieuwe telefoon heb                           | ik heb een nieuwe telefoon                               |

  Scenario: De link in de bevestigingsmail doet hetzelfde als de code
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    En ik de link in de bevestigingsmail open
    Dan zie ik de QR-code om AFAS Pocket te koppelen

  Scenario: Bevestigingsmail niet ontvangen: 'Verstuur e-mail opnieuw'
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    Maar de bevestigingsmail komt niet aan
    En ik klik op "Verstuur e-mail opnieuw"
    Dan ontvang ik een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Als ik de bevestigingscode uit mijn e-mail invul
    Dan zie ik de QR-code om AFAS Pocket te koppelen

  @vereist-klok
  Scenario: Een verlopen bevestigingscode
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    En ik ontvang een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Maar er verstrijken "11" minuten
    En ik de bevestigingscode uit mijn e-mail invul
    Dan zie ik de melding "De bevestigingscode is verlopen. Vraag een nieuwe e-mail aan."

  Scenario: Vijf keer een onjuiste bevestigingscode beëindigt de aanvraag
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    En ik ontvang een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    En ik "5" keer een onjuiste bevestigingscode invul
    Dan zie ik de melding "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan."
    Als ik de bevestigingscode uit mijn e-mail invul
    Dan zie ik de melding "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan."

  Scenario: Na het opnieuw instellen werkt de code van het oude account niet meer
    Gegeven ik bewaar mijn oude telefoon
    Als ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"
    Dan werkt de code van mijn oude telefoon niet meer
    En zie ik de melding "De code is onjuist."
    En ben ik niet ingelogd
