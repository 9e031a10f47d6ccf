"""Seed the question bank: experience questions for the 14 indicators, background and open questions.

The data is literal and belongs to this migration: later changes to the models must not change
what this migration writes. Rows are upserted by their stable code; the reverse removes exactly
these codes. The questions are our own words (see shared/framework.md for the topics they cover)
and ask about the newcomer's own experience, in plain language (A2, never above B1). Dutch uses
"je" throughout.

Every text is a tuple in the order of LANGUAGES: (Dutch, English, Arabic). Options are
(value, (Dutch, English, Arabic)). A question's position is its place in its list below: within its
indicator for indicator questions, within its section for background and open questions.

Keys of a question row: code, type, text; optional: help, options, reverse (agreeing or "often"
is the negative experience), suggested, dont_know (default True), min_value, max_value.
"""

from __future__ import annotations

from django.db import migrations

LANGUAGES = ("nl", "en", "ar")

# Used in the help of questions that do not apply to everyone.
_NO_CHILDREN_AT_SCHOOL = (
    "Heb je geen kinderen op school? Kies dan 'Weet ik niet'.",
    "Do you have no children at school? Then choose 'I don't know'.",
    "إذا لم يكن لديك أطفال في المدرسة، فاختر «لا أعرف».",
)

INDICATOR_QUESTIONS = {
    "work": [
        {
            "code": "work-status",
            "type": "single",
            "suggested": True,
            "text": (
                "Heb je nu betaald werk?",
                "Do you have paid work now?",
                "هل لديك عمل مدفوع الأجر الآن؟",
            ),
            "help": (
                "Kies wat het best past.",
                "Choose what fits best.",
                "اختر ما يناسبك أكثر.",
            ),
            # "yes" and "yes-own-business" mean: has paid work.
            "options": [
                ("yes", ("Ja, ik heb een baan", "Yes, I have a job", "نعم، لدي وظيفة")),
                (
                    "yes-own-business",
                    ("Ja, ik heb een eigen bedrijf", "Yes, I have my own business", "نعم، لدي مشروعي الخاص"),
                ),
                (
                    "no-looking",
                    ("Nee, maar ik zoek werk", "No, but I am looking for work", "لا، لكنني أبحث عن عمل"),
                ),
                (
                    "no-not-looking",
                    (
                        "Nee, en ik zoek nu geen werk",
                        "No, and I am not looking for work now",
                        "لا، ولا أبحث عن عمل الآن",
                    ),
                ),
                (
                    "studying",
                    (
                        "Nee, ik ga naar school of ik studeer",
                        "No, I go to school or I study",
                        "لا، أذهب إلى المدرسة أو أدرس",
                    ),
                ),
            ],
        },
        # WORK-ONLY: only makes sense for people with paid work. Ask it only when the answer to
        # "work-status" is "yes" or "yes-own-business" (Question.condition_question/condition_values).
        {
            "code": "work-fits-skills",
            "type": "agreement",
            "text": (
                "Mijn werk past bij wat ik kan.",
                "My work fits what I can do.",
                "عملي يناسب مهاراتي.",
            ),
            "help": (
                "Denk aan je vaardigheden, diploma's en ervaring.",
                "Think of your skills, diplomas and experience.",
                "فكّر في مهاراتك وشهاداتك وخبرتك.",
            ),
        },
        {
            "code": "work-satisfaction",
            "type": "satisfaction",
            "suggested": True,
            "text": (
                "Hoe tevreden ben je met je werksituatie nu?",
                "How happy are you with your work situation now?",
                "ما مدى رضاك عن وضعك في العمل الآن؟",
            ),
            "help": (
                "Heb je geen werk? Vertel dan hoe tevreden je daarmee bent.",
                "Do you have no work? Then tell us how happy you are with that.",
                "إذا لم يكن لديك عمل، فأخبرنا ما مدى رضاك عن ذلك.",
            ),
        },
        {
            "code": "work-know-how-to-find",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik weet hoe ik hier werk kan vinden.",
                "I know how to find work here.",
                "أعرف كيف أجد عملًا هنا.",
            ),
        },
        {
            "code": "work-help-to-find",
            "type": "agreement",
            "text": (
                "Ik krijg goede hulp bij het zoeken naar werk.",
                "I get good help to find work.",
                "أحصل على مساعدة جيدة في البحث عن عمل.",
            ),
            "help": (
                "Bijvoorbeeld van de gemeente, een coach of een vrijwilliger.",
                "For example from the municipality, a coach or a volunteer.",
                "مثلًا من البلدية أو من مرشد أو من متطوع.",
            ),
        },
        {
            "code": "work-experience",
            "type": "agreement",
            "text": (
                "Ik kan hier werkervaring opdoen.",
                "I can get work experience here.",
                "أستطيع أن أكتسب خبرة في العمل هنا.",
            ),
            "help": (
                "Bijvoorbeeld met vrijwilligerswerk of een stage.",
                "For example with volunteer work or an internship.",
                "مثلًا من خلال العمل التطوعي أو التدريب.",
            ),
        },
    ],
    "housing": [
        {
            "code": "housing-satisfaction",
            "type": "satisfaction",
            "suggested": True,
            "text": (
                "Hoe tevreden ben je met je huis?",
                "How happy are you with your home?",
                "ما مدى رضاك عن بيتك؟",
            ),
        },
        {
            "code": "housing-affordable",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik kan de kosten van mijn huis zonder problemen betalen.",
                "I can pay the costs of my home without problems.",
                "أستطيع أن أدفع تكاليف بيتي دون مشاكل.",
            ),
            "help": (
                "Bijvoorbeeld huur, gas, stroom en water.",
                "For example rent, gas, electricity and water.",
                "مثلًا الإيجار والغاز والكهرباء والماء.",
            ),
        },
        {
            "code": "housing-enough-space",
            "type": "agreement",
            "text": (
                "Mijn huis heeft genoeg ruimte voor iedereen die er woont.",
                "My home has enough space for everyone who lives there.",
                "في بيتي مساحة كافية لكل من يسكن فيه.",
            ),
        },
        {
            "code": "housing-condition",
            "type": "agreement",
            "text": (
                "Mijn huis is in goede staat.",
                "My home is in good condition.",
                "بيتي في حالة جيدة.",
            ),
            "help": (
                "Bijvoorbeeld: geen vocht of schimmel, en de verwarming werkt.",
                "For example: no damp or mould, and the heating works.",
                "مثلًا: لا توجد رطوبة أو عفن، والتدفئة تعمل.",
            ),
        },
        {
            "code": "housing-neighbourhood",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik voel me thuis in mijn buurt.",
                "I feel at home in my neighbourhood.",
                "أشعر أنني في بيتي في الحي الذي أسكن فيه.",
            ),
        },
    ],
    "education": [
        {
            "code": "education-satisfaction",
            "type": "satisfaction",
            "suggested": True,
            "text": (
                "Hoe tevreden ben je met je kansen om hier te leren?",
                "How happy are you with your chances to learn here?",
                "ما مدى رضاك عن فرصك في التعلّم هنا؟",
            ),
        },
        {
            "code": "education-can-learn",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik kan de cursussen of opleidingen volgen die ik nodig heb.",
                "I can take the courses or training that I need.",
                "أستطيع أن أحضر الدورات أو التدريبات التي أحتاج إليها.",
            ),
        },
        {
            "code": "education-find-course",
            "type": "agreement",
            "text": (
                "Ik weet waar ik een cursus of opleiding kan vinden.",
                "I know where I can find a course or training.",
                "أعرف أين أجد دورة أو تدريبًا.",
            ),
        },
        {
            "code": "education-diplomas-count",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Mijn diploma's en ervaring van vroeger tellen hier mee.",
                "My diplomas and experience from before count here.",
                "لشهاداتي وخبرتي السابقة قيمة هنا.",
            ),
            "help": (
                "Bijvoorbeeld diploma's of werkervaring uit een ander land.",
                "For example diplomas or work experience from another country.",
                "مثلًا الشهادات أو الخبرة في العمل من بلد آخر.",
            ),
        },
        {
            "code": "education-children-school",
            "type": "agreement",
            "text": (
                "Mijn kinderen krijgen goed onderwijs op school.",
                "My children get good education at school.",
                "يحصل أطفالي على تعليم جيد في المدرسة.",
            ),
            "help": _NO_CHILDREN_AT_SCHOOL,
        },
    ],
    "health-and-social-care": [
        {
            "code": "health-self-rated",
            "type": "scale10",
            "suggested": True,
            "text": (
                "Hoe goed is je gezondheid in het algemeen?",
                "How good is your health in general?",
                "كيف هي صحتك بشكل عام؟",
            ),
        },
        {
            "code": "health-feel-down",
            "type": "frequency",
            "reverse": True,
            "suggested": True,
            "text": (
                "Hoe vaak voel je je verdrietig of gespannen?",
                "How often do you feel sad or stressed?",
                "كم مرة تشعر بالحزن أو التوتر؟",
            ),
        },
        {
            "code": "health-family-doctor",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik heb een huisarts waar ik naartoe kan.",
                "I have a family doctor (huisarts) I can go to.",
                "لدي طبيب عائلة (huisarts) أستطيع أن أذهب إليه.",
            ),
        },
        {
            "code": "health-understood",
            "type": "agreement",
            "text": (
                "Bij de dokter begrijp ik wat er gezegd wordt.",
                "At the doctor, I understand what is said.",
                "عند الطبيب، أفهم ما يُقال لي.",
            ),
            "help": (
                "Hulp van een tolk telt ook mee.",
                "Help from an interpreter counts too.",
                "مساعدة المترجم تُحسب أيضًا.",
            ),
        },
        {
            "code": "health-respect",
            "type": "agreement",
            "text": (
                "In de zorg behandelen mensen mij met respect.",
                "In health care, people treat me with respect.",
                "في الرعاية الصحية، يعاملني الناس باحترام.",
            ),
            "help": (
                "Bijvoorbeeld bij de huisarts, in het ziekenhuis of bij de tandarts.",
                "For example at the family doctor, in hospital or at the dentist.",
                "مثلًا عند طبيب العائلة أو في المستشفى أو عند طبيب الأسنان.",
            ),
        },
    ],
    "leisure": [
        {
            "code": "leisure-satisfaction",
            "type": "satisfaction",
            "suggested": True,
            "text": (
                "Hoe tevreden ben je met wat je doet in je vrije tijd?",
                "How happy are you with what you do in your free time?",
                "ما مدى رضاك عمّا تفعله في وقت فراغك؟",
            ),
        },
        {
            "code": "leisure-take-part",
            "type": "frequency",
            "suggested": True,
            "text": (
                "Hoe vaak doe je in je vrije tijd iets buiten je huis?",
                "How often do you do something outside your home in your free time?",
                "كم مرة تقوم بنشاط خارج بيتك في وقت فراغك؟",
            ),
            "help": (
                "Bijvoorbeeld sport, muziek, een club of de bibliotheek.",
                "For example sport, music, a club or the library.",
                "مثلًا الرياضة أو الموسيقى أو نادٍ أو المكتبة.",
            ),
        },
        {
            "code": "leisure-welcome",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik voel me welkom bij clubs en activiteiten hier.",
                "I feel welcome at clubs and activities here.",
                "أشعر بأنني مُرحَّب بي في النوادي والأنشطة هنا.",
            ),
            "help": (
                "Bijvoorbeeld een sportclub, een buurthuis of de bibliotheek.",
                "For example a sports club, a community centre or the library.",
                "مثلًا نادٍ رياضي أو مركز الحي أو المكتبة.",
            ),
        },
        {
            "code": "leisure-know-what",
            "type": "agreement",
            "text": (
                "Ik weet wat ik in mijn vrije tijd kan doen in mijn woonplaats.",
                "I know what I can do in my free time where I live.",
                "أعرف ماذا أستطيع أن أفعل في وقت فراغي في المكان الذي أسكن فيه.",
            ),
        },
        {
            "code": "leisure-cost",
            "type": "agreement",
            "reverse": True,
            "text": (
                "Ik doe minder in mijn vrije tijd, omdat het te veel geld kost.",
                "I do less in my free time because it costs too much money.",
                "أقوم بأنشطة أقل في وقت فراغي لأنها تكلّف مالًا كثيرًا.",
            ),
        },
    ],
    "bonds": [
        {
            "code": "bonds-someone-to-ask",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Als ik een probleem heb, is er iemand die ik om hulp kan vragen.",
                "When I have a problem, there is someone I can ask for help.",
                "عندما تكون لدي مشكلة، يوجد شخص أستطيع أن أطلب منه المساعدة.",
            ),
        },
        {
            "code": "bonds-lonely",
            "type": "frequency",
            "reverse": True,
            "suggested": True,
            "text": (
                "Hoe vaak voel je je eenzaam?",
                "How often do you feel lonely?",
                "كم مرة تشعر بالوحدة؟",
            ),
        },
        {
            "code": "bonds-family-contact",
            "type": "satisfaction",
            "text": (
                "Hoe tevreden ben je met het contact met je familie?",
                "How happy are you with the contact with your family?",
                "ما مدى رضاك عن تواصلك مع عائلتك؟",
            ),
            "help": (
                "Ook familie in andere landen telt mee.",
                "Family in other countries counts too.",
                "العائلة في بلدان أخرى تُحسب أيضًا.",
            ),
        },
        {
            "code": "bonds-own-group",
            "type": "frequency",
            "text": (
                "Hoe vaak zie je mensen uit je eigen land of met je eigen taal?",
                "How often do you see people from your own country or language?",
                "كم مرة تلتقي بأشخاص من بلدك أو يتكلمون لغتك؟",
            ),
        },
        {
            "code": "bonds-belong",
            "type": "agreement",
            "text": (
                "Ik heb hier een groep waar ik bij hoor.",
                "Here I have a group where I feel I belong.",
                "لدي هنا مجموعة أشعر أنني أنتمي إليها.",
            ),
            "help": (
                "Bijvoorbeeld mensen van je geloof, je taal of je land.",
                "For example people of your faith, your language or your country.",
                "مثلًا أشخاص من دينك أو لغتك أو بلدك.",
            ),
        },
    ],
    "bridges": [
        {
            "code": "bridges-talk-neighbours",
            "type": "frequency",
            "suggested": True,
            "text": (
                "Hoe vaak praat je met buren die in Nederland geboren zijn?",
                "How often do you talk with neighbours who were born in the Netherlands?",
                "كم مرة تتحدث مع جيران وُلدوا في هولندا؟",
            ),
        },
        {
            "code": "bridges-friends",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik heb hier vrienden met een andere achtergrond dan ik.",
                "I have friends here with a different background than mine.",
                "لدي أصدقاء هنا من خلفيات مختلفة عن خلفيتي.",
            ),
        },
        {
            "code": "bridges-welcome",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Mensen hier geven me het gevoel dat ik welkom ben.",
                "People here make me feel welcome.",
                "الناس هنا يجعلونني أشعر بأنني مُرحَّب بي.",
            ),
        },
        {
            "code": "bridges-do-things-together",
            "type": "frequency",
            "text": (
                "Hoe vaak doe je iets samen met mensen met een andere achtergrond?",
                "How often do you do things together with people from other backgrounds?",
                "كم مرة تقوم بأشياء مع أشخاص من خلفيات أخرى؟",
            ),
            "help": (
                "Bijvoorbeeld sporten, vrijwilligerswerk of samen eten.",
                "For example sport, volunteer work or a meal together.",
                "مثلًا الرياضة أو العمل التطوعي أو تناول الطعام معًا.",
            ),
        },
        {
            "code": "bridges-neighbours-help",
            "type": "agreement",
            "text": (
                "Mijn buren en ik helpen elkaar.",
                "My neighbours and I help each other.",
                "أنا وجيراني نساعد بعضنا بعضًا.",
            ),
        },
    ],
    "links": [
        {
            "code": "links-know-where-to-go",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Als ik een vraag of probleem heb, weet ik welke organisatie mij kan helpen.",
                "When I have a question or a problem, I know which organisation can help me.",
                "عندما يكون لدي سؤال أو مشكلة، أعرف أي جهة تستطيع أن تساعدني.",
            ),
        },
        {
            "code": "links-trust-municipality",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik vertrouw de gemeente.",
                "I trust the municipality.",
                "أثق بالبلدية.",
            ),
        },
        {
            "code": "links-trust-police",
            "type": "agreement",
            "text": (
                "Ik vertrouw de politie.",
                "I trust the police.",
                "أثق بالشرطة.",
            ),
        },
        {
            "code": "links-municipality-help",
            "type": "satisfaction",
            "text": (
                "Hoe tevreden ben je met de hulp die je van de gemeente krijgt?",
                "How happy are you with the help you get from the municipality?",
                "ما مدى رضاك عن المساعدة التي تحصل عليها من البلدية؟",
            ),
        },
        {
            "code": "links-listened-to",
            "type": "agreement",
            "suggested": True,
            "text": (
                "De gemeente luistert naar mensen zoals ik.",
                "The municipality listens to people like me.",
                "البلدية تستمع إلى أشخاص مثلي.",
            ),
        },
    ],
    "language-and-communication": [
        {
            "code": "language-say-what-i-mean",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik kan in het Nederlands zeggen wat ik bedoel.",
                "I can say what I mean in Dutch.",
                "أستطيع أن أقول ما أريد باللغة الهولندية.",
            ),
            "help": (
                "Bijvoorbeeld in een winkel of aan de telefoon.",
                "For example in a shop or on the phone.",
                "مثلًا في متجر أو على الهاتف.",
            ),
        },
        {
            "code": "language-understand",
            "type": "agreement",
            "text": (
                "Ik begrijp wat mensen in het Nederlands tegen me zeggen.",
                "I understand what people say to me in Dutch.",
                "أفهم ما يقوله لي الناس باللغة الهولندية.",
            ),
        },
        {
            "code": "language-chances-to-learn",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik krijg genoeg kansen om Nederlands te leren.",
                "I get enough chances to learn Dutch.",
                "أحصل على فرص كافية لتعلّم اللغة الهولندية.",
            ),
        },
        {
            "code": "language-letters",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik begrijp de brieven en informatie die ik van organisaties krijg.",
                "I understand the letters and information I get from organisations.",
                "أفهم الرسائل والمعلومات التي تصلني من الجهات الرسمية.",
            ),
            "help": (
                "Bijvoorbeeld van de gemeente, de Belastingdienst of school.",
                "For example from the municipality, the tax office or school.",
                "مثلًا من البلدية أو مصلحة الضرائب أو المدرسة.",
            ),
        },
        {
            "code": "language-interpreter",
            "type": "agreement",
            "text": (
                "Als ik een tolk nodig heb, kan ik er een krijgen.",
                "When I need an interpreter, I can get one.",
                "عندما أحتاج إلى مترجم، أستطيع أن أحصل على مترجم.",
            ),
            "help": (
                "Bijvoorbeeld bij de dokter of bij de gemeente.",
                "For example at the doctor or at the municipality.",
                "مثلًا عند الطبيب أو في البلدية.",
            ),
        },
    ],
    "culture": [
        {
            "code": "culture-understand-customs",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik begrijp de gewoontes van mensen hier.",
                "I understand the customs of people here.",
                "أفهم عادات الناس هنا.",
            ),
        },
        {
            "code": "culture-how-things-work",
            "type": "agreement",
            "text": (
                "Ik begrijp hoe dingen hier geregeld zijn.",
                "I understand how things are arranged here.",
                "أفهم كيف تُنظَّم الأمور هنا.",
            ),
            "help": (
                "Bijvoorbeeld verzekeringen, belasting en school.",
                "For example insurance, taxes and school.",
                "مثلًا التأمين والضرائب والمدرسة.",
            ),
        },
        {
            "code": "culture-room-for-own-culture",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Er is hier ruimte voor mijn eigen cultuur.",
                "There is room here for my own culture.",
                "يوجد هنا مجال لثقافتي الخاصة.",
            ),
        },
        {
            "code": "culture-practise-faith",
            "type": "agreement",
            "text": (
                "Ik kan hier vrij mijn geloof beleven.",
                "I can practise my faith freely here.",
                "أستطيع أن أمارس ديني بحرية هنا.",
            ),
            "help": (
                "Heb je geen geloof? Kies dan 'Weet ik niet'.",
                "Do you have no faith? Then choose 'I don't know'.",
                "إذا لم يكن لديك دين، فاختر «لا أعرف».",
            ),
        },
        {
            "code": "culture-interest-in-mine",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Mensen hier hebben interesse in mijn cultuur.",
                "People here are interested in my culture.",
                "الناس هنا مهتمون بثقافتي.",
            ),
        },
    ],
    "digital-skills": [
        {
            "code": "digital-device-internet",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik heb een telefoon of computer met goed internet.",
                "I have a phone or computer with good internet.",
                "لدي هاتف أو كمبيوتر وإنترنت جيد.",
            ),
        },
        {
            "code": "digital-government-online",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik kan zelf online dingen regelen bij de overheid.",
                "I can arrange things online with the government by myself.",
                "أستطيع أن أُنجز أموري مع الحكومة عبر الإنترنت بنفسي.",
            ),
            "help": (
                "Bijvoorbeeld met DigiD, of op de website van de gemeente.",
                "For example with DigiD, or on the website of the municipality.",
                "مثلًا باستخدام DigiD، أو على موقع البلدية.",
            ),
        },
        {
            "code": "digital-banking",
            "type": "agreement",
            "text": (
                "Ik kan zelf mijn bankzaken online regelen.",
                "I can do my banking online by myself.",
                "أستطيع أن أُنجز أموري البنكية عبر الإنترنت بنفسي.",
            ),
        },
        {
            "code": "digital-school-app",
            "type": "agreement",
            "text": (
                "Ik kan de app of website van de school van mijn kinderen gebruiken.",
                "I can use the app or website of my children's school.",
                "أستطيع أن أستخدم تطبيق مدرسة أطفالي أو موقعها.",
            ),
            "help": _NO_CHILDREN_AT_SCHOOL,
        },
        {
            "code": "digital-safe-online",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik weet hoe ik veilig blijf op internet.",
                "I know how to stay safe on the internet.",
                "أعرف كيف أحمي نفسي على الإنترنت.",
            ),
            "help": (
                "Bijvoorbeeld hoe je oplichting herkent.",
                "For example: how to recognise fraud.",
                "مثلًا: كيف تعرف الاحتيال.",
            ),
        },
    ],
    "safety": [
        {
            "code": "safety-neighbourhood-evening",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik voel me 's avonds veilig in mijn buurt.",
                "I feel safe in my neighbourhood in the evening.",
                "أشعر بالأمان في حيّي في المساء.",
            ),
        },
        {
            "code": "safety-street-daytime",
            "type": "agreement",
            "text": (
                "Ik voel me overdag veilig op straat.",
                "I feel safe in the street during the day.",
                "أشعر بالأمان في الشارع خلال النهار.",
            ),
        },
        {
            "code": "safety-treated-badly",
            "type": "frequency",
            "reverse": True,
            "suggested": True,
            "text": (
                "Hoe vaak word je slecht behandeld vanwege je afkomst, geloof of huidskleur?",
                "How often are you treated badly because of your origin, faith or skin colour?",
                "كم مرة تُعامَل معاملة سيئة بسبب أصلك أو دينك أو لون بشرتك؟",
            ),
        },
        {
            "code": "safety-called-names",
            "type": "frequency",
            "reverse": True,
            "text": (
                "Hoe vaak word je uitgescholden of bedreigd?",
                "How often do people call you names or threaten you?",
                "كم مرة يشتمك أحد أو يهددك؟",
            ),
            "help": (
                "Op straat, online of ergens anders.",
                "On the street, online or somewhere else.",
                "في الشارع أو على الإنترنت أو في مكان آخر.",
            ),
        },
        {
            "code": "safety-dare-to-report",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Als mij iets ergs overkomt, durf ik dat te melden.",
                "If something bad happens to me, I dare to report it.",
                "إذا حدث لي شيء سيئ، أجرؤ على الإبلاغ عنه.",
            ),
            "help": (
                "Bijvoorbeeld bij de politie.",
                "For example to the police.",
                "مثلًا لدى الشرطة.",
            ),
        },
    ],
    "stability": [
        {
            "code": "stability-can-stay",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik ben er zeker van dat ik in Nederland mag blijven.",
                "I feel sure that I can stay in the Netherlands.",
                "أشعر بأن بقائي في هولندا مضمون.",
            ),
        },
        {
            "code": "stability-money-worries",
            "type": "frequency",
            "reverse": True,
            "suggested": True,
            "text": (
                "Hoe vaak maak je je zorgen over geld?",
                "How often do you worry about money?",
                "كم مرة تقلق بشأن المال؟",
            ),
        },
        {
            "code": "stability-enough-money",
            "type": "agreement",
            "text": (
                "Ik heb elke maand genoeg geld voor wat ik nodig heb.",
                "Every month I have enough money for what I need.",
                "لدي كل شهر ما يكفي من المال لما أحتاج إليه.",
            ),
        },
        {
            "code": "stability-afraid-to-move",
            "type": "agreement",
            "reverse": True,
            "text": (
                "Ik ben bang dat ik snel weer moet verhuizen.",
                "I am afraid that I will have to move house again soon.",
                "أخاف أن أضطر إلى الانتقال إلى بيت آخر قريبًا.",
            ),
        },
        {
            "code": "stability-family-together",
            "type": "agreement",
            "text": (
                "Mijn gezin kan hier bij mij zijn.",
                "My family can be with me here.",
                "تستطيع أسرتي أن تكون معي هنا.",
            ),
            "help": (
                "We bedoelen je partner en je kinderen. Heb je die niet? Kies dan 'Weet ik niet'.",
                "We mean your partner and your children. Do you have none? Then choose 'I don't know'.",
                "نقصد شريك حياتك وأطفالك. إذا لم يكن لديك أحد منهم، فاختر «لا أعرف».",
            ),
        },
    ],
    "rights-and-responsibilities": [
        {
            "code": "rights-know-rights",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Ik weet welke rechten ik hier heb.",
                "I know what my rights are here.",
                "أعرف ما هي حقوقي هنا.",
            ),
            "help": (
                "Bijvoorbeeld op je werk, bij wonen of in de zorg.",
                "For example at work, in housing or in health care.",
                "مثلًا في العمل أو السكن أو الرعاية الصحية.",
            ),
        },
        {
            "code": "rights-know-duties",
            "type": "agreement",
            "text": (
                "Ik weet welke plichten ik hier heb.",
                "I know what my duties are here.",
                "أعرف ما هي واجباتي هنا.",
            ),
            "help": (
                "Bijvoorbeeld regels die je moet volgen, of belasting betalen.",
                "For example rules you must follow, or paying taxes.",
                "مثلًا القواعد التي يجب أن تتبعها، أو دفع الضرائب.",
            ),
        },
        {
            "code": "rights-advice",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Als ik advies nodig heb over mijn rechten, weet ik waar ik dat kan krijgen.",
                "When I need advice about my rights, I know where to get it.",
                "عندما أحتاج إلى نصيحة عن حقوقي، أعرف أين أحصل عليها.",
            ),
        },
        {
            "code": "rights-fair-treatment",
            "type": "agreement",
            "suggested": True,
            "text": (
                "Organisaties hier behandelen mij net zo eerlijk als andere mensen.",
                "Organisations here treat me as fairly as other people.",
                "تعاملني الجهات هنا بعدل مثل باقي الناس.",
            ),
            "help": (
                "Bijvoorbeeld de gemeente, een school of een werkgever.",
                "For example the municipality, a school or an employer.",
                "مثلًا البلدية أو المدرسة أو صاحب العمل.",
            ),
        },
        {
            "code": "rights-voting",
            "type": "agreement",
            "text": (
                "Ik weet bij welke verkiezingen ik mag stemmen.",
                "I know in which elections I am allowed to vote.",
                "أعرف في أي انتخابات يحق لي أن أصوّت.",
            ),
            "help": (
                "Bijvoorbeeld de verkiezingen voor de gemeenteraad.",
                "For example the elections for the municipal council.",
                "مثلًا انتخابات المجلس البلدي.",
            ),
        },
    ],
}

