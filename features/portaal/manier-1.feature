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
  Scenario: Na het opnieuw instellen log je in met de zojuist gekoppelde AFAS Pocket
    Gegeven ik ben op het aanmeldscherm van afasonline.nl
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Stel AFAS Pocket opnieuw in"
    Dan ontvang ik een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Als ik de bevestigingscode uit mijn e-mail invul
    En ik de QR-code scan met AFAS Pocket
    En ik de code van het nieuwe account invul bij "Koppelen"
    Dan kom ik terug op het inlogscherm met de melding "AFAS Pocket is gekoppeld. Log nu opnieuw in met de zojuist gekoppelde inlogmethode."
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek goedkeur in AFAS Pocket
    Dan ben ik ingelogd op de AFAS Online Portal

  Abstract Scenario: Opnieuw instellen helpt als <reden>
    Gegeven op mijn telefoon geldt: "<situatie>"
    En ik heb AFAS Pocket opnieuw ingesteld via "Geen melding ontvangen?"
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

    Voorbeelden:
      | reden                                           | situatie                                                    |
      | AFAS Pocket geen code van 'afasonline.com' toont | het account 'afasonline.com' staat niet meer in AFAS Pocket |
      | er geen inlogverzoek of pushbericht komt         | AFAS Pocket ontvangt geen inlogverzoeken meer               |
      | de app is verwijderd                             | de app is verwijderd                                        |
      | ik een nieuwe telefoon heb                       | ik heb een nieuwe telefoon                                  |

  Scenario: De link in de bevestigingsmail opent het koppelscherm, net als de code
    Gegeven ik heb een bevestigingsmail voor het opnieuw instellen ontvangen
    Als ik de link in de bevestigingsmail open
    Dan zie ik de QR-code om AFAS Pocket te koppelen

  Scenario: Wie de bevestigingsmail niet krijgt, laat hem opnieuw versturen
    Gegeven ik heb het opnieuw instellen van AFAS Pocket aangevraagd, maar de bevestigingsmail is niet aangekomen
    Als ik klik op "Verstuur e-mail opnieuw"
    Dan ontvang ik een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Als ik de bevestigingscode uit mijn e-mail invul
    Dan zie ik de QR-code om AFAS Pocket te koppelen

  @vereist-klok
  Scenario: Een bevestigingscode is 10 minuten geldig
    Gegeven ik heb een bevestigingsmail voor het opnieuw instellen ontvangen
    Als ik de bevestigingscode uit mijn e-mail invul als de code ouder is dan 10 minuten
    Dan zie ik de melding "De bevestigingscode is verlopen. Vraag een nieuwe e-mail aan."

  Scenario: Na 5 onjuiste bevestigingscodes werkt ook de juiste code niet meer
    Gegeven ik heb een bevestigingsmail voor het opnieuw instellen ontvangen
    Als ik 5 keer een onjuiste bevestigingscode invul
    Dan zie ik de melding "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan."
    Als ik de bevestigingscode uit mijn e-mail invul
    Dan zie ik de melding "Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan."

  Scenario: Na het opnieuw instellen werkt de code van de oude telefoon niet meer
    Gegeven ik bewaar mijn oude telefoon
    En ik heb AFAS Pocket opnieuw ingesteld via "Geen melding ontvangen?"
    Dan werkt de code van mijn oude telefoon niet meer
    En zie ik de melding "De code is onjuist."
    En ben ik niet ingelogd
