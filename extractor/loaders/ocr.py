"""OCR of scanned PDF pages with Tesseract (optional: the ``ocr`` extra and Debian's tesseract-ocr)."""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

INSTALL_HINT = "install Tesseract (apt-get install tesseract-ocr) and pytesseract to OCR it"
RENDER_DPI = 300  # Tesseract reads body text best at about 300 dpi


@lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """None when OCR can run here, else what to install."""
    try:
        import pytesseract
    except ImportError:
        return INSTALL_HINT
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return INSTALL_HINT
    try:
        pytesseract.get_tesseract_version()
    except Exception:  # a broken install reads as no install
        return INSTALL_HINT
    return None


def read_pages(pdf, indices: list[int], dpi: int = RENDER_DPI) -> list[list]:
    """The pages at ``indices`` rendered and read by Tesseract: prose ``Line`` lists in points.

    Pages are rendered one at a time (PDFium is not thread-safe) and read by
    Tesseract processes side by side, one per core.
    """
    images = [_render(pdf, index, dpi) for index in indices]
    workers = max(1, min(len(images), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda image: _read_image(image, dpi / 72), images))


def _render(pdf, index: int, dpi: int):
    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        try:
            return bitmap.to_pil().copy()
        finally:
            bitmap.close()
    finally:
        page.close()


def _read_image(image, scale: float) -> list:
    import pytesseract

    from .pdf import Line, clean_line

    data = pytesseract.image_to_data(image, output_type=pytesseract.Output.DICT)
    words: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip() and float(data["conf"][i]) >= 0:
            words.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for indices in words.values():
        text = clean_line(" ".join(data["text"][i] for i in indices))
        if not text:
            continue
        x0 = min(data["left"][i] for i in indices) / scale
        x1 = max(data["left"][i] + data["width"][i] for i in indices) / scale
        top = min(data["top"][i] for i in indices) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in indices) / scale
        lines.append(Line(text, x0, top, x1, bottom, size=bottom - top))
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines
