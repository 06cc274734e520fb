"""PDF rendering (reportlab): one stylesheet in ``style``, one module per document.

Renderers take frozen dataclasses and return bytes; they run no queries.
"""
