"""A small text extraction for the PDFs WeasyPrint writes (no PDF library is installed): inflate every
stream, read each font's ToUnicode CMap, and decode the glyph ids of every `TJ` text run with it.

WeasyPrint draws text as hex glyph ids (`[<0030>0<004c>] TJ`) in subset fonts; a run is only readable
through the CMap of the font it was drawn in. Rather than follow the object references from each `Tf` to
its font, every run is decoded with every CMap: `texts()` returns one reading per font, and the text drawn
in a font is whole in that font's reading."""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream\r?\n")
BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
RUN = re.compile(rb"\[(.*?)\]\s*TJ", re.S)
GLYPHS = re.compile(rb"<([0-9a-fA-F]+)>")


def streams(pdf: bytes) -> list[bytes]:
    inflated = []
    for match in STREAM.finditer(pdf):
        try:
            inflated.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return inflated


def _cmap(stream: bytes) -> dict[str, str]:
    mapping = {}
    for block in BFCHAR.findall(stream):
        for glyph, code in PAIR.findall(block):
            mapping[glyph.decode().lower()] = bytes.fromhex(code.decode()).decode("utf-16-be")
    return mapping


def texts(pdf: bytes) -> list[str]:
    inflated = streams(pdf)
    cmaps = [_cmap(s) for s in inflated if b"beginbfchar" in s]
    runs = [GLYPHS.findall(run) for s in inflated for run in RUN.findall(s)]
    readings = []
    for cmap in cmaps:
        lines = []
        for run in runs:
            line = ""
            for chunk in run:
                chunk = chunk.decode().lower()
                line += "".join(cmap.get(chunk[i : i + 4], "\ufffd") for i in range(0, len(chunk), 4))
            lines.append(line)
        readings.append("\n".join(lines))
    return readings


def font_names(pdf: bytes) -> list[str]:
    """The embedded fonts' names without their subset tag (`DejaVu-Sans-Bold`)."""
    found = re.findall(rb"/FontName\s*/[A-Z]{6}\+([^\s/>]+)", b"\n".join(streams(pdf)) + pdf)
    return sorted({name.decode() for name in found})
