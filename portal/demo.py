"""The demo ecosystem `seed_demo` loads: 16 Misty businesses with their cards, legal data and logos, two
representatives each (and a viewer in four), three staff (the moderator curates half of the projects).

Every account's password is PORTAL_DEMO_PASSWORD.
"""

DEMO_PROJECTS = [
    # slug, name, category (projects.models.Category)
    ("misty-lounge", "Misty Lounge", "lounge"),
    ("smoke-garden", "Smoke Garden", "lounge"),
    ("cloud-nine", "Cloud Nine Hookah", "lounge"),
    ("happy-paws", "Happy Paws Grooming", "grooming"),
    ("fluffy-style", "Fluffy Style", "grooming"),
    ("steak-house-misty", "Misty Steak House", "restaurant"),
    ("pasta-bar", "Pasta Bar", "restaurant"),
    ("sushi-wave", "Sushi Wave", "restaurant"),
    ("borodach", "Borodach Barbershop", "barbershop"),
    ("sharp-blade", "Sharp Blade", "barbershop"),
    ("coffee-point", "Coffee Point", "coffee"),
    ("bean-story", "Bean Story", "coffee"),
    ("iron-fit", "Iron Fit", "fitness"),
    ("yoga-loft", "Yoga Loft", "fitness"),
    ("glow-beauty", "Glow Beauty Studio", "beauty"),
    ("kids-planet", "Kids Planet", "kids"),
]

DEMO_REP_NAMES = [
    ("Анна", "Смирнова"),
    ("Иван", "Кузнецов"),
    ("Мария", "Попова"),
    ("Дмитрий", "Васильев"),
    ("Елена", "Соколова"),
    ("Алексей", "Михайлов"),
    ("Ольга", "Новикова"),
    ("Сергей", "Фёдоров"),
    ("Татьяна", "Морозова"),
    ("Андрей", "Волков"),
    ("Наталья", "Алексеева"),
    ("Павел", "Лебедев"),
    ("Ирина", "Семёнова"),
    ("Михаил", "Егоров"),
    ("Юлия", "Павлова"),
    ("Николай", "Козлов"),
]

DEMO_STAFF = [
    # email, first name, last name, role
    ("admin@misty.example", "Вера", "Орлова", "admin"),
    ("moderator@misty.example", "Кирилл", "Зайцев", "moderator"),
    ("director@misty.example", "Григорий", "Белов", "director"),
]

# The second representative of each project.
DEMO_SECOND_REP_NAMES = [
    ("Кирилл", "Орехов"),
    ("Светлана", "Григорьева"),
    ("Роман", "Степанов"),
    ("Ксения", "Николаева"),
    ("Денис", "Захаров"),
    ("Вероника", "Зайцева"),
    ("Артём", "Соловьёв"),
    ("Полина", "Борисова"),
    ("Глеб", "Яковлев"),
    ("Дарья", "Романова"),
    ("Максим", "Воробьёв"),
    ("Алина", "Сергеева"),
    ("Егор", "Кузьмин"),
    ("Виктория", "Фролова"),
    ("Тимур", "Александров"),
    ("Евгения", "Дмитриева"),
]

# Banks the demo projects use: real BIKs and correspondent accounts (name, BIK, correspondent account).
DEMO_BANKS = [
    ("ПАО Сбербанк", "044525225", "30101810400000000225"),
    ("АО «Т-Банк»", "044525974", "30101810145250000974"),
    ("АО «Альфа-Банк»", "044525593", "30101810200000000593"),
    ("Банк ВТБ (ПАО)", "044525187", "30101810700000000187"),
    ("ООО «Банк Точка»", "044525104", "30101810745374525104"),
]

