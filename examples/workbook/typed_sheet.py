#!/usr/bin/env python3
"""Writes the example enterprise panel as finance staff type it into a
sheet: a title row and a unit row above Chinese headers, amounts in 万元
without a unit in the header, full-width digits, a unit in a cell, — for
"no figure", dates and 2017年 where a year is wanted, √/× and 是/否, a blank
row and a 合计 row. One cell is deliberately unreadable as a figure: the
2017 revenue of 91411103MA40B8Q1DU is —, so its decisions that need it are
undetermined (issue 17, point 1).

usage: typed_sheet.py ENTERPRISES_CSV > typed.csv   (UTF-8, for LibreOffice)
"""
import csv
import sys
from decimal import Decimal

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def wan(yuan):
    """Yuan as 万元, exactly, without trailing zeros."""
    v = (Decimal(yuan) / 10000).normalize()
    return format(v, "f")


def main():
    rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
    out = csv.writer(sys.stdout, lineterminator="\n")
    width = 10
    out.writerow(["漯河市工业企业奖补申报汇总表（2016—2021年度）"] + [""] * (width - 1))
    out.writerow(["填报单位：漯河市财政局", "", "", "", "", "", "", "", "单位：万元", ""])
    out.writerow(["统一社会信用代码", "企业名称", "所属县区", "年度", "年销售收入", "地方税收",
                  "十百千培育企业", "升规年度", "新认定国家级高新技术企业", "新入驻总部"])
    total_revenue = Decimal(0)
    for i, r in enumerate(rows):
        code, year = r["credit_code"], r["year"]
        revenue = wan(r["sales_revenue"])
        total_revenue += Decimal(r["sales_revenue"])
        tax = wan(r["local_tax"]) if r["local_tax"] else "—"
        if code == "91411103MA40B8Q1DU" and year == "2017":
            revenue = "—"  # the figure is missing: deliberately
        elif i == 2:
            revenue = revenue.translate(FULL_WIDTH)  # １２０００
        elif i == 3:  # full-width thousands separators: 110，000
            revenue = f"{int(Decimal(revenue)):,}".replace(",", "，")
        elif i == 4:  # a unit of its own: 12亿元
            revenue = wan(Decimal(r["sales_revenue"]) / 10000) + "亿元"
        elif i == 5:  # thousands separators and 万: 130,000万
            revenue = f"{int(Decimal(revenue)):,}万"
        if i in (1, 9):
            year = year + "年"
        yes, no = ("√", "×") if code.startswith("91411104") else ("是", "否")
        flag = lambda v: yes if v == "true" else no
        upgrade = r["upgrade_year"]
        if code.startswith("91411121"):
            upgrade = upgrade + "/6/30"  # a date typed Chinese-style
        elif code.startswith("91411102MA48"):
            upgrade = upgrade + "-03-15"  # LibreOffice makes it a date cell
        elif code.startswith("91411104"):
            upgrade = upgrade + "年"
        elif not upgrade:
            upgrade = "—" if i % 2 else ""
        out.writerow([code, r["name"], r["county"], year, revenue, tax,
                      flag(r["in_cultivation_list"]), upgrade,
                      flag(r["new_national_hte"]), flag(r["new_headquarters"])])
    out.writerow([""] * width)
    out.writerow(["合计", "", "", "", wan(total_revenue), "", "", "", "", ""])


if __name__ == "__main__":
    main()
