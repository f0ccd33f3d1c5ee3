"""The demo ecosystem `seed_demo` loads: 16 Misty businesses, two representatives each, three staff.

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