# Each project's legal data: INN (10 digits: a company, 12: a sole trader), its bank in DEMO_BANKS and its
# settlement account there. Made up, with valid check digits (tests/cabinets/test_seed_demo.py checks them).
DEMO_LEGAL = {
    "misty-lounge": ("7717123457", 0, "40702810200000001000"),
    "smoke-garden": ("7770765763", 1, "40702810500000008919"),
    "cloud-nine": ("7723408073", 2, "40702810300000016838"),
    "happy-paws": ("772275481987", 3, "40802810600000024757"),
    "fluffy-style": ("7729692698", 4, "40702810100000032676"),
    "steak-house-misty": ("7782335003", 0, "40702810200000040595"),
    "pasta-bar": ("7735977317", 1, "40702810800000048514"),
    "sushi-wave": ("777042791167", 2, "40802810500000056433"),
    "borodach": ("7741261930", 3, "40702810000000064352"),
    "sharp-blade": ("7794904247", 4, "40702810400000072271"),
    "coffee-point": ("7747546555", 0, "40702810500000080190"),
    "bean-story": ("771810100376", 1, "40802810900000088109"),
    "iron-fit": ("7753831173", 2, "40702810800000096028"),
    "yoga-loft": ("7706473481", 3, "40702810800000103947"),
    "glow-beauty": ("7759115793", 4, "40702810200000111866"),
    "kids-planet": ("776677409530", 0, "40802810100000119785"),
}

# The catalog card: description, target audience, average check (₽), points accumulated by clients, address.
DEMO_CARDS = {
    "misty-lounge": (
        "Кальянная с авторскими миксами, чайной картой и настольными играми.",
        "Друзья 20–35 лет, вечерние компании, студенты.",
        1800,
        412_500,
        "Москва, ул. Покровка, 17",
    ),
    "smoke-garden": (
        "Лаунж-бар с летней верандой и живой музыкой по пятницам.",
        "Молодые специалисты, компании после работы.",
        2200,
        287_300,
        "Москва, Садовая-Кудринская ул., 9",
    ),
    "cloud-nine": (
        "Кальянная с панорамным видом и безалкогольными коктейлями.",
        "Пары и небольшие компании 22–40 лет.",
        2500,
        198_700,
        "Москва, Пресненская наб., 12",
    ),
    "happy-paws": (
        "Груминг-салон для собак и кошек: стрижка, мытьё, уход за когтями.",
        "Владельцы домашних животных из соседних районов.",
        3200,
        96_400,
        "Москва, ул. Академика Янгеля, 6",
    ),
    "fluffy-style": (
        "Груминг и спа для питомцев, выставочная подготовка.",
        "Владельцы породистых собак и кошек.",
        4500,
        74_900,
        "Москва, Ленинский пр-т, 70",
    ),
    "steak-house-misty": (
        "Стейк-хаус с мясом сухой выдержки и винной картой.",
        "Деловые встречи, семьи, гости 30–55 лет.",
        3800,
        356_100,
        "Москва, ул. Большая Дмитровка, 20",
    ),
    "pasta-bar": (
        "Итальянская паста ручной работы и пицца из дровяной печи.",
        "Семьи с детьми, студенты, обеды в будни.",
        1400,
        241_800,
        "Москва, ул. Маросейка, 4",
    ),
    "sushi-wave": (
        "Суши-бар с доставкой и открытой кухней.",
        "Офисные сотрудники, любители японской кухни.",
        1600,
        305_200,
        "Москва, Кутузовский пр-т, 35",
    ),
    "borodach": (
        "Барбершоп: мужские стрижки, оформление бороды, бритьё опасной бритвой.",
        "Мужчины 18–45 лет.",
        1700,
        188_600,
        "Москва, ул. Арбат, 24",
    ),
    "sharp-blade": (
        "Барбершоп с записью онлайн и детскими стрижками.",
        "Мужчины и мальчики, жители района.",
        1500,
        121_300,
        "Москва, Профсоюзная ул., 56",
    ),
    "coffee-point": (
        "Кофейня у метро: кофе с собой, завтраки, свежая выпечка.",
        "Студенты и офисные сотрудники по пути на работу.",
        450,
        512_900,
        "Москва, Тверская ул., 11",
    ),
    "bean-story": (
        "Спешелти-кофейня с собственной обжаркой и каппингами.",
        "Ценители кофе, фрилансеры.",
        600,
        266_400,
        "Москва, Никитский бульвар, 8",
    ),
    "iron-fit": (
        "Фитнес-клуб с тренажёрным залом, групповыми программами и бассейном.",
        "Взрослые 20–50 лет, ведущие активный образ жизни.",
        3500,
        433_700,
        "Москва, ул. Удальцова, 85",
    ),
    "yoga-loft": (
        "Студия йоги и растяжки: группы для начинающих и продолжающих.",
        "Женщины 25–45 лет, офисные сотрудники.",
        1200,
        145_200,
        "Москва, Столярный пер., 3",
    ),
    "glow-beauty": (
        "Салон красоты: маникюр, брови, уход за лицом.",
        "Женщины 18–50 лет.",
        2800,
        219_500,
        "Москва, ул. Сретенка, 28",
    ),
    "kids-planet": (
        "Детский развлекательный центр: лабиринт, праздники, мастер-классы.",
        "Семьи с детьми 3–12 лет.",
        1300,
        167_800,
        "Москва, Волгоградский пр-т, 42",
    ),
}

