"""Read source files (.txt, .docx) into :class:`RawDocument` objects.

The only module that knows about text encodings and python-docx. Pure: it
reads the file it is given and never writes, prints or logs; everything a
maintainer should know comes back as :class:`Problem` data.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from reportkb.errors import SourceError
from reportkb.model import INFO, WARNING, Line, Problem, RawDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".docx")

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
UTF8_NAMES = ("utf-8", "utf-8-sig")
MAX_BAD_RATIO = 0.05     # share of control/unassigned/private-use chars a real text may hold
MIN_PLAIN_RATIO = 0.9    # a charset-normalizer guess must read as mostly ASCII/CJK
MIN_GB2312_RATIO = 0.8   # below this, gb18030 output looks like Big5 read as GBK
NEAR_UTF8_RATIO = 0.01   # this few bad bytes in UTF-8: report them rather than guess
# Characters that are never control, unassigned, private-use or surrogate (checked in tests).
SURELY_GOOD_RE = re.compile(r"[\t\n\v\f\r\x20-\x7e\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffbe]+")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")  # not str.splitlines(): \x0c, \x1c, U+2028 stay text
PLAIN_RE = re.compile(r"[\x20-\x7e\s\u00b7\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u2500-\u25ff"
                      r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# The GB2312 hanzi (rows 16-87): real simplified text stays almost entirely inside them.
# errors="replace" only marks the few empty code points, which are then dropped.
GB2312_HANZI = frozenset(bytes((a, b)).decode("gb2312", "replace")
                         for a in range(0xB0, 0xF8) for b in range(0xA1, 0xFF)) - {"\ufffd"}

MAX_DOCX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all zip members
MAX_DOCX_RATIO = 100                # compression ratio refused for members ...
RATIO_MIN_SIZE = 10 * 1024 * 1024   # ... larger than this
MAX_FILE_BYTES = 50 * 1024 * 1024  # .docx (images make them big); bounds memory and time
MAX_TEXT_BYTES = 5 * 1024 * 1024   # .txt: a report is 5-50 KB; 5 MB is a hundred reports or a wrong file
SKIPPED_PREFIXES = (".", "~$")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"    # old binary .doc/.wps renamed to .docx
W_VAL = qn("w:val")
HEADING_RE = re.compile(r"^\s*(?:heading|标题)\s*([1-9])\s*$", re.IGNORECASE)
LABEL_FIELD_RE = re.compile(r"%([1-9])")
# Runs of a paragraph including those in insertions, content controls and smart
# tags (python-docx's paragraph.text sees only w:r and w:hyperlink); deleted
# text and text boxes are not part of the reading order.
RUN_XPATH = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"

ADVICE_WORD = "请用 Word 或 WPS 打开后另存为 .docx"
ADVICE_PDF = "请复制正文另存为 .txt（UTF-8）或转换为 .docx"
ADVICE_IMAGE = "图片无法读取文字，请提供 .docx 或 .txt"
ADVICE_OTHER = "仅支持 .txt 和 .docx，请转换格式"
UNSUPPORTED = {  # suffix -> (what it is, what to do)
    ".doc": ("旧版 Word 文档", ADVICE_WORD),
    **dict.fromkeys((".docm", ".dot", ".dotx"), ("Word 模板或宏文档", ADVICE_WORD)),
    **dict.fromkeys((".wps", ".wpt", ".rtf", ".odt"), ("文字处理文档", ADVICE_WORD)),
    ".pdf": ("PDF 文件", ADVICE_PDF),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"),
                    ("图片", ADVICE_IMAGE)),
}
RESAVE_DOCX = "请用 Word 打开后另存为 .docx 再放入 sources/。"

CN_DIGITS, CN_UNITS = "零一二三四五六七八九", ("", "十", "百", "千")
CN_LEGAL_DIGITS, CN_LEGAL_UNITS = "零壹贰叁肆伍陆柒捌玖", ("", "拾", "佰", "仟")
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
IDEOGRAPH_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


class IngestError(SourceError):
    """A SourceError that carries the Problem code to report."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def list_sources(root: Path) -> list[Path]:
    """Every entry under root that may be a report, sorted by POSIX relative path.

    Regular files, and symbolic links of any kind (to files, to folders,
    broken) so that :func:`read_source` can say what it did with them; other
    special files (FIFOs, sockets, devices) too, so they are reported rather
    than silently dropped. Folder links are not followed. Hidden names ('.')
    and Word's lock files ('~$') are skipped, files and folders.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(SKIPPED_PREFIXES)]
        for name in (*dirs, *files):
            path = here / name
            if name.startswith(SKIPPED_PREFIXES):
                continue
            if name in dirs and not path.is_symlink():
                continue  # walked into
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


@dataclass(frozen=True)
class SourceFile:
    """One entry of sources/ as read once per run: its name, content hash and read problems."""

    path: Path
    source: str
    """POSIX path relative to the sources folder."""
    sha256: str | None
    """Hash of the file's bytes; None when it could not be read (see ``problems``)."""
    problems: tuple[Problem, ...]


