/* The C interface of eligo: load a rule set, build entity panels, evaluate
 * them and read the decisions as JSON text. For C programs, and for other
 * languages through their foreign-function interfaces (Python's ctypes, ...).
 *
 * Conventions:
 *   - Objects are opaque handles, made by eligo_*_new and eligo_rules_load*
 *     and released by the matching eligo_*_free, which accepts NULL.
 *   - Every function that can fail returns an eligo_status: ELIGO_OK (0) on
 *     success, else one of the ELIGO_ERROR_* codes below, and then
 *     eligo_last_error() says what went wrong. Results come back through
 *     out-parameters, which are left unchanged on failure.
 *   - Strings are UTF-8 and NUL-terminated. A string returned through a
 *     `char**` belongs to the caller, who releases it with eligo_string_free.
 *   - No C++ exception crosses this interface, not even std::bad_alloc: out
 *     of memory is ELIGO_ERROR_MEMORY.
 *   - Each handle keeps alive what it was made from: a rule set may be freed
 *     while evaluators and panels made from it are still in use.
 *
 * Threads: a rule set, and an evaluator once its parameters are set, may be
 * used by any number of threads at once. A panel may be evaluated by several
 * threads at once, but must not be changed while it is in use. Error
 * messages are kept per thread.
 *
 * A short example, error checks left out:
 *
 *   eligo_rules* rules;
 *   eligo_rules_load("rules/luohe-2017.yaml", &rules);
 *   eligo_evaluator* ev;
 *   eligo_evaluator_new(rules, &ev);
 *   eligo_evaluator_set_param(ev, "city_industrial_revenue_growth", 2017,
 *                             "8.5%");
 *   eligo_panel* panel;
 *   eligo_panel_new(rules, "enterprise", "91411102MA3X4K7P2F", &panel);
 *   size_t row;
 *   eligo_panel_add_row(panel, 2017, &row);
 *   eligo_panel_set(panel, row, "sales_revenue", "120000000");
 *   eligo_panel_set(panel, row, "local_tax", "2500000");
 *   eligo_panel_set(panel, row, "in_cultivation_list", "true");
 *   char* json;
 *   eligo_evaluate_json(ev, panel, 1, &json);
 *   puts(json);
 *   eligo_string_free(json);
 *   eligo_panel_free(panel);
 *   eligo_evaluator_free(ev);
 *   eligo_rules_free(rules);
 */
#ifndef ELIGO_C_H_
#define ELIGO_C_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a function returns: ELIGO_OK, or why it failed. */
typedef int eligo_status;

enum {
  ELIGO_OK = 0,
  /* A NULL handle or pointer, a row or year out of range, or handles that do
     not belong together (a panel made from another rule set). */
  ELIGO_ERROR_ARGUMENT = 1,
  /* The rule file cannot be read or has mistakes; the message lists every
     one, with file:line:column. */
  ELIGO_ERROR_RULES = 2,
  /* The params file cannot be read or has mistakes; the message lists every
     one, with file:line:column. */
  ELIGO_ERROR_PARAMS = 3,
  /* No entity kind, field or parameter of that name in the rule set. */
  ELIGO_ERROR_NOT_FOUND = 4,
  /* A value that does not fit its field or parameter (not a number, not a
     yes/no value, below a minimum, an invalid credit code, ...). */
  ELIGO_ERROR_VALUE = 5,
  /* Out of memory. */
  ELIGO_ERROR_MEMORY = 6,
  /* An unexpected failure inside eligo: a bug, please report it. */
  ELIGO_ERROR_INTERNAL = 7,
  /* An input or history file that cannot be used (unreadable, undecodable,
     no usable header), or outputs that would lose data (two to one file,
     one over a file the run reads). Nothing was written. */
  ELIGO_ERROR_INPUT = 8,
  /* An output could not be written; none was left under its final name. */
  ELIGO_ERROR_WRITE = 9
};

/* A loaded, checked and compiled rule set. Immutable. */
typedef struct eligo_rules eligo_rules;
/* A rule set bound to parameter values, ready to decide panels. */
typedef struct eligo_evaluator eligo_evaluator;
/* One entity's input rows (one per year) and its earlier awards. */
typedef struct eligo_panel eligo_panel;
/* What eligo_score_files reads and writes. */
typedef struct eligo_score_options eligo_score_options;

/* The library version, e.g. "2.0.0". Never NULL; not to be freed. */
const char* eligo_version(void);

/* The message of the last eligo call on this thread ("" if it succeeded).
   Never NULL; valid until the next eligo call on this thread. */
const char* eligo_last_error(void);

/* Releases a string returned by eligo. NULL is ignored. */
void eligo_string_free(char* s);

/* Loads, checks and compiles the rule file at `path` into `*rules`. A file
   that cannot be read or has mistakes is ELIGO_ERROR_RULES, and the message
   gives every mistake found, not just the first. */
eligo_status eligo_rules_load(const char* path, eligo_rules** rules);

/* The same from the text of a rule file. `name` stands for the file in
   messages (NULL: "<string>"); a file that `extends` another is resolved in
   `base_dir` (NULL: `extends` is not allowed). */
eligo_status eligo_rules_load_string(const char* text, const char* name,
                                     const char* base_dir, eligo_rules** rules);

/* The warnings found while loading `rules`, formatted like errors, one after
   another; "" when there were none. Owned by `rules`. */
const char* eligo_rules_warnings(const eligo_rules* rules);

/* Releases a rule set. NULL is ignored. */
void eligo_rules_free(eligo_rules* rules);

/* Makes an evaluator of `rules` with no run-time parameter values yet:
   decisions that need a value left unset are undetermined. */
eligo_status eligo_evaluator_new(const eligo_rules* rules,
                                 eligo_evaluator** evaluator);