# A viewer (right "viewer": sees everything of the project, changes nothing) in these projects:
# `viewer@<slug>.example`.
DEMO_VIEWER_PROJECTS = ["misty-lounge", "happy-paws", "coffee-point", "iron-fit"]
DEMO_VIEWER_NAMES = [("Лидия", "Крылова"), ("Степан", "Гусев"), ("Оксана", "Белова"), ("Фёдор", "Титов")]

# The demo moderator curates every other project (half of them).
DEMO_CURATED_PROJECTS = [slug for slug, _name, _category in DEMO_PROJECTS[::2]]

# The colours of the generated logos (one per category).
DEMO_LOGO_COLOURS = {
    "lounge": (94, 53, 177),
    "grooming": (0, 137, 123),
    "restaurant": (198, 40, 40),
    "barbershop": (55, 71, 79),
    "coffee": (121, 85, 72),
    "fitness": (239, 108, 0),
    "beauty": (216, 27, 96),
    "kids": (30, 136, 229),
}

# Two open access requests for the staff queue (company, name, email, phone, language, message).
DEMO_ACCESS_REQUESTS = (
    (
        "Кофейня «Зерно»",
        "Ирина Соколова",
        "irina@zerno-coffee.example",
        "+7 916 555-12-34",
        "ru",
        "Здравствуйте! Мы открываем кофейню рядом с Misty Lounge и хотим участвовать в совместных акциях.",
    ),
    (
        "Fit & Go studio",
        "Daniel Brooks",
        "daniel@fitandgo.example",
        "",
        "en",
        "We run a fitness studio and would like to join the Misty ecosystem.",
    ),
)

# The accounts `seed_demo` suggests at its end: each representative's project owns lots and is the partner
# in other projects' deals (SPEC §7.1), so every page of its cabinet has something to show.
DEMO_PERSONAS = (
    ("rep1@misty-lounge.example", "Misty Lounge and Smoke Garden: lots in every stage, deals on both sides"),
    ("rep1@happy-paws.example", "Happy Paws Grooming: a lot resubmitted after changes, two partners"),
    ("rep1@steak-house-misty.example", "Misty Steak House: closed and archived lots, a cancelled deal"),
    ("rep1@borodach.example", "Borodach Barbershop: a paused lot, deals as owner and as partner"),
    ("viewer@misty-lounge.example", "Misty Lounge, read-only"),
    ("moderator@misty.example", "moderation queue with first submissions and new terms to review"),
    ("admin@misty.example", "administrator"),
    ("director@misty.example", "director, read-only"),
)
