# language: nl
Functionaliteit: Een doelsysteem met vreemde vormen
  De herstellink heeft zijn sleutel in het pad, de QR-code is een SVG, de sleutel staat gegroepeerd als tekst,
  alleen de code van het huidige tijdvak van 20 seconden geldt,
  na het koppelen volgt een doorverwijzing met code en state, en een tweede afzender stuurt een look-alike.

  Scenario: Opnieuw koppelen via de link in de e-mail
    Gegeven ik ben een gebruiker van het vreemde doelsysteem
    Als ik een herstellink aanvraag
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    En ik de QR-code scan en de code bevestig
    Dan is mijn authenticator ingesteld

  Scenario: Een scenario dat faalt voordat de telefoon scant
    Gegeven ik ben een gebruiker van het vreemde doelsysteem
    Als ik een herstellink aanvraag
    En ik een e-mail ontvang
    En ik de link in de e-mail open
    Dan staat er "iets dat er niet is"
