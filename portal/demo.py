"""The demo ecosystem `seed_demo` loads: 16 Misty businesses, two representatives each, three staff.

Every account's password is PORTAL_DEMO_PASSWORD.
"""

DEMO_PROJECTS = [
    # slug, name, category
    ("misty-lounge", "Misty Lounge", "hookah"),
    ("smoke-garden", "Smoke Garden", "hookah"),
    ("cloud-nine", "Cloud Nine Hookah", "hookah"),
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
    ("admin@misty.example", "Администратор Misty", "admin"),
    ("moderator@misty.example", "Модератор Misty", "moderator"),
    ("director@misty.example", "Директор Misty", "director"),
]
