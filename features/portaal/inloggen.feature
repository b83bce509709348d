# language: nl
@inloggen
Functionaliteit: Inloggen met twee-factorauthenticatie
  Voor AFAS Online begin je op je computer: je logt in op afasonline.nl met je
  e-mailadres en wachtwoord, en bevestigt met AFAS Pocket op je telefoon, met een
  inlogverzoek (pushbericht) of met de 6-cijferige code van het account 'afasonline.com'.

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket

  @push
  Scenario: Een goedgekeurd inlogverzoek in AFAS Pocket logt je in
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek goedkeur in AFAS Pocket
    Dan ben ik ingelogd op de AFAS Online Portal
    En zie ik de tabbladen "Instellingen" en "Beveiliging"

  @code
  Scenario: De 6-cijferige code uit AFAS Pocket logt je in
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

  @push
  Scenario: Staan de meldingen van je telefoon uit, dan haalt AFAS Pocket openen het inlogverzoek op
    Gegeven de push-notificaties van mijn telefoon staan uit
    Als ik inlog met mijn e-mailadres en wachtwoord
    Dan wacht het inlogscherm op AFAS Pocket
    Maar heeft mijn telefoon geen pushbericht getoond
    Als ik AFAS Pocket open tijdens het inloggen
    Dan staat het inlogverzoek klaar in AFAS Pocket
    Als ik het inlogverzoek goedkeur in AFAS Pocket
    Dan ben ik ingelogd op de AFAS Online Portal

  @code
  Scenario: Kort na elkaar twee keer inloggen lukt ook als alleen de code van het huidige tijdvak geldt
    Gegeven AFAS Online neemt voor mijn organisatie alleen de code van het huidige tijdvak aan
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal
    Als ik uitlog
    En ik inlog met mijn e-mailadres en wachtwoord
    En ik de 6-cijferige code uit AFAS Pocket invul
    Dan ben ik ingelogd op de AFAS Online Portal

  Scenario: Na een geslaagde inlog onthoudt het inlogscherm je e-mailadres
    Gegeven ik ben ingelogd met de 6-cijferige code uit AFAS Pocket
    Als ik uitlog
    Dan toont het inlogscherm mijn e-mailadres

  Scenario: Een onjuiste code uit AFAS Pocket logt je niet in
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik een onjuiste 6-cijferige code invul
    Dan zie ik de melding "De code is onjuist."
    En ben ik niet ingelogd

  Scenario: Een onjuist wachtwoord logt je niet in
    Als ik inlog met mijn e-mailadres en een onjuist wachtwoord
    Dan zie ik de melding "Het e-mailadres of wachtwoord is onjuist."
    En ben ik niet ingelogd

  @push
  Scenario: Een geweigerd inlogverzoek logt je niet in
    Als ik inlog met mijn e-mailadres en wachtwoord
    En ik het inlogverzoek weiger in AFAS Pocket
    Dan zie ik de melding "Het inlogverzoek is geweigerd."
    En ben ik niet ingelogd
