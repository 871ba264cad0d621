"""Generate the demo polyclinic from a seed: same seed, same buildings, people, cabinets and hours."""

from __future__ import annotations

import random
from datetime import date, time

from kiosk.demo_registry.clinic import (
    LDP_TYPES,
    SPECIALTIES,
    UMBRELLA_DISTRICT,
    Building,
    Cabinet,
    Clinic,
    Resource,
    WorkDay,
)

_DOCTOR_PLAN = (
    (UMBRELLA_DISTRICT, "69", "Врач-терапевт участковый", "adult", 4, 20),
    (UMBRELLA_DISTRICT, "602", "Врач общей практики", "adult", 3, 20),
    (UMBRELLA_DISTRICT, "68", "Врач-педиатр участковый", "child", 3, 20),
    ("6", "6", "Офтальмолог", "all", 3, 20),
    ("603", "603", "Оториноларинголог", "all", 2, 20),
    ("3", "3", "Хирург", "all", 2, 20),
    ("2", "2", "Уролог", "adult", 2, 30),
    ("2008", "2008", "Врач кабинета профилактики", "adult", 2, 30),
    ("2017", "2017", "Дежурный врач ОРВИ", "all", 2, 15),
    ("21", "21", "Акушер-гинеколог", "adult", 2, 30),
    ("14", "14", "Кардиолог", "adult", 2, 30),
    ("11", "11", "Невролог", "all", 2, 30),
    ("112", "112", "Эндокринолог", "adult", 2, 30),
)
# (ldp code, room title, count)
_ROOM_PLAN = (("105", "Кабинет ЭКГ", 1), ("106", "Кабинет УЗИ", 2), ("107", "Рентгеновский кабинет", 1))

# doctors share no surname (nor a patronymic containing one) with the demo patients, so a scan of the
# kiosk's files for a patient's surname is not confused by a doctor's name (tests/offline)
_MALE = (
    ("Лаптев", "Павел", "Павлович"),
    ("Шмелёв", "Алексей", "Игоревич"),
    ("Кузнецов", "Дмитрий", "Олегович"),
    ("Попов", "Николай", "Сергеевич"),
    ("Васильев", "Игорь", "Андреевич"),
    ("Фёдоров", "Максим", "Ильич"),
    ("Михайлов", "Артём", "Викторович"),
    ("Новиков", "Константин", "Юрьевич"),
    ("Зайцев", "Вадим", "Олегович"),
    ("Белов", "Григорий", "Львович"),
    ("Тарасов", "Руслан", "Маратович"),
    ("Гусев", "Станислав", "Романович"),
    ("Жуков", "Евгений", "Борисович"),
    ("Крылов", "Антон", "Денисович"),
    ("Соловьёв", "Виктор", "Геннадьевич"),
    ("Романов", "Кирилл", "Степанович"),
    ("Григорьев", "Леонид", "Аркадьевич"),
    ("Ершов", "Семён", "Ефимович"),
    ("Комаров", "Тимофей", "Глебович"),
    ("Медведев", "Аркадий", "Янович"),
)
_FEMALE = (
    ("Сорокина", "Елена", "Андреевна"),
    ("Лебедева", "Мария", "Ивановна"),
    ("Козлова", "Ирина", "Павловна"),
    ("Ларина", "Татьяна", "Сергеевна"),
    ("Волкова", "Наталья", "Викторовна"),
    ("Алексеева", "Ольга", "Дмитриевна"),
    ("Степанова", "Юлия", "Олеговна"),
    ("Николаева", "Светлана", "Алексеевна"),
    ("Орлова", "Анастасия", "Михайловна"),
    ("Андреева", "Екатерина", "Юрьевна"),
    ("Макарова", "Галина", "Николаевна"),
    ("Захарова", "Дарья", "Евгеньевна"),
    ("Полякова", "Вера", "Григорьевна"),
    ("Виноградова", "Людмила", "Антоновна"),
    ("Богданова", "Ксения", "Романовна"),
    ("Киселёва", "Алла", "Борисовна"),
    ("Тихонова", "Лариса", "Фёдоровна"),
    ("Фролова", "Полина", "Артёмовна"),
    ("Кудрявцева", "Нина", "Валерьевна"),
    ("Белякова", "Зоя", "Константиновна"),
)
_STREETS = (
    "ул. Примерная",
    "ул. Академика Демо",
    "Тестовый проезд",
    "ул. Садовая-Учебная",
    "Образцовый бульвар",
    "ул. Новая Лесная",
    "Кленовый проспект",
    "ул. Вымышленная",
)

