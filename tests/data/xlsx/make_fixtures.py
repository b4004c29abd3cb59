#!/usr/bin/env python3
"""Makes the .xlsx fixtures of tests/unit/workbook_reader_test.cc.

usage: python3 tests/data/xlsx/make_fixtures.py

Writes small workbooks (and other zips) into this directory and the seeds
of the `xlsx` fuzz target into tests/fuzz/seeds/xlsx/, with the standard
library only (zipfile), byte for byte the same at every run with the same
zlib. Each workbook is the XML a writer such as Excel produces, reduced to
what the reader looks at.

libreoffice.xlsx is not made here: it is LibreOffice's own conversion of
libreoffice.csv (LibreOffice 7.4), made once with

  soffice --headless --infilter=CSV:44,34,76,1 --convert-to xlsx \\
      --outdir tests/data/xlsx tests/data/xlsx/libreoffice.csv

(44: comma, 34: double quote, 76: UTF-8; without it the text is read as
Latin-1). It stores the 18-digit credit code as 9.14111007067814E+017 and the
date as serial 42916 with the style yyyy-mm-dd.
"""

import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "..", "fuzz", "seeds", "xlsx")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def write_zip(path, parts, method=zipfile.ZIP_DEFLATED):
    """parts: (name, str or bytes) in order; fixed dates, so reruns match."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2017, 6, 30, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode() if isinstance(data, str) else data)


def content_types():
    return (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="xml" '
            'ContentType="application/xml"/></Types>')


def root_rels():
    return (DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')


def sheet_xml(rows, root_attrs=""):
    return (DECL + f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"{root_attrs}>'
            f'<dimension ref="A1"/><sheetData>{rows}</sheetData>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>')


def sst_xml(items):
    return (DECL + f'<sst xmlns="{MAIN}" count="{len(items)}" '
            f'uniqueCount="{len(items)}">' + "".join(items) + "</sst>")


def styles_xml(num_fmts, xf_ids):
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{code}"/>'
                   for i, code in num_fmts)
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" '
                  'xfId="0" applyNumberFormat="1"/>' for i in xf_ids)
    return (DECL + f'<styleSheet xmlns="{MAIN}">'
            f'<numFmts count="{len(num_fmts)}">{fmts}</numFmts>'
            '<fonts count="1"><font><sz val="11"/></font></fonts>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0"/>'
            '</cellStyleXfs>'
            f'<cellXfs count="{len(xf_ids)}">{xfs}</cellXfs></styleSheet>')


def workbook(path, sheets, shared=None, styles=None, workbook_pr="",
             method=zipfile.ZIP_DEFLATED, extra=()):
    """sheets: (name, part name under xl/, xml, relationship type)."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{k + 1}" r:id="rId{k + 1}"/>'
        for k, (name, _, _, _) in enumerate(sheets))
    wb = (DECL + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
          f'<fileVersion appName="xl"/>{workbook_pr}'
          f'<bookViews><workbookView/></bookViews><sheets>{entries}</sheets>'
          '<calcPr calcId="191029"/></workbook>')
    rels = "".join(
        f'<Relationship Id="rId{k + 1}" Type="{REL}/{kind}" Target="{target}"/>'
        for k, (_, target, _, kind) in enumerate(sheets))
    parts = [("[Content_Types].xml", content_types()),
             ("_rels/.rels", root_rels()), ("xl/workbook.xml", wb)]
    n = len(sheets)
    if styles is not None:
        rels += (f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" '
                 'Target="styles.xml"/>')
        parts.append(("xl/styles.xml", styles))
    if shared is not None:
        rels += (f'<Relationship Id="rId{n + 2}" Type="{REL}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
        parts.append(("xl/sharedStrings.xml", shared))
    parts.append(("xl/_rels/workbook.xml.rels",
                  DECL + f'<Relationships xmlns="{PKG}">{rels}'
                  '</Relationships>'))
    for _, target, xml, _ in sheets:
        if xml is None:  # a sheet whose part is missing
            continue
        name = target[1:] if target.startswith("/") else "xl/" + target
        parts.append((name, xml))
    parts.extend(extra)
    write_zip(path, parts, method)


def one_sheet(path, rows, **kw):
    workbook(path, [("Sheet1", "worksheets/sheet1.xml", sheet_xml(rows),
                     "worksheet")], **kw)


def out(name):
    return os.path.join(HERE, name)


def make_cells():
    # Every kind of cell value: shared strings (plain, rich text runs,
    # phonetic runs, preserved spaces, quoting, an escaped CR), inline
    # strings, formula results, numbers, booleans, errors, ISO dates.
    shared = sst_xml([
        "<si><t>企业名称</t></si>",
        '<si><r><t>Ri</t></r><r><rPr><b/><sz val="11"/></rPr><t>ch</t></r>'
        "</si>",
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh>'
        '<phoneticPr fontId="1"/></si>',
        '<si><t xml:space="preserve">  padded  </t></si>',
        '<si><t>a,b "q"</t></si>',
        "<si><t>line1_x000D_\nline2</t></si>",
    ])
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>'
        '<c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>inline</t></is></c>'
        '<c r="B2" t="inlineStr"><is><r><t>in</t></r><r><rPr><i/></rPr>'
        "<t>line</t></r><rPh sb=\"0\" eb=\"1\"><t>yomi</t></rPh></is></c>"
        '<c r="C2" t="str"><f>A1&amp;""</f><v>formula text</v></c>'
        '<c r="D2"><f>1+1</f></c>'
        '<c r="E2" t="d"><v>2017-06-30T00:00:00</v></c></row>'
        '<row r="3"><c r="A3"><v>0.1</v></c><c r="B3" t="n">'
        "<v>123456789012.35</v></c>"
        '<c r="C3"><v>1.5E-3</v></c><c r="D3"><v>9.14111007067814E+017</v></c>'
        '<c r="E3"><v>5.5E+7</v></c><c r="F3"><v>-42</v></c>'
        '<c r="G3"><v>1E+20</v></c></row>'
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="b"><v>0</v></c>'
        '<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="D4" t="e"><v>#N/A</v></c></row>')
    one_sheet(out("cells.xlsx"), rows, shared=shared)