def scan_sources(root: Path) -> tuple[SourceFile, ...]:
    """Read and hash every source, in POSIX path order whatever order the folder lists them in.

    The bytes are not kept: a batch of large Word files must not sit in
    memory at once; what is parsed is read again.
    """
    scanned = []
    for path in list_sources(root):
        source, data, problems = read_bytes(path, root)
        sha = hashlib.sha256(data).hexdigest() if data is not None else None
        scanned.append(SourceFile(path, source, sha, tuple(problems)))
    return tuple(sorted(scanned, key=lambda f: f.path.relative_to(root).as_posix()))


def read_source(path: Path, root: Path) -> tuple[RawDocument | None, tuple[Problem, ...]]:
    """Read one file. Never raises for a bad file: returns (None, problems) instead."""
    source, data, problems = read_bytes(path, root)
    if data is None:
        return None, problems
    raw, found = decode_source(source, path.suffix.lower(), data)
    return raw, problems + found


def read_bytes(path: Path, root: Path) -> tuple[str, bytes | None, tuple[Problem, ...]]:
    """(source name, bytes or None, problems): every check made before a file's content is looked at.

    A link to a file that is read under its own name in ``root`` is skipped
    (read once); a link that leads out of ``root`` is refused and never read.
    """
    source, suffix = _relative(path, root), path.suffix.lower()
    notes: tuple[Problem, ...] = ()
    if not _encodable(source):  # a name in another encoding (e.g. from a zip made elsewhere)
        source = source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        notes = (Problem(source, None, WARNING, "bad-filename",
                         "文件名含有无法识别的字符（可能来自其他系统的压缩包），已照常读取："
                         "请把文件重命名为正常的中文或英文名称。"),)

    def refuse(code: str, message: str, level: str = WARNING) -> tuple[str, None, tuple[Problem, ...]]:
        return source, None, notes + (Problem(source, None, level, code, message),)

    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return refuse("symlink-broken", "是一个指向不存在文件的快捷方式（符号链接）：请删除它，把报告文件本身放入 sources/。")
        real_root = root.resolve()
        if not target.is_relative_to(real_root):
            return refuse("symlink-outside", "是指向 sources/ 之外的快捷方式（符号链接），为安全起见未读取："
                                             "请把报告文件本身复制到 sources/（可用 kb.py add）。")
        inner = target.relative_to(real_root)
        if target.is_dir():
            return refuse("symlink-inside", f"是指向 sources/ 内文件夹 {inner.as_posix()} 的链接，该文件夹中的报告已按原位置读取，此链接不再重复读取。", INFO)
        if not any(part.startswith(SKIPPED_PREFIXES) for part in inner.parts) and target.is_file():
            return refuse("symlink-inside", f"是指向 sources/ 内文件 {inner.as_posix()} 的链接，该报告已按原文件读取一次，此链接不再重复读取。", INFO)
        path = target
    if path.is_dir():
        return source, None, ()  # a plain folder handed in by mistake: list_sources walks into it
    if not path.is_file():
        return refuse("special-file", "不是普通文件（可能是管道或设备文件），未读取：请放入 .txt 或 .docx 报告文件。")
    if suffix not in SUPPORTED_SUFFIXES:
        kind, advice = UNSUPPORTED.get(suffix, ("未知类型", ADVICE_OTHER))
        return refuse("unsupported-format",
                      f"不支持的文件格式 {suffix or '（无扩展名）'}（{kind}）：{advice}，再放入 sources/。")
    try:
        size, limit = path.stat().st_size, MAX_TEXT_BYTES if suffix == ".txt" else MAX_FILE_BYTES
        if size > limit:
            return refuse("file-too-large", f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB），未读取："
                                            "一篇报告通常不足 1 MB，请检查是否放错了文件，或把其中的报告分别另存为 .txt。")
        data = path.read_bytes()
    except OSError as exc:
        return refuse("unreadable", f"无法读取文件（{exc.strerror}）：请检查文件权限，或关闭正在使用它的程序后重试。")
    return source, data, notes


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def decode_source(source: str, suffix: str, data: bytes) -> tuple[RawDocument | None, tuple[Problem, ...]]:
    """Decode the bytes of a supported file (.txt/.docx) into a RawDocument."""
    problems: list[Problem] = []
    try:
        if not data.strip():
            raise IngestError("empty-file", "文件是空的：请放入报告正文，或删除此文件。")
        if suffix == ".docx":
            lines, encoding = read_docx(data), "docx"
        else:
            text, encoding = decode_text(data)
            lines = _split_lines(text)
            if encoding not in UTF8_NAMES:
                problems.append(Problem(source, None, INFO, "encoding",
                                        f"按 {encoding.upper()} 编码读取；如有乱码，请另存为 UTF-8 后再放入 sources/。"))
    except SourceError as exc:
        return None, (Problem(source, None, WARNING, getattr(exc, "code", "unreadable"), str(exc)),)
    if not any(line.text.strip() for line in lines):
        return None, (Problem(source, None, WARNING, "empty-file", "文件中没有文字：请放入报告正文，或删除此文件。"),)
    return RawDocument(source, encoding, lines, hashlib.sha256(data).hexdigest()), tuple(problems)


