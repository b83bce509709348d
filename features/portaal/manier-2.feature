# language: nl
@manier-2
Functionaliteit: Manier 2 — inloggen via een collega
  Heb je AFAS Pocket niet met manier 1 opnieuw gekoppeld, log dan eerst in op AFAS Online
  via een collega. Je ontvangt zelf een bevestigingscode, geeft het e-mailadres van een
  collega op die aangemeld is op de AFAS Online portal, en neemt de code over die je
  collega per e-mail ontvangt.

  Achtergrond:
    Gegeven mijn collega werkt bij dezelfde organisatie

  @handleiding
  Scenario: Inloggen via een collega met een gekoppelde AFAS Pocket
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Ik ben mijn telefoon vergeten"
    Dan zie ik mijn e-mailadres, dat ik niet kan wijzigen
    Als ik klik op "Volgende"
    Dan ontvang ik een bevestigingsmail "Bevestigingscode voor inloggen via een collega"
    Als ik mijn bevestigingscode en het e-mailadres van mijn collega invul
    Dan ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam
    Als ik de bevestigingscode van mijn collega invul
    Dan ben ik ingelogd op de AFAS Online Portal
    En is mijn inlog vastgelegd met mijn collega als helper

  Scenario: Inloggen via een collega zonder gekoppelde AFAS Pocket
    Gegeven ik ben een medewerker zonder gekoppelde AFAS Pocket
    Als ik inlog met mijn e-mailadres en wachtwoord
    Dan zie ik dat AFAS Pocket nog niet gekoppeld is
    Als ik kies "Ik ben mijn telefoon vergeten"
    En ik inlog via mijn collega
    Dan ben ik ingelogd op de AFAS Online Portal

  Abstract Scenario: De collega moet aangemeld zijn bij dezelfde organisatie: <wie>
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En "<wie>" heeft het e-mailadres dat ik opgeef
    Als ik "Ik ben mijn telefoon vergeten" kies en mijn bevestigingscode invul
    En ik dat e-mailadres als collega opgeef
    Dan zie ik de melding "<melding>"
    En ontvangt niemand een bevestigingscode voor mij

    Voorbeelden:
      | wie                                | melding                                                                   |
      | iemand die niet aangemeld is       | Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres. |
      | een collega die niet meer actief is | Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres. |
      | iemand van een andere organisatie  | Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres. |
      | ikzelf                             | Je kunt niet jezelf als collega opgeven.                                  |

  Scenario: Een onjuiste code van de collega
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    Als ik "Ik ben mijn telefoon vergeten" kies en mijn bevestigingscode invul
    En ik het e-mailadres van mijn collega opgeef
    En ik een onjuiste bevestigingscode invul
    Dan zie ik de melding "De bevestigingscode is onjuist."
    En ben ik niet ingelogd

  Scenario: 'Stoppen' breekt het inloggen via een collega af
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    Als ik "Ik ben mijn telefoon vergeten" kies en mijn bevestigingscode invul
    En ik het e-mailadres van mijn collega opgeef
    En ik klik op "Stoppen"
    Dan kom ik terug op het inlogscherm met de melding "Het inloggen is gestopt."
    En ben ik niet ingelogd

  Scenario: 'Verstuur e-mail opnieuw' werkt op beide codeschermen
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik klik op "Geen melding ontvangen?"
    En ik kies "Ik ben mijn telefoon vergeten"
    En ik klik op "Volgende"
    En ik ontvang een bevestigingsmail "Bevestigingscode voor inloggen via een collega"
    En ik klik op "Verstuur e-mail opnieuw"
    Dan ontvang ik een bevestigingsmail "Bevestigingscode voor inloggen via een collega"
    Als ik mijn bevestigingscode en het e-mailadres van mijn collega invul
    En mijn collega ontvangt een e-mail met een bevestigingscode en mijn naam
    En ik klik op "Verstuur e-mail opnieuw"
    Dan ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam
    Als ik de bevestigingscode van mijn collega invul
    Dan ben ik ingelogd op de AFAS Online Portal
