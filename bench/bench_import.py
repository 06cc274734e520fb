"""Import benchmark (issue 7): prints figures, asserts nothing.

    python bench/bench_import.py                 # 5.000 members, 2.000 loans, 200.000 transactions
    python bench/bench_import.py --quick         # a tenth of that

Builds a synthetic import workbook (valid NIKs, a balanced Saldo Awal on
31/12/2024 with 1.000 migrated loans, 1.000 loans disbursed in 2025, wajib,
sukarela in and out, installments on their due dates, income and expenses),
then runs ``lumbung import --dry-run`` and ``lumbung import`` on a fresh book,
each in its own process so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CUTOVER = date(2024, 12, 31)


def build_workbook(path: Path, members: int, loans: int, transactions: int, seed: int) -> None:
    from decimal import Decimal

    from openpyxl import Workbook

    from app.services.import_template import HEADERS
    from app.services.schedule import build_schedule

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    sheets = {name: wb.create_sheet(name) for name in HEADERS}
    for name, ws in sheets.items():
        ws.append(list(HEADERS[name]))

    joined: dict[str, date] = {}
    sukarela: dict[str, int] = {}
    for i in range(1, members + 1):
        number = f"{i:04d}"
        sex = rng.choice("LP")
        born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000))
        day = born.day + (40 if sex == "P" else 0)
        nik = f"3216{rng.randint(1, 30):02d}{day:02d}{born.month:02d}{born.year % 100:02d}{i:04d}"
        new = i > members * 9 // 10
        joined[number] = (
            date(2025, rng.randint(1, 6), rng.randint(1, 28))
            if new
            else date(2015, 1, 1) + timedelta(days=rng.randint(0, 3500))
        )
        sheets["Anggota"].append(
            [number, nik, f"Anggota {i}", sex, "Bekasi", born, "Kp. Sukamaju", "001", "002",
             "Sukamaju", "Petani", f"0812{i:08d}", joined[number]]
        )  # fmt: skip
        sukarela[number] = 0 if new else rng.randrange(0, 2_000_000, 5_000)

    opening_total = 0
    for number, when in joined.items():
        if when > CUTOVER:
            continue
        wajib = 20_000 * rng.randint(10, 100)
        for code, amount in (("3-101", 50_000), ("3-102", wajib), ("2-101", sukarela[number])):
            if amount:
                sheets["Saldo Awal"].append([CUTOVER, code, number, amount])
                opening_total += amount

    events: list[tuple[date, int, list[object]]] = []
    remaining_total = 0
    old_members = [n for n, d in joined.items() if d < CUTOVER]
    for k in range(1, loans + 1):
        migrated = k <= loans // 2
        member = rng.choice(old_members)
        method = rng.choice(("flat", "menurun", "anuitas"))
        principal = rng.randrange(1_000_000, 20_000_000, 100_000)
        rate = rng.choice((Decimal("1"), Decimal("1.25"), Decimal("1.5"), Decimal("2")))
        months = rng.choice((6, 10, 12, 18, 24))
        if migrated:
            start = max(CUTOVER - timedelta(days=rng.randint(30, 360)), joined[member])
            number = f"P-{start.year}-{k:04d}"
        else:
            start = date(2025, rng.randint(1, 10), rng.randint(1, 28))
            number = f"P-2025-{k:04d}"
        schedule = build_schedule(principal, rate / 100, months, method, start)
        paid = sum(1 for i in schedule.installments if i.due <= CUTOVER) if migrated else 0
        if paid:
            remaining_total += schedule.installments[paid - 1].principal_left
        elif migrated:
            remaining_total += principal
        fees = 0 if migrated else principal // 100
        sheets["Pinjaman"].append(
            [number, member, start, principal, float(rate), method, months, fees, 0, paid]
        )
        for inst in schedule.installments[paid:]:
            if CUTOVER < inst.due <= date(2025, 12, 31):
                events.append((inst.due, 0, [inst.due, "ANGSURAN", None, number, None,
                                             inst.amount, None]))  # fmt: skip

    for number, when in joined.items():
        if when > CUTOVER:
            events.append((when, -1, [when, "SETOR_POKOK", number, None, None, 50_000, None]))
    per_member = max(1, (transactions - len(events)) // members)
    for number, when in joined.items():
        start = max(when, date(2025, 1, 1))
        days = sorted(
            start + timedelta(days=rng.randint(0, (date(2025, 12, 31) - start).days))
            for _ in range(per_member)
        )
        balance = sukarela[number]
        for n, day in enumerate(days):
            if n % 3 == 0:
                row = [day, "SETOR_WAJIB", number, None, None, 20_000, None]
            elif n % 3 == 1 or balance < 10_000:
                amount = rng.randrange(10_000, 500_000, 5_000)
                balance += amount
                row = [day, "SETOR_SUKARELA", number, None, None, amount, None]
            else:
                amount = rng.randrange(5_000, balance + 1, 5_000)
                balance -= amount
                row = [day, "TARIK_SUKARELA", number, None, None, amount, None]
            events.append((day, 1, row))
    for month in range(1, 13):
        day = date(2025, month, 25)
        events.append((day, 2, [day, "BEBAN", None, None, "5-301", 3_000_000, "Honor"]))
        events.append((day, 2, [day, "PENDAPATAN", None, None, "4-901", 150_000, "Bunga"]))
    events.sort(key=lambda e: (e[0], e[1]))
    for _day, _order, row in events:
        sheets["Transaksi"].append(row)

    cadangan = 500_000_000
    cash = opening_total + cadangan - remaining_total
    sheets["Saldo Awal"].append([CUTOVER, "1-101", None, cash])
    sheets["Saldo Awal"].append([CUTOVER, "1-131", None, remaining_total])
    sheets["Saldo Awal"].append([CUTOVER, "3-201", None, cadangan])
    wb.save(path)
    print(f"workbook: {len(events)} transactions, {loans} loans, {members} members")


def run(*args: object) -> tuple[float, float, str]:
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "main.py", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if child.returncode != 0:
        print(child.stdout[-2000:], child.stderr[-4000:])
        raise SystemExit(f"{args[2]} failed with {child.returncode}")
    return elapsed, peak, child.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    scale = 10 if options.quick else 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        xlsx = folder / "impor.xlsx"
        started = time.perf_counter()
        build_workbook(xlsx, 5_000 // scale, 2_000 // scale, 200_000 // scale, options.seed)
        print(f"build workbook: {time.perf_counter() - started:.1f} s, "
              f"{xlsx.stat().st_size / 1e6:.1f} MB")  # fmt: skip
        book = folder / "buku.sqlite"
        run("--db", book, "init", "--name", "Bench")
        figures = {}
        # RUSAGE_CHILDREN is the largest child so far: the dry run goes first, the
        # import after it; an import peak below the dry run's would show the same figure.
        figures["dry_run_s"], figures["dry_run_peak_mb"], _ = run(
            "--db", book, "import", xlsx, "--dry-run"
        )
        figures["import_s"], figures["import_peak_mb"], out = run("--db", book, "import", xlsx)
        print(out.splitlines()[0])
        print("BENCH-RESULT " + json.dumps({k: round(v, 1) for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
