# language: nl
@beveiliging
Functionaliteit: Grenzen per account houden stand tegen herhaalde en gelijktijdige pogingen
  Iemand die mijn wachtwoord kent, mag mijn tweede stap niet kunnen raden, mijn mailbox of telefoon
  niet kunnen overspoelen en een sessie die hij al heeft niet kunnen houden als ik mijn toegang herstel.
  Een grens telt per account, niet per sessie: opnieuw inloggen of veel verzoeken tegelijk sturen
  helpt niet. (OWASP ASVS 4.0.3: V2.2.1 en V2.2.3 raden en meldingen, V2.5 herstel, V2.8 eenmalige
  codes, V3.3 sessies beëindigen, V11.1 bedrijfslogica.)

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega werkt bij dezelfde organisatie

  Scenario: Na 10 onjuiste codes over meerdere inlogpogingen wordt de tweede stap geblokkeerd
    Als iemand 12 keer tegelijk "met mijn wachtwoord inlogt en een onjuiste code uit AFAS Pocket invult"
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan zie ik de melding "Te veel onjuiste codes. De tweede stap is 15 minuten geblokkeerd. Kom je er niet in? Kies 'Geen melding ontvangen?' en herstel je toegang via e-mail."
    En ben ik niet ingelogd

  Scenario: Na 10 onjuiste wachtwoorden wordt inloggen met dat e-mailadres even geblokkeerd
    Als iemand 15 keer tegelijk "met mijn e-mailadres een onjuist wachtwoord probeert"
    En ik inlog met mijn e-mailadres en wachtwoord
    Dan zie ik de melding "Te veel onjuiste pogingen met dit e-mailadres. Probeer het over 15 minuten opnieuw, of log in op een apparaat waarop je eerder bent ingelogd."

  Scenario: Een browser waarin ik eerder ben ingelogd, blijft werken als een ander mijn wachtwoord raadt
    Gegeven ik ben ingelogd met "de code uit AFAS Pocket"
    Als ik uitlog
    En iemand 15 keer tegelijk "met mijn e-mailadres een onjuist wachtwoord probeert"
    En ik inlog met mijn e-mailadres en wachtwoord
    Dan zie ik de pagina "Bevestig je inlog"

  Scenario: Gelijktijdige aanvragen versturen hoogstens 5 bevestigingsmails per uur
    Als iemand 12 keer tegelijk "met mijn wachtwoord inlogt en AFAS Pocket opnieuw laat instellen"
    Dan zijn er hoogstens 5 bevestigingsmails aan mij verstuurd

  Scenario: Mijn collega krijgt hoogstens 5 hulpvragen per uur, ook als collega's tegelijk vragen
    Als iemand 8 keer tegelijk "als andere medewerker mijn collega om hulp vraagt"
    Dan zijn er hoogstens 5 e-mails aan mijn collega verstuurd

  Scenario: Herhaald inloggen met mijn wachtwoord overspoelt mijn telefoon niet met inlogverzoeken
    Als iemand 10 keer tegelijk "met mijn wachtwoord inlogt"
    Dan zijn er hoogstens 5 inlogverzoeken op mijn telefoon

  Scenario: AFAS Pocket opnieuw instellen beëindigt een sessie die een ander al had
    Gegeven iemand anders is met mijn wachtwoord en een code uit AFAS Pocket ingelogd in een eigen browser
    Als ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"
    Dan is de andere browser niet ingelogd

  Scenario: Inloggen via een collega beëindigt een sessie die een ander al had
    Gegeven iemand anders is met mijn wachtwoord en een code uit AFAS Pocket ingelogd in een eigen browser
    En ik ben ingelogd via mijn collega
    Dan is de andere browser niet ingelogd

  Scenario: Na opnieuw instellen krijg ik een e-mail dat AFAS Pocket opnieuw is gekoppeld
    Als ik AFAS Pocket opnieuw instel via "Geen melding ontvangen?"
    Dan ontvang ik een e-mail over "AFAS Pocket is opnieuw gekoppeld aan je account"

  Scenario: Opnieuw koppelen in Beveiliging vraagt eerst mijn wachtwoord
    Gegeven ik ben ingelogd met "de code uit AFAS Pocket"
    Als ik in "Instellingen / Beveiliging" op "Opnieuw koppelen" klik zonder mijn wachtwoord
    Dan zie ik de melding "Het wachtwoord is onjuist."
    En zie ik de pagina "Beveiliging"
