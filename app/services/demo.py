"""A demo book: a made-up village cooperative with years of realistic savings activity.

Deterministic for a seed (and the day it is made: the book ends today). Every
rupiah goes through ``ledger.post_many`` (the same validation, numbering and
hash chain as the counter), month by month inside one unit of work; members
are inserted in bulk with Core ``insert()``; the few exits go through the
real exit settlement (``members.exit_member``). Nothing is queried per row, so
5.000 members over 10 years (about a million entries) take a few minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app import dates
from app.errors import BookError, ValidationError
from app.ledger import Entry, Line, post_many
from app.ledger.chart import KAS, SIMPANAN_POKOK, SIMPANAN_SUKARELA, SIMPANAN_WAJIB
from app.models import Member
from app.models.member import ACTIVE
from app.money import format_rupiah
from app.nik import check_nik, format_rt_rw, normalize_phone
from app.services import audit, members, settings
from app.services.settings import Profile

Progress = Callable[[int, int], None]

USER = "bendahara"
MAX_MEMBERS = 9_000  # NIK sequences and 4-digit member numbers stay readable
MAX_YEARS = 30

# -- the made-up village -------------------------------------------------------

DESA = "Sukamaju"
KECAMATAN = "Cilawu"
KABUPATEN = "Garut"
PROVINSI = "Jawa Barat"
PROVINCE_CODE = "32"
REGENCY_CODE = "05"
HOME_DISTRICT = "07"
OTHER_DISTRICTS = ("01", "02", "04", "11", "13", "18", "22", "31")

# dusun -> (RW numbers, kampung names)
DUSUN: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "Cikadu": ((1, 2), ("Cikadu", "Cikadu Girang", "Babakan Cikadu")),
    "Sukamaju": ((3, 4), ("Sukamaju", "Sukamaju Tonggoh", "Pasir Muncang")),
    "Pasirjati": ((5,), ("Pasirjati", "Cimuncang")),
    "Cibeureum": ((6, 7), ("Cibeureum", "Cibeureum Hilir", "Legok Nangka")),
    "Sindangsari": ((8,), ("Sindangsari", "Cisalak")),
    "Karangsari": ((9, 10), ("Karangsari", "Bojong", "Tanjakan")),
}
STREETS = ("Jl. Raya Sukamaju", "Jl. Desa Sukamaju", "Jl. Cilawu-Garut", "Jl. Pasirjati")

MALE_FIRST = (
    "Asep", "Dede", "Ujang", "Cecep", "Dadang", "Endang", "Iwan", "Jajang", "Yayan", "Ade",
    "Agus", "Wawan", "Aang", "Deden", "Engkos", "Oman", "Rudi", "Yusuf", "Ahmad", "Saepul",
    "Dadan", "Encep", "Hendra", "Nandang", "Tatang", "Entis", "Mamat", "Usep", "Budi", "Slamet",
    "Joko", "Bambang", "Sugeng", "Wahyu", "Eko", "Heru", "Teguh", "Darmaji", "Sukirno", "Yanto",
)  # fmt: skip
MALE_LAST = (
    "Saepudin", "Sopandi", "Hidayat", "Kurniawan", "Supriatna", "Rahmat", "Suherman", "Nurdin",
    "Gunawan", "Permana", "Setiawan", "Hermawan", "Suryana", "Mulyana", "Firmansyah", "Ramdani",
    "Sudrajat", "Kusnadi", "Wijaya", "Santoso", "Prasetyo", "Susilo", "Haryanto", "Nugroho",
    "Saputra", "Maulana", "Syarifudin", "Sobari", "Suganda", "Rusmana",
)  # fmt: skip
FEMALE_FIRST = (
    "Euis", "Neneng", "Imas", "Enok", "Cucu", "Iis", "Entin", "Yati", "Nining", "Popon", "Elis",
    "Ai", "Tati", "Yeni", "Lilis", "Nia", "Siti", "Dewi", "Rina", "Ani", "Eti", "Oom", "Cicih",
    "Sri", "Tri", "Sumiati", "Wartini", "Ratna", "Wulan", "Rini", "Sulastri", "Lina", "Nurul",
)  # fmt: skip
FEMALE_LAST = (
    "Rohayati", "Nurhalimah", "Kurniasih", "Marlina", "Suryani", "Rahmawati", "Komalasari",
    "Sumarni", "Maryati", "Susanti", "Hasanah", "Nurjanah", "Rostika", "Fitriani", "Handayani",
    "Lestari", "Wahyuni", "Purwanti", "Setiawati", "Herlina", "Yulianti", "Mulyani", "Agustina",
    "Aminah", "Rosita", "Sumiyati",
)  # fmt: skip
BIRTH_PLACES = (
    ("Garut", 60), ("Tasikmalaya", 8), ("Bandung", 7), ("Sumedang", 4), ("Ciamis", 4),
    ("Cianjur", 3), ("Sukabumi", 2), ("Majalengka", 2), ("Kuningan", 2), ("Jakarta", 2),
    ("Brebes", 2), ("Tegal", 1), ("Cilacap", 1), ("Kebumen", 1), ("Yogyakarta", 1),
)  # fmt: skip
MALE_JOBS = (
    ("Petani", 30), ("Buruh tani", 14), ("Pedagang", 12), ("Wiraswasta", 10), ("Buruh", 8),
    ("Peternak", 5), ("Sopir", 4), ("Tukang bangunan", 5), ("Guru", 4), ("Karyawan swasta", 4),
    ("Perangkat desa", 2), ("PNS", 2),
)  # fmt: skip
FEMALE_JOBS = (
    ("Ibu rumah tangga", 38), ("Petani", 14), ("Pedagang", 16), ("Buruh tani", 8),
    ("Wiraswasta", 6), ("Guru", 6), ("Buruh", 5), ("Karyawan swasta", 4), ("Bidan", 1),
    ("PNS", 2),
)  # fmt: skip
PHONE_PREFIXES = ("812", "813", "821", "822", "852", "853", "857", "858", "878", "877", "896",
                  "895", "838", "831", "819", "856")  # fmt: skip

# Month of Idul Fitri: savings are withdrawn before Lebaran.
LEBARAN_MONTH = {
    2014: 7, 2015: 7, 2016: 7, 2017: 6, 2018: 6, 2019: 6, 2020: 5, 2021: 5, 2022: 5, 2023: 4,
    2024: 4, 2025: 3, 2026: 3, 2027: 3, 2028: 2, 2029: 2, 2030: 2, 2031: 1, 2032: 1,
}  # fmt: skip

# How members pay wajib.
RAJIN, TELAT, BORONGAN, NUNGGAK = "rajin", "telat", "borongan", "nunggak"
STYLES = ((RAJIN, 62), (TELAT, 18), (BORONGAN, 10), (NUNGGAK, 10))

EXIT_REASONS = (
    ("keluar", "Pindah domisili ke luar desa", 45),
    ("keluar", "Mengundurkan diri atas permintaan sendiri", 30),
    ("meninggal", "Meninggal dunia; simpanan diserahkan kepada ahli waris", 20),
    ("diberhentikan", "Diberhentikan oleh rapat pengurus karena tidak aktif", 5),
)


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# -- people ------------------------------------------------------------------


@dataclass
class _Person:
    nik: str
    name: str
    sex: str
    birth_place: str
    birth_date: date
    address: str
    rt: str
    rw: str
    dusun: str
    occupation: str
    phone: str
    heir_name: str
    heir_relation: str
    heir_phone: str
    joined_on: date
    role: str = "anggota"
    position: str = ""


@dataclass
class _Saver:
    """One member's state while the months are simulated."""

    id: int
    number: str
    name: str
    joined_on: date
    join_index: int  # month index of joining
    officer: bool
    style: str
    pay_day: int
    saver: int  # 0 never uses sukarela .. 3 trades every week
    next_wajib: int  # month index of the oldest month not yet paid
    stop_index: int | None = None  # a nunggak member stops paying from this month
    period: int = 1  # months paid at once by a borongan member
    paid_in: int = 0  # pokok + wajib
    sukarela: int = 0
    exit_on: date | None = None
    exit_status: str = ""
    exit_reason: str = ""
    exited: bool = False


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(MALE_FIRST if sex == "L" else FEMALE_FIRST)
    if rng.random() < 0.08:
        return first
    last = rng.choice(MALE_LAST if sex == "L" else FEMALE_LAST)
    if last == first:
        return first
    return f"{first} {last}"


