"""Lumbung: bookkeeping for a village cooperative (Koperasi Desa Merah Putih)."""

__version__ = "0.1.0"