# Coarse bands only: nothing that identifies a person (no dates of birth, postcodes or names).
BACKGROUND_QUESTIONS = [
    {
        "code": "age-band",
        "type": "single",
        "suggested": True,
        "text": ("Hoe oud ben je?", "How old are you?", "كم عمرك؟"),
        "options": [
            ("18-25", ("18 tot en met 25 jaar", "18 to 25 years", "من 18 إلى 25 سنة")),
            ("26-35", ("26 tot en met 35 jaar", "26 to 35 years", "من 26 إلى 35 سنة")),
            ("36-50", ("36 tot en met 50 jaar", "36 to 50 years", "من 36 إلى 50 سنة")),
            ("51-65", ("51 tot en met 65 jaar", "51 to 65 years", "من 51 إلى 65 سنة")),
            ("over-65", ("Ouder dan 65 jaar", "Older than 65 years", "أكبر من 65 سنة")),
        ],
    },
    {
        "code": "gender",
        "type": "single",
        "suggested": True,
        # "Rather not say" is one of the options, so no separate "don't know" button.
        "dont_know": False,
        "text": ("Wat is je geslacht?", "What is your gender?", "ما جنسك؟"),
        "options": [
            ("woman", ("Vrouw", "Woman", "امرأة")),
            ("man", ("Man", "Man", "رجل")),
            ("other", ("Anders", "Other", "غير ذلك")),
            ("rather-not-say", ("Zeg ik liever niet", "I'd rather not say", "أفضّل ألا أجيب")),
        ],
    },
    {
        "code": "years-in-netherlands",
        "type": "single",
        "suggested": True,
        "text": (
            "Hoe lang woon je al in Nederland?",
            "How long have you lived in the Netherlands?",
            "منذ متى تعيش في هولندا؟",
        ),
        "options": [
            ("less-than-1", ("Korter dan 1 jaar", "Less than 1 year", "أقل من سنة")),
            ("1-2", ("1 of 2 jaar", "1 or 2 years", "سنة أو سنتان")),
            ("3-5", ("3 tot en met 5 jaar", "3 to 5 years", "من 3 إلى 5 سنوات")),
            ("more-than-5", ("Langer dan 5 jaar", "More than 5 years", "أكثر من 5 سنوات")),
        ],
    },
    {
        "code": "main-language",
        "type": "single",
        "suggested": True,
        "text": (
            "Welke taal spreek je het best?",
            "Which language do you speak best?",
            "ما اللغة التي تتكلمها بشكل أفضل؟",
        ),
        "options": [
            ("arabic", ("Arabisch", "Arabic", "العربية")),
            ("tigrinya", ("Tigrinya", "Tigrinya", "التغرينية")),
            ("ukrainian", ("Oekraïens", "Ukrainian", "الأوكرانية")),
            ("farsi-dari", ("Farsi of Dari", "Farsi or Dari", "الفارسية أو الدارية")),
            ("turkish", ("Turks", "Turkish", "التركية")),
            ("somali", ("Somalisch", "Somali", "الصومالية")),
            ("other", ("Een andere taal", "Another language", "لغة أخرى")),
        ],
    },
    {
        "code": "household-children",
        "type": "single",
        "suggested": True,
        "text": (
            "Wonen er kinderen onder de 18 jaar in je huis?",
            "Do children under 18 live in your home?",
            "هل يعيش في بيتك أطفال أعمارهم أقل من 18 سنة؟",
        ),
        "options": [
            ("yes", ("Ja", "Yes", "نعم")),
            ("no", ("Nee", "No", "لا")),
        ],
    },
    {
        "code": "household-size",
        "type": "number",
        "min_value": 1,
        "max_value": 20,
        "text": (
            "Met hoeveel mensen woon je in je huis? Tel jezelf mee.",
            "How many people live in your home? Count yourself too.",
            "كم شخصًا يعيش في بيتك؟ احسب نفسك أيضًا.",
        ),
    },
    {
        "code": "residence-situation",
        "type": "single",
        "text": (
            "Wat past het best bij jouw situatie?",
            "Which fits your situation best?",
            "ما الذي يناسب وضعك أكثر؟",
        ),
        "help": (
            "Je mag deze vraag overslaan.",
            "You can skip this question.",
            "يمكنك أن تتخطى هذا السؤال.",
        ),
        "options": [
            (
                "asylum-permit",
                (
                    "Ik heb een verblijfsvergunning na asiel",
                    "I have a residence permit after asylum",
                    "لدي تصريح إقامة بعد اللجوء",
                ),
            ),
            (
                "asylum-waiting",
                (
                    "Ik wacht op een besluit over asiel",
                    "I am waiting for a decision on asylum",
                    "أنتظر قرارًا بشأن اللجوء",
                ),
            ),
            (
                "family",
                (
                    "Ik kwam hier om bij mijn familie of partner te wonen",
                    "I came here to live with my family or partner",
                    "جئت إلى هنا لأعيش مع عائلتي أو شريك حياتي",
                ),
            ),
            (
                "temporary-protection",
                (
                    "Ik heb tijdelijke bescherming (Oekraïne)",
                    "I have temporary protection (Ukraine)",
                    "لدي حماية مؤقتة (أوكرانيا)",
                ),
            ),
            ("work-or-study", ("Ik kwam voor werk of studie", "I came for work or study", "جئت للعمل أو للدراسة")),
            (
                "dutch-nationality",
                ("Ik heb de Nederlandse nationaliteit", "I have Dutch nationality", "لدي الجنسية الهولندية"),
            ),
            ("other", ("Iets anders", "Something else", "شيء آخر")),
        ],
    },
]

