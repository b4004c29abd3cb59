#!/usr/bin/env python3
"""Scores one enterprise with eligo's C interface, from Python.

Only the standard library: ctypes loads the shared libeligo (build eligo with
-DBUILD_SHARED_LIBS=ON), json reads the decisions. Prints each decision and,
for the eligible ones, the conditions that made them so. With --input, also
scores panel files as `eligo score` does (CSV in UTF-8 or GBK, workbooks,
Chinese headers, 万元) into --output, and prints the run's row counts.

usage: score.py [--library PATH] [--rules PATH] [--input PATH... --output PATH]

--library defaults to $ELIGO_LIBRARY, else the libeligo the system finds;
--rules to rules/luohe-2017.yaml of this source tree.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HANDLE = ctypes.c_void_p
OUT = ctypes.POINTER(ctypes.c_void_p)  # an out-parameter (handle or string)


class EligoError(Exception):
    pass


class Eligo:
    """The functions of eligo/c.h used here, with their C signatures."""

    SIGNATURES = {
        "eligo_version": (ctypes.c_char_p, []),
        "eligo_last_error": (ctypes.c_char_p, []),
        "eligo_string_free": (None, [ctypes.c_void_p]),
        "eligo_rules_load": (ctypes.c_int, [ctypes.c_char_p, OUT]),
        "eligo_rules_free": (None, [HANDLE]),
        "eligo_evaluator_new": (ctypes.c_int, [HANDLE, OUT]),
        "eligo_evaluator_set_param": (
            ctypes.c_int, [HANDLE, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]),
        "eligo_evaluator_free": (None, [HANDLE]),
        "eligo_panel_new": (
            ctypes.c_int, [HANDLE, ctypes.c_char_p, ctypes.c_char_p, OUT]),
        "eligo_panel_add_row": (
            ctypes.c_int, [HANDLE, ctypes.c_int, ctypes.POINTER(ctypes.c_size_t)]),
        "eligo_panel_set": (
            ctypes.c_int, [HANDLE, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]),
        "eligo_panel_free": (None, [HANDLE]),
        "eligo_evaluate_json": (ctypes.c_int, [HANDLE, HANDLE, ctypes.c_int, OUT]),
        "eligo_score_options_new": (ctypes.c_int, [OUT]),
        "eligo_score_options_set": (
            ctypes.c_int, [HANDLE, ctypes.c_char_p, ctypes.c_char_p]),
        "eligo_score_options_free": (None, [HANDLE]),
        "eligo_score_files": (
            ctypes.c_int, [HANDLE, HANDLE, OUT, ctypes.POINTER(ctypes.c_long)]),
    }

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        for name, (restype, argtypes) in self.SIGNATURES.items():
            function = getattr(self.lib, name)
            function.restype, function.argtypes = restype, argtypes

    def call(self, name, *args):
        """Calls `name`; raises EligoError with eligo's message if it fails."""
        if getattr(self.lib, name)(*args) != 0:
            raise EligoError(self.lib.eligo_last_error().decode())

    def take_string(self, pointer):
        """The text of a string eligo returned, which is then released."""
        try:
            return ctypes.string_at(pointer).decode()
        finally:
            self.lib.eligo_string_free(pointer)


def encode(text):
    return text.encode()


