"""A demo book: a made-up village cooperative with years of realistic savings activity.

Deterministic for a seed (and the day it is made: the book ends today). Every
rupiah goes through ``ledger.post_many`` (the same validation, numbering and
hash chain as the counter), month by month inside one unit of work; members
are inserted in bulk with Core ``insert()``; the few exits go through the
real exit settlement (``members.exit_member``). Nothing is queried per row, so
5.000 members over 10 years (about a million entries) take a few minutes.

Loans follow the rules of the services (DOMAIN.md 3) without their per-loan
queries: a loan and its schedule rows go in with Core ``insert()``, and every
repayment is split in memory by ``loan_state`` (oldest installment first,
interest before principal) exactly as ``loans.repay`` would split it. About two
in three members borrow now and then (5.000 members over 10 years: some 15.000
loans); most pay on time, some late (sometimes with denda), some in parts, some
pay off early, a few stop paying and the oldest of those are written off, and a
handful of loans are placed so that every kolektibilitas class is present
today even in the small default book.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from app import dates
from app.errors import BookError, ValidationError
from app.ledger import Entry, Line, post_many, sequences
from app.ledger.balances import balance
from app.ledger.chart import (
    KAS,
    PINJAMAN_ANGGOTA,
    SIMPANAN_POKOK,
    SIMPANAN_SUKARELA,
    SIMPANAN_WAJIB,
)
from app.models import Loan, LoanInstallment, Member
from app.models.loan import DISBURSED, PAID_OFF, WRITTEN_OFF
from app.models.member import ACTIVE
from app.money import apply_rate, format_rupiah
from app.nik import check_nik, format_rt_rw, normalize_phone
from app.services import audit, cash_count, members, settings
from app.services import loans as loan_service
from app.services.loan_state import Due, allocate_payment, fill, penalty
from app.services.schedule import ANUITAS, FLAT, MENURUN, METHOD_LABELS, build_schedule
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


# -- loans -------------------------------------------------------------------------

# How a loan is repaid.
TEPAT, TERLAMBAT, SEBAGIAN, LUNAS_CEPAT, MACET_BAYAR = (
    "tepat",
    "terlambat",
    "sebagian",
    "lunas_cepat",
    "macet",
)
BEHAVIOURS = ((TEPAT, 52), (TERLAMBAT, 20), (SEBAGIAN, 10), (LUNAS_CEPAT, 13), (MACET_BAYAR, 5))
BORROWER_SHARE = 0.9  # members who ever borrow
# (method, weight, monthly rates to choose from)
METHODS = (
    (FLAT, 50, ("0.0125", "0.015", "0.015", "0.02")),
    (MENURUN, 25, ("0.015", "0.0175", "0.02")),
    (ANUITAS, 25, ("0.0125", "0.015", "0.0175")),
)
# (lowest, highest principal in Rp100.000, weight, terms in months)
LOAN_SIZES = (
    (5, 30, 27, (6, 10, 12)),
    (30, 50, 25, (10, 12, 18)),
    (50, 100, 28, (12, 18, 24)),
    (100, 250, 16, (18, 24, 36)),
    (250, 500, 4, (24, 36)),
)
PURPOSES = (
    ("Modal usaha warung", 14), ("Modal dagang di pasar", 12), ("Pembelian pupuk dan bibit", 14),
    ("Biaya tanam padi", 8), ("Pembelian kambing untuk diternak", 6), ("Biaya sekolah anak", 10),
    ("Perbaikan rumah", 9), ("Biaya berobat", 4), ("Pembelian motor untuk ojek", 4),
    ("Modal usaha kerupuk", 3), ("Pembelian mesin jahit", 2), ("Biaya hajatan", 3),
    ("Pembelian bibit ikan", 3), ("Modal usaha bengkel", 2),
)  # fmt: skip
COLLATERALS = (
    ("BPKB sepeda motor", 40), ("Sertifikat tanah (SHM)", 15), ("Akta jual beli tanah", 10),
    ("Surat keterangan usaha dari desa", 20), ("SPPT PBB", 15),
)  # fmt: skip
WAIVER_REASONS = (
    "Anggota sedang sakit",
    "Gagal panen",
    "Musibah keluarga",
    "Kebijakan pengurus untuk anggota lama",
)
WRITE_OFF_REASON = (
    "Keputusan rapat pengurus: macet lebih dari setahun, peminjam tidak mampu membayar"
)
MIN_LOAN = 500_000


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
    next_loan: int | None = None  # month index from which the member asks for a loan
    running_loans: int = 0
    no_more_loans: bool = False  # a loan went bad, or a loan is placed for the demo


@dataclass
class _LoanOffer:
    """A loan the member asks for on a day; disbursed only if the office has the cash."""

    saver: _Saver
    on: date
    principal: int
    months: int
    method: str
    rate: str
    behaviour: str
    placed: bool = False  # placed so that a kolektibilitas class or a case is present
    stop_k: int = 0  # placed defaulter: installments from this one on are never paid
    payoff_k: int = 0  # placed early payoff: paid off before installment k falls due
    write_off_on: date | None = None
    recover_on: date | None = None


@dataclass
class _DemoLoan:
    id: int
    number: str
    saver: _Saver
    principal: int
    method: str
    schedule: list[Due]
    total: int  # every installment, interest and principal
    behaviour: str
    plan: list[tuple[date, int]]  # planned payments; amount -1 = payoff
    pos: int = 0
    repaid: int = 0  # interest + principal
    principal_paid: int = 0
    first_open: int = 0  # index of the oldest installment not fully paid
    before_open: int = 0  # amount of the installments before it
    status: str = DISBURSED
    write_off_days: int = 0  # after the oldest unpaid due date (defaulters)
    write_off_on: date | None = None
    recover_on: date | None = None
    recover_days: int = 0
    recover_amount: int = 0


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


_Event = tuple[date, int, int, "Entry | _Saver | _LoanOffer"]  # date, exit last, order, what


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
    # Loans: principal outstanding, the allowance booked in 1-139, what is running.
    loans_outstanding: int = 0
    ckpn_booked: int = 0
    loan_rng: random.Random = field(default_factory=random.Random)
    loan_config: loan_service.LoanSettings = field(default_factory=loan_service.LoanSettings)
    running: list[_DemoLoan] = field(default_factory=list)
    written_off: list[_DemoLoan] = field(default_factory=list)
    placed: dict[int, list[_LoanOffer]] = field(default_factory=dict)
    active_now: list[_Saver] = field(default_factory=list)
    saver_by_id: dict[int, _Saver] = field(default_factory=dict)
    next_loan_id: int = 1
    loan_numbers: dict[int, int] = field(default_factory=dict)
    pending_loans: list[dict[str, Any]] = field(default_factory=list)
    pending_installments: list[dict[str, Any]] = field(default_factory=list)
    pending_closings: list[dict[str, Any]] = field(default_factory=list)
    loan_counts: dict[str, int] = field(default_factory=dict)

    def run(self) -> None:
        # Loans draw from their own generator, so that lending never shifts the savings.
        self.loan_rng = random.Random(self.rng.getrandbits(64))
        self.loan_config = loan_service.loan_settings(self.session)
        self.next_loan_id = (self.session.scalar(select(func.max(Loan.id))) or 0) + 1
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
        self.saver_by_id = {s.id: s for s in self.savers}
        self._plan_borrowers()
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
        self._flush_loans()

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
        self.active_now = active
        for on, loan_item in self._loan_month(index, first_day, last_day, active):
            events.append((on, 0, len(events), loan_item))
        # Date order; on one date an exit comes after the member's own business.
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        pending: list[Entry] = []
        for _on, _last, _order, item in events:
            if isinstance(item, _Saver):
                self._post(pending)
                pending = []
                self._exit(item)
            elif isinstance(item, _LoanOffer):
                disbursed = self._disburse(item)
                if disbursed is not None:
                    pending.append(disbursed)
            elif self._affordable(item):
                pending.append(item)
        self._post(pending)
        if last_day.month == 12 and last_day.day == 31:
            self._post(self._allowance(last_day))
            if last_day < self.today:
                self._year_end_count(last_day)

    def _year_end_count(self, on: date) -> None:
        """The December cash count that tutup buku asks for, counted in notes and coins."""
        book = balance(self.session, KAS, on=on)
        counts: dict[int, int] = {}
        left = book
        for denomination in cash_count.DENOMINATIONS:
            counts[denomination], left = divmod(left, denomination)
        note = (
            f"Selisih {format_rupiah(left)}: pecahan di bawah Rp100 tidak beredar." if left else ""
        )
        cash_count.record_count(self.session, on, counts, by=USER, note=note)

    def _affordable(self, entry: Entry) -> bool:
        """Running cash; an expense is paid only while the members' savings stay covered.

        Savings are covered by cash and loans together; cash itself never goes
        below zero: a withdrawal the office cannot pay today does not happen.
        """
        kas = sukarela = paid_in = lent = 0
        for line in entry.lines:
            if line.account == KAS:
                kas += line.amount
            elif line.account == SIMPANAN_SUKARELA:
                sukarela -= line.amount
            elif line.account in (SIMPANAN_POKOK, SIMPANAN_WAJIB):
                paid_in -= line.amount
            elif line.account == PINJAMAN_ANGGOTA:
                lent += line.amount
        if entry.kind == "KK" and (
            self.kas + kas < 0
            or self.kas + kas + self.loans_outstanding
            < self.sukarela_total + self.paid_in_total // 2
        ):
            return False
        if self.kas + kas < 0:
            if entry.kind == "TR" and entry.member_id is not None:
                self.saver_by_id[entry.member_id].sukarela -= sukarela  # not withdrawn after all
                return False
            raise AssertionError(f"demo cash below zero: {entry.memo}")  # pragma: no cover
        self.kas += kas
        self.sukarela_total += sukarela
        self.paid_in_total += paid_in
        self.loans_outstanding += lent
        return True

    def _post(self, entries: list[Entry]) -> None:
        self._flush_loans()
        if entries:
            post_many(self.session, entries, by=USER)
            self.entries_posted += len(entries)

    def _exit(self, saver: _Saver) -> None:
        assert saver.exit_on is not None
        # The member's loans were paid off the same day (see _loan_month). When the
        # office is short of cash, the refund is owed (2-171) instead of paid out.
        refund = saver.paid_in + saver.sukarela
        pay_now = self.kas >= refund
        posted = members.exit_member(
            self.session,
            saver.id,
            on=saver.exit_on,
            reason=saver.exit_reason,
            status=saver.exit_status,
            pay_now=pay_now,
            by=USER,
        )
        if posted is not None:
            self.entries_posted += 1
        if pay_now:
            self.kas -= refund
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
            # A small cooperative pays its manager little; costs grow with the members.
            honor = min(_round_down(150_000 + 300 * active, 50_000), 6_000_000)
            items.append((last_day.day, "5-301", -honor, f"Honor pengelola {label}"))
        bill = rng.randint(50_000, 150_000) + 20 * active
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
            honor_board = min(_round_down(500_000 + 5_000 * active, 50_000), 30_000_000)
            items.append((20, "5-302", -honor_board, f"Honor pengurus dan pengawas tahun {year}"))
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

    # -- loans ---------------------------------------------------------------

    def _plan_borrowers(self) -> None:
        """Who borrows, from when; and the few loans placed so that every case is present."""
        rng = self.loan_rng
        for saver in self.savers:
            if rng.random() < BORROWER_SHARE:
                saver.next_loan = saver.join_index + rng.randint(3, 18)
        self._place_loans()

    def _place_loans(self) -> None:
        """Loans that make every kolektibilitas class, a write-off with a recovery and an
        early payoff present today, even in a small book (as far as its years allow)."""
        rng = self.loan_rng
        pool = [
            s
            for s in self.savers
            if not s.officer and s.exit_on is None and s.joined_on == self.start
        ]
        rng.shuffle(pool)
        earliest = self.start + timedelta(days=45)
        latest = self.today - timedelta(days=1)
        methods = [FLAT, MENURUN, ANUITAS]
        placed = 0

        def place(on: date, months: int, behaviour: str, **case: Any) -> None:
            if not pool or not earliest <= on <= latest:
                return
            nonlocal placed
            saver = pool.pop()
            saver.next_loan = None
            saver.no_more_loans = True
            method = methods[placed % 3]
            placed += 1
            rates = next(r for m, _w, r in METHODS if m == method)
            offer = _LoanOffer(
                saver=saver,
                on=on,
                principal=rng.randint(10, 30) * 100_000,
                months=months,
                method=method,
                rate=rng.choice(rates),
                behaviour=behaviour,
                placed=True,
                **case,
            )
            self.placed.setdefault(_month_index(on), []).append(offer)

        # Stopped after two installments; written off when Macet, later a little came back.
        on = earliest + timedelta(days=rng.randint(0, 20))
        written_off = dates.add_months(on, 3) + timedelta(days=rng.randint(300, 330))
        recovered = written_off + timedelta(days=rng.randint(30, 60))
        if recovered <= latest:
            place(
                on,
                12,
                MACET_BAYAR,
                stop_k=3,
                write_off_on=written_off,
                recover_on=recovered,
            )
        # Kurang Lancar, Diragukan, Macet today: the oldest unpaid installment fell due
        # this many days ago.
        for low, high in ((110, 160), (200, 250), (320, 420)):
            target = self.today - timedelta(days=rng.randint(low, high))
            for stop in (3, 1):
                on = dates.add_months(target, -stop)
                if on >= earliest:
                    place(on, 12, MACET_BAYAR, stop_k=stop)
                    break
        # Paid off early, a few months ago; and one paid on time, running today.
        on = max(earliest, dates.add_months(self.today, -10))
        if dates.add_months(on, 5) <= latest:
            place(on, 12, LUNAS_CEPAT, payoff_k=5)
        place(max(earliest, dates.add_months(self.today, -5)), 24, TEPAT)

    def _loan_month(
        self, index: int, first_day: date, last_day: date, active: list[_Saver]
    ) -> list[tuple[date, Entry | _LoanOffer]]:
        """This month's repayments, payoffs, write-offs and recoveries, and the new asks."""
        out: list[tuple[date, Entry | _LoanOffer]] = []
        closed = False
        for loan in self.running:
            saver = loan.saver
            leaving = saver.exit_on is not None and saver.exit_on <= last_day
            limit = saver.exit_on if leaving and saver.exit_on is not None else last_day
            while loan.status == DISBURSED and loan.pos < len(loan.plan):
                on, amount = loan.plan[loan.pos]
                if on > limit:
                    break
                loan.pos += 1
                entry = self._payoff(loan, on) if amount < 0 else self._repayment(loan, on, amount)
                if entry is not None:
                    out.append((on, entry))
            if loan.status == DISBURSED and leaving:
                # A member who leaves pays the loan off first, the same day.
                out.append((limit, self._payoff(loan, limit)))
            if loan.status == DISBURSED:
                write_off_on = self._write_off_date(loan)
                if write_off_on is not None and write_off_on <= last_day:
                    write_off_on = max(write_off_on, first_day)
                    out.append((write_off_on, self._write_off(loan, write_off_on)))
            closed = closed or loan.status != DISBURSED
        if closed:
            self.running = [loan for loan in self.running if loan.status == DISBURSED]
        if self.written_off:
            waiting = []
            for loan in self.written_off:
                if loan.recover_on is not None and loan.recover_on <= last_day:
                    out.append((loan.recover_on, self._recovery(loan, loan.recover_on)))
                else:
                    waiting.append(loan)
            self.written_off = waiting
        out.extend((offer.on, offer) for offer in self.placed.pop(index, []))
        for saver in active:
            if (
                saver.next_loan is not None
                and saver.next_loan <= index
                and not saver.running_loans
                and not saver.no_more_loans
            ):
                offer = self._offer(saver, first_day, last_day)
                if offer is not None:
                    out.append((offer.on, offer))
        return out

    def _offer(self, saver: _Saver, first_day: date, last_day: date) -> _LoanOffer | None:
        rng = self.loan_rng
        low = max(first_day, saver.joined_on + timedelta(days=90))
        on = _clamp_day(first_day, rng.randint(1, 28), low)
        if on > last_day:
            return None
        lowest, highest, _weight, terms = rng.choices(
            LOAN_SIZES, weights=[size[2] for size in LOAN_SIZES]
        )[0]
        principal = rng.randint(lowest, highest) * 100_000
        months = rng.choice(terms)
        method, _weight, rates = rng.choices(METHODS, weights=[m[1] for m in METHODS])[0]
        behaviour = _weighted(rng, BEHAVIOURS)
        saver.next_loan = None
        if saver.exit_on is not None:
            if saver.exit_on < dates.add_months(on, months) + timedelta(days=60):
                return None  # about to move away: no loan
            if behaviour == MACET_BAYAR:
                behaviour = TERLAMBAT
        return _LoanOffer(saver, on, principal, months, method, rng.choice(rates), behaviour)

    def _disburse(self, offer: _LoanOffer) -> Entry | None:
        """DOMAIN.md 3.2: Dr 1-131 P; Cr 1-101 P - fees; Cr 4-102 fees. Never overdraws cash."""
        rng = self.loan_rng
        saver = offer.saver
        if saver.exited:
            return None
        config = self.loan_config
        # Ordinary loans leave cash for withdrawals; the placed few only need the cash.
        reserve = 0 if offer.placed else self.sukarela_total // 4 + self.paid_in_total // 20
        available = self.kas - reserve - config.admin_fee
        principal = offer.principal
        if principal > available:
            principal = _round_down(available, 100_000)
        if principal < (MIN_LOAN if not offer.placed else 300_000):
            if not offer.placed:
                saver.next_loan = _month_index(offer.on) + rng.randint(1, 3)
            return None
        on = offer.on
        rate = Decimal(offer.rate)
        planned = build_schedule(
            principal, rate, offer.months, offer.method, on, round_to=config.round_to
        )
        schedule = [Due(i.k, i.due, i.principal, i.interest) for i in planned.installments]
        provisi = apply_rate(principal, config.provisi_rate)
        admin = config.admin_fee
        loan_id = self.next_loan_id
        self.next_loan_id += 1
        serial = self.loan_numbers.get(on.year, 0) + 1
        self.loan_numbers[on.year] = serial
        number = f"P-{on.year}-{serial:04d}"
        applied = max(saver.joined_on, on - timedelta(days=rng.randint(3, 14)))
        decided = applied + timedelta(days=rng.randint(0, (on - applied).days))
        collateral, value = "", 0
        if principal >= 3_000_000:
            collateral = _weighted(rng, COLLATERALS)
            value = _round_down(int(principal * rng.uniform(1.2, 3.0)), 500_000)
        guarantor = None
        if rng.random() < 0.4:
            other = rng.choice(self.active_now)
            if other is not saver and other.joined_on <= on and not other.exited:
                guarantor = other.id
        self.pending_loans.append(
            {
                "id": loan_id,
                "number": number,
                "member_id": saver.id,
                "product_id": None,
                "principal": principal,
                "monthly_rate": offer.rate,
                "months": offer.months,
                "method": offer.method,
                "round_to": config.round_to,
                "provisi": provisi,
                "admin_fee": admin,
                "purpose": _weighted(rng, PURPOSES),
                "collateral": collateral,
                "collateral_value": value,
                "guarantor_id": guarantor,
                "status": DISBURSED,
                "applied_on": applied,
                "decided_on": decided,
                "decided_by": "ketua",
                "decided_at": datetime.combine(decided, time(rng.randint(8, 15), 0)),
                "decision_note": "",
                "disbursed_on": on,
                "closed_on": None,
                "paid_before_cutover": 0,
                "class_override": "",
                "class_override_reason": "",
            }
        )
        self.pending_installments.extend(
            {"loan_id": loan_id, "k": d.k, "due": d.due, "principal": d.principal,
             "interest": d.interest}
            for d in schedule
        )  # fmt: skip
        loan = _DemoLoan(
            id=loan_id,
            number=number,
            saver=saver,
            principal=principal,
            method=offer.method,
            schedule=schedule,
            total=planned.total_paid,
            behaviour=offer.behaviour,
            plan=[],
        )
        loan.plan = self._payment_plan(loan, offer)
        self.running.append(loan)
        saver.running_loans += 1
        if offer.behaviour == MACET_BAYAR:
            saver.no_more_loans = True
        key = offer.method
        self.loan_counts[key] = self.loan_counts.get(key, 0) + 1
        fees = provisi + admin
        lines = [
            Line(PINJAMAN_ANGGOTA, principal, member_id=saver.id, loan_id=loan_id),
            Line(KAS, -(principal - fees)),
        ]
        if fees:
            lines.append(
                Line(loan_service.PROVISI_ADMIN, -fees, member_id=saver.id, loan_id=loan_id)
            )
        entry = Entry(
            date=on,
            kind="PC",
            memo=(
                f"Pencairan pinjaman {number} {saver.number} {saver.name} "
                f"({METHOD_LABELS[offer.method]}, {offer.months} bulan)"
            ),
            member_id=saver.id,
            lines=lines,
        )
        assert self._affordable(entry)
        return entry

    def _payment_plan(self, loan: _DemoLoan, offer: _LoanOffer) -> list[tuple[date, int]]:
        """When and how much the member will pay (amount -1: the payoff), by behaviour."""
        rng = self.loan_rng
        schedule = loan.schedule
        n = len(schedule)
        behaviour = offer.behaviour
        if behaviour == LUNAS_CEPAT and n < 3:
            behaviour = TEPAT
        plan: list[tuple[date, int]] = []

        def at(due: date, days: int) -> date:
            # Never before the month the installment falls due in (nor the disbursement).
            return max(due + timedelta(days=days), due.replace(day=1))

        if behaviour == TEPAT:
            for inst in schedule:
                days = rng.randint(5, 25) if rng.random() < 0.06 else rng.randint(-3, 2)
                plan.append((at(inst.due, days), inst.amount))
        elif behaviour == TERLAMBAT:
            carry = 0
            for k, inst in enumerate(schedule, start=1):
                carry += inst.amount
                if k < n and rng.random() < 0.12:
                    continue  # skips a month, pays two next time
                plan.append((at(inst.due, rng.randint(3, 45)), carry))
                carry = 0
        elif behaviour == SEBAGIAN:
            carry = 0
            for k, inst in enumerate(schedule, start=1):
                carry += inst.amount
                pay = carry
                if k < n and rng.random() < 0.45:
                    pay = _round_down(int(carry * rng.uniform(0.3, 0.8)), 1_000)
                if pay:
                    plan.append((at(inst.due, rng.randint(0, 20)), pay))
                    carry -= pay
            if carry:
                plan.append((schedule[-1].due + timedelta(days=rng.randint(20, 90)), carry))
        elif behaviour == LUNAS_CEPAT:
            last_k = offer.payoff_k or rng.randint(2, n - 1)
            for inst in schedule[: last_k - 1]:
                plan.append((at(inst.due, rng.randint(-3, 2)), inst.amount))
            payoff_on = at(schedule[last_k - 1].due, -rng.randint(0, 20))
            if plan:
                payoff_on = max(payoff_on, max(on for on, _amount in plan))
            plan.sort(key=lambda p: p[0])
            plan.append((payoff_on, -1))
            return plan
        else:  # MACET_BAYAR: pays for a while, then stops
            stop = offer.stop_k or rng.randint(1, max(1, n * 2 // 3))
            for inst in schedule[: stop - 1]:
                days = rng.randint(-3, 2) if offer.placed else rng.randint(0, 30)
                plan.append((at(inst.due, days), inst.amount))
            if offer.placed:
                loan.write_off_on, loan.recover_on = offer.write_off_on, offer.recover_on
            else:
                if rng.random() < 0.3:
                    share = rng.uniform(0.2, 0.5)
                    last = _round_down(int(schedule[stop - 1].amount * share), 1_000)
                    if last:
                        plan.append((schedule[stop - 1].due + timedelta(rng.randint(10, 60)), last))
                loan.write_off_days = rng.randint(330, 600)
                if rng.random() < 0.35:
                    loan.recover_days = rng.randint(60, 500)
        plan.sort(key=lambda p: p[0])
        return plan

    def _states(self, loan: _DemoLoan) -> list[Any]:
        """The installments not yet fully paid, as ``loans.installment_states`` sees them."""
        return fill(loan.schedule[loan.first_open :], loan.repaid - loan.before_open)

    def _paid(self, loan: _DemoLoan, amount: int, principal: int) -> None:
        loan.repaid += amount
        loan.principal_paid += principal
        schedule = loan.schedule
        while (
            loan.first_open < len(schedule)
            and loan.before_open + schedule[loan.first_open].amount <= loan.repaid
        ):
            loan.before_open += schedule[loan.first_open].amount
            loan.first_open += 1

    def _loan_lines(
        self, loan: _DemoLoan, cash: int, interest: int, principal: int, fine: int
    ) -> list[Line]:
        member_id = loan.saver.id
        lines = [Line(KAS, cash)]
        if interest:
            lines.append(
                Line(loan_service.JASA_PINJAMAN, -interest, member_id=member_id, loan_id=loan.id)
            )
        if principal:
            lines.append(Line(PINJAMAN_ANGGOTA, -principal, member_id=member_id, loan_id=loan.id))
        if fine:
            lines.append(Line(loan_service.DENDA, -fine, member_id=member_id, loan_id=loan.id))
        return lines

    def _repayment(self, loan: _DemoLoan, on: date, amount: int) -> Entry | None:
        """As ``loans.repay``: oldest installment first, interest before principal; denda."""
        amount = min(amount, loan.total - loan.repaid)
        if amount <= 0:
            return None
        rng = self.loan_rng
        states = self._states(loan)
        parts = allocate_payment(states, amount)
        interest = sum(p.interest for p in parts)
        principal = sum(p.principal for p in parts)
        fine, waived = 0, ""
        config = self.loan_config
        if states and (on - states[0].due).days > config.penalty_grace_days:
            proposed = penalty(
                parts,
                states,
                on,
                daily_rate=config.penalty_daily_rate,
                grace_days=config.penalty_grace_days,
            )
            if proposed:
                if rng.random() < (0.5 if loan.behaviour == TERLAMBAT else 0.3):
                    fine = proposed
                else:
                    waived = rng.choice(WAIVER_REASONS)
        self._paid(loan, amount, principal)
        saver = loan.saver
        ks = ", ".join(str(p.k) for p in parts)
        memo = f"Angsuran {loan.number} {saver.number} {saver.name} (angsuran ke-{ks})"
        if waived:
            memo += f"; denda dibebaskan: {waived}"
        entry = Entry(
            date=on,
            kind="AN",
            memo=memo,
            member_id=saver.id,
            lines=self._loan_lines(loan, amount + fine, interest, principal, fine),
        )
        if loan.repaid == loan.total:
            self._close(loan, PAID_OFF, on)
        return entry

    def _payoff(self, loan: _DemoLoan, on: date) -> Entry:
        """As ``loans.pay_off``: principal left + interest due + the next installment's."""
        states = self._states(loan)
        principal = sum(s.unpaid_principal for s in states)
        interest = sum(s.unpaid_interest for s in states if s.due <= on)
        later = [s.unpaid_interest for s in states if s.due > on and s.unpaid_interest]
        if self.loan_config.waive_future_interest_on_payoff:
            interest += later[0] if later else 0
        else:
            interest += sum(later)
        self._paid(loan, interest + principal, principal)
        saver = loan.saver
        entry = Entry(
            date=on,
            kind="AN",
            memo=f"Pelunasan pinjaman {loan.number} {saver.number} {saver.name}",
            member_id=saver.id,
            lines=self._loan_lines(loan, interest + principal, interest, principal, 0),
        )
        self._close(loan, PAID_OFF, on)
        return entry

    def _write_off_date(self, loan: _DemoLoan) -> date | None:
        if loan.write_off_on is not None:
            return loan.write_off_on
        if not loan.write_off_days or loan.pos < len(loan.plan):
            return None
        return loan.schedule[loan.first_open].due + timedelta(days=loan.write_off_days)

    def _write_off(self, loan: _DemoLoan, on: date) -> Entry:
        """As ``loans.write_off`` of a Macet loan: Dr 1-139 CKPN, Cr 1-131."""
        oldest = loan.schedule[loan.first_open].due
        assert (on - oldest).days > self.loan_config.classification.dpd_limits[2], loan.number
        left = loan.principal - loan.principal_paid
        saver = loan.saver
        entry = Entry(
            date=on,
            kind="HB",
            memo=(
                f"Hapus buku pinjaman {loan.number} {saver.number} {saver.name}: {WRITE_OFF_REASON}"
            ),
            member_id=saver.id,
            lines=[
                Line(loan_service.CKPN, left, member_id=saver.id, loan_id=loan.id),
                Line(PINJAMAN_ANGGOTA, -left, member_id=saver.id, loan_id=loan.id),
            ],
        )
        self.ckpn_booked -= left
        self._close(loan, WRITTEN_OFF, on)
        if loan.recover_days and loan.recover_on is None:
            loan.recover_on = on + timedelta(days=loan.recover_days)
        if loan.recover_on is not None:
            share = self.loan_rng.uniform(0.1, 0.4)
            loan.recover_amount = min(left, max(50_000, _round_down(int(left * share), 50_000)))
            self.written_off.append(loan)
        audit.record(
            self.session,
            by=USER,
            action="pinjaman.hapus_buku",
            entity="loan",
            entity_id=loan.id,
            after={"status": WRITTEN_OFF, "principal": left},
            note=WRITE_OFF_REASON,
        )
        return entry

    def _recovery(self, loan: _DemoLoan, on: date) -> Entry:
        """As ``loans.recover``: Dr Kas, Cr 4-902."""
        amount = loan.recover_amount
        saver = loan.saver
        self.loan_counts["pemulihan"] = self.loan_counts.get("pemulihan", 0) + 1
        return Entry(
            date=on,
            kind="KM",
            memo=(f"Penerimaan pinjaman dihapusbukukan {loan.number} {saver.number} {saver.name}"),
            member_id=saver.id,
            lines=[
                Line(KAS, amount),
                Line(loan_service.RECOVERY, -amount, member_id=saver.id, loan_id=loan.id),
            ],
        )

    def _close(self, loan: _DemoLoan, status: str, on: date) -> None:
        loan.status = status
        saver = loan.saver
        saver.running_loans -= 1
        self.pending_closings.append({"b_id": loan.id, "b_status": status, "b_closed": on})
        self.loan_counts[status] = self.loan_counts.get(status, 0) + 1
        if status == PAID_OFF and not saver.no_more_loans and self.loan_rng.random() < 0.9:
            saver.next_loan = _month_index(on) + self.loan_rng.randint(0, 4)

    def _allowance(self, on: date) -> list[Entry]:
        """The year-end PPAP entry (DOMAIN.md 3.3): required allowance less what is booked."""
        classification = self.loan_config.classification
        required = 0
        for loan in self.running:
            left = loan.principal - loan.principal_paid
            if left <= 0:
                continue
            oldest = loan.schedule[loan.first_open].due
            dpd = (on - oldest).days if oldest < on else 0
            required += apply_rate(left, classification.ppap_rate(classification.classify(dpd)))
        difference = required - self.ckpn_booked
        self.ckpn_booked = required
        if difference == 0:
            return []
        memo = f"Penyisihan kerugian pinjaman (PPAP) tahun buku {on.year}"
        if difference > 0:
            lines = [Line("5-104", difference), Line(loan_service.CKPN, -difference)]
        else:
            memo = f"Penyesuaian cadangan kerugian pinjaman (PPAP) tahun buku {on.year}"
            lines = [Line(loan_service.CKPN, -difference), Line("5-104", difference)]
        return [Entry(date=on, kind="JU", memo=memo, lines=lines)]

    def _flush_loans(self) -> None:
        """New loans and their schedules (before the entries that name them), then closings."""
        session = self.session
        if self.pending_loans:
            by_year: dict[int, list[int]] = {}
            for row in self.pending_loans:
                _p, year, serial = row["number"].split("-")
                by_year.setdefault(int(year), []).append(int(serial))
            for year, serials in by_year.items():
                first = sequences.reserve(session, "P", year, len(serials))
                assert first == serials[0], (year, first, serials[0])
            session.execute(insert(Loan.__table__), self.pending_loans)  # type: ignore[arg-type]
            session.execute(
                insert(LoanInstallment.__table__),  # type: ignore[arg-type]
                self.pending_installments,
            )
            self.pending_loans = []
            self.pending_installments = []
        if self.pending_closings:
            table = Loan.__table__
            session.execute(
                update(table)  # type: ignore[arg-type]
                .where(table.c.id == bindparam("b_id"))
                .values(status=bindparam("b_status"), closed_on=bindparam("b_closed")),
                self.pending_closings,
            )
            self.pending_closings = []


def _clamp_day(month_day: date, day: int, low: date) -> date:
    """Day ``day`` (1..31) of ``month_day``'s month, not before ``low``."""
    last = dates.month_end(month_day).day
    on = month_day.replace(day=max(1, min(day, last)))
    return max(on, low)