def _phone(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8))))
    return f"0{rng.choice(PHONE_PREFIXES)}{digits}"


def _make_people(rng: random.Random, count: int, start: date, today: date) -> list[_Person]:
    join_dates = _join_dates(rng, count, start, today)
    sequences: dict[str, int] = {}
    people = []
    for joined_on in join_dates:
        sex = "P" if rng.random() < 0.52 else "L"
        age_days = rng.randint(18 * 365 + 5, 72 * 365)
        birth = joined_on - timedelta(days=age_days)
        district = HOME_DISTRICT if rng.random() < 0.85 else rng.choice(OTHER_DISTRICTS)
        day = birth.day + (40 if sex == "P" else 0)
        born = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        prefix = f"{PROVINCE_CODE}{REGENCY_CODE}{district}{born}"
        seq = sequences.get(prefix, rng.randint(0, 9)) + 1
        sequences[prefix] = seq
        nik = f"{prefix}{seq:04d}"
        dusun = rng.choice(list(DUSUN))
        rws, kampungs = DUSUN[dusun]
        if rng.random() < 0.8:
            address = f"Kp. {rng.choice(kampungs)}"
        else:
            address = f"{rng.choice(STREETS)} No. {rng.randint(1, 160)}"
        occupation = _weighted(rng, MALE_JOBS if sex == "L" else FEMALE_JOBS)
        married = age_days > 22 * 365 and rng.random() < 0.85
        heir_sex = "P" if sex == "L" else "L"
        if married:
            heir_relation = "Istri" if sex == "L" else "Suami"
            heir_name = _name(rng, heir_sex)
        elif rng.random() < 0.6:
            heir_relation = rng.choice(("Ibu", "Ayah", "Kakak", "Adik"))
            heir_name = _name(rng, rng.choice("LP"))
        else:
            heir_relation = heir_name = ""
        people.append(
            _Person(
                nik=nik,
                name=_name(rng, sex),
                sex=sex,
                birth_place=_weighted(rng, BIRTH_PLACES),
                birth_date=birth,
                address=address,
                rt=str(rng.randint(1, 8)),
                rw=str(rng.choice(rws)),
                dusun=dusun,
                occupation=occupation,
                phone=_phone(rng) if rng.random() < 0.9 else "",
                heir_name=heir_name,
                heir_relation=heir_relation,
                heir_phone=_phone(rng) if heir_name and rng.random() < 0.5 else "",
                joined_on=joined_on,
            )
        )
    _assign_officers(people)
    return people


