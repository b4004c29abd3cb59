// eligo: decide who is owed a government incentive, and show why.
#include <fmt/format.h>

#include <exception>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "common.h"

namespace {

constexpr const char* kHelp =
    R"(eligo — decide who is owed a government incentive, and show why

usage: eligo COMMAND [OPTIONS]

commands:
  score     decide every rule for every entity and year of CSV panels
  explain   show, for one entity, each decision with the clause, the
            conditions and the values they read
  check     check rule files (and a params file) and report every mistake
  doc       describe a rule set in plain words, as Markdown or HTML
  test      run rule tests written as data (YAML cases) against a rule file

  eligo COMMAND --help   options and a worked example of COMMAND
  eligo --version        the version

exit status (score): 0 every row scored; 1 finished but some rows were
rejected; 2 usage error or invalid rule, params or input file (nothing
written); 3 an output could not be written (none left under its final name).

example:
  eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
              --input examples/enterprises.csv --input examples/lenders.csv
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace eligo::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    std::cout << kHelp;
    return args.empty() ? Exit::kUsage : kOk;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    std::cout << "eligo " << eligo::Version() << "\n";
    return kOk;
  }
  std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "score") return Score(args);
    if (command == "explain") return Explain(args);
    if (command == "check") return Check(args);
    if (command == "doc") return Doc(args);
    if (command == "test") return Test(args);
    std::cerr << fmt::format("eligo: unknown command `{}` (see eligo --help)\n",
                             command);
    return Exit::kUsage;
  } catch (const UsageError& e) {
    std::cerr << "eligo " << command << ": " << e.message << "\n(see eligo "
              << command << " --help)\n";
    return Exit::kUsage;
  } catch (const std::bad_alloc&) {  // outputs are dropped on the way here
    std::cerr << "eligo " << command << ": out of memory\n";
    return Exit::kWriteFailed;
  } catch (const std::exception& e) {
    std::cerr << "eligo " << command << ": " << e.what() << "\n";
    return Exit::kWriteFailed;
  }
}
