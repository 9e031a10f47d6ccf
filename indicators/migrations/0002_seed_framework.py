"""Seed the 4 domains and 14 indicators of the 2019 Indicators of Integration framework.

The data is literal and belongs to this migration: later changes to the models must not change
what this migration writes. Rows are upserted by their stable code; the reverse removes them.
Descriptions are our own words (see shared/framework.md for the facts they rest on).
"""

from __future__ import annotations

from django.db import migrations

# code, position, colour, (name en, name nl), (description en, description nl)
# Colours: the Okabe-Ito colour-blind-safe hues, darkened so that white text on them and the
# colour on white both reach a contrast of at least 4.5:1.
DOMAINS = [
    (
        "markers-and-means",
        1,
        "#0072B2",
        ("Markers and Means", "Uitkomsten en middelen"),
        (
            "The areas of daily life where both the results of integration and the means to it show: "
            "work, a home, learning, health and free time.",
            "De terreinen van het dagelijks leven waar de uitkomsten van integratie zichtbaar worden en "
            "die er tegelijk een middel voor zijn: werk, een thuis, leren, gezondheid en vrije tijd.",
        ),
    ),
    (
        "social-connections",
        2,
        "#B35000",
        ("Social Connections", "Sociale verbindingen"),
        (
            "The relationships that hold people up: with their own circle, with people of other "
            "backgrounds, and with the institutions around them.",
            "De relaties die mensen dragen: met de eigen kring, met mensen met een andere achtergrond "
            "en met de instanties om hen heen.",
        ),
    ),
    (
        "facilitators",
        3,
        "#007A5E",
        ("Facilitators", "Randvoorwaarden"),
        (
            "What makes it possible to take part: being able to communicate, knowing how things work, "
            "being online, feeling safe and having a stable situation.",
            "Wat meedoen mogelijk maakt: je kunnen verstaanbaar maken, weten hoe dingen werken, "
            "online kunnen, je veilig voelen en een stabiele situatie hebben.",
        ),
    ),
    (
        "foundation",
        4,
        "#A8497F",
        ("Foundation", "Fundament"),
        (
            "The shared basis under everything else: equal rights, and the responsibilities that go "
            "with them, for newcomers and the wider society alike.",
            "De gedeelde basis onder al het andere: gelijke rechten, en de plichten die daarbij horen, "
            "voor nieuwkomers en de bredere samenleving.",
        ),
    ),
]

