"""The zip package of a .docx: checks from the zip directory, the parts found through relationships, bounded reads.

Nothing is decompressed before the zip directory has been checked, and no
part is read beyond its bound: sizes are checked from the directory first and
counted again while the bytes stream out, so a directory that lies about them
cannot make a read longer.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from reportkb.stages.ingest.common import IngestError

MB = 1024 * 1024
MAX_DOCX_TOTAL = 200 * MB  # uncompressed bytes of all zip members
MAX_DOCX_RATIO = 100       # compression ratio refused for members ...
RATIO_MIN_SIZE = 10 * MB   # ... larger than this
MAX_MAIN_PART = 32 * MB    # the document body, read as a stream: far above any report's markup
MAX_SIDE_PART = 8 * MB     # styles, numbering, notes: parsed whole
MAX_PACKAGE_XML = 1 * MB   # [Content_Types].xml and .rels files
MAX_MEMBERS = 10_000       # zip members; a report with many pictures has a few hundred
READ_RELATIONSHIPS = (RT.STYLES, RT.NUMBERING, RT.FOOTNOTES, RT.ENDNOTES)  # of the main part: what the reader uses
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .doc/.wps renamed to .docx
RESAVE_DOCX = "请用 Word 打开后另存为 .docx 再放入 sources/。"
TOO_LARGE_ADVICE = "请删除其中的大图片等内容后另存为 .docx，或复制正文另存为 .txt。"
PART_ADVICE = "请检查是否放错了文件；如确是报告，请用 Word 另存为新的 .docx，或复制正文另存为 .txt。"
# Strict Open XML names the main part's relationship differently; python-docx cannot read
# such files, but finding their main part lets the message say what they are.
OFFICE_DOCUMENT = (RT.OFFICE_DOCUMENT, "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument")
WORD_VARIANTS = {  # main-part content types of Word files that are not plain documents
    "application/vnd.ms-word.document.macroEnabled.main+xml": "启用宏的 Word 文档（.docm）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "Word 模板（.dotx）",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "启用宏的 Word 模板（.dotm）",
}
OTHER_OFFICE = {"spreadsheetml": "Excel 表格", "presentationml": "PowerPoint 演示文稿"}
PKG = "{http://schemas.openxmlformats.org/package/2006/"
# The package's own small XML files: no entities, no network, no huge text nodes.
PLAIN_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def corrupt(detail: str = "") -> IngestError:
    return IngestError("docx-corrupt", f"Word 文件已损坏{detail}，无法读取：{RESAVE_DOCX}")


class BoundedStream:
    """A zip member read as a stream that refuses to yield more than ``limit`` bytes in all."""

    def __init__(self, member, name: str, limit: int):
        self.member, self.name, self.limit, self.read_bytes = member, name, limit, 0

    def read(self, size: int = -1) -> bytes:
        # Never ask for more than one byte past the bound: that byte is enough to refuse.
        room = self.limit + 1 - self.read_bytes
        chunk = self.member.read(room if size is None or size < 0 else min(size, room))
        self.read_bytes += len(chunk)
        if self.read_bytes > self.limit:
            raise part_too_large(self.name, None, self.limit)
        return chunk


def part_too_large(name: str, size: int | None, limit: int) -> IngestError:
    found = f"有 {size / MB:.1f} MB" if size is not None else "超过上限"
    return IngestError("docx-too-large", f"Word 文件解压后过大：其中的 {name} {found}（上限 {limit // MB} MB），"
                                         f"远超一篇报告的篇幅，未读取：{PART_ADVICE}")


@dataclass(frozen=True)
class Package:
    """An opened .docx: its zip, its main part and that part's relationships."""

    archive: zipfile.ZipFile
    main: str
    """Zip member name of the main document part (usually word/document.xml)."""
    related: dict[str, str]
    """Relationship type -> member name of the first internal target that exists, for the main part."""

    def stream(self, name: str, limit: int) -> BoundedStream:
        return open_member(self.archive, name, limit)

    def read_related(self, reltype: str, limit: int = MAX_SIDE_PART) -> bytes | None:
        name = self.related.get(reltype)
        return None if name is None else read_member(self.archive, name, limit)


