"""Checks an upload by what it really is, before anything is written.

Order: the name (no paths, no control characters) → the size → the real type from the
magic bytes (`filetype`; the name and the browser's declared type are ignored) → for
images, the pixel count (decompression bombs) then a re-encode with Pillow that drops
metadata (EXIF GPS, camera serials) → for PDFs, a parse with pypdf that refuses
encryption, JavaScript, automatic actions, launch actions and embedded files.

Every refusal is a `DomainError` with code `upload_*`, the message in the reader's
language and both languages in `details` (the API shows them side by side).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from satupintu.core.errors import DomainError
from satupintu.documents.models import JPEG, PDF, PNG, KindRule

# A 12-megapixel phone photo is 12e6 pixels; 40e6 leaves room for scanners at 600 dpi A4
# (~35e6) and stays far below what would exhaust memory when decoded (40e6 × 4 bytes).
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard: warns above, refuses at 2× this
MAX_NAME_LENGTH = 120
MAX_PDF_OBJECTS = 50_000

CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}

# What an unwanted file appears to be, in words a citizen understands.
FOUND_LABELS = {
    "exe": _("program (EXE)"), "elf": _("program (ELF)"), "dmg": _("program (DMG)"),
    "zip": _("arsip ZIP"), "rar": _("arsip RAR"), "7z": _("arsip 7Z"), "gz": _("arsip GZ"), "tar": _("arsip TAR"),
    "docx": _("dokumen Word (DOCX)"), "xlsx": _("lembar kerja Excel (XLSX)"), "pptx": _("presentasi (PPTX)"),
    "odt": _("dokumen ODT"), "rtf": _("dokumen RTF"), "gif": _("gambar GIF"), "webp": _("gambar WEBP"),
    "heic": _("foto HEIC (format bawaan iPhone)"), "bmp": _("gambar BMP"), "tif": _("gambar TIFF"),
    "mp4": _("video MP4"), "mov": _("video MOV"), "mp3": _("audio MP3"), "wav": _("audio WAV"),
}

BAD_PDF_KEYS = {
    "/JavaScript": "javascript", "/JS": "javascript", "/Launch": "launch", "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded", "/RichMedia": "embedded", "/AA": "auto_action", "/XFA": "javascript",
}
BAD_PDF_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/ImportData": "launch",
                   "/GoToE": "embedded", "/Rendition": "javascript"}


@dataclass
class CheckedFile:
    content: bytes
    ext: str
    content_type: str
    safe_name: str


def refuse(code: str, message, **params) -> DomainError:
    """A DomainError whose message is in the current language, with ID and EN in details."""

    def render(lang: str) -> str:
        with translation.override(lang):
            return str(message) % {k: str(v) for k, v in params.items()}

    return DomainError(render(translation.get_language() or "id"), code=code, field="file",
                       details={"message_id": render("id"), "message_en": render("en")})


def _accepted_label(types: tuple[str, ...]):
    if PDF in types:
        return _("PDF atau gambar JPEG/PNG")
    return _("gambar JPEG/PNG")


def _megabytes(n: int, *, up: bool = False) -> _Decimal:
    """Indonesian decimal comma; sizes round up so a file just over the limit never reads
    as equal to it ("5,1 MB", not "5 MB")."""
    value = n / (1024 * 1024)
    if up:
        value = math.ceil(value * 10) / 10
    return _Decimal(f"{value:.1f}".rstrip("0").rstrip("."))


class _Decimal(str):
    """A number rendered when the message is: "5,1" in Indonesian, "5.1" in English."""

    def __str__(self) -> str:
        plain = str.__str__(self)
        return plain if (translation.get_language() or "id").startswith("en") else plain.replace(".", ",")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_file_name(name: str, ext: str) -> str:
    """A display name: NFC, no paths or control characters, at most 120 characters, the
    extension of what the file really is."""
    if "/" in name or "\\" in name:
        raise refuse("upload_name_path", _("Nama berkas memuat folder atau garis miring (%(name)s). Ganti nama "
                                           "berkas agar tidak memuat tanda / atau \\, lalu unggah lagi."),
                     name=_CONTROL.sub("?", name)[:80])
    if _CONTROL.search(name or "") or any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name or ""):
        raise refuse("upload_name_control", _("Nama berkas memuat karakter tersembunyi yang tidak diizinkan. Ganti "
                                              "nama berkas dengan huruf, angka, spasi, titik, atau tanda hubung, lalu "
                                              "unggah lagi."))
    name = unicodedata.normalize("NFC", name or "")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r'[<>:"|?*;]', "_", stem).strip(" .") or "dokumen"
    stem = stem[: MAX_NAME_LENGTH - len(ext) - 1]
    return f"{stem}.{ext}"


def _read_limited(uploaded_file, rule: KindRule, kind_label) -> bytes:
    size = getattr(uploaded_file, "size", None)
    limit = rule.max_bytes
    if size is not None and size > limit:
        raise _too_big(size, limit, kind_label)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(len(data), limit, kind_label)
    if not data:
        raise refuse("upload_empty", _("Berkas kosong (0 byte). Pilih berkas yang benar lalu unggah lagi."))
    return data


def _too_big(size: int, limit: int, kind_label) -> DomainError:
    return refuse("upload_too_large", _("Berkas terlalu besar: %(size)s MB. Batas untuk %(kind)s adalah %(limit)s MB. "
                                        "Perkecil berkas (mis. pindai dengan resolusi lebih rendah) lalu unggah lagi."),
                  size=_megabytes(size, up=True), limit=_megabytes(limit), kind=kind_label)


def _detect(data: bytes, rule: KindRule) -> str:
    guess = filetype.guess(data[:8192])
    ext = guess.extension if guess else None
    ext = "jpg" if ext == "jpeg" else ext
    if ext in rule.types:
        return ext
    accepted = _accepted_label(rule.types)
    if ext is None:
        if data.lstrip()[:2] in (b"MZ",):
            found = FOUND_LABELS["exe"]
        else:
            raise refuse("upload_wrong_type", _("Berkas ini bukan %(accepted)s, dan jenisnya tidak dikenali. Simpan "
                                                "atau pindai ulang sebagai %(accepted)s, lalu unggah lagi."),
                         accepted=accepted)
    else:
        found = FOUND_LABELS.get(ext) or (_("berkas %(ext)s") % {"ext": ext.upper()})
    if ext in (PDF, JPEG, PNG):  # a type we know, but not for this kind (a PDF as pas foto)
        raise refuse("upload_wrong_type", _("Untuk dokumen ini hanya %(accepted)s yang diterima; yang Anda unggah "
                                            "adalah %(found)s."), accepted=accepted, found=ext.upper())
    raise refuse("upload_wrong_type", _("Berkas ini bukan %(accepted)s; yang Anda unggah tampaknya %(found)s."),
                 accepted=accepted, found=found)


def _bomb() -> DomainError:
    return refuse("upload_image_too_many_pixels",
                  _("Gambar ini terlalu besar ukurannya (lebih dari %(mp)s juta piksel) dan ditolak demi keamanan. "
                    "Perkecil resolusi foto atau pindaian lalu unggah lagi."), mp=MAX_PIXELS // 1_000_000)


def _reencode_image(data: bytes, ext: str) -> bytes:
    broken = refuse("upload_image_broken", _("Gambar ini rusak atau tidak dapat dibaca. Ambil foto atau pindai ulang "
                                             "dokumen, lalu unggah lagi."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:  # explicit check before any pixel is decoded
                    raise _bomb()
                # WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES process-wide; verify()
                # still reads every chunk, so a cut-off upload is refused, not padded grey.
                img.verify()
            with Image.open(io.BytesIO(data)) as img:
                img.seek(0)
                img.load()
                img = ImageOps.exif_transpose(img)  # keep the orientation the EXIF tag asked for
                out = io.BytesIO()
                if ext == JPEG:
                    if img.mode not in ("RGB", "L"):
                        img = img.convert("RGB")
                    img.save(out, format="JPEG", quality=90, optimize=True)  # no exif=, no icc: metadata dropped
                else:
                    if img.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                        img = img.convert("RGBA")
                    img.save(out, format="PNG", optimize=True)
                return out.getvalue()
        except DomainError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            raise broken from exc


def _pdf_problem(reader) -> str | None:
    """Walk every object reachable from the trailer; the first dangerous feature found."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    root = reader.trailer["/Root"].get_object()
    open_action = root.get("/OpenAction")
    if open_action is not None and isinstance(open_action.get_object(), DictionaryObject):
        return "auto_action"  # an action on open; a plain destination array (zoom/page) is harmless
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        count += 1
        if count > MAX_PDF_OBJECTS:
            return "too_complex"
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in BAD_PDF_KEYS:
                    return BAD_PDF_KEYS[key]
                if key == "/S" and isinstance(value, NameObject) and value in BAD_PDF_ACTIONS:
                    return BAD_PDF_ACTIONS[value]
                if key == "/Parent":
                    continue
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