DATE_FORMATS = [
    (164, "yyyy\\-mm\\-dd"),
    (165, "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"),
    (166, "[h]:mm"),
    (167, "mm:ss"),
    (168, "#,##0.00"),
    (169, "[$-804]yyyy年m月d日"),
]
# cellXfs: s=0 General, 1 builtin 14, 2..7 the formats above, 8 builtin 22
DATE_XFS = [0, 14, 164, 165, 166, 167, 168, 169, 22]


def make_dates():
    rows = (
        '<row r="1"><c r="A1" s="1"><v>42916</v></c>'
        '<c r="B1" s="2"><v>42916</v></c><c r="C1" s="3"><v>42916</v></c>'
        '<c r="D1" s="7"><v>42916</v></c></row>'
        '<row r="2"><c r="A2" s="4"><v>1.5</v></c><c r="B2" s="5"><v>0.25</v>'
        '</c><c r="C2" s="6"><v>1234.5</v></c><c r="D2" s="0"><v>42916</v>'
        "</c></row>"
        '<row r="3"><c r="A3" s="8"><v>42916.5</v></c>'
        '<c r="B3" s="1"><v>42916.75</v></c><c r="C3" s="1"><v>-1</v></c>'
        '<c r="D3" s="1"><v>60</v></c><c r="E3" s="1"><v>4.2916E4</v></c>'
        '<c r="F3" s="1"><v>42916.999999999</v></c></row>')
    one_sheet(out("dates.xlsx"), rows,
              styles=styles_xml(DATE_FORMATS, DATE_XFS))
    rows_1904 = ('<row r="1"><c r="A1" s="1"><v>41454</v></c>'
                 '<c r="B1" s="1"><v>0</v></c><c r="C1"><v>41454</v></c></row>')
    one_sheet(out("dates1904.xlsx"), rows_1904,
              styles=styles_xml(DATE_FORMATS, DATE_XFS),
              workbook_pr='<workbookPr date1904="1"/>')
    one_sheet(out("dates1904-true.xlsx"), rows_1904,
              styles=styles_xml(DATE_FORMATS, DATE_XFS),
              workbook_pr='<workbookPr date1904="true"/>')


def make_sparse():
    # Rows and cells without r (the next one), gaps, a trailing styled empty
    # cell, an empty row.
    rows = ('<row r="2"><c r="C2"><v>1</v></c></row>'
            "<row><c><v>2</v></c><c><v>3</v></c><c r=\"E3\"><v>4</v></c></row>"
            '<row r="6"><c r="B6" t="inlineStr"><is><t>x</t></is></c>'
            '<c r="D6" s="0"/></row><row r="7"/>')
    one_sheet(out("sparse.xlsx"), rows)


def make_sheets():
    # A chart sheet first, then worksheets whose parts are not in sheet
    # order, one at an absolute target.
    def text_sheet(text):
        return sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}'
                         "</t></is></c></row>")
    chart = (DECL + f'<chartsheet xmlns="{MAIN}" xmlns:r="{REL}">'
             '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
             "</chartsheet>")
    workbook(out("sheets.xlsx"), [
        ("图表", "chartsheets/sheet1.xml", chart, "chartsheet"),
        ("Summary", "worksheets/sheet3.xml", text_sheet("summary"),
         "worksheet"),
        ("数据", "worksheets/sheet1.xml", text_sheet("data"), "worksheet"),
        ("Other", "/xl/worksheets/other.xml", text_sheet("other"),
         "worksheet"),
    ])