def _join_dates(rng: random.Random, count: int, start: date, today: date) -> list[date]:
    """The founders on the first day; many more in the first year; the rest over the years."""
    founders = min(count, 20)
    span = (today - start).days
    first_year = min(span, 364)
    result = [start] * founders
    for _ in range(count - founders):
        if span <= 0:
            result.append(start)
        elif rng.random() < 0.45:
            result.append(start + timedelta(days=rng.randint(1, max(first_year, 1))))
        else:
            result.append(start + timedelta(days=rng.randint(1, span)))
    return sorted(min(d, today) for d in result)


def _assign_officers(people: list[_Person]) -> None:
    posts = (
        ("pengurus", "Ketua"),
        ("pengurus", "Sekretaris"),
        ("pengurus", "Bendahara"),
        ("pengawas", "Ketua Pengawas"),
        ("pengawas", "Anggota Pengawas"),
        ("pengawas", "Anggota Pengawas"),
    )
    for person, (role, position) in zip(people, posts, strict=False):
        person.role, person.position = role, position


def _profile(people: list[_Person]) -> Profile:
    def holder(position: str, nth: int = 0) -> str:
        found = [p.name for p in people if p.position == position]
        return found[nth] if len(found) > nth else ""

    return Profile(
        name=f"Koperasi Desa Merah Putih {DESA}",
        address=f"Kantor Desa {DESA}, Jl. Raya {DESA} No. 1",
        desa=DESA,
        kecamatan=KECAMATAN,
        kabupaten=KABUPATEN,
        provinsi=PROVINSI,
        phone="0262-555-0123",
        ketua=holder("Ketua"),
        sekretaris=holder("Sekretaris"),
        bendahara=holder("Bendahara"),
        ketua_pengawas=holder("Ketua Pengawas"),
        anggota_pengawas_1=holder("Anggota Pengawas"),
        anggota_pengawas_2=holder("Anggota Pengawas", 1),
    )


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_of(index: int) -> tuple[int, int]:
    year, month0 = divmod(index, 12)
    return year, month0 + 1


