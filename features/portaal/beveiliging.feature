# language: nl
@beveiliging
Functionaliteit: Een herstelpad laat niemand anders binnen
  Een herstelpad is een tweede deur naar je account. Deze scenario's controleren dat die
  deur alleen opengaat voor jou: codes werken één keer, kort en alleen in jouw sessie,
  raden wordt afgekapt, en een oude telefoon of een vreemd inlogverzoek doet niets meer.
  (OWASP ASVS 4.0: V2.5 herstel, V2.7 out-of-band, V2.8 eenmalige codes, V3 sessies, V4.2.2 CSRF.)

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega werkt bij dezelfde organisatie

  Abstract Scenario: Vijf onjuiste pogingen beëindigen de aanvraag: <code>
    Gegeven ik ben bij de invoer van "<code>"
    Als ik 5 keer een onjuiste code invul bij "<code>"
    Dan zie ik de melding "<melding>"
    En werkt de juiste "<code>" daarna niet meer

    Voorbeelden:
      | code                              | melding                                                 |
      | de bevestigingscode uit de e-mail | Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan. |
      | de code van de collega            | Te veel onjuiste pogingen. Vraag een nieuwe e-mail aan. |
      | de code uit AFAS Pocket           | Te veel onjuiste pogingen. Log opnieuw in.              |

  Abstract Scenario: Een code werkt maar één keer: <code>
    Gegeven ik ben ingelogd met "<code>"
    Als ik uitlog
    En ik opnieuw kom bij de invoer van "<code>"
    En ik dezelfde "<code>" nog eens invul
    Dan zie ik de melding "<melding>"

    Voorbeelden:
      | code                              | melding                         |
      | de code uit AFAS Pocket           | De code is onjuist.             |
      | de bevestigingscode uit de e-mail | De bevestigingscode is onjuist. |
      | de code van de collega            | De bevestigingscode is onjuist. |

  @vereist-klok
  Scenario: Een verlopen code van de collega wordt geweigerd
    Gegeven ik ben bij de invoer van "de code van de collega"
    En de code van mijn collega is ouder dan 10 minuten
    Als ik de bevestigingscode van mijn collega invul
    Dan zie ik de melding "De bevestigingscode is verlopen. Vraag een nieuwe e-mail aan."
    En ben ik niet ingelogd

  Scenario: De bevestigingscode van een ander werkt niet in mijn sessie
    Gegeven een andere medewerker vraagt in een eigen browser een bevestigingsmail aan
    En ik ben bij de invoer van "de bevestigingscode uit de e-mail"
    Als ik de bevestigingscode van de andere medewerker invul
    Dan zie ik de melding "De bevestigingscode is onjuist."

  Abstract Scenario: De code van de collega vervalt na <gebeurtenis>
    Gegeven ik ben bij de invoer van "de code van de collega"
    Als <actie>
    En ik de eerdere bevestigingscode van mijn collega invul
    Dan zie ik de melding "De bevestigingscode is onjuist."
    En ben ik niet ingelogd

    Voorbeelden:
      | gebeurtenis       | actie                                                   |
      | 'Stoppen'         | ik stop en mijn collega opnieuw om een code vraag       |
      | een nieuwe aanvraag | ik mijn collega een nieuwe e-mail laat sturen         |

  Scenario: Het inlogscherm verraadt niet of een e-mailadres bestaat
    Als ik inlog met een onbekend e-mailadres
    En ik noteer wat het inlogscherm antwoordt
    En ik inlog met mijn e-mailadres en een onjuist wachtwoord
    Dan antwoordt het inlogscherm precies hetzelfde

  Scenario: Een formulier zonder CSRF-token wordt geweigerd
    Als ik het inlogformulier verstuur zonder CSRF-token
    Dan zie ik de pagina "Ongeldig formulier"
    En ben ik niet ingelogd

  Scenario: Het sessiecookie wisselt bij het inloggen en is HttpOnly en SameSite
    Gegeven ik noteer het sessiecookie van het inlogscherm
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan is het sessiecookie gewisseld
    En is het sessiecookie HttpOnly en SameSite

  Scenario: Het inlogverzoek van de ene inlog keurt een andere inlog niet goed
    Gegeven iemand anders logt met mijn wachtwoord in een eigen browser in
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik in AFAS Pocket alleen het nieuwste inlogverzoek goedkeur
    Dan ben ik ingelogd op de AFAS Online Portal
    Maar is de andere browser niet ingelogd

  Scenario: Na opnieuw koppelen weigert de portal de oude telefoon, voor code en pushbericht
    Gegeven ik bewaar mijn oude telefoon
    Als ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"
    Dan weigert de portal de oude telefoon bij het ophalen van inlogverzoeken
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code van mijn oude telefoon invul
    Dan zie ik de melding "De code is onjuist."

  Scenario: 'Verstuur e-mail opnieuw' kan de mailbox niet overspoelen
    Gegeven ik ben bij de invoer van "de bevestigingscode uit de e-mail"
    Als ik 10 keer klik op "Verstuur e-mail opnieuw"
    Dan zegt de portal hoeveel seconden ik moet wachten voor een nieuwe e-mail
    En heb ik precies 2 bevestigingsmails ontvangen