def make_prefixed():
    # The x: prefix some writers (.NET, Open XML SDK) put on every element.
    x = f'xmlns:x="{MAIN}"'
    wb = (DECL + f'<x:workbook {x} xmlns:r="{REL}"><x:workbookPr/>'
          '<x:sheets><x:sheet name="Data" sheetId="1" r:id="rId1"/>'
          "</x:sheets></x:workbook>")
    rels = (DECL + f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" '
            'Target="styles.xml"/></Relationships>')
    sst = (DECL + f'<x:sst {x}><x:si><x:t>名称</x:t></x:si>'
           "<x:si><x:r><x:t>ri</x:t></x:r><x:r><x:t>ch</x:t></x:r></x:si>"
           "</x:sst>")
    styles = (DECL + f'<x:styleSheet {x}><x:numFmts><x:numFmt numFmtId="164" '
              'formatCode="yyyy/mm/dd"/></x:numFmts><x:cellXfs>'
              '<x:xf numFmtId="0"/><x:xf numFmtId="164"/></x:cellXfs>'
              "</x:styleSheet>")
    sheet = (DECL + f'<x:worksheet {x}><x:sheetData><x:row r="1">'
             '<x:c r="A1" t="s"><x:v>0</x:v></x:c>'
             '<x:c r="B1" s="1"><x:v>42916</x:v></x:c>'
             '<x:c r="C1" t="inlineStr"><x:is><x:t>inline</x:t></x:is></x:c>'
             '<x:c r="D1" t="s"><x:v>1</x:v></x:c>'
             "</x:row></x:sheetData></x:worksheet>")
    write_zip(out("prefixed.xlsx"), [
        ("[Content_Types].xml", content_types()), ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/sharedStrings.xml", sst), ("xl/styles.xml", styles),
        ("xl/worksheets/sheet1.xml", sheet)])


def make_strict():
    # Strict Open XML (ISO 29500 strict): other namespaces, same names.
    wb = (DECL + f'<workbook xmlns="{STRICT}" xmlns:r="{STRICT_REL}">'
          '<workbookPr dateCompatibility="false"/><sheets>'
          '<sheet name="Strict" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = (DECL + f'<Relationships xmlns="{PKG}">'
            f'<Relationship Id="rId1" Type="{STRICT_REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{STRICT_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>')
    sst = DECL + f'<sst xmlns="{STRICT}"><si><t>strict</t></si></sst>'
    sheet = (DECL + f'<worksheet xmlns="{STRICT}"><sheetData><row r="1">'
             '<c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>'
             "</sheetData></worksheet>")
    write_zip(out("strict.xlsx"), [
        ("[Content_Types].xml", content_types()), ("_rels/.rels", root_rels()),
        ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", rels),
        ("xl/sharedStrings.xml", sst), ("xl/worksheets/sheet1.xml", sheet)])


def make_errors():
    # One workbook, one broken sheet per way a sheet can be refused: pick
    # it by name.
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE worksheet [\n'
              '<!ENTITY lol "lol">\n'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
              f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" '
              't="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>'
              "</worksheet>")
    truncated = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')[:-40]
    sheets = [
        ("cells", "worksheets/sheet1.xml",
         sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), "worksheet"),
        ("doctype", "worksheets/sheet2.xml", laughs, "worksheet"),
        ("truncated", "worksheets/sheet3.xml", truncated, "worksheet"),
        ("wide", "worksheets/sheet4.xml",
         sheet_xml('<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c>'
                   "</row>"), "worksheet"),
        ("rows", "worksheets/sheet5.xml",
         sheet_xml('<row r="3"><c r="A3"><v>1</v></c></row>'
                   '<row r="2"><c r="A2"><v>2</v></c></row>'), "worksheet"),
        ("columns", "worksheets/sheet6.xml",
         sheet_xml('<row r="1"><c r="C1"><v>1</v></c><c r="B1"><v>2</v></c>'
                   "</row>"), "worksheet"),
        ("shared", "worksheets/sheet7.xml",
         sheet_xml('<row r="1"><c r="A1" t="s"><v>1</v></c></row>'),
         "worksheet"),
        ("reference", "worksheets/sheet8.xml",
         sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>'), "worksheet"),
        ("tall", "worksheets/sheet9.xml",
         sheet_xml('<row r="1048577"><c r="A1048577"><v>1</v></c></row>'),
         "worksheet"),
        ("missing", "worksheets/sheet10.xml", None, "worksheet"),
        ("bigcell", "worksheets/sheet11.xml",
         sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>'
                   + "a" * ((1 << 20) + 1) + "</t></is></c></row>"),
         "worksheet"),
        ("bigrow", "worksheets/sheet12.xml",
         sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>'
                   + "a" * (600 << 10) + '</t></is></c><c r="B1" '
                   't="inlineStr"><is><t>' + "b" * (600 << 10)
                   + "</t></is></c></row>"), "worksheet"),
    ]
    workbook(out("errors.xlsx"), sheets,
             shared=sst_xml(["<si><t>only</t></si>"]))