def open_member(archive: zipfile.ZipFile, name: str, limit: int) -> BoundedStream:
    """A member as a bounded stream, refused at once when the directory already says it is too large."""
    info = archive.getinfo(name)
    if info.file_size > limit:
        raise part_too_large(name, info.file_size, limit)
    return BoundedStream(archive.open(info), name, limit)


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    stream, chunks = open_member(archive, name, limit), []
    while chunk := stream.read(1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def open_package(data: bytes) -> Package:
    """Check the zip directory, then find the main part through _rels/.rels and check its content type."""
    if not data.startswith(b"PK"):
        what = "实际是旧版 .doc 文件" if data.startswith(OLE2_MAGIC) else "内容不是 Word 文档"
        raise IngestError("docx-not-zip", f"文件扩展名是 .docx，但{what}：{RESAVE_DOCX}")
    if data.count(b"PK\x01\x02") > MAX_MEMBERS:  # central directory entries, counted before zipfile builds them
        raise IngestError("docx-too-large", f"Word 文件中的部件过多（超过 {MAX_MEMBERS} 个），不像是一篇报告，未读取：{PART_ADVICE}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt("（压缩包不完整）") from exc
    if sum(info.file_size for info in infos) > MAX_DOCX_TOTAL or any(
            info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_DOCX_RATIO * max(1, info.compress_size)
            for info in infos):
        raise IngestError("docx-too-large", f"Word 文件解压后过大（超过 200 MB 或压缩比异常）：{TOO_LARGE_ADVICE}")
    names = _Names(info.filename for info in infos)
    main = _first_target(names, "", _relationships(archive, names, "_rels/.rels"), OFFICE_DOCUMENT)
    if main is None:
        raise corrupt("（找不到正文部分：_rels/.rels 中没有指向正文的关系，也没有 word/document.xml）")
    _check_content_type(_content_type(archive, names, main))
    folder, base = posixpath.split(main)
    rels = _relationships(archive, names, posixpath.join(folder, "_rels", base + ".rels"))
    related = {reltype: _first_target(names, folder, rels, (reltype,)) for reltype in READ_RELATIONSHIPS}
    return Package(archive, main, {reltype: name for reltype, name in related.items() if name is not None})


class _Names(set):
    """Member names, also looked up without regard to case (part names are case-insensitive)."""

    def find(self, name: str) -> str | None:
        for candidate in (name, unquote(name)):
            if candidate in self:
                return candidate
        if not hasattr(self, "lowered"):
            self.lowered = {n.lower(): n for n in self}
        return self.lowered.get(name.lower())


def _relationships(archive: zipfile.ZipFile, names: set[str], rels_name: str) -> list[tuple[str, str]]:
    """(type, target) of each internal relationship in a .rels member; [] when there is none."""
    if rels_name not in names:
        return []
    root = _parse_small(archive, rels_name)
    return [(rel.get("Type", ""), rel.get("Target", "")) for rel in root.iter(PKG + "relationships}Relationship")
            if rel.get("TargetMode", "Internal") != "External"]


def _first_target(names: _Names, folder: str, rels, reltypes: tuple[str, ...]) -> str | None:
    """Member name of the first relationship of one of these types whose target exists.

    The package's root relationships fall back to word/document.xml, where
    every Word version puts the body: a package that lost its _rels/.rels
    (python-docx refuses it) is still read.
    """
    for reltype, target in rels:
        if reltype in reltypes:
            found = names.find(posixpath.normpath(posixpath.join("/" + folder, target)).lstrip("/"))
            if found is not None:
                return found
    if reltypes == OFFICE_DOCUMENT and not rels and "word/document.xml" in names:
        return "word/document.xml"
    return None


def _content_type(archive: zipfile.ZipFile, names: set[str], part: str) -> str | None:
    """The part's content type from [Content_Types].xml: its Override, else the Default for its extension."""
    if "[Content_Types].xml" not in names:
        raise corrupt("（缺少 [Content_Types].xml）")
    root = _parse_small(archive, "[Content_Types].xml")
    overrides = {o.get("PartName", "").lower(): o.get("ContentType") for o in root.iter(PKG + "content-types}Override")}
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in root.iter(PKG + "content-types}Default")}
    return overrides.get("/" + part.lower(), defaults.get(posixpath.splitext(part)[1].lstrip(".").lower()))


def _check_content_type(kind: str | None) -> None:
    if kind == CT.WML_DOCUMENT_MAIN:
        return
    if kind in WORD_VARIANTS:
        raise IngestError("docx-not-document", f"文件扩展名是 .docx，但实际是{WORD_VARIANTS[kind]}：{RESAVE_DOCX}")
    other = next((what for key, what in OTHER_OFFICE.items() if key in (kind or "")), None)
    if other:
        raise IngestError("docx-not-document", f"文件扩展名是 .docx，但实际是{other}，不是 Word 文档："
                                               "请提供 Word 文档（.docx）或 .txt。")
    raise corrupt("（正文部分的类型不对）")


def _parse_small(archive: zipfile.ZipFile, name: str):
    data = read_member(archive, name, MAX_PACKAGE_XML)
    try:
        return etree.fromstring(data, PLAIN_PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise corrupt(f"（{name} 无法解析）") from exc