_MORNING = WorkDay(time(8), time(14), time(11), time(11, 30))
_EVENING = WorkDay(time(14), time(20), time(17), time(17, 30))
_SATURDAY = WorkDay(time(9), time(15))
_LONG = WorkDay(time(8), time(20), time(13), time(14))


#: a load-test clinic's doctors: the plan's lines any adult may book without a referral, cycled (benchmarks)
_LOAD_PLAN = tuple(plan for plan in _DOCTOR_PLAN if plan[1] not in ("68", "21", "14", "11", "112"))
_LOAD_MINUTES = 22  # 08:00-20:00 with an hour's break: 30 slots a day


def build_clinic(seed: int, doctors: int | None = None) -> Clinic:
    """The demo polyclinic for ``seed``: same seed, same polyclinic (ids, names, hours).

    ``doctors`` makes a load-test clinic instead (benchmarks): that many doctors of the specialties any
    adult may book without a referral, each working long days every day (30 slots a day); the same seed and
    count give the same clinic.
    """
    rng = random.Random(seed)
    number = 100 + seed % 150
    head_id = 10_000_000 + number * 10
    streets = rng.sample(_STREETS, 5)
    full_name = f"ГБУЗ «Городская поликлиника № {number} ДЗМ»"
    head = Building(
        head_id,
        full_name,
        f"ГП {number}",
        f"г. Москва, {streets[0]}, д. {rng.randint(2, 40)}",
        6_000_000 + number * 10,
    )
    branch1 = Building(
        head_id + 1,
        f"{full_name} филиал № 1",
        f"ГП {number} Ф 1",
        f"г. Москва, {streets[1]}, д. {rng.randint(2, 40)}, корп. 1",
        head.address_point_id + 1,
    )
    branch2 = Building(
        head_id + 2,
        f"{full_name} филиал № 2",
        f"ГП {number} Ф 2",
        f"г. Москва, {streets[2]}, д. {rng.randint(2, 40)}",
        head.address_point_id + 2,
    )
    womens = Building(
        head_id + 3,
        f"Женская консультация при ГП № {number}",
        f"ЖК ГП {number}",
        f"г. Москва, {streets[3]}, д. {rng.randint(2, 40)}",
        head.address_point_id + 3,
    )
    other_number = number + 150
    other = Building(
        10_000_000 + other_number * 10,
        f"ГБУЗ «Городская поликлиника № {other_number} ДЗМ»",
        f"ГП {other_number}",
        f"г. Москва, {streets[4]}, д. {rng.randint(2, 40)}",
        6_000_000 + other_number * 10,
    )
    factory = _ResourceFactory(rng, head_id, (head, branch1, branch2), womens, load=doctors is not None)
    if doctors is None:
        resources = [factory.doctor(*plan) for plan in _DOCTOR_PLAN for _ in range(plan[4])]
    else:
        resources = [factory.doctor(*_LOAD_PLAN[n % len(_LOAD_PLAN)]) for n in range(doctors)]
    resources += [factory.room(code, title) for code, title, count in _ROOM_PLAN for _ in range(count)]
    return Clinic(
        seed, head, (head, branch1, branch2, womens), other, SPECIALTIES, dict(LDP_TYPES), tuple(resources)
    )