def make_other_zips():
    write_zip(out("calc.ods"), [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", DECL + "<office:document-content xmlns:office="
         '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')],
        zipfile.ZIP_STORED)
    write_zip(out("binary.xlsb"), [
        ("[Content_Types].xml", content_types()), ("_rels/.rels", root_rels()),
        ("xl/workbook.bin", b"\x83\x01\x00\x80\x01\x00")])
    write_zip(out("letter.docx"), [
        ("[Content_Types].xml", content_types()),
        ("word/document.xml", DECL + '<w:document xmlns:w="http://schemas.'
         'openxmlformats.org/wordprocessingml/2006/main"/>')])
    write_zip(out("other.zip"), [("readme.txt", "not a workbook\n")])


def make_damaged():
    # A stored sheet whose bytes changed after the CRC was taken.
    path = out("bad-crc.xlsx")
    one_sheet(path, '<row r="1"><c r="A1"><v>12345</v></c></row>',
              method=zipfile.ZIP_STORED)
    data = bytearray(open(path, "rb").read())
    at = data.index(b"<v>12345</v>")
    data[at + 3] = ord("9")
    open(path, "wb").write(bytes(data))


def make_bomb():
    # A sheet of 20 MiB of spaces: 20 KiB deflated, a ratio of 1000.
    sheet = (" " * (20 << 20)) + sheet_xml("")
    workbook(out("bomb.xlsx"), [("Sheet1", "worksheets/sheet1.xml", sheet,
                                 "worksheet")])


def make_seeds():
    # Fuzz seeds (see tests/fuzz/xlsx_fuzzer.cc): the parts form (byte 0 not
    # 'P': sheet, shared strings, styles, workbook, rels split by NUL) and
    # minimal workbooks whose parts are stored, not deflated, so mutations
    # reach the XML.
    os.makedirs(SEEDS, exist_ok=True)

    def seed(name, data):
        with open(os.path.join(SEEDS, name), "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)

    seed("parts-cells", "\x00".join([
        "0" + sheet_xml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1">'
            '<v>42916.5</v></c><c t="b"><v>1</v></c></row><row r="3">'
            '<c t="inlineStr"><is><r><t>a,</t></r><rPh><t>b</t></rPh></is></c>'
            '<c><v>1.5E-3</v></c><c t="e"><v>#N/A</v></c></row>'),
        sst_xml(['<si><t xml:space="preserve"> x_x000D_\n"y" </t></si>']),
        styles_xml([(164, "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;")],
                   [0, 164]),
    ]))
    seed("parts-sheet-only", "1" + sheet_xml(
        '<row><c><v>9.14111007067814E+017</v></c><c r="XFD1"><v>1</v></c>'
        "</row>"))
    seed("parts-1904", "\x00".join([
        "2" + sheet_xml('<row r="2"><c r="B2" s="1"><v>41454</v></c></row>'),
        "",
        styles_xml([], [0, 14]),
        DECL + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr '
        'date1904="1"/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
    ]))
    stored = zipfile.ZIP_STORED
    one_sheet(os.path.join(SEEDS, "min-stored.xlsx"),
              '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>1</v>'
              "</c></row>", shared=sst_xml(["<si><t>x</t></si>"]),
              styles=styles_xml([], [0, 14]), method=stored)
    one_sheet(os.path.join(SEEDS, "min-empty.xlsx"), "", method=stored)
    for name in ["cells.xlsx", "dates.xlsx", "sparse.xlsx", "sheets.xlsx",
                 "prefixed.xlsx", "strict.xlsx", "errors.xlsx", "calc.ods",
                 "binary.xlsb", "bad-crc.xlsx", "libreoffice.xlsx"]:
        if os.path.exists(out(name)):
            with open(out(name), "rb") as f:
                seed(name, f.read())


def main():
    make_cells()
    make_dates()
    make_sparse()
    make_sheets()
    make_prefixed()
    make_strict()
    make_errors()
    make_other_zips()
    make_damaged()
    make_bomb()
    make_seeds()


if __name__ == "__main__":
    main()
