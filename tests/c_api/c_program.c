/* A C99 program using eligo through eligo/c.h alone: the header
 * compiles as C, and the library links and runs from C. Scores one
 * enterprise with the rules given as the first argument and checks a
 * decision. Exit status 0 when all went as expected. */
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

int main(int argc, char** argv) {
  eligo_rules* rules = NULL;
  eligo_evaluator* evaluator = NULL;
  eligo_panel* panel = NULL;
  char* json = NULL;
  size_t row = 0;
  if (argc != 2) {
    fprintf(stderr, "usage: %s RULES.yaml\n", argv[0]);
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
  eligo_panel_free(panel);
  eligo_evaluator_free(evaluator);
  eligo_rules_free(rules);
  return failures == 0 ? 0 : 1;
}