PDF_PROBLEMS = {
    "javascript": _("PDF ini berisi JavaScript"),
    "auto_action": _("PDF ini berisi aksi otomatis yang berjalan saat dibuka"),
    "launch": _("PDF ini mencoba menjalankan program lain"),
    "embedded": _("PDF ini berisi berkas sisipan"),
    "too_complex": _("PDF ini terlalu rumit untuk diperiksa"),
}


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise refuse("upload_pdf_encrypted", _("PDF ini dikunci dengan kata sandi atau terenkripsi. Buka kuncinya "
                                                   "atau simpan ulang tanpa kata sandi, lalu unggah lagi."))
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        problem = _pdf_problem(reader)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        raise refuse("upload_pdf_broken", _("PDF ini rusak atau tidak dapat dibuka. Simpan ulang atau pindai ulang "
                                            "dokumen sebagai PDF, lalu unggah lagi.")) from exc
    if problem:
        raise refuse("upload_pdf_active_content",
                     _("%(problem)s dan ditolak demi keamanan. Cetak ulang dokumen ke PDF biasa (menu Cetak → "
                       "Simpan sebagai PDF) atau pindai ulang, lalu unggah lagi."), problem=PDF_PROBLEMS[problem])


def check_upload(uploaded_file, rule: KindRule, kind_label) -> CheckedFile:
    """Inspect and normalise an upload; raise DomainError before anything is written."""
    raw_name = getattr(uploaded_file, "name", "") or ""
    safe_file_name(raw_name, "x")  # refuse bad names first (cheap, and says exactly what to fix)
    data = _read_limited(uploaded_file, rule, kind_label)
    ext = _detect(data, rule)
    if ext == PDF:
        _check_pdf(data)
        content = data  # PDFs are kept byte for byte: a signed PDF must stay signed
    else:
        content = _reencode_image(data, ext)
    return CheckedFile(content=content, ext=ext, content_type=CONTENT_TYPES[ext],
                       safe_name=safe_file_name(raw_name, ext))
