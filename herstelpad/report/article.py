"""The help article's step texts (shared/artikel/opnieuw-telefoon-koppelen.txt) as data for the Handleiding."""

from __future__ import annotations

from herstelpad.report.handleiding import Article, ArticleSection, ArticleStep

ARTICLE_TITLE = "Opnieuw telefoon koppelen voor Afas"
ARTICLE_INTRO = (
    "Let op: Voor de nieuwe koppeling begin je op je computer in te loggen op afasonline.nl voor Insite! "
    "Er zijn 2 manieren waarop je AFAS Pocket opnieuw kan koppelen aan het inloggen."
)


SECTIONS: tuple[ArticleSection, ...] = (
    ArticleSection(
        key="manier-1",
        title="Manier 1: AFAS Pocket opnieuw instellen",
        intro="Manier 1 is door AFAS Pocket opnieuw in te stellen, nog voordat je bent ingelogd op de AFAS Online Portal.",
        tags=("manier-1",),
        steps=(
            ArticleStep(
                "Log in op afasonline.nl met je e-mailadres en wachtwoord.",
                ("wachtwoord", "log in", "inlog", "aanmeld"),
            ),
            ArticleStep(
                "Klik op de knop 'Geen melding ontvangen?' en vervolgens op de optie "
                "'Stel AFAS Pocket opnieuw in' (zie afbeelding).",
                ("geen melding", "stel afas pocket opnieuw in", "opnieuw instellen"),
            ),
            ArticleStep(
                "Doorloop het proces dat volgt. Ontvang je geen bevestigingsmail? Doorloop de stappen uit dit artikel.",
                ("bevestig", "e-mail", "code", "scan", "qr", "koppel"),
            ),
            ArticleStep(
                "Nadat je AFAS Pocket hebt gekoppeld, kom je terug in het beginscherm/inlogscherm.",
                ("gekoppeld", "beginscherm", "inlogscherm", "terug"),
            ),
            ArticleStep(
                "Log nu opnieuw in met de zojuist gekoppelde inlogmethode.",
                ("opnieuw in", "opnieuw inlog", "ingelogd", "portal", "welkom"),
            ),
        ),
    ),
    ArticleSection(
        key="manier-2",
        title="Manier 2, stap 1: Inloggen via een collega",
        intro=(
            "Manier 2 is door in te loggen via een collega en daarna AFAS Pocket opnieuw te koppelen. "
            "Klik op de knop 'Geen melding ontvangen?' en vervolgens op de optie 'Ik ben mijn telefoon vergeten'."
        ),
        tags=("manier-2",),
        steps=(
            ArticleStep(
                "Ga naar www.afasonline.nl. Het aanmeld-scherm verschijnt. Je e-mailadres wordt getoond als je eerder "
                "al een keer succesvol hebt ingelogd.",
                ("afasonline", "aanmeld", "inlogscherm", "ga naar"),
            ),
            ArticleStep("Vul je wachtwoord in.", ("wachtwoord",)),
            ArticleStep(
                "Klik op Volgende. Als je AFAS Pocket gekoppeld hebt, klik je op Geen melding ontvangen? In het volgende "
                "scherm klik je op Ik ben mijn telefoon vergeten. Je kunt het e-mailadres dat hier wordt getoond, niet wijzigen.",
                ("geen melding", "telefoon vergeten", "niet wijzigen"),
            ),
            ArticleStep("Klik op Volgende.", ("volgende",)),
            ArticleStep(
                "Vul de gegevens in: de bevestigingscode uit de e-mail en het e-mailadres van je collega.",
                ("bevestigingscode", "e-mailadres van", "collega op", "gegevens"),
            ),
            ArticleStep("Klik op Volgende.", ("volgende",)),
            ArticleStep(
                "Je collega ontvangt een e-mailbericht met een bevestigingscode. Neem deze over.",
                ("collega ontvangt", "e-mail", "code van de collega", "neem", "over"),
            ),
            ArticleStep(
                "Klik op Volgende. Als de code juist is, word je ingelogd!",
                ("ingelogd", "portal", "welkom"),
            ),
        ),
    ),
    ArticleSection(
        key="opnieuw-koppelen",
        title="Manier 2, stap 2: AFAS Pocket opnieuw koppelen",
        intro=(
            "Nu het je gelukt is om in te loggen op de AFAS Online Portal kun je AFAS Pocket opnieuw koppelen. "
            "Doorloop hiervoor de volgende stappen."
        ),
        tags=("opnieuw-koppelen",),
        steps=(
            ArticleStep(
                "Ga in AFAS Pocket naar Instellingen en kies voor Twee-factorauthenticatie, of klik in AFAS Pocket op "
                "het schildje bovenaan.",
                ("twee-factor", "schildje", "in afas pocket"),
            ),
            ArticleStep(
                "Controleer of het account 'afasonline.com' er tussen staat. Zo ja, verwijder het account door op het "
                "prullenbakje achter de 6-cijferige code te klikken.",
                ("verwijder", "prullenbak", "afasonline.com"),
            ),
            ArticleStep(
                "Ga op de AFAS Online Portal naar Instellingen / Beveiliging. Zie je deze tabbladen niet? Dan ben je "
                "ingelogd via SSO.",
                ("instellingen", "beveiliging", "tabblad", "sso"),
            ),
            ArticleStep(
                "Klik op Opnieuw koppelen achter de tekst Bij het inloggen ontvang je een notificatie via AFAS Pocket.",
                ("opnieuw koppelen", "qr"),
            ),
            ArticleStep(
                "Open opnieuw AFAS Pocket en klik op het plus-teken (+) om de code te scannen en het account opnieuw "
                "toe te voegen.",
                ("scan", "plus", "toe", "code uit afas pocket"),
            ),
            ArticleStep(
                "Hoera! Je hebt AFAS Pocket nu opnieuw gekoppeld aan het inloggen.",
                ("hoera", "gekoppeld", "oude", "werkt"),
            ),
        ),
    ),
)

ARTICLE = Article(title=ARTICLE_TITLE, intro=ARTICLE_INTRO, sections=SECTIONS)