OPEN_QUESTIONS = [
    {
        "code": "where-now-where-to",
        "type": "long_text",
        "suggested": True,
        "text": (
            "Waar sta je nu, en waar wil je naartoe?",
            "Where are you now, and where do you want to go?",
            "أين أنت الآن، وإلى أين تريد أن تصل؟",
        ),
        "help": (
            "Vertel het in je eigen woorden. Bijvoorbeeld over werk, leren, familie of je huis.",
            "Tell us in your own words. For example about work, learning, family or your home.",
            "أخبرنا بكلماتك. مثلًا عن العمل أو التعلّم أو العائلة أو بيتك.",
        ),
    },
    {
        "code": "what-helped-most",
        "type": "long_text",
        "suggested": True,
        "text": (
            "Wat heeft je het meest geholpen sinds je hier bent?",
            "What has helped you most since you came here?",
            "ما أكثر شيء ساعدك منذ وصولك إلى هنا؟",
        ),
    },
    {
        "code": "municipality-do-better",
        "type": "long_text",
        "text": (
            "Wat kan de gemeente beter doen?",
            "What should the municipality do better?",
            "ماذا يجب أن تفعل البلدية بشكل أفضل؟",
        ),
    },
]


def _texts(values):
    return dict(zip(LANGUAGES, values, strict=True))