def _month_last_day(index: int) -> date:
    year, month = _month_of(index)
    return dates.month_end(date(year, month, 1))


def _month_label(first: int, last: int) -> str:
    if first == last:
        return dates.format_month(*_month_of(first))
    return f"{dates.format_month(*_month_of(first))} s.d. {dates.format_month(*_month_of(last))}"


def _round_down(amount: int, unit: int) -> int:
    return amount // unit * unit


def _saver_level(rng: random.Random, occupation: str) -> int:
    """0 never saves sukarela; 3 deposits every market day (traders)."""
    if occupation == "Pedagang":
        return int(_weighted(rng, ((1, 15), (2, 35), (3, 50))))
    return int(_weighted(rng, ((0, 27), (1, 32), (2, 30), (3, 11))))


# Sukarela habits by level: (deposit at the wajib visit, extra visits, withdrawal chance).
_WITH_WAJIB = (0.0, 0.3, 0.5, 0.6)
_EXTRA_VISITS = ((0,), (0, 0, 0, 0, 1), (0, 1, 1, 2), (2, 3, 3, 4))
_WITHDRAW = (0.0, 0.08, 0.2, 0.45)


def _sukarela_amount(rng: random.Random, level: int) -> int:
    if level == 1:
        return rng.randint(2, 10) * 5_000
    if level == 2:
        return rng.randint(2, 25) * 10_000
    return rng.randint(2, 40) * 25_000


# -- the book ------------------------------------------------------------------