/* Sets run-time parameter `name` for `year` to `value`, a decimal or a
   percentage ("0.085", "8.5%"). An unknown name is ELIGO_ERROR_NOT_FOUND; a
   value that is not a plain decimal, or a year outside 0..9999, is
   ELIGO_ERROR_VALUE. Not safe while another thread evaluates with the same
   evaluator: set every parameter first. */
eligo_status eligo_evaluator_set_param(eligo_evaluator* evaluator,
                                       const char* name, int year,
                                       const char* value);

/* Sets the parameter values of the params file at `path` (`name: {YEAR:
   VALUE}`), as `eligo score --params` reads it; values set before for the
   same name and year are replaced. A file that cannot be read or has
   mistakes is ELIGO_ERROR_PARAMS, with every mistake in the message. Not
   safe while another thread evaluates with the same evaluator. */
eligo_status eligo_evaluator_load_params(eligo_evaluator* evaluator,
                                         const char* path);

/* Releases an evaluator. NULL is ignored. */
void eligo_evaluator_free(eligo_evaluator* evaluator);

/* Makes an empty panel for entity `id` of kind `kind` (e.g. "enterprise")
   of `rules`. An unknown kind is ELIGO_ERROR_NOT_FOUND. */
eligo_status eligo_panel_new(const eligo_rules* rules, const char* kind,
                             const char* id, eligo_panel** panel);

/* Adds a row for `year` (1..9999) with every cell empty, as the rule file
   says an empty cell reads, and stores its index in `*row` (NULL allowed).
   Rows are numbered from 0 in the order they are added. Two rows for one
   year make that year unreadable: decisions that need it are
   undetermined. */
eligo_status eligo_panel_add_row(eligo_panel* panel, int year, size_t* row);

/* Sets field `field` (its name or an alias) of row `row` from `text`, read
   as a spreadsheet cell of that field: numbers as decimals (thousands
   separators allowed, money in the field's unit), yes/no values as
   true/false, 1/0, yes/no, Y/N or 是/否, "" as an empty cell. An unknown
   field is ELIGO_ERROR_NOT_FOUND; text that does not fit the field is
   ELIGO_ERROR_VALUE, and the cell keeps its value. */
eligo_status eligo_panel_set(eligo_panel* panel, size_t row, const char* field,
                             const char* text);

/* Records an award made to this entity by an earlier run, so that frequency
   limits see it: rule `rule`, tier `tier` ("" or NULL for a rule without
   tiers), in `year`, of `amount` yuan (a decimal; NULL or "" when not
   money). Awards for a year the panel has a row for are ignored, as that
   year is decided again. */
eligo_status eligo_panel_add_past_award(eligo_panel* panel, const char* rule,
                                        const char* tier, int year,
                                        const char* amount);

/* Releases a panel. NULL is ignored. */
void eligo_panel_free(eligo_panel* panel);

/* Decides every rule of the panel's kind for every year of `panel`, in year
   order then rule-file order, and returns the decisions in `*json` as a JSON
   array with one object per decision: the keys of `eligo score --format
   jsonl` (entity_kind, id, name, county, year, rule, tier, outcome, award,
   amount, payer, citation, reason, notes, missing, decision_id), and
   `trace` when `trace` is nonzero. Release `*json` with eligo_string_free.
   The panel must have been made from the evaluator's rule set
   (ELIGO_ERROR_ARGUMENT otherwise). */
eligo_status eligo_evaluate_json(const eligo_evaluator* evaluator,
                                 const eligo_panel* panel, int trace,
                                 char** json);

/* The same decisions as text for people, as `eligo explain` shows them: for
   each, the rule, clause, outcome and reason, and with `trace` nonzero every
   condition with the values it read. Release `*text` with
   eligo_string_free. */
eligo_status eligo_evaluate_text(const eligo_evaluator* evaluator,
                                 const eligo_panel* panel, int trace,
                                 char** text);

/* Makes score options with the defaults of `eligo score`: decisions as
   CSV to standard output, in the rule set's language. */
eligo_status eligo_score_options_new(eligo_score_options** options);

/* Sets option `name`, named and written as the option of `eligo score`
   without its dashes: "input" (PATH or KIND=PATH; each call adds one),
   "output", "format" (csv or jsonl), "rejects", "summary", "history",
   "encoding", "sheet", "header-row", "absent-column" (each call adds one),
   "lang" (zh or en), "amount-unit" (元 or 万元), "only" (eligible),
   "excel", "trace" (true or false), "threads" and "max-memory" (MB). An
   unknown name is ELIGO_ERROR_NOT_FOUND; a value that does not fit it,
   ELIGO_ERROR_VALUE. */
eligo_status eligo_score_options_set(eligo_score_options* options,
                                     const char* name, const char* value);

/* Releases score options. NULL is ignored. */
void eligo_score_options_free(eligo_score_options* options);

/* Scores the input files as `eligo score` does, with `evaluator`'s rules
   and parameters: reads the panels (CSV in UTF-8 or GBK, .xlsx workbooks,
   Chinese headers, units such as 万元), decides them on the threads asked
   for, and writes the decisions, rejected rows, summary and run records,
   committed together. `*summary_json`, when `summary_json` is not NULL,
   gets the run summary as JSON (what "summary" writes); release it with
   eligo_string_free. `*rows_not_read`, when not NULL, gets the number of
   rows rejected or partly read (`eligo score` exits 1 when it is not 0). A
   run that cannot start is ELIGO_ERROR_INPUT or ELIGO_ERROR_WRITE. */
eligo_status eligo_score_files(const eligo_evaluator* evaluator,
                               const eligo_score_options* options,
                               char** summary_json, long* rows_not_read);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ELIGO_C_H_ */
