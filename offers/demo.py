"""The marketplace of the demo ecosystem (`manage.py seed_demo`): lots of the 16 businesses in every status,
responses to them and deals with their threads, made through `offers.services` as people would make them —
so the journal, the lots' histories, the revisions and the notifications are the real ones.

Each lot is a story: its terms and what happened to it, step by step. A story whose lot exists already (the
same project, the same title) is skipped, so running the seed again adds nothing; a lot whose validity ended
is closed by `close_expired`, as the beat job would close it.

Who acts: a lot's owner is its project's first representative (`rep1@<slug>.example`), a partner is its
project's second one (`rep2@…`), Misty's staff is the demo moderator. Their notifications are in the
cabinet's bell only: no email goes out for the demo's past. Files (a PDF leaflet, a PNG poster) are drawn
by `offers.demo_files` and go through the upload checks and the services like anyone's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from notifications.services import without_email
from offers import demo_files, services
from offers.models import TERM_FIELDS, CloseReason, Deal, Lot, Response, ResponseStatus
from projects.models import Project

MODERATOR = "moderator@misty.example"


@dataclass(frozen=True)
class DemoLot:
    project: str  # slug
    title: str
    description: str
    quota: int
    benefit: tuple[str, int]  # (benefit type, value)
    reward: int
    starts: int  # valid from: days from today (negative: in the past)
    days: int  # how long it is valid
    cashback: int = 0
    ages: tuple[int | None, int | None] = (None, None)
    gender: str = "any"
    segment: str = ""
    files: tuple = ()  # files attached to the draft: ("leaflet" | "poster", file name, *lines), see `demo_file`
    story: tuple = field(default_factory=tuple)  # steps, see `Story`

    def terms(self, today: dt.date) -> dict:
        benefit_type, benefit_value = self.benefit
        valid_from = today + dt.timedelta(days=self.starts)
        return {
            "title": self.title,
            "description": self.description,
            "age_from": self.ages[0],
            "age_to": self.ages[1],
            "gender": self.gender,
            "segment": self.segment,
            "quota": self.quota,
            "benefit_type": benefit_type,
            "benefit_value": Decimal(benefit_value),
            "reward": Decimal(self.reward),
            "cashback_points": self.cashback,
            "valid_from": valid_from,
            "valid_until": valid_from + dt.timedelta(days=self.days),
        }


# --- steps of a story ----------------------------------------------------------------------------------
# ("submit",) ("approve",) ("changes", comment) ("reject", reason) ("edit", {field: value}, files to add)
# ("pause",) ("close", comment) ("archive",)
# ("respond", partner, channels, expected reach, proposed start in days from today)
# ("accept", partner) ("decline", partner, reason) ("withdraw", partner)
# ("say", partner, "owner" | "partner" | "staff", text[, file]) — a message in the deal with `partner`
# ("complete", partner, "owner" | "partner") ("cancel", partner, "owner" | "partner", reason)

PUBLISH = (("submit",), ("approve",))

DEMO_LOTS = [
    # --- Misty Lounge (hookah lounge): owner of four lots, partner in others ---
    DemoLot(
        "misty-lounge",
        "Первый вечер в Misty Lounge: кальян −20%",
        "Приведите к нам друзей, которые ещё не были в Misty Lounge: на первый кальян скидка 20%, чайная карта "
        "и настольные игры — как для своих. Промокод партнёра называют при заказе. Кальяны только для гостей 18+.",
        quota=40,
        benefit=("discount_percent", 20),
        reward=300,
        cashback=150,
        ages=(18, 35),
        segment="компании друзей, студенты старших курсов",
        starts=-20,
        days=90,
        files=(
            ("leaflet", "Условия акции.pdf", "Первый кальян −20% для новых гостей", "Промокод называют при заказе"),
        ),
        story=(
            *PUBLISH,
            ("respond", "happy-paws", "Пост в нашем Telegram-канале и карточки на ресепшене салона.", 1200, 0),
            ("respond", "borodach", "Мастера рассказывают гостям во время стрижки, визитки у кассы.", 600, 1),
            ("respond", "sushi-wave", "Листовка в каждом заказе доставки по району.", 3000, 3),
            ("respond", "glow-beauty", "Сторис в Instagram салона и рассылка клиенткам.", 2500, 2),
            ("respond", "coffee-point", "Стикеры на стаканах с QR-кодом на промокод, две недели.", 5000, 5),
            ("accept", "happy-paws"),
            (
                "say",
                "happy-paws",
                "owner",
                "Добрый день! Макет карточки с промокодом — во вложении.",
                ("leaflet", "Макет карточки.pdf", "Карточка гостя Misty Lounge", "Первый кальян −20% по промокоду"),
            ),
            ("say", "happy-paws", "partner", "Отлично, ресепшен ждёт. Сколько карточек напечатать — 200 хватит?"),
            ("say", "happy-paws", "owner", "Да, 200 на первый месяц. Если разойдутся, допечатаем."),
            (
                "say",
                "happy-paws",
                "staff",
                "Коллеги, напоминаем: промокод нужно называть при заказе, иначе визит не засчитается партнёру.",
            ),
            ("accept", "borodach"),
            ("say", "borodach", "partner", "Привели первых шестерых, все назвали код. Когда сверим визиты?"),
            ("say", "borodach", "owner", "Сверим в конце месяца по выгрузке кассы, спасибо!"),
            ("say", "borodach", "partner", "Договорились. Квоту на нашу часть, кажется, выбрали."),
            ("complete", "borodach", "owner"),
            ("decline", "sushi-wave", "Нам важны гости в зале, а ваша аудитория — доставка. Вернёмся к летней акции."),
            ("withdraw", "glow-beauty"),
            # New terms of the published lot: partners keep seeing the approved ones until moderation decides.
            (
                "edit",
                {
                    "reward": Decimal(350),
                    "quota": 60,
                    "description": "Приведите к нам друзей, которые ещё не были в Misty Lounge: на первый кальян "
                    "скидка 20%, чайная карта и настольные игры — как для своих. Промокод партнёра называют при "
                    "заказе. По будням до 18:00 — второй кальян в подарок. Кальяны только для гостей 18+.",
                },
                (("poster", "Афиша будних вечеров.png", "Будни до 18:00", "Второй кальян в подарок"),),
            ),
        ),
    ),
    DemoLot(
        "misty-lounge",
        "Студенческий четверг",
        "По четвергам студентам со студенческим билетом — скидка на кальян и чайник чая. Ищем партнёров рядом "
        "с вузами: кофейни, копицентры, барбершопы.",
        quota=50,
        benefit=("discount_percent", 15),
        reward=200,
        ages=(18, 25),
        segment="студенты",
        starts=7,
        days=60,
        files=(("poster", "Студенческий четверг.png", "Студенческий четверг", "Кальян и чай со скидкой 15%"),),
        story=(),  # a draft
    ),
    DemoLot(
        "misty-lounge",
        "Кальян в подарок на день рождения",
        "Именинникам и их компании — кальян в подарок при заказе от 3000 ₽. Действует три дня до и после дня рождения.",
        quota=30,
        benefit=("discount_fixed", 1500),
        reward=400,
        starts=3,
        days=120,
        story=(
            ("submit",),
            (
                "changes",
                "Уточните возраст гостей (кальян — только 18+) и как партнёр подтверждает день рождения: по паспорту "
                "или по промокоду. Скидка 1500 ₽ при заказе от 3000 ₽ — это 50%, проверьте, что так и задумано.",
            ),
        ),
    ),
    DemoLot(
        "misty-lounge",
        "Осенний кальянный марафон",
        "Пять визитов за осень — шестой кальян бесплатно. Для новых гостей первая отметка в карте сразу.",
        quota=25,
        benefit=("bonus_points", 300),
        reward=250,
        cashback=100,
        ages=(18, None),
        starts=-60,
        days=120,
        story=(
            *PUBLISH,
            ("respond", "coffee-point", "Плакат у кассы и пост в группе кофейни.", 1500, -50),
            ("accept", "coffee-point"),
            ("say", "coffee-point", "partner", "Плакат висит, гости спрашивают про марафон."),
            ("say", "coffee-point", "owner", "Спасибо! Первые карты уже отмечены."),
            ("close", "Набрали участников раньше срока, марафон закрываем."),
        ),
    ),
    # --- Smoke Garden (lounge bar) ---
    DemoLot(
        "smoke-garden",
        "Живая музыка по пятницам: столик для новых гостей",
        "Новым гостям — 500 бонусов на первый счёт в пятничный вечер с живой музыкой. Столик бронируем по "
        "промокоду партнёра.",
        quota=35,
        benefit=("bonus_points", 500),
        reward=350,
        cashback=200,
        ages=(21, 40),
        segment="молодые специалисты, компании после работы",
        starts=-10,
        days=75,
        story=(
            *PUBLISH,
            ("respond", "steak-house-misty", "Официанты предлагают гостям продолжить вечер, флаеры в счёте.", 800, 0),
            ("respond", "pasta-bar", "Рассылка по базе гостей и пост в VK.", 4000, 7),
            ("accept", "steak-house-misty"),
            ("say", "steak-house-misty", "owner", "Бронь по промокоду делаем до 19:00, после — по наличию столиков."),
            ("say", "steak-house-misty", "partner", "Принято, предупредим гостей."),
        ),
    ),
    DemoLot(
        "smoke-garden",
        "Летняя веранда: второй кальян в подарок",
        "На летней веранде второй кальян за компанию — в подарок. Действует с понедельника по четверг.",
        quota=20,
        benefit=("discount_percent", 50),
        reward=300,
        ages=(18, None),
        starts=-30,
        days=60,
        story=(
            *PUBLISH,
            ("respond", "borodach", "Расскажем клиентам после стрижки, визитки на стойке.", 400, -25),
            ("accept", "borodach"),
            ("say", "borodach", "partner", "Гости спрашивают, работает ли веранда в дождь."),
            ("say", "borodach", "owner", "Веранда закрывается на время дождя, акцию ставим на паузу до тепла."),
            ("pause",),
        ),
    ),
    # --- Cloud Nine Hookah ---
    DemoLot(
        "cloud-nine",
        "Панорамный вечер для пар",
        "Пары, впервые пришедшие к нам, получают 10% скидки на кальян и безалкогольный коктейль на двоих. "
        "Лучшие столики у окна бронируем по промокоду.",
        quota=30,
        benefit=("discount_percent", 10),
        reward=450,
        cashback=150,
        ages=(22, 40),
        segment="пары",
        starts=2,
        days=60,
        files=(
            ("leaflet", "Меню для пар.pdf", "Cloud Nine: вечер для двоих", "Кальян и коктейль на двоих −10%"),
            ("poster", "Вид с террасы.png", "Cloud Nine", "Лучшие столики у окна"),
        ),
        story=(("submit",),),  # waits for moderation
    ),
    DemoLot(
        "cloud-nine",
        "Кальян без ограничений для новых гостей",
        "Первый визит — кальян без ограничения по времени и бесплатные обновления табака весь вечер.",
        quota=100,
        benefit=("discount_percent", 100),
        reward=150,
        starts=1,
        days=30,
        story=(
            ("submit",),
            (
                "reject",
                "Бесплатный кальян «без ограничений» противоречит правилам акций экосистемы: выгода клиента должна "
                "быть конечной и понятной, а реклама табака — без призывов к неограниченному потреблению.",
            ),
        ),
    ),
    # --- Happy Paws Grooming ---
    DemoLot(
        "happy-paws",
        "Первый груминг со скидкой 25%",
        "Для собак и кошек, которые ещё не были у нас: полный груминг со скидкой 25% — мытьё, стрижка, уход за "
        "когтями и ушами. Запись по телефону или в Telegram с промокодом партнёра.",
        quota=40,
        benefit=("discount_percent", 25),
        reward=500,
        cashback=200,
        segment="владельцы собак и кошек из соседних районов",
        starts=-15,
        days=90,
        story=(
            *PUBLISH,
            ("respond", "kids-planet", "Листовки на стойке администратора и в родительском чате.", 900, 0),
            ("respond", "misty-lounge", "Карточки на столиках и пост в нашем Telegram.", 1500, 2),
            ("respond", "yoga-loft", "Упомянем в рассылке студии.", 700, 10),
            ("accept", "kids-planet"),
            ("say", "kids-planet", "partner", "Родители спрашивают, можно ли прийти с ребёнком на груминг."),
            ("say", "kids-planet", "owner", "Конечно, у нас есть зона ожидания с игрушками."),
            ("accept", "misty-lounge"),
            ("say", "misty-lounge", "partner", "Поставили карточки на столики. Промокод — как в договоре сделки?"),
            ("say", "misty-lounge", "owner", "Да, код сделки. Администратор проверит его при записи."),
            ("say", "misty-lounge", "staff", "Всё верно: код сделки и есть промокод, его видно на странице сделки."),
            ("decline", "yoga-loft", "Квота на этот месяц почти набрана, предложим следующий лот в первую очередь."),
        ),
    ),
    DemoLot(
        "happy-paws",
        "Гигиенический груминг для кошек",
        "Гигиенический груминг для кошек: стрижка когтей, чистка ушей, вычёсывание. Скидка 50% новым клиентам.",
        quota=20,
        benefit=("discount_percent", 50),
        reward=300,
        segment="владельцы кошек",
        starts=5,
        days=90,
        story=(
            ("submit",),
            (
                "changes",
                "Скидка 50% на первую услугу выглядит как опечатка — проверьте. Добавьте в описание, для каких кошек "
                "услуга не подходит (агрессивные, после операций) и сколько она длится.",
            ),
            (
                "edit",
                {
                    "benefit_value": Decimal(30),
                    "description": "Гигиенический груминг для кошек: стрижка когтей, чистка ушей, вычёсывание, "
                    "около 40 минут. Не проводим для кошек после операций и без прививок. Скидка 30% новым "
                    "клиентам.",
                },
            ),
            ("submit",),  # resubmitted: the moderator sees what changed since the request
        ),
    ),
    # --- Fluffy Style (grooming, show preparation) ---
    DemoLot(
        "fluffy-style",
        "Подготовка к выставке: скидка 1000 ₽",
        "Выставочная подготовка собак и кошек: груминг, тримминг, укладка. Новым клиентам — 1000 ₽ скидки.",
        quota=15,
        benefit=("discount_fixed", 1000),
        reward=700,
        cashback=300,
        segment="владельцы породистых собак и кошек",
        starts=-25,
        days=120,
        story=(
            *PUBLISH,
            ("respond", "glow-beauty", "Расскажем клиенткам, у многих породистые питомцы.", 600, -20),
            ("respond", "borodach", "Визитки в зоне ожидания барбершопа.", 300, 3),
            ("accept", "glow-beauty"),
            ("say", "glow-beauty", "partner", "Две клиентки записались на подготовку к майской выставке."),
            ("say", "glow-beauty", "owner", "Видим обеих, спасибо! Закрываем сделку по итогам сезона."),
            ("complete", "glow-beauty", "owner"),
        ),
    ),
    # --- Misty Steak House ---
    DemoLot(
        "steak-house-misty",
        "Ужин для двоих со скидкой 15%",
        "Новым гостям — 15% на ужин для двоих: стейки сухой выдержки, закуски и десерты. Бронь по промокоду "
        "партнёра, кроме пятницы и субботы после 19:00.",
        quota=30,
        benefit=("discount_percent", 15),
        reward=800,
        cashback=400,
        ages=(25, 55),
        segment="пары, деловые встречи",
        starts=-12,
        days=80,
        story=(
            *PUBLISH,
            ("respond", "borodach", "Клиентам барбершопа — открытка с промокодом после стрижки.", 700, 0),
            ("respond", "smoke-garden", "Предложим гостям лаунжа ужин перед вечером музыки.", 1000, 1),
            ("respond", "iron-fit", "Пост в клубном приложении и на экранах в зале.", 3500, 7),
            ("respond", "misty-lounge", "Карточки с промокодом на столиках и в меню.", 1500, 5),
            ("accept", "borodach"),
            ("say", "borodach", "owner", "Рады сотрудничеству! Открытки напечатаем сами и передадим курьером."),
            ("say", "borodach", "partner", "Спасибо, ждём. Адрес: ул. Арбат, 24, администратору."),
            ("say", "borodach", "staff", "Добавили сделку в сводку Misty: отчёт о визитах придёт в начале месяца."),
            ("say", "borodach", "owner", "Курьер будет завтра до обеда."),
            ("accept", "smoke-garden"),
            ("say", "smoke-garden", "partner", "Нам придётся закрыть зал на ремонт до конца месяца."),
            ("say", "smoke-garden", "owner", "Жаль! Тогда отменим сделку — напишите, когда откроетесь."),
            ("cancel", "smoke-garden", "partner", "Лаунж закрывается на ремонт — вернёмся к сотрудничеству позже."),
        ),
    ),
    DemoLot(
        "steak-house-misty",
        "Бизнес-ланч для новых гостей",
        "Бизнес-ланч из трёх блюд со скидкой 200 ₽ для тех, кто приходит к нам впервые. По будням с 12 до 16.",
        quota=60,
        benefit=("discount_fixed", 200),
        reward=150,
        segment="офисные сотрудники",
        starts=-45,
        days=90,
        story=(
            *PUBLISH,
            ("respond", "coffee-point", "Наклейки на стаканах и табличка у кассы утром.", 6000, -40),
            ("accept", "coffee-point"),
            ("say", "coffee-point", "partner", "За неделю 18 человек с наклейкой, нормально?"),
            ("say", "coffee-point", "owner", "Отлично! Квоту почти выбрали, скоро закроем лот."),
            ("close", "Квота набрана раньше срока."),
        ),
    ),
    DemoLot(
        "steak-house-misty",
        "Новогодние корпоративы",
        "Банкеты для компаний до 40 человек: меню от 4500 ₽ на гостя, скидка 10% при брони через партнёра.",
        quota=10,
        benefit=("discount_percent", 10),
        reward=3000,
        starts=-120,
        days=60,
        story=(*PUBLISH, ("close", "Сезон корпоративов закончился."), ("archive",)),
    ),
    # --- Pasta Bar ---
    DemoLot(
        "pasta-bar",
        "Семейный обед: скидка 500 ₽",
        "Семьям с детьми, которые впервые у нас, — 500 ₽ скидки на обед от 2000 ₽ и мастер-класс по пасте для "
        "детей по выходным.",
        quota=40,
        benefit=("discount_fixed", 500),
        reward=300,
        cashback=150,
        segment="семьи с детьми",
        starts=-8,
        days=70,
        story=(
            *PUBLISH,
            ("respond", "kids-planet", "Приглашение в подарочных пакетах после праздников.", 1200, 0),
            ("respond", "misty-lounge", "Упомянем в нашем канале.", 800, 3),
            ("accept", "kids-planet"),
            ("say", "kids-planet", "owner", "Мастер-класс по субботам в 13:00, запись у администратора."),
            ("say", "kids-planet", "partner", "Вложили приглашения в пакеты, дети в восторге от идеи с пастой."),
            ("withdraw", "misty-lounge"),
        ),
    ),
    # --- Sushi Wave: a lot whose validity ended (closed by the portal) ---
    DemoLot(
        "sushi-wave",
        "Сет «Первый заказ» со скидкой 20%",
        "Скидка 20% на первый заказ в зале или с доставкой: роллы, сеты, горячее. Промокод партнёра вводят при "
        "заказе на сайте.",
        quota=50,
        benefit=("discount_percent", 20),
        reward=250,
        cashback=100,
        segment="офисные сотрудники, любители японской кухни",
        starts=-75,
        days=70,
        story=(
            *PUBLISH,
            ("respond", "coffee-point", "QR-код на промокод у кассы и в меню.", 5000, -70),
            ("respond", "bean-story", "Рассылка по клиентам обжарки.", 900, -10),
            ("accept", "coffee-point"),
            ("say", "coffee-point", "partner", "Промокод работает и на доставку?"),
            ("say", "coffee-point", "owner", "Да, и в зале, и на сайте."),
        ),
    ),
    # --- Borodach Barbershop ---
    DemoLot(
        "borodach",
        "Первая стрижка и оформление бороды −30%",
        "Новым клиентам — 30% на комплекс: мужская стрижка и оформление бороды. Запись онлайн с промокодом "
        "партнёра, кофе или чай во время ожидания.",
        quota=40,
        benefit=("discount_percent", 30),
        reward=400,
        cashback=200,
        ages=(18, 45),
        gender="male",
        segment="мужчины 18–45 лет",
        starts=-18,
        days=100,
        story=(
            *PUBLISH,
            ("respond", "misty-lounge", "Визитки на столиках и пост в нашем канале для постоянных гостей.", 1500, 0),
            ("respond", "iron-fit", "Экран в раздевалке мужского зала и пост в приложении клуба.", 2500, -10),
            ("respond", "steak-house-misty", "Открытка с промокодом в папке со счётом.", 900, 4),
            ("respond", "coffee-point", "Табличка у кассы.", 3000, 2),
            ("accept", "misty-lounge"),
            ("say", "misty-lounge", "owner", "Привет! Визитки отправили, 150 штук. Скажите, если нужно больше."),
            ("say", "misty-lounge", "partner", "Получили, разложили на столиках."),
            ("say", "misty-lounge", "owner", "Первые трое гостей уже записались, спасибо!"),
            ("accept", "iron-fit"),
            ("say", "iron-fit", "partner", "От нас пришли 12 человек, судя по кодам."),
            ("say", "iron-fit", "owner", "Всё сходится с нашей выгрузкой. Закрываем сделку, спасибо!"),
            ("complete", "iron-fit", "partner"),
            ("decline", "coffee-point", "Ищем партнёров с мужской аудиторией, у вас больше студенты и офисы."),
        ),
    ),
    DemoLot(
        "borodach",
        "Стрижка отца и сына",
        "Папа и сын стригутся вместе — детская стрижка за 500 бонусов. По выходным до 14:00.",
        quota=20,
        benefit=("bonus_points", 500),
        reward=300,
        gender="male",
        segment="отцы с сыновьями 5–14 лет",
        starts=-5,
        days=60,
        story=(*PUBLISH, ("pause",)),
    ),
    # --- Sharp Blade (barbershop) ---
    DemoLot(
        "sharp-blade",
        "Детская стрижка в подарок к папиной",
        "Отец записывается на стрижку — детская в подарок в виде 700 бонусов. Онлайн-запись с промокодом.",
        quota=25,
        benefit=("bonus_points", 700),
        reward=250,
        cashback=100,
        gender="male",
        segment="семьи с мальчиками",
        starts=-3,
        days=60,
        story=(
            *PUBLISH,
            ("respond", "kids-planet", "Расскажем родителям на праздниках и в чате центра.", 1100, 2),
        ),
    ),
    # --- Coffee Point ---
    DemoLot(
        "coffee-point",
        "Кофе с собой −30% для новых гостей",
        "Первый кофе с собой — со скидкой 30%. Кофейня у метро, открываемся в 7:30.",
        quota=200,
        benefit=("discount_percent", 30),
        reward=50,
        cashback=30,
        segment="студенты, офисные сотрудники",
        starts=-14,
        days=60,
        story=(
            *PUBLISH,
            ("respond", "iron-fit", "Купон в приветственном наборе нового члена клуба.", 1800, 0),
            ("respond", "yoga-loft", "Скажем ученицам утренних групп.", 400, 1),
            ("respond", "happy-paws", "Купоны на ресепшене, пока питомца стригут.", 500, 3),
            ("accept", "iron-fit"),
            ("say", "iron-fit", "owner", "Купоны напечатали, передадим в четверг."),
            ("say", "iron-fit", "partner", "Ждём. Сделайте, пожалуйста, срок действия на купоне крупнее."),
            ("accept", "yoga-loft"),
            ("say", "yoga-loft", "partner", "Утренние группы с 8:00 — успеют за кофе до занятия."),
            ("say", "yoga-loft", "owner", "Будем готовить к вашим ученицам пораньше."),
        ),
    ),
    # --- Bean Story: new terms of a published lot, sent back by moderation ---
    DemoLot(
        "bean-story",
        "Каппинг для новичков: 300 бонусов",
        "Бесплатный каппинг по субботам и 300 бонусов на первую покупку зерна собственной обжарки.",
        quota=30,
        benefit=("bonus_points", 300),
        reward=200,
        cashback=100,
        segment="ценители кофе, фрилансеры",
        starts=-9,
        days=90,
        story=(
            *PUBLISH,
            ("respond", "yoga-loft", "Пост о каппинге в канале студии.", 600, 4),
            ("edit", {"benefit_value": Decimal(1000), "reward": Decimal(100)}),
            (
                "changes",
                "1000 бонусов при вознаграждении партнёру 100 ₽ — партнёрам такие условия будут неинтересны. "
                "Оставьте вознаграждение прежним или объясните изменение в описании.",
            ),
        ),
    ),
    # --- Iron Fit: new terms approved after a first deal (the deal keeps the old terms) ---
    DemoLot(
        "iron-fit",
        "Гостевой визит и две тренировки со скидкой",
        "Гостевой визит в клуб бесплатно и две персональные тренировки со скидкой 40% для тех, кто ещё не был "
        "нашим клиентом.",
        quota=30,
        benefit=("discount_percent", 40),
        reward=600,
        cashback=300,
        ages=(20, 50),
        segment="взрослые, ведущие активный образ жизни",
        starts=-30,
        days=120,
        story=(
            *PUBLISH,
            ("respond", "steak-house-misty", "Сертификаты на гостевой визит для постоянных гостей.", 500, -28),
            ("accept", "steak-house-misty"),
            ("say", "steak-house-misty", "partner", "Гости любят такие подарки, раздали все 50 сертификатов."),
            ("say", "steak-house-misty", "owner", "Отлично, 9 человек уже купили абонемент!"),
            ("complete", "steak-house-misty", "owner"),
            ("edit", {"reward": Decimal(700), "quota": 50}),
            ("approve",),
            ("respond", "glow-beauty", "Расскажем клиенткам, рассылка и сторис.", 2000, 0),
            ("accept", "glow-beauty"),
            ("say", "glow-beauty", "owner", "Рады! Новые условия: 700 ₽ за клиента."),
            ("say", "glow-beauty", "partner", "Видим в условиях сделки, спасибо. Стартуем в понедельник."),
        ),
    ),
    # --- Yoga Loft ---
    DemoLot(
        "yoga-loft",
        "Пробное занятие йогой −50%",
        "Первое занятие в группе для начинающих — за полцены. Коврики и пледы даём, приходите за 10 минут.",
        quota=40,
        benefit=("discount_percent", 50),
        reward=300,
        cashback=100,
        ages=(25, 45),
        gender="female",
        segment="женщины 25–45 лет, офисные сотрудники",
        starts=-6,
        days=90,
        story=(
            *PUBLISH,
            ("respond", "glow-beauty", "Рассылка клиенткам салона и пост в сторис.", 2500, 0),
            ("respond", "coffee-point", "Табличка у кассы утром.", 2000, 6),
            ("accept", "glow-beauty"),
            ("say", "glow-beauty", "partner", "Клиентки спрашивают про вечерние группы."),
            ("say", "glow-beauty", "owner", "Вечерние — вторник и четверг в 19:30, промокод действует и на них."),
        ),
    ),
    # --- Glow Beauty Studio ---
    DemoLot(
        "glow-beauty",
        "Маникюр для новых клиенток −20%",
        "Маникюр с покрытием со скидкой 20% для тех, кто ещё не был у нас. Запись онлайн с промокодом партнёра.",
        quota=40,
        benefit=("discount_percent", 20),
        reward=350,
        cashback=150,
        ages=(18, 50),
        gender="female",
        segment="женщины 18–50 лет",
        starts=-11,
        days=90,
        story=(
            *PUBLISH,
            ("respond", "yoga-loft", "Скажем ученицам после занятий, листовки на ресепшене.", 700, 0),
            ("respond", "fluffy-style", "Клиенткам, пока питомец на груминге.", 400, 2),
            ("accept", "yoga-loft"),
            ("say", "yoga-loft", "owner", "Листовки передадим в среду вечером."),
            ("say", "yoga-loft", "partner", "Спасибо, будем ждать."),
            ("decline", "fluffy-style", "Сейчас ищем партнёров рядом со Сретенкой, вернёмся весной."),
        ),
    ),
    # --- Kids Planet ---
    DemoLot(
        "kids-planet",
        "Детский праздник: скидка 2000 ₽",
        "Праздник в Kids Planet для новых гостей: аниматор, лабиринт, торт — со скидкой 2000 ₽ на пакет "
        "«Стандарт». Бронь за неделю.",
        quota=20,
        benefit=("discount_fixed", 2000),
        reward=1000,
        cashback=500,
        segment="семьи с детьми 3–12 лет",
        starts=-16,
        days=100,
        story=(
            *PUBLISH,
            ("respond", "pasta-bar", "Приглашение на праздник в детском меню.", 1500, 0),
            ("respond", "happy-paws", "Листовки на ресепшене.", 400, 3),
            ("accept", "pasta-bar"),
            ("say", "pasta-bar", "partner", "Детское меню с приглашением уже на столах."),
            ("say", "pasta-bar", "owner", "Спасибо! Первая бронь по вашему коду — на субботу."),
            ("say", "pasta-bar", "staff", "Отличный старт! Напоминаем сверить визиты до 5-го числа."),
            ("withdraw", "happy-paws"),
        ),
    ),
    DemoLot(
        "kids-planet",
        "Летний городской лагерь",
        "Смены городского лагеря по 5 дней: спорт, мастер-классы, экскурсии. Скидка 10% при записи через партнёра.",
        quota=15,
        benefit=("discount_percent", 10),
        reward=1500,
        segment="дети 7–12 лет",
        starts=-150,
        days=90,
        story=(*PUBLISH, ("close", "Смены лагеря закончились."), ("archive",)),
    ),
]


def demo_file(spec: tuple):
    """("leaflet" | "poster", file name, title, *lines) → a checked upload the services take."""
    kind, name, *lines = spec
    return {"leaflet": demo_files.leaflet, "poster": demo_files.poster}[kind](name, *lines)


# The representatives each side of a story acts as (see the module's docstring).
OWNER_REP, PARTNER_REP = "rep1@{}.example", "rep2@{}.example"


class Story:
    """Plays one `DemoLot` through the services."""

    def __init__(self, demo: DemoLot, *, today: dt.date, projects: dict[str, Project], moderator: User):
        self.demo, self.today, self.projects, self.moderator = demo, today, projects, moderator
        self.owner = projects[demo.project]
        self.lot: Lot | None = None

    def rep(self, slug: str, template: str = OWNER_REP) -> User:
        return User.objects.get(email=template.format(slug))

    def play(self) -> Lot:
        owner_rep = self.rep(self.demo.project)
        self.lot = services.lot_create(
            project=self.owner,
            actor=owner_rep,
            data=self.demo.terms(self.today),
            files=[demo_file(spec) for spec in self.demo.files],
        )
        for step in self.demo.story:
            getattr(self, f"_{step[0]}")(*step[1:])
        return self.lot

    # --- the lot ---
    def _submit(self):
        self.lot = services.lot_submit(lot=self.lot, actor=self.rep(self.demo.project))

    def _approve(self):
        self.lot = services.lot_approve(lot=self.lot, actor=self.moderator)

    def _changes(self, comment):
        self.lot = services.lot_request_changes(lot=self.lot, actor=self.moderator, comment=comment)

    def _reject(self, reason):
        self.lot = services.lot_reject(lot=self.lot, actor=self.moderator, reason=reason)

    def _edit(self, changes, files=()):
        self.lot.refresh_from_db()
        data = {name: getattr(self.lot, name) for name in TERM_FIELDS} | changes
        self.lot = services.lot_update(
            lot=self.lot,
            actor=self.rep(self.demo.project),
            data=data,
            files=[demo_file(spec) for spec in files],
        )

    def _pause(self):
        self.lot = services.lot_pause(lot=self.lot, actor=self.rep(self.demo.project))

    def _close(self, comment):
        self.lot = services.lot_close(
            lot=self.lot, actor=self.rep(self.demo.project), reason=CloseReason.OWNER, comment=comment
        )

    def _archive(self):
        self.lot = services.lot_archive(lot=self.lot, actor=self.rep(self.demo.project))

    # --- responses ---
    def _respond(self, partner, channels, reach, start):
        services.response_submit(
            lot=self.lot,
            project=self.projects[partner],
            actor=self.rep(partner, PARTNER_REP),
            data={
                "channels": channels,
                "expected_reach": reach,
                "proposed_start": self.today + dt.timedelta(days=start),
            },
        )

    def _pending(self, partner) -> Response:
        return Response.objects.get(lot=self.lot, project=self.projects[partner], status=ResponseStatus.PENDING)

    def _accept(self, partner):
        services.response_accept(response=self._pending(partner), actor=self.rep(self.demo.project))

    def _decline(self, partner, reason):
        services.response_reject(response=self._pending(partner), actor=self.rep(self.demo.project), reason=reason)

    def _withdraw(self, partner):
        services.response_withdraw(response=self._pending(partner), actor=self.rep(partner, PARTNER_REP))

    # --- deals ---
    def _deal(self, partner) -> Deal:
        return Deal.objects.filter(lot=self.lot, partner=self.projects[partner]).latest("created_at", "id")

    def _side(self, partner, who) -> User:
        return {
            "owner": lambda: self.rep(self.demo.project),
            "partner": lambda: self.rep(partner, PARTNER_REP),
            "staff": lambda: self.moderator,
        }[who]()

    def _say(self, partner, who, text, file=None):
        services.deal_message_post(
            deal=self._deal(partner),
            actor=self._side(partner, who),
            body=text,
            files=[demo_file(file)] if file else [],
        )

    def _complete(self, partner, who):
        services.deal_complete(deal=self._deal(partner), actor=self._side(partner, who))

    def _cancel(self, partner, who, reason):
        services.deal_cancel(deal=self._deal(partner), actor=self._side(partner, who), reason=reason)


def seed_marketplace(*, today: dt.date | None = None) -> int:
    """Play every story whose lot does not exist yet, then close the lots whose validity ended. Returns how
    many lots were created. Call inside the seed's transaction."""
    today = today or timezone.localdate()
    projects = {project.slug: project for project in Project.objects.all()}
    moderator = User.objects.get(email=MODERATOR)
    existing = set(Lot.objects.values_list("project__slug", "title"))
    created = 0
    # The demo is the ecosystem's past: its notifications wait in the bell, no email goes out for them.
    with without_email():
        for demo in DEMO_LOTS:
            if (demo.project, demo.title) in existing:
                continue
            Story(demo, today=today, projects=projects, moderator=moderator).play()
            created += 1
        services.close_expired(today=today)
    return created