def create_demo_book(
    path: Path,
    *,
    members: int = 60,
    years: int = 3,
    seed: int = 1,
    progress: Progress | None = None,
) -> None:
    """Make a new book at ``path`` full of made-up members and savings, ending today.

    Refuses an existing book. On any failure the half-made file is removed, so
    that the command can simply be run again.
    """
    from app.book import create_book, is_book
    from app.db import unit_of_work

    if isinstance(members, bool) or not 1 <= members <= MAX_MEMBERS:
        raise ValidationError(f"Jumlah anggota buku demo harus 1 sampai {MAX_MEMBERS}.")
    if isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
        raise ValidationError(f"Lama buku demo harus 1 sampai {MAX_YEARS} tahun.")
    path = Path(path).expanduser().resolve()
    if is_book(path):
        raise BookError(f"File {path} sudah ada; buku demo tidak boleh menimpanya.")

    rng = random.Random(seed)
    today = dates.today()
    start = date(today.year - years + 1, 1, 1)
    people = _make_people(rng, members, start, today)
    book = create_book(path, _profile(people), by=USER)
    try:
        with unit_of_work(book.sessions) as session:
            # A bigger page cache (64 MiB) keeps most of the journal indexes in memory
            # while the rows go in (measured: 256 MiB is no faster, and costs 200 MB).
            session.execute(text("PRAGMA cache_size=-65536"))
            builder = _Builder(session, rng, people, start, today, progress)
            builder.run()
            audit.record(
                session,
                by=USER,
                action="buku.demo",
                entity="book",
                after={
                    "anggota": members,
                    "tahun": years,
                    "seed": seed,
                    "mulai": start,
                    "sampai": today,
                    "jurnal": builder.entries_posted,
                },
                note="Buku demo: data karangan untuk latihan, bukan data koperasi sungguhan.",
            )
    except BaseException:
        book.close()
        for suffix in ("", "-wal", "-shm", ".lock"):
            leftover = path.with_name(path.name + suffix)
            leftover.unlink(missing_ok=True)
        raise
    book.close()


_Event = tuple[date, int, int, "Entry | _Saver"]  # date, exit last, order, what