def _relative(path: Path, root: Path) -> str:
    for p, r in ((path, root), (path.resolve(), root.resolve())):
        if p.is_relative_to(r):
            return p.relative_to(r).as_posix()
    return path.name  # not under root: the name alone still identifies it


def _split_lines(text: str) -> tuple[Line, ...]:
    parts = LINE_BREAK_RE.split(text)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a final newline ends the last line; it does not start a new one
    return tuple(Line(part, number) for number, part in enumerate(parts, 1))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes strictly; returns (text, encoding_name). Raises SourceError when nothing decodes cleanly."""
    for bom, name in BOMS:
        if data.startswith(bom):
            text = _try(data, name)
            if text is None:
                raise IngestError("encoding-broken", f"文件开头标明是 {name.upper()} 编码，但内容无法按此编码读取：请用记事本打开后另存为 UTF-8。")
            return text, name
    utf8 = _try(data, "utf-8")
    if utf8 is not None and _bad_ratio(utf8) <= MAX_BAD_RATIO:
        return utf8, "utf-8"
    if utf8 is None:
        _refuse_near_utf8(data)
    gb = _try(data, "gb18030")
    gb_ok = gb is not None and _bad_ratio(gb) <= MAX_BAD_RATIO
    if gb_ok and _gb2312_ratio(gb) >= MIN_GB2312_RATIO:
        return gb, "gb18030"
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:  # last resort (Big5, UTF-16 without BOM …), only if it reads as text
        name = codecs.lookup(best.encoding).name
        text = _try(data, name)
        if text is not None and _bad_ratio(text) <= MAX_BAD_RATIO \
                and len(PLAIN_RE.findall(text)) >= MIN_PLAIN_RATIO * len(text):
            return text, name
    if gb_ok:
        return gb, "gb18030"  # rare characters, but nothing reads better
    if 0 in data or utf8 is not None or gb is not None:  # decodes only into control characters
        raise IngestError("binary-file", "文件内容不是文字（可能是图片、压缩包等改了扩展名）：请提供 .txt 或 .docx 格式的报告正文。")
    raise IngestError("encoding-unknown", "无法识别文件的文字编码：请用记事本或 WPS 打开后另存为 UTF-8 编码的 .txt。")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _refuse_near_utf8(data: bytes) -> None:
    """UTF-8 with a few broken bytes: any other encoding would garble the whole file."""
    text = data.decode("utf-8", "replace")  # diagnosis only: locate the broken bytes
    wide = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if wide >= 10 and text.count("\ufffd") <= max(3, NEAR_UTF8_RATIO * len(text)):
        line = len(LINE_BREAK_RE.split(text[: text.index("\ufffd")]))
        raise IngestError("encoding-broken", f"文件基本是 UTF-8 编码，但第 {line} 行附近有无法识别的字节（可能被截断或混入其他编码）：请修正该行后另存为 UTF-8。")


def _bad_ratio(text: str) -> float:
    rest = SURELY_GOOD_RE.sub("", text)  # C speed; only the other characters are looked at one by one
    bad = sum(1 for ch in rest if ch == "\ufffd" or (
        unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f\v"))
    return bad / max(1, len(text))


def _gb2312_ratio(text: str) -> float:
    """Share of CJK ideographs in GB2312: near 1 for GB text, ~0.5 for Big5 read as GBK."""
    ideographs = HAN_RE.findall(text)
    return sum(map(GB2312_HANZI.__contains__, ideographs)) / len(ideographs) if ideographs else 1.0


def read_docx(data: bytes) -> tuple[Line, ...]:
    """Lines of a .docx body in reading order, automatic numbering prefixed.

    Line.number counts every paragraph (body and table cells, empty ones
    included), so it is Word's "第N段"; empty paragraphs yield no Line. A soft
    line break (w:br) splits a paragraph into several Lines that share its
    number; the numbering label goes before the first one.
    """
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _Styles(document)
        numbering = _Numbering(document, styles)
        lines: list[Line] = []
        for number, p in enumerate(_iter_paragraphs(document.element.body), 1):
            label = numbering.label(p)  # even for empty paragraphs: Word counts them too
            pieces = [s for s in "".join(r.text for r in p.xpath(RUN_XPATH)).split("\n") if s.strip()]
            if pieces:
                level = styles.heading_level(p)
                pieces[0] = label + pieces[0]
                lines.extend(Line(piece, number, level) for piece in pieces)
        return tuple(lines)
    except Exception as exc:  # python-docx, lxml and zipfile raise many types for a damaged file
        raise IngestError("docx-corrupt", f"Word 文件已损坏，无法读取：{RESAVE_DOCX}") from exc


def _check_zip(data: bytes) -> None:
    """Refuse non-zips, damaged zips and zip bombs before python-docx sees them."""
    if not data.startswith(b"PK"):
        what = "实际是旧版 .doc 文件" if data.startswith(OLE2_MAGIC) else "内容不是 Word 文档"
        raise IngestError("docx-not-zip", f"文件扩展名是 .docx，但{what}：{RESAVE_DOCX}")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise IngestError("docx-corrupt", f"Word 文件已损坏（压缩包不完整）：{RESAVE_DOCX}") from exc
    if "word/document.xml" not in {info.filename for info in infos}:
        raise IngestError("docx-corrupt", f"Word 文件缺少正文部分（word/document.xml）：{RESAVE_DOCX}")
    if sum(info.file_size for info in infos) > MAX_DOCX_TOTAL or any(
            info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_DOCX_RATIO * max(1, info.compress_size)
            for info in infos):
        raise IngestError("docx-too-large", "Word 文件解压后过大（超过 200 MB 或压缩比异常）：请删除其中的大图片等内容后另存为 .docx，或复制正文另存为 .txt。")


def _iter_paragraphs(container):
    """w:p elements in reading order; table cells row by row, each merged cell once."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield child
        elif child.tag == qn("w:tbl"):
            for tc in child.iterfind(f"{qn('w:tr')}/{qn('w:tc')}"):
                # A horizontal span is one w:tc; a vMerge continuation repeats the cell
                # above (python-docx hands back that cell's _tc), so it is skipped.
                merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                if merge is None or merge.get(W_VAL) == "restart":
                    yield from _iter_paragraphs(tc)
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _iter_paragraphs(child)