def score_files(eligo, evaluator, inputs, output):
    """Scores panel files into `output`; returns the run summary."""
    options = HANDLE()
    eligo.call("eligo_score_options_new", ctypes.byref(options))
    try:
        for path in inputs:
            eligo.call("eligo_score_options_set", options, b"input", encode(path))
        eligo.call("eligo_score_options_set", options, b"output", encode(output))
        summary, not_read = ctypes.c_void_p(), ctypes.c_long()
        eligo.call("eligo_score_files", evaluator, options,
                   ctypes.byref(summary), ctypes.byref(not_read))
        return json.loads(eligo.take_string(summary))
    finally:
        eligo.lib.eligo_score_options_free(options)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", default=os.environ.get("ELIGO_LIBRARY"))
    parser.add_argument(
        "--rules", default=os.path.join(HERE, "..", "..", "rules", "luohe-2017.yaml"))
    parser.add_argument("--input", action="append", default=[],
                        help="a panel file to score (repeatable)")
    parser.add_argument("--output", help="where the decisions of --input go")
    args = parser.parse_args()
    if args.input and not args.output:
        parser.error("--input needs --output")
    library = args.library or ctypes.util.find_library("eligo")
    if library is None:
        sys.exit("score.py: libeligo not found; give --library or set ELIGO_LIBRARY")
    eligo = Eligo(library)
    print(f"eligo {eligo.lib.eligo_version().decode()} ({library})")

    rules, evaluator, panel = HANDLE(), HANDLE(), HANDLE()
    try:
        eligo.call("eligo_rules_load", encode(args.rules), ctypes.byref(rules))
        eligo.call("eligo_evaluator_new", rules, ctypes.byref(evaluator))
        # A(y), the city's growth, as the statistics bureau would publish it
        # (illustrative values).
        for year, growth in [(2017, "8.5%"), (2018, "9.2%"), (2019, "7.8%")]:
            eligo.call("eligo_evaluator_set_param", evaluator,
                       b"city_industrial_revenue_growth", year, encode(growth))

        eligo.call("eligo_panel_new", rules, b"enterprise",
                   b"91411102MA3X4K7P2F", ctypes.byref(panel))
        rows = [  # year, sales revenue and local tax in yuan, 十百千 list
            (2016, "80000000.00", "1500000.00", "是"),
            (2017, "120000000.00", "2500000.00", "是"),
            (2018, "550000000.00", "6000000.00", "是"),
            (2019, "1100000000.00", "11000000.00", "是"),
        ]
        for year, revenue, tax, listed in rows:
            row = ctypes.c_size_t()
            eligo.call("eligo_panel_add_row", panel, year, ctypes.byref(row))
            for field, value in [("name", "漯河市恒达食品有限公司"),
                                 ("county", "源汇区"),
                                 ("sales_revenue", revenue),
                                 ("local_tax", tax),
                                 ("in_cultivation_list", listed)]:
                eligo.call("eligo_panel_set", panel, row, encode(field), encode(value))

        out = ctypes.c_void_p()
        eligo.call("eligo_evaluate_json", evaluator, panel, 1, ctypes.byref(out))
        decisions = json.loads(eligo.take_string(out))
        summary = score_files(eligo, evaluator, args.input, args.output) \
            if args.input else None
    except EligoError as e:
        sys.exit(f"score.py: {e}")
    finally:
        eligo.lib.eligo_panel_free(panel)
        eligo.lib.eligo_evaluator_free(evaluator)
        eligo.lib.eligo_rules_free(rules)

    for d in decisions:
        amount = d["amount"] or ""
        line = (f"{d['year']} {d['rule']:<24} {d['outcome']:<12} "
                f"{d['tier'] or '-':<6} {amount:>10} {d['payer']}")
        print(line.rstrip())
        print(f"     {d['reason']}")
        if d["outcome"] != "eligible":
            continue
        trace = d["trace"]
        reached = [t for t in trace["tiers"] if t["result"] == "true"]
        for condition in trace["applies"] + (reached[0]["conditions"] if reached else []):
            reads = ", ".join(f"{r['name']}@{r['year']} = {r['value']}"
                              for r in condition["reads"])
            print(f"       [{condition['result']}] {condition['expr']}"
                  f"  ({condition['clause']}): {reads}")
    if summary is not None:
        rows = summary["rows"]
        print(f"files: {rows['read']} rows read, {rows['scored']} scored, "
              f"{rows['rejected']} rejected, {summary['decisions']} decisions "
              f"in {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
