# language: nl
@technisch
Functionaliteit: Technische controles — wat de portal vastlegt
  Geen stap uit het helpartikel, wel iets waar de ondersteuning op rekent: de portal legt
  elke inlog via een collega vast, met de collega die hielp. Het verslag toont deze
  controles apart van de handleiding.

  Scenario: Een inlog via een collega wordt vastgelegd met de collega als helper
    Gegeven ik ben een medewerker met een gekoppelde AFAS Pocket
    En mijn collega werkt bij dezelfde organisatie
    En ik ben ingelogd via mijn collega
    Dan is mijn inlog vastgelegd met mijn collega als helper