# code, number, domain code, (name en, name nl), (description en, description nl)
INDICATORS = [
    (
        "work",
        1,
        "markers-and-means",
        ("Work", "Werk"),
        (
            "Having paid work or a clear route towards it, work that fits one's skills, fair pay and "
            "security, and finding meaning in it; volunteering can be a step on the way.",
            "Betaald werk hebben of een duidelijke weg ernaartoe, werk dat past bij wat je kunt, een eerlijk "
            "loon en zekerheid, en er voldoening uit halen; vrijwilligerswerk kan een tussenstap zijn.",
        ),
    ),
    (
        "housing",
        2,
        "markers-and-means",
        ("Housing", "Wonen"),
        (
            "A home that is good enough, affordable and secure, with room for the household, without "
            "having to move again and again, in a neighbourhood where one feels at home.",
            "Een woning die goed genoeg, betaalbaar en zeker is, met ruimte voor het huishouden, zonder "
            "steeds te moeten verhuizen, in een buurt waar je je thuis voelt.",
        ),
    ),
    (
        "education",
        3,
        "markers-and-means",
        ("Education", "Onderwijs"),
        (
            "Chances to keep learning as an adult, good schooling for the children, and recognition "
            "of diplomas and skills gained elsewhere.",
            "Kansen om als volwassene verder te leren, goed onderwijs voor de kinderen en erkenning van "
            "diploma's en vaardigheden die elders zijn behaald.",
        ),
    ),
    (
        "health-and-social-care",
        4,
        "markers-and-means",
        ("Health and Social Care", "Gezondheid en zorg"),
        (
            "Feeling well in body and mind, having a family doctor, and being able to reach care and be "
            "understood there, with an interpreter when needed.",
            "Je lichamelijk en geestelijk goed voelen, een huisarts hebben, en zorg kunnen bereiken en daar "
            "begrepen worden, zo nodig met een tolk.",
        ),
    ),
    (
        "leisure",
        5,
        "markers-and-means",
        ("Leisure", "Vrije tijd"),
        (
            "Taking part in sport, culture, clubs and libraries, feeling welcome there, and not being "
            "held back by cost or by not knowing what is on offer.",
            "Meedoen aan sport, cultuur, verenigingen en de bibliotheek, je daar welkom voelen, en niet "
            "tegengehouden worden door geld of doordat je niet weet wat er is.",
        ),
    ),
    (
        "bonds",
        6,
        "social-connections",
        ("Bonds", "Sociale banden"),
        (
            "Ties with family and with people who share one's language, faith or background; having "
            "someone to turn to and not feeling lonely.",
            "Banden met familie en met mensen met dezelfde taal, hetzelfde geloof of dezelfde achtergrond; "
            "iemand hebben bij wie je terecht kunt en je niet eenzaam voelen.",
        ),
    ),
    (
        "bridges",
        7,
        "social-connections",
        ("Bridges", "Sociale bruggen"),
        (
            "Contact and friendship with people of other backgrounds, including people who have lived "
            "here for a long time.",
            "Contact en vriendschap met mensen met een andere achtergrond, ook met mensen die hier al lang wonen.",
        ),
    ),
    (
        "links",
        8,
        "social-connections",
        ("Links", "Verbindingen met instanties"),
        (
            "Being connected to institutions such as the municipality, schools, the police and services: "
            "knowing where to go, trusting them and having a say.",
            "Verbonden zijn met instanties zoals de gemeente, scholen, de politie en voorzieningen: weten "
            "waar je heen kunt, ze vertrouwen en iets te zeggen hebben.",
        ),
    ),
    (
        "language-and-communication",
        9,
        "facilitators",
        ("Language and Communication", "Taal en communicatie"),
        (
            "Understanding others and being understood, learning the language, getting an interpreter "
            "when needed, and receiving information one can follow.",
            "Anderen begrijpen en begrepen worden, de taal leren, een tolk krijgen als dat nodig is, en "
            "informatie krijgen die je kunt volgen.",
        ),
    ),
    (
        "culture",
        10,
        "facilitators",
        ("Culture", "Cultuur"),
        (
            "Understanding local customs and how things are organised, while keeping room for one's own "
            "culture and faith; learning goes both ways.",
            "Gewoonten hier begrijpen en weten hoe dingen geregeld zijn, met ruimte voor je eigen cultuur "
            "en geloof; het leren gaat twee kanten op.",
        ),
    ),
    (
        "digital-skills",
        11,
        "facilitators",
        ("Digital Skills", "Digitale vaardigheden"),
        (
            "Having a device and internet, and the confidence to use online services, school portals "
            "and banking safely.",
            "Een apparaat en internet hebben, en het vertrouwen om online diensten, schoolportalen en "
            "bankzaken veilig te gebruiken.",
        ),
    ),
    (
        "safety",
        12,
        "facilitators",
        ("Safety", "Veiligheid"),
        (
            "Feeling safe by day and by night, free from harassment, hate and discrimination, and "
            "daring to report it when it happens.",
            "Je overdag en 's avonds veilig voelen, zonder intimidatie, haat en discriminatie, en durven "
            "melden als het toch gebeurt.",
        ),
    ),
    (
        "stability",
        13,
        "facilitators",
        ("Stability", "Stabiliteit"),
        (
            "A secure residence status, not having to move over and over, a steady income without "
            "worries about debt, and the family together.",
            "Een zekere verblijfsstatus, niet steeds hoeven te verhuizen, een vast inkomen zonder zorgen "
            "over schulden, en het gezin bij elkaar.",
        ),
    ),
    (
        "rights-and-responsibilities",
        14,
        "foundation",
        ("Rights and Responsibilities", "Rechten en plichten"),
        (
            "Knowing one's rights and being able to use them, finding advice, being treated fairly, "
            "and knowing and taking part in civic duties such as voting.",
            "Je rechten kennen en ze kunnen gebruiken, advies kunnen vinden, eerlijk behandeld worden, en "
            "je burgerplichten kennen en meedoen, zoals stemmen.",
        ),
    ),
]


def seed(apps, schema_editor):
    Domain = apps.get_model("indicators", "Domain")
    Indicator = apps.get_model("indicators", "Indicator")
    domains = {}
    for code, position, colour, (name_en, name_nl), (description_en, description_nl) in DOMAINS:
        domains[code], _ = Domain.objects.update_or_create(
            code=code,
            defaults={
                "position": position,
                "colour": colour,
                "name_en": name_en,
                "name_nl": name_nl,
                "description_en": description_en,
                "description_nl": description_nl,
            },
        )
    for code, number, domain_code, (name_en, name_nl), (description_en, description_nl) in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "number": number,
                "domain": domains[domain_code],
                "name_en": name_en,
                "name_nl": name_nl,
                "description_en": description_en,
                "description_nl": description_nl,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(code__in=[row[0] for row in INDICATORS]).delete()
    apps.get_model("indicators", "Domain").objects.filter(code__in=[row[0] for row in DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
