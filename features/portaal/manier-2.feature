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
  Scenario: Met de bevestigingscode van een collega log je in zonder je telefoon
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En ik ben op het aanmeldscherm van afasonline.nl
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

  Scenario: Zonder gekoppelde AFAS Pocket kies je meteen 'Ik ben mijn telefoon vergeten'
    Gegeven ik ben een medewerker zonder gekoppelde AFAS Pocket
    Als ik inlog met mijn e-mailadres en wachtwoord
    Dan zie ik dat AFAS Pocket nog niet gekoppeld is
    Als ik kies "Ik ben mijn telefoon vergeten"
    En ik inlog via mijn collega
    Dan ben ik ingelogd op de AFAS Online Portal

  Abstract Scenario: Alleen een actieve collega van dezelfde organisatie kan helpen, niet <wie>
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En <wie> heeft het e-mailadres dat ik als collega opgeef
    En ik heb een bevestigingsmail voor inloggen via een collega ontvangen
    Als ik dat e-mailadres als collega opgeef
    Dan zie ik de melding "Deze collega kan je niet helpen met inloggen. Controleer het e-mailadres."
    En ontvangt niemand een bevestigingscode voor mij

    Voorbeelden:
      | wie                                 |
      | iemand die niet aangemeld is        |
      | een collega die niet meer actief is |
      | iemand van een andere organisatie   |

  Scenario: Je kunt niet jezelf als collega opgeven
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En ik heb een bevestigingsmail voor inloggen via een collega ontvangen
    Als ik mijn eigen e-mailadres als collega opgeef
    Dan zie ik de melding "Je kunt niet jezelf als collega opgeven."
    En ontvangt niemand een bevestigingscode voor mij

  Scenario: Met een onjuiste code van de collega word je niet ingelogd
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega heeft een bevestigingscode voor mij ontvangen
    Als ik een onjuiste bevestigingscode invul
    Dan zie ik de melding "De bevestigingscode is onjuist."
    En ben ik niet ingelogd

  Scenario: 'Stoppen' breekt het inloggen via een collega af
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega heeft een bevestigingscode voor mij ontvangen
    Als ik klik op "Stoppen"
    Dan kom ik terug op het inlogscherm met de melding "Het inloggen is gestopt."
    En ben ik niet ingelogd

  Scenario: 'Verstuur e-mail opnieuw' stuurt mij een nieuwe bevestigingscode die werkt
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En ik heb een bevestigingsmail voor inloggen via een collega ontvangen
    Als ik klik op "Verstuur e-mail opnieuw"
    Dan ontvang ik een bevestigingsmail "Bevestigingscode voor inloggen via een collega"
    Als ik mijn bevestigingscode en het e-mailadres van mijn collega invul
    Dan ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam

  Scenario: 'Verstuur e-mail opnieuw' stuurt mijn collega een nieuwe bevestigingscode
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega heeft een bevestigingscode voor mij ontvangen
    Als ik klik op "Verstuur e-mail opnieuw"
    Dan ontvangt mijn collega een e-mail met een bevestigingscode en mijn naam
    Als ik de bevestigingscode van mijn collega invul
    Dan ben ik ingelogd op de AFAS Online Portal