@dataclass
class _Builder:
    session: Session
    rng: random.Random
    people: list[_Person]
    start: date
    today: date
    progress: Progress | None
    savers: list[_Saver] = field(default_factory=list)
    entries_posted: int = 0
    # Running totals in posting order: cash, members' sukarela, members' pokok + wajib.
    kas: int = 0
    sukarela_total: int = 0
    paid_in_total: int = 0
    wajib_by_month: dict[int, int] = field(default_factory=dict)

    def run(self) -> None:
        first_month = _month_index(self.start)
        last_month = _month_index(self.today)
        total = last_month - first_month + 2
        if self.today.year - self.start.year >= 2:
            # The RAT of the second year raised wajib from the third year on: a rate
            # change that arrears and reports must honour.
            settings.set_rate(
                self.session, settings.WAJIB, 25_000, date(self.start.year + 2, 1, 1), by=USER
            )
        self.wajib_rates = settings.rates(self.session, settings.WAJIB)
        self.pokok_rates = settings.rates(self.session, settings.POKOK)
        self._insert_members()
        self._plan_exits()
        self._report(1, total)
        by_month: dict[int, list[_Saver]] = {}
        for saver in self.savers:
            by_month.setdefault(saver.join_index, []).append(saver)
        active: list[_Saver] = []
        for done, index in enumerate(range(first_month, last_month + 1), start=2):
            joining = by_month.get(index, [])
            active.extend(joining)
            self._month(index, joining, active)
            active = [s for s in active if not s.exited]
            self._report(done, total)

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)

    def _wajib(self, index: int) -> int:
        amount = self.wajib_by_month.get(index)
        if amount is None:
            amount = settings.rate_on(self.wajib_rates, date(*_month_of(index), 1))
            self.wajib_by_month[index] = amount
        return amount

    # -- members -----------------------------------------------------------

    def _insert_members(self) -> None:
        """All members in one Core insert, numbered through the one member sequence."""
        session = self.session
        numbers = members.reserve_member_numbers(session, len(self.people))
        next_id = (session.scalar(select(func.max(Member.id))) or 0) + 1
        rng = self.rng
        rows = []
        for offset, person in enumerate(self.people):
            check = check_nik(person.nik, sex=person.sex, birth_date=person.birth_date)
            if check.errors or check.warnings:  # pragma: no cover - a bug in this generator
                raise AssertionError(f"demo NIK {person.nik}: {check.errors + check.warnings}")
            member_id = next_id + offset
            number = numbers[offset]
            rows.append(
                {
                    "id": member_id,
                    "number": number,
                    "nik": person.nik,
                    "name": person.name,
                    "sex": person.sex,
                    "birth_place": person.birth_place,
                    "birth_date": person.birth_date,
                    "address": person.address,
                    "rt": format_rt_rw(person.rt, "RT"),
                    "rw": format_rt_rw(person.rw, "RW"),
                    "dusun": person.dusun,
                    "occupation": person.occupation,
                    "phone": normalize_phone(person.phone),
                    "joined_on": person.joined_on,
                    "status": ACTIVE,
                    "status_date": None,
                    "status_reason": "",
                    "heir_name": person.heir_name,
                    "heir_relation": person.heir_relation,
                    "heir_phone": normalize_phone(person.heir_phone),
                    "role": person.role,
                    "position": person.position,
                }
            )
            officer = person.role != "anggota"
            style = RAJIN if officer else _weighted(rng, STYLES)
            join_index = _month_index(person.joined_on)
            saver = _Saver(
                id=member_id,
                number=number,
                name=person.name,
                joined_on=person.joined_on,
                join_index=join_index,
                officer=officer,
                style=style,
                pay_day=rng.randint(1, 28),
                saver=_saver_level(rng, person.occupation),
                next_wajib=join_index,
            )
            if style == NUNGGAK:
                saver.stop_index = join_index + rng.randint(2, 30)
            elif style == BORONGAN:
                saver.period = rng.choice((3, 3, 6, 6, 12))
            self.savers.append(saver)
        session.execute(insert(Member.__table__), rows)  # type: ignore[arg-type]

    def _plan_exits(self) -> None:
        """About 1,5% of the members leave (at least one, when anybody could)."""
        rng = self.rng
        latest = self.today - timedelta(days=1)
        eligible = [
            s for s in self.savers if not s.officer and s.joined_on + timedelta(days=180) < latest
        ]
        if not eligible:
            return
        wanted = max(1, round(len(self.savers) * 0.015))
        for saver in rng.sample(eligible, min(wanted, len(eligible))):
            earliest = saver.joined_on + timedelta(days=180)
            saver.exit_on = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
            status, reason, _weight = rng.choices(
                EXIT_REASONS, weights=[r[2] for r in EXIT_REASONS]
            )[0]
            saver.exit_status, saver.exit_reason = status, reason

    # -- one month ---------------------------------------------------------

    def _month(self, index: int, joining: list[_Saver], active: list[_Saver]) -> None:
        first_day = date(*_month_of(index), 1)
        last_day = min(_month_last_day(index), self.today)
        events: list[_Event] = []

        pokok = settings.rate_on(self.pokok_rates, first_day)
        for saver in joining:
            saver.paid_in += pokok
            events.append(
                (
                    saver.joined_on,
                    0,
                    len(events),
                    Entry(
                        date=saver.joined_on,
                        kind="ST",
                        memo=f"Simpanan pokok {saver.number} {saver.name} (pendaftaran anggota)",
                        member_id=saver.id,
                        lines=[
                            Line(KAS, pokok),
                            Line(SIMPANAN_POKOK, -pokok, member_id=saver.id),
                        ],
                    ),
                )
            )
        lebaran = LEBARAN_MONTH.get(first_day.year) == first_day.month
        for saver in active:
            low = max(first_day, saver.joined_on)
            high = last_day
            if saver.exit_on is not None and saver.exit_on <= last_day:
                high = saver.exit_on
                events.append((saver.exit_on, 1, len(events), saver))
            for entry in self._member_month(saver, index, low, high, lebaran):
                events.append((entry.date, 0, len(events), entry))
        for entry in self._cooperative_month(index, first_day, last_day, len(active)):
            events.append((entry.date, 0, len(events), entry))
        # Date order; on one date an exit comes after the member's own business.
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        pending: list[Entry] = []
        for _on, _last, _order, item in events:
            if isinstance(item, _Saver):
                self._post(pending)
                pending = []
                self._exit(item)
            elif self._affordable(item):
                pending.append(item)
        self._post(pending)

    def _affordable(self, entry: Entry) -> bool:
        """Running cash; an expense is paid only while the members' savings stay covered."""
        kas = sukarela = paid_in = 0
        for line in entry.lines:
            if line.account == KAS:
                kas += line.amount
            elif line.account == SIMPANAN_SUKARELA:
                sukarela -= line.amount
            elif line.account in (SIMPANAN_POKOK, SIMPANAN_WAJIB):
                paid_in -= line.amount
        if entry.kind == "KK" and self.kas + kas < self.sukarela_total + self.paid_in_total // 2:
            return False
        self.kas += kas
        self.sukarela_total += sukarela
        self.paid_in_total += paid_in
        return True

    def _post(self, entries: list[Entry]) -> None:
        if entries:
            post_many(self.session, entries, by=USER)
            self.entries_posted += len(entries)

    def _exit(self, saver: _Saver) -> None:
        assert saver.exit_on is not None
        posted = members.exit_member(
            self.session,
            saver.id,
            on=saver.exit_on,
            reason=saver.exit_reason,
            status=saver.exit_status,
            by=USER,
        )
        if posted is not None:
            self.entries_posted += 1
        self.kas -= saver.paid_in + saver.sukarela
        self.sukarela_total -= saver.sukarela
        self.paid_in_total -= saver.paid_in
        saver.paid_in = saver.sukarela = 0
        saver.exited = True

    def _member_month(
        self, saver: _Saver, index: int, low: date, high: date, lebaran: bool
    ) -> list[Entry]:
        """A member's visits to the counter in one month, in date order."""
        rng = self.rng
        level = saver.saver
        # (date, wajib months, sukarela in, sukarela out)
        visits: list[tuple[date, int, int, bool]] = []
        months = self._wajib_months(saver, index)
        if months:
            jitter = rng.randint(-2, 2) if saver.style == RAJIN else rng.randint(0, 10)
            on = _clamp_day(low, saver.pay_day + jitter, low)
            if on <= high:
                deposit = 0
                if level and rng.random() < _WITH_WAJIB[level]:
                    deposit = _sukarela_amount(rng, level)
                visits.append((on, months, deposit, False))
        if level:
            for _ in range(rng.choice(_EXTRA_VISITS[level])):
                on = _clamp_day(low, rng.randint(1, 28), low)
                if on <= high:
                    visits.append((on, 0, _sukarela_amount(rng, level), False))
            chance = _WITHDRAW[level] + (0.35 if lebaran else 0.0)
            if rng.random() < chance:
                on = _clamp_day(low, rng.randint(1, 28), low)
                if on <= high:
                    visits.append((on, 0, 0, True))
        if not visits:
            return []
        visits.sort(key=lambda v: v[0])
        entries = []
        for on, months, deposit, withdraw in visits:
            if withdraw:
                share = rng.uniform(0.5, 1.0) if lebaran else rng.uniform(0.15, 0.8)
                amount = _round_down(int(saver.sukarela * share), 5_000)
                if amount < 5_000:
                    continue
                saver.sukarela -= amount
                entries.append(
                    Entry(
                        date=on,
                        kind="TR",
                        memo=f"Penarikan simpanan sukarela {saver.number} {saver.name}",
                        member_id=saver.id,
                        lines=[
                            Line(SIMPANAN_SUKARELA, amount, member_id=saver.id),
                            Line(KAS, -amount),
                        ],
                    )
                )
                continue
            lines: list[Line] = []
            parts: list[str] = []
            wajib = 0
            if months:
                first = saver.next_wajib
                wajib = sum(self._wajib(m) for m in range(first, first + months))
                saver.next_wajib += months
                saver.paid_in += wajib
                lines.append(Line(SIMPANAN_WAJIB, -wajib, member_id=saver.id))
                parts.append(f"simpanan wajib {format_rupiah(wajib)}")
            if deposit:
                saver.sukarela += deposit
                lines.append(Line(SIMPANAN_SUKARELA, -deposit, member_id=saver.id))
                parts.append(f"simpanan sukarela {format_rupiah(deposit)}")
            if months and not deposit:
                label = _month_label(first, first + months - 1)
                memo = f"Simpanan wajib {label} {saver.number} {saver.name}"
            else:
                memo = f"Setoran {saver.number} {saver.name}: {', '.join(parts)}"
            entries.append(
                Entry(
                    date=on,
                    kind="ST",
                    memo=memo,
                    member_id=saver.id,
                    lines=[Line(KAS, wajib + deposit), *lines],
                )
            )
        return entries

    def _wajib_months(self, saver: _Saver, index: int) -> int:
        """How many months of wajib the member pays this month (0: none)."""
        rng = self.rng
        owed = index - saver.next_wajib + 1  # months due and unpaid, this one included
        style = saver.style
        if saver.stop_index is not None and index >= saver.stop_index:
            return 1 if rng.random() < 0.04 else 0
        if style == RAJIN:
            return owed if owed > 0 and rng.random() >= 0.04 else 0
        if style == TELAT:
            if owed <= 0 or rng.random() < 0.5:
                return 0
            return owed - 1 if owed > 1 and rng.random() < 0.3 else owed
        if style == BORONGAN:
            return max(saver.period, owed) if owed > 0 else 0
        # NUNGGAK before stopping: one month at a time, now and then.
        return 1 if owed > 0 and rng.random() < 0.7 else 0

    def _cooperative_month(
        self, index: int, first_day: date, last_day: date, active: int
    ) -> list[Entry]:
        """The office's own cash: honor, electricity, stationery, the RAT, fee income."""
        rng = self.rng
        year, month = _month_of(index)
        label = dates.format_month(year, month)
        items: list[tuple[int, str, int, str]] = []  # day, account, amount (+ income), memo

        def day() -> int:
            return rng.randint(1, last_day.day)

        if active:
            fee = _round_down(active * rng.randint(150, 450), 500)
            if fee:
                items.append(
                    (last_day.day, "4-909", fee, f"Pendapatan jasa layanan PPOB dan pulsa {label}")
                )
        if last_day == _month_last_day(index):
            honor = min(_round_down(400_000 + 300 * active, 50_000), 6_000_000)
            items.append((last_day.day, "5-301", -honor, f"Honor pengelola {label}"))
        bill = rng.randint(95_000, 320_000)
        items.append((min(20, last_day.day), "5-305", -bill, f"Listrik dan telepon kantor {label}"))
        if rng.random() < 0.5:
            items.append((day(), "5-304", -rng.randint(10, 60) * 5_000, "ATK dan cetak kuitansi"))
        if rng.random() < 0.3:
            items.append(
                (day(), "5-306", -rng.randint(5, 30) * 10_000, "Transport pengurus ke kecamatan")
            )
        if month == 3 and last_day.day >= 15:
            rat = _round_down(1_000_000 + 3_000 * active, 50_000)
            items.append((15, "5-303", -rat, f"Rapat Anggota Tahunan tahun buku {year - 1}"))
        if month == 12 and last_day.day >= 20:
            items.append((20, "5-302", -1_500_000, f"Honor pengurus dan pengawas tahun {year}"))
        entries = []
        for d, account, amount, memo in items:
            on = date(year, month, d)
            if amount > 0:
                lines = [Line(KAS, amount), Line(account, -amount)]
                kind = "KM"
            else:
                lines = [Line(account, -amount), Line(KAS, amount)]
                kind = "KK"
            entries.append(Entry(date=on, kind=kind, memo=memo, lines=lines))
        return entries


def _clamp_day(month_day: date, day: int, low: date) -> date:
    """Day ``day`` (1..31) of ``month_day``'s month, not before ``low``."""
    last = dates.month_end(month_day).day
    on = month_day.replace(day=max(1, min(day, last)))
    return max(on, low)