class _ResourceFactory:
    def __init__(
        self, rng: random.Random, head_id: int, buildings: tuple[Building, ...], womens: Building,
        load: bool = False,
    ) -> None:
        self.rng = rng
        self.load = load
        self.span = (99, 99) if load else (40, 30)  # room numbers per floor: head building, branches
        self.buildings = buildings
        self.womens = womens
        self.serial = 0
        self.men = list(_MALE)
        self.women = list(_FEMALE)
        rng.shuffle(self.men)
        rng.shuffle(self.women)
        self.base_ar = 21_034_500_000 + (head_id % 1000) * 1000
        self.used_rooms: set[tuple[int, str]] = set()

    def _cabinet(self, building: Building, floor: int) -> Cabinet:
        while True:
            number = (
                f"{floor}{self.rng.randint(1, self.span[0]):02d}"
                if building is self.buildings[0]
                else f"{floor}-{self.rng.randint(1, self.span[1]):02d}"
            )
            if (building.lpu_id, number) not in self.used_rooms:
                self.used_rooms.add((building.lpu_id, number))
                break
        return Cabinet(
            612_300_000 + self.serial * 10 + len(self.used_rooms) % 10,
            75_012_300 + len(self.used_rooms),
            number,
            building,
        )

    def _week(self, kind: str) -> tuple[WorkDay | None, ...]:
        if kind == "duty":
            return (_LONG,) * 5 + (_SATURDAY, _SATURDAY)
        if kind == "room":
            return (_LONG,) * 5 + (_SATURDAY, None)
        if kind == "load":
            return (_LONG,) * 7
        parity = self.rng.randint(0, 1)
        week: list[WorkDay | None] = [_MORNING if (day + parity) % 2 == 0 else _EVENING for day in range(5)]
        week[self.rng.randint(0, 4)] = None  # one weekday off
        week.append(_SATURDAY if self.rng.random() < 0.35 else None)
        week.append(None)
        return tuple(week)

    def doctor(
        self, menu: str, spec: str, spec_name: str, audience: str, _count: int, minutes: int
    ) -> Resource:
        self.serial += 1
        female = spec == "21" or self.rng.random() < 0.6
        if self.load and not (self.women and self.men):  # a load-test clinic has more doctors than names
            self.men, self.women = list(_MALE), list(_FEMALE)
        pool = self.women if female and self.women else self.men
        last, first, middle = pool.pop()
        buildings: tuple[Building, ...]
        if menu == "21":
            buildings = (self.womens, self.buildings[1])
        elif audience == "child":
            buildings = (self.buildings[2],)
        else:
            buildings = tuple(self.rng.sample(self.buildings, 2))
        cabinets = [self._cabinet(buildings[0], self.rng.randint(1, 4))]
        if len(buildings) > 1 and (menu == "21" or self.rng.random() < 0.3):
            cabinets.append(self._cabinet(buildings[1], self.rng.randint(1, 4)))
        vacation = None
        if self.serial == 6:  # one district doctor is on leave for the whole horizon: listed, not bookable
            vacation = (date(2000, 1, 1), date(2999, 12, 31))
        return Resource(
            self.base_ar + self.serial,
            "doctor",
            menu,
            spec,
            spec_name,
            audience,
            last,
            first,
            middle,
            10_087_000 + self.serial,
            3_456_000 + self.serial,
            "1801" if menu != "2017" else "1805",
            "Первичный прием",
            _LOAD_MINUTES if self.load else minutes,
            tuple(cabinets),
            self._week("load" if self.load else "duty" if menu == "2017" else "doctor"),
            vacation,
        )

    def room(self, code: str, title: str) -> Resource:
        self.serial += 1
        building = self.buildings[self.serial % 2]
        cabinet = self._cabinet(building, 1)
        return Resource(
            self.base_ar + self.serial,
            "ldp",
            code,
            code,
            LDP_TYPES[code],
            "all",
            f"{title} {cabinet.number}",
            "",
            "",
            0,
            0,
            "",
            "",
            15,
            (cabinet,),
            self._week("room"),
        )
