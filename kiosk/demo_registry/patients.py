"""The demo registry's patients: a fixed cast for demos and tests, plus a generated crowd for benchmarks.

The cast does not depend on the seed, so README and tests can name them. All people are
fictitious; their policy numbers carry a valid ENP check digit (devices.card.enp).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.card.enp import complete_enp

#: kinds of demo patients (what each one demonstrates)
ATTACHED = "attached"
ATTACHED_WITH_REFERRALS = "attached, referrals"
ATTACHED_WITH_APPOINTMENTS = "attached, appointments"
CHILD = "child"
ATTACHED_ELSEWHERE = "attached elsewhere"
OTHER_REGION = "other region"
GENERATED = "generated"


@dataclass(frozen=True)
class DemoPatient:
    policy: str
    birth_date: date
    last_name: str
    first_name: str
    middle_name: str
    kind: str
    female: bool
    note: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.middle_name}".strip()

    @property
    def is_child(self) -> bool:
        return self.kind == CHILD

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


DEMO_PATIENTS: tuple[DemoPatient, ...] = (
    DemoPatient(
        complete_enp("770000000000001"),
        date(1985, 4, 12),
        "Иванова",
        "Анна",
        "Сергеевна",
        ATTACHED_WITH_REFERRALS,
        True,
        "referrals: cardiologist and ECG (valid), neurologist (expired); one ophthalmologist visit",
    ),
    DemoPatient(
        complete_enp("770000000000002"),
        date(1960, 11, 3),
        "Петров",
        "Сергей",
        "Николаевич",
        ATTACHED_WITH_APPOINTMENTS,
        False,
        "visits: ARVI duty doctor today (check-in), district doctor, ultrasound by referral; a used referral",
    ),
    DemoPatient(
        complete_enp("770000000000003"),
        date(1952, 12, 30),
        "Морозова",
        "Елена",
        "Павловна",
        ATTACHED,
        True,
        "no referrals, no appointments: a clean start",
    ),
    DemoPatient(
        complete_enp("770000000000004"),
        date(2016, 6, 1),
        "Смирнов",
        "Михаил",
        "Алексеевич",
        CHILD,
        False,
        "a child: the district doctor is a paediatrician",
    ),
    DemoPatient(
        complete_enp("770000000000005"),
        date(1979, 2, 20),
        "Кузнецова",
        "Ольга",
        "Викторовна",
        ATTACHED_ELSEWHERE,
        True,
        "attached to another polyclinic: cannot book here",
    ),
    DemoPatient(
        complete_enp("500000000000006"),
        date(1990, 9, 15),
        "Соколов",
        "Дмитрий",
        "Игоревич",
        OTHER_REGION,
        False,
        "policy of another region, no attachment in Moscow",
    ),
)

_CROWD_LAST = ("Орлов", "Волков", "Лебедев", "Козлов", "Новиков", "Павлов", "Семёнов", "Егоров")
_CROWD_FIRST = ("Андрей", "Илья", "Олег", "Роман", "Тимур", "Фёдор", "Юрий", "Глеб")
_CROWD_MIDDLE = ("Андреевич", "Ильич", "Олегович", "Романович", "Юрьевич", "Павлович")


def generated_patients(count: int = 300) -> tuple[DemoPatient, ...]:
    """Attached adults for load tests and benchmarks (policy 7799…), deterministic."""
    crowd = []
    for index in range(count):
        policy = complete_enp(f"7799{index:011d}")
        birth = date(1950 + index % 50, 1 + index % 12, 1 + index % 28)
        crowd.append(
            DemoPatient(
                policy,
                birth,
                _CROWD_LAST[index % len(_CROWD_LAST)],
                _CROWD_FIRST[index // 8 % len(_CROWD_FIRST)],
                _CROWD_MIDDLE[index % len(_CROWD_MIDDLE)],
                GENERATED,
                False,
            )
        )
    return tuple(crowd)


def patient_index(crowd_size: int = 300) -> dict[str, DemoPatient]:
    """Every patient the demo registry knows, by policy number."""
    return {patient.policy: patient for patient in (*DEMO_PATIENTS, *generated_patients(crowd_size))}