def _val(element, path: str) -> str | None:
    """w:val of the element at a w:-prefixed path below element, or None."""
    found = None if element is None else element.find("/".join(map(qn, path.split("/"))))
    return None if found is None else found.get(W_VAL)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


class _Styles:
    """Paragraph styles by id, with basedOn chains."""

    def __init__(self, document):
        self.by_id = {s.get(qn("w:styleId")): s for s in document.styles.element.iterchildren(qn("w:style"))}
        self.default = next((i for i, s in self.by_id.items() if s.get(qn("w:type")) == "paragraph"
                             and s.get(qn("w:default")) in ("1", "true", "on")), None)

    def chain(self, p) -> list:
        """The paragraph's style, then the styles it is based on (cycle-safe)."""
        style_id, chain = _val(p, "w:pPr/w:pStyle") or self.default, []
        while style_id in self.by_id and self.by_id[style_id] not in chain:
            chain.append(self.by_id[style_id])
            style_id = _val(chain[-1], "w:basedOn")
        return chain

    def heading_level(self, p) -> int | None:
        """1-based level from the heading style name or an outline level, direct or inherited."""
        for element in (p, *self.chain(p)):
            match = HEADING_RE.match(_val(element, "w:name") or "")
            outline = _val(element, "w:pPr/w:outlineLvl")
            if match:
                return int(match[1])
            if outline is not None:  # 0-based; 9 means body text
                return int(outline) + 1 if outline.isdigit() and int(outline) < 9 else None
        return None