def _rows():
    """(section, indicator code or None, position, question row) for every seeded question."""
    for indicator_code, questions in INDICATOR_QUESTIONS.items():
        for position, row in enumerate(questions, start=1):
            yield "indicator", indicator_code, position, row
    for position, row in enumerate(BACKGROUND_QUESTIONS, start=1):
        yield "background", None, position, row
    for position, row in enumerate(OPEN_QUESTIONS, start=1):
        yield "open", None, position, row


def _codes():
    return [row["code"] for _section, _indicator, _position, row in _rows()]


def seed(apps, schema_editor):
    BankQuestion = apps.get_model("surveys", "BankQuestion")
    Indicator = apps.get_model("indicators", "Indicator")
    indicators = {code: Indicator.objects.get(code=code) for code in INDICATOR_QUESTIONS}
    for section, indicator_code, position, row in _rows():
        BankQuestion.objects.update_or_create(
            code=row["code"],
            defaults={
                "section": section,
                "indicator": indicators[indicator_code] if indicator_code else None,
                "type": row["type"],
                "text": _texts(row["text"]),
                "help": _texts(row["help"]) if "help" in row else {},
                "options": [{"value": value, "label": _texts(labels)} for value, labels in row.get("options", [])],
                "reverse_scored": row.get("reverse", False),
                "allow_dont_know": row.get("dont_know", True),
                "min_value": row.get("min_value"),
                "max_value": row.get("max_value"),
                "position": position,
                "suggested": row.get("suggested", False),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("surveys", "BankQuestion").objects.filter(code__in=_codes()).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("indicators", "0002_seed_framework")]

    operations = [migrations.RunPython(seed, unseed)]
