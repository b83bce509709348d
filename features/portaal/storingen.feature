# language: nl
@storingen @vereist-smtp-storing
Functionaliteit: Storingen — de e-mail kan niet worden verstuurd
  Komt de bevestigingsmail niet aan omdat de e-mailserver hem weigert, dan zegt het
  portaal dat meteen. Met 'Verstuur e-mail opnieuw' probeer je het nog eens zodra de
  e-mailserver weer werkt; de mislukte poging telt niet mee voor de wachttijd.

  Achtergrond:
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket

  Scenario: Weigert de e-mailserver de bevestigingsmail, dan zegt de portal dat meteen
    Gegeven de e-mailserver weigert elke e-mail
    Als ik het opnieuw instellen van AFAS Pocket aanvraag
    Dan zie ik de melding "De e-mail kon niet worden verstuurd. Probeer het opnieuw met 'Verstuur e-mail opnieuw'."
    En is er geen e-mail voor mij aangekomen

  Scenario: Werkt de e-mailserver weer, dan komt de bevestigingsmail met 'Verstuur e-mail opnieuw' alsnog
    Gegeven de e-mailserver weigert elke e-mail
    En ik heb het opnieuw instellen van AFAS Pocket aangevraagd
    Als de e-mailserver weer e-mail aanneemt
    En ik klik op "Verstuur e-mail opnieuw"
    Dan ontvang ik een bevestigingsmail "Bevestig het opnieuw instellen van AFAS Pocket"
    Als ik de bevestigingscode uit mijn e-mail invul
    En ik de QR-code scan met AFAS Pocket
    En ik de code van het nieuwe account invul bij "Koppelen"
    Dan kom ik terug op het inlogscherm met de melding "AFAS Pocket is gekoppeld. Log nu opnieuw in met de zojuist gekoppelde inlogmethode."