class _Numbering:
    """The labels Word draws for automatic numbering (numbering.xml).

    Counters are kept per abstractNum, as Word does: w:num instances sharing an
    abstractNum continue each other's counting, and a num whose w:lvlOverride
    holds w:startOverride restarts those levels the first time it is used.
    The label is put straight before the text whatever w:suff says (tab, space
    or nothing): the parser accepts a mark directly followed by text, and
    Chinese labels such as 一、 or （一） end in punctuation anyway.
    """

    def __init__(self, document, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, object]] = {}  # abstractNumId -> ilvl -> w:lvl
        self.style_link: dict[str, str] = {}               # abstractNumId -> numbering style id
        self.num_abstract: dict[str, str | None] = {}
        self.overrides: dict[str, dict[int, tuple[int | None, object]]] = {}  # numId -> ilvl -> (start, w:lvl)
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            return
        for ab in root.iterchildren(qn("w:abstractNum")):
            key = ab.get(qn("w:abstractNumId"))
            self.abstract[key] = {int(lvl.get(qn("w:ilvl"), "0")): lvl for lvl in ab.iterchildren(qn("w:lvl"))}
            self.style_link[key] = _val(ab, "w:numStyleLink")
        for num in root.iterchildren(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            self.num_abstract[num_id] = _val(num, "w:abstractNumId")
            self.overrides[num_id] = {
                int(o.get(qn("w:ilvl"), "0")): (_int(_val(o, "w:startOverride")), o.find(qn("w:lvl")))
                for o in num.iterchildren(qn("w:lvlOverride"))}

    def _abstract_of(self, num_id: str | None) -> str | None:
        """abstractNum of a num, following w:numStyleLink to the list style's own list."""
        abstract = self.num_abstract.get(num_id)
        for _ in range(5):
            style = self.styles.by_id.get(self.style_link.get(abstract))
            if style is None:
                break
            abstract = self.num_abstract.get(_val(style, "w:pPr/w:numPr/w:numId"))
        return abstract

    def label(self, p) -> str:
        """Advance the counters for paragraph p and return its label ("" if none)."""
        num_id, ilvl = _val(p, "w:pPr/w:numPr/w:numId"), _int(_val(p, "w:pPr/w:numPr/w:ilvl"))
        if num_id is None:  # numbering inherited from the paragraph style
            for style in self.styles.chain(p):
                num_id = _val(style, "w:pPr/w:numPr/w:numId")
                if num_id is not None:
                    if ilvl is None:
                        ilvl = _int(_val(style, "w:pPr/w:numPr/w:ilvl"))
                    if ilvl is None:  # the level whose w:pStyle names this style
                        levels = self.abstract.get(self._abstract_of(num_id), {})
                        style_id = style.get(qn("w:styleId"))
                        ilvl = next((i for i, lvl in levels.items() if _val(lvl, "w:pStyle") == style_id), 0)
                    break
        abstract = self._abstract_of(num_id)
        if num_id in (None, "0") or abstract not in self.abstract:
            return ""
        ilvl, overrides = ilvl or 0, self.overrides.get(num_id, {})

        def lvl(i: int):
            replaced = overrides.get(i, (None, None))[1]  # lxml elements: test "is None", not truth
            return self.abstract[abstract].get(i) if replaced is None else replaced

        def start(i: int) -> int:
            override = overrides.get(i, (None, None))[0]
            return override if override is not None else _int(_val(lvl(i), "w:start")) or 0

        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.used:
            self.used.add(num_id)
            for i, (override, _) in overrides.items():
                if override is not None:
                    counters.pop(i, None)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [i for i in counters if i > ilvl]:
            restart = _int(_val(lvl(deeper), "w:lvlRestart"))  # 0: never restart
            if ilvl < (deeper if restart is None else restart):
                del counters[deeper]
        own = lvl(ilvl)
        if own is None or _num_fmt(own) == "bullet":
            return ""  # a bullet is no mark the parser could use
        legal = own.find(qn("w:isLgl")) is not None and _val(own, "w:isLgl") not in ("0", "false")

        def field(match: re.Match) -> str:
            i = int(match[1]) - 1
            if lvl(i) is None:
                return ""
            return _format_number(counters.get(i, start(i)), "decimal" if legal else _num_fmt(lvl(i)))

        return LABEL_FIELD_RE.sub(field, _val(own, "w:lvlText") or "")


def _num_fmt(lvl) -> str:
    """w:numFmt; inside mc:AlternateContent the last (Fallback) one is the plain format."""
    found = list(lvl.iter(qn("w:numFmt")))
    return (found[-1].get(W_VAL) if found else None) or "decimal"


def _chinese(n: int, digits: str = CN_DIGITS, units: tuple[str, ...] = CN_UNITS) -> str:
    """1→一, 10→十, 11→十一, 20→二十, 101→一百零一 (legal digits keep 壹拾)."""
    if not 0 < n < 10000:
        return digits[0] if n == 0 else str(n)
    out, gap = "", False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit:
            out, gap = out + (digits[0] if gap else "") + digits[digit] + units[power], False
        else:
            gap = bool(out)
    return out[1:] if digits == CN_DIGITS and 10 <= n < 20 else out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _enclosed(base: int, limit: int):
    return lambda n: chr(base + n - 1) if 1 <= n <= limit else str(n)


NUMBER_FORMATS = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "none": lambda n: "",
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
                     "taiwaneseCountingThousand", "japaneseCounting"), _chinese),
    "chineseLegalSimplified": lambda n: _chinese(n, CN_LEGAL_DIGITS, CN_LEGAL_UNITS),
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographZodiac": lambda n: "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12],
    "ideographDigital": lambda n: str(n).translate(IDEOGRAPH_DIGITS),
    **dict.fromkeys(("decimalFullWidth", "decimalFullWidth2"), lambda n: str(n).translate(FULL_WIDTH)),
    **dict.fromkeys(("decimalEnclosedCircle", "decimalEnclosedCircleChinese"), _enclosed(0x2460, 20)),
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "ideographEnclosedCircle": _enclosed(0x3280, 10),
    "upperRoman": _roman, "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: chr(65 + (n - 1) % 26) * ((n - 1) // 26 + 1),
    "lowerLetter": lambda n: chr(97 + (n - 1) % 26) * ((n - 1) // 26 + 1),
}


def _format_number(n: int, fmt: str) -> str:
    """Unknown formats fall back to decimal; only decimal and Chinese counting have a zero."""
    if n < 1 and fmt not in ("decimal", "decimalZero", "chineseCounting", "chineseCountingThousand"):
        return str(n)
    return NUMBER_FORMATS.get(fmt, str)(n)
