/* A C99 program using eligo through eligo/c.h alone: the header
 * compiles as C, and the library links and runs from C. Scores one
 * enterprise with the rules given as the first argument and checks a
 * decision, then scores the example files of the directory given second
 * into the directory given third. Exit status 0 when all went as
 * expected. */
#include <stdio.h>
#include <string.h>

#include "eligo/c.h"

static int failures = 0;

static void Expect(int ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s (last error: %s)\n", what, eligo_last_error());
    ++failures;
  }
}

/* The first `size` - 1 bytes of the file at `path`, or "" if unreadable. */
static void ReadStart(const char* path, char* text, size_t size) {
  FILE* file = fopen(path, "rb");
  size_t n = 0;
  if (file != NULL) {
    n = fread(text, 1, size - 1, file);
    fclose(file);
  }
  text[n] = '\0';
}

/* Scores the GBK enterprise panel and the lenders of `examples` into
 * `out`/decisions.csv, in Chinese and 万元, as `eligo score` would. */
static void ScoreFiles(eligo_evaluator* evaluator, const char* examples,
                       const char* out) {
  char path[4096], text[8192];
  char* summary = NULL;
  long not_read = -1;
  eligo_score_options* options = NULL;
  Expect(eligo_score_options_new(&options) == ELIGO_OK, "score options");
  snprintf(path, sizeof path, "%s/enterprises-gbk.csv", examples);
  Expect(eligo_score_options_set(options, "input", path) == ELIGO_OK, "input");
  snprintf(path, sizeof path, "%s/lenders.csv", examples);
  Expect(eligo_score_options_set(options, "input", path) == ELIGO_OK,
         "second input");
  snprintf(path, sizeof path, "%s/decisions.csv", out);
  Expect(eligo_score_options_set(options, "output", path) == ELIGO_OK,
         "output");
  Expect(eligo_score_options_set(options, "amount-unit", "万元") == ELIGO_OK,
         "amount unit");
  Expect(eligo_score_options_set(options, "threads", "2") == ELIGO_OK,
         "threads");
  Expect(
      eligo_score_options_set(options, "thread", "2") == ELIGO_ERROR_NOT_FOUND,
      "an unknown option is ELIGO_ERROR_NOT_FOUND");
  Expect(eligo_score_options_set(options, "threads", "0") == ELIGO_ERROR_VALUE,
         "0 threads is ELIGO_ERROR_VALUE");
  Expect(eligo_score_files(evaluator, options, &summary, &not_read) == ELIGO_OK,
         "score files");
  if (summary != NULL) {
    Expect(strstr(summary, "\"rows\":{\"read\":") != NULL, "summary rows");
    Expect(strstr(summary, "enterprises-gbk.csv") != NULL,
           "summary records the input");
  }
  Expect(not_read == 0, "every example row read");
  eligo_string_free(summary);
  ReadStart(path, text, sizeof text);
  Expect(strncmp(text, "主体类型,", strlen("主体类型,")) == 0,
         "a Chinese header (the rule set's language)");
  Expect(strstr(text, "万元") != NULL, "amounts in 万元");

  snprintf(path, sizeof path, "%s/absent.csv", examples);
  Expect(eligo_score_options_set(options, "input", path) == ELIGO_OK,
         "an absent input");
  Expect(eligo_score_files(evaluator, options, NULL, NULL) == ELIGO_ERROR_INPUT,
         "an absent input is ELIGO_ERROR_INPUT");
  Expect(strstr(eligo_last_error(), "absent.csv") != NULL,
         "the message names the absent input");
  eligo_score_options_free(options);
}

int main(int argc, char** argv) {
  eligo_rules* rules = NULL;
  eligo_evaluator* evaluator = NULL;
  eligo_panel* panel = NULL;
  char* json = NULL;
  size_t row = 0;
  if (argc != 4) {
    fprintf(stderr, "usage: %s RULES.yaml EXAMPLES_DIR OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  printf("eligo %s\n", eligo_version());
  if (eligo_rules_load(argv[1], &rules) != ELIGO_OK) {
    fprintf(stderr, "%s", eligo_last_error());
    return 1;
  }
  Expect(eligo_evaluator_new(rules, &evaluator) == ELIGO_OK, "evaluator");
  Expect(eligo_evaluator_set_param(evaluator, "city_industrial_revenue_growth",
                                   2018, "8.5%") == ELIGO_OK,
         "set_param");
  Expect(eligo_panel_new(rules, "enterprise", "91411102MA3X4K7P2F", &panel) ==
             ELIGO_OK,
         "panel");
  Expect(eligo_panel_add_row(panel, 2018, &row) == ELIGO_OK, "add_row");
  Expect(eligo_panel_set(panel, row, "county", "市直") == ELIGO_OK, "county");
  Expect(eligo_panel_set(panel, row, "sales_revenue", "1200000000") == ELIGO_OK,
         "sales_revenue");
  Expect(eligo_panel_set(panel, row, "local_tax", "12000000") == ELIGO_OK,
         "local_tax");
  Expect(eligo_panel_set(panel, row, "in_cultivation_list", "true") == ELIGO_OK,
         "in_cultivation_list");
  Expect(eligo_panel_set(panel, row, "local_tax", "ten") == ELIGO_ERROR_VALUE,
         "a bad value is ELIGO_ERROR_VALUE");
  Expect(strlen(eligo_last_error()) > 0, "a message for the bad value");

  Expect(eligo_evaluate_json(evaluator, panel, 1, &json) == ELIGO_OK,
         "evaluate");
  if (json != NULL) {
    puts(json);
    Expect(strstr(json, "\"rule\":\"scale-tier-award\"") != NULL, "rule");
    Expect(strstr(json, "\"tier\":\"tier3\"") != NULL, "tier3 reached");
    Expect(strstr(json, "\"amount\":\"1000000.00\"") != NULL, "amount");
    Expect(strstr(json, "\"payer\":\"漯河市人民政府\"") != NULL, "payer");
    Expect(strstr(json, "\"trace\":{") != NULL, "trace");
  }
  eligo_string_free(json);
  ScoreFiles(evaluator, argv[2], argv[3]);
  eligo_panel_free(panel);
  eligo_evaluator_free(evaluator);
  eligo_rules_free(rules);
  return failures == 0 ? 0 : 1;
}
