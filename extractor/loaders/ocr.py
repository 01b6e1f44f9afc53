"""OCR of scanned PDF pages with Tesseract (optional: the ``ocr`` extra and Debian's tesseract-ocr)."""
from __future__ import annotations

import shutil
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


def read_page(pdf, index: int) -> list:
    """One page rendered and read by Tesseract, as prose ``Line`` objects in points."""
    import pytesseract

    from .pdf import Line, clean_line

    page = pdf[index]
    try:
        scale = RENDER_DPI / 72
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()
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
