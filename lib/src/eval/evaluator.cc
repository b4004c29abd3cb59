// The rule evaluator: decides every rule for every year of one entity's
// panel, in year order, so that frequency limits see earlier awards. This
// file's external interface is Evaluator (declared in eligo/decision.h).
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <limits>
#include <set>
#include <span>

#include "eligo/decision.h"
#include "eval/expr_eval.h"
#include "program.h"

namespace eligo {
namespace {

constexpr long kStepsPerDecision = 1'000'000;  // bounds any rule's work

// The entity kind of `panel`, or -1 when it was built from another rule
// set's schema (its cells need not line up with this one's fields).
int KindOf(const Program& program, const Panel& panel) {
  int kind = program.FindEntity(panel.schema().kind);
  return kind >= 0 &&
                 &program.entities[static_cast<size_t>(kind)] == &panel.schema()
             ? kind
             : -1;
}

// An award this rule made to the entity before the year being decided.
// `tier` views the rule's tier id or the caller's history entry, both of
// which outlive the evaluation.
struct GivenAward {
  std::string_view tier;  // "" for a rule without tiers
  int year = 0;
  std::optional<Decimal> amount;
  bool from_history = false;
};

// A decision of an earlier year that is undetermined: it may have paid one
// of `tiers` (bit t for tier t; every bit when any could be), so a later
// decision that a limit ties to it cannot be settled either.
struct UnsettledAward {
  int year = 0;
  uint64_t tiers = ~uint64_t{0};
  std::vector<Gap> missing;  // the inputs it lacked
};

uint64_t TierBit(int tier) { return tier < 64 ? uint64_t{1} << tier : ~0ull; }

// The evaluator's working lists, kept per thread for their storage, so that
// deciding a panel allocates nothing once they have grown.
struct DeciderMemory {
  Scratch scratch;  // the expression evaluator's
  YearIndex rows;
  std::vector<int> years;
  std::vector<std::vector<GivenAward>> awards;         // by rule
  std::vector<std::vector<UnsettledAward>> unsettled;  // by rule
  // Per decision:
  std::vector<int> candidates, matched;          // tiers
  std::vector<std::pair<int, Decimal>> decided;  // stage tiers: year decided
  std::vector<const GivenAward*> prior;          // awards before the year
  std::vector<std::string_view> payers;
  std::vector<std::pair<std::string_view, std::optional<Decimal>>> per_tier;
  // Parts of traces no longer used, kept for their storage.
  std::vector<TraceTier> spare_tiers;
  std::vector<TraceCondition> spare_conditions;
};

// Resizes `v` to `n`, moving what it drops to `spare` and taking what it
// adds from there, so that trace parts keep their storage from one decision
// to the next whatever their shape.
template <typename T>
void Resize(std::vector<T>& v, size_t n, std::vector<T>& spare) {
  for (; v.size() > n; v.pop_back()) spare.push_back(std::move(v.back()));
  while (v.size() < n) {
    if (spare.empty()) {
      v.emplace_back();
    } else {
      v.push_back(std::move(spare.back()));
      spare.pop_back();
    }
  }
}

DeciderMemory& ThreadMemory() {
  thread_local DeciderMemory memory;
  return memory;
}

// Whether `node` has the same value for every entity and year: it reads
// no field, derived value or year.
bool SameForAll(const Program& p, int node) {
  if (node == kNoNode) return true;
  const Node& n = p.nodes[static_cast<size_t>(node)];
  if (n.op == Op::kField || n.op == Op::kDerived || n.op == Op::kYear)
    return false;
  return SameForAll(p, n.a) && SameForAll(p, n.b) && SameForAll(p, n.c);
}

// The years each rule covers, where parameters alone decide them.
void BindRuleYears(const Program& p, BoundParams& params) {
  Scratch scratch;
  YearIndex no_rows;
  for (size_t r = 0; r < p.rules.size(); ++r) {
    const Rule& rule = p.rules[r];
    if (rule.years_from == kNoNode || !SameForAll(p, rule.years_from) ||
        !SameForAll(p, rule.years_to))
      continue;
    ExprEvaluator eval(p, params, no_rows, rule.kind, scratch);
    scratch.Reset(kStepsPerDecision);
    Value from = eval.Eval(rule.years_from, YearIndex::kFirstYear);
    Value to = eval.Eval(rule.years_to, YearIndex::kFirstYear);
    std::optional<int64_t> first, last;
    if (from.known && to.known) {
      first = from.number.ToInt64();
      last = to.number.ToInt64();
    }
    if (first && last) params.SetRuleYears(r, {*first, *last});
  }
}

// Formats `text` into the string it already has (keeping its storage),
// through a buffer: fmt writes to its own buffers much faster than to a
// std::string's back_inserter.
template <typename... Args>
void FormatInto(std::string& text, fmt::format_string<Args...> format,
                Args&&... args) {
  thread_local fmt::memory_buffer buffer;
  buffer.clear();
  fmt::format_to(fmt::appender(buffer), format, std::forward<Args>(args)...);
  text.assign(buffer.data(), buffer.size());
}

// Builds the reads of each condition for the trace, as a listener on the
// one evaluator.
class TraceRecorder : public ReadListener {
 public:
  TraceRecorder(const Program& program, int kind) : p_(program), kind_(kind) {}
  void set_evaluator(const ExprEvaluator* ev) { ev_ = ev; }
  // Records the reads of `c` (null: none) over the reads it holds from an
  // earlier use, keeping their strings' storage.
  void Begin(TraceCondition* c) {
    if (current_ != nullptr) current_->reads.resize(used_);
    current_ = c;
    used_ = 0;
  }

  void OnRead(const Node& n, int year, const Value& v) override {
    if (current_ == nullptr) return;
    const std::string& name = n.op == Op::kField
                                  ? p_.entities[kind_].fields[n.symbol].name
                              : n.op == Op::kParam ? p_.params[n.symbol].name
                                                   : p_.derived[n.symbol].name;
    std::vector<TraceRead>& reads = current_->reads;
    for (size_t i = 0; i < used_; ++i) {
      if (reads[i].year == year && reads[i].name == name) return;
    }
    if (used_ == reads.size()) reads.emplace_back();
    TraceRead& read = reads[used_++];
    if (read.name != name) read.name.assign(name);
    read.year = year;
    ev_->Show(n, v, read.value);
  }

 private:
  const Program& p_;
  int kind_;
  const ExprEvaluator* ev_ = nullptr;
  TraceCondition* current_ = nullptr;
  size_t used_ = 0;  // reads of current_ recorded so far
};

class PanelDecider {
 public:
  PanelDecider(const Program& program, const BoundParams& params,
               const Panel& panel, const std::vector<PastAward>& history,
               const EvalOptions& options)
      : p_(program),
        params_(params),
        panel_(panel),
        rows_(memory_.rows),
        kind_(KindOf(program, panel)),
        options_(options),
        eval_(program, params, rows_, kind_, scratch_),
        recorder_(program, kind_) {
    rows_.Assign(panel);
    recorder_.set_evaluator(&eval_);
    if (options.trace) eval_.set_listener(&recorder_);
    years_.clear();
    for (const Row& r : panel.rows()) {
      if (r.year >= YearIndex::kFirstYear && r.year <= YearIndex::kLastYear &&
          r.cells.size() == panel.schema().fields.size()) {
        years_.push_back(r.year);
      }
    }
    // A year of conflicting rows is decided too, undetermined, so that no
    // award vanishes and the years after it know it is unsettled.
    for (int year : panel.conflict_years()) {
      if (year >= YearIndex::kFirstYear && year <= YearIndex::kLastYear)
        years_.push_back(year);
    }
    std::sort(years_.begin(), years_.end());
    years_.erase(std::unique(years_.begin(), years_.end()), years_.end());
    for (auto& given : awards_) given.clear();
    awards_.resize(p_.rules.size());
    for (auto& unsettled : unsettled_) unsettled.clear();
    unsettled_.resize(p_.rules.size());
    for (const PastAward& h : history) {
      for (size_t r = 0; r < p_.rules.size(); ++r) {
        if (p_.rules[r].info.id == h.rule &&
            !std::binary_search(years_.begin(), years_.end(), h.year)) {
          awards_[r].push_back(GivenAward{h.tier, h.year, h.amount, true});
        }
      }
    }
  }

  // Fills `out`, reusing the decisions already there so that their
  // strings keep their storage from one entity to the next.
  void Run(std::vector<Decision>& out) {
    size_t n = 0;
    if (kind_ >= 0) {
      for (int year : years_) {
        for (size_t r = 0; r < p_.rules.size(); ++r) {
          if (p_.rules[r].kind != kind_) continue;
          if (n == out.size()) out.emplace_back();
          Decide(static_cast<int>(r), year, out[n++]);
        }
      }
    }
    out.resize(n);
  }

 private:
  // Kleene `and` over `conditions`, recording each in `trace` (as many
  // entries as conditions) if given.
  Truth TestAll(std::span<const Condition> conditions, int year,
                TraceCondition* trace, int* why, const Condition** failed) {
    Truth all = Truth::kTrue;
    *why = -1;
    *failed = nullptr;
    for (const Condition& c : conditions) {
      TraceCondition* tc = nullptr;
      if (trace != nullptr) tc = &SetTraceCondition(*trace++, c);
      recorder_.Begin(tc);
      int w = -1;
      Truth t = eval_.Test(c.expr, year, &w);
      recorder_.Begin(nullptr);
      if (tc != nullptr) tc->result = t;
      if (t == Truth::kFalse) {
        if (*failed == nullptr) *failed = &c;
        all = Truth::kFalse;
      } else if (t == Truth::kUnknown) {
        if (all != Truth::kFalse) all = Truth::kUnknown;
        *why = *why < 0 ? w : JoinWhy(*why, w);
      }
    }
    return all;
  }

  // The decision's trace to be rewritten in place when nobody else holds
  // it (its strings and vectors keep their storage; Decide trims what is
  // not rewritten), else a new one.
  Trace* ReuseTrace(Decision& d) {
    used_ = TraceUsed{};
    if (d.trace == nullptr || d.trace.use_count() != 1) {
      auto trace = std::make_shared<Trace>();
      d.trace = trace;
      return trace.get();
    }
    return const_cast<Trace*>(d.trace.get());
  }

  // `n` entries of `conditions` to be rewritten by TestAll.
  TraceCondition* Slots(std::vector<TraceCondition>& conditions, size_t n) {
    Resize(conditions, n, memory_.spare_conditions);
    return conditions.data();
  }

  // `tc` rewritten for `c`; a reused entry most often held `c` before.
  static TraceCondition& SetTraceCondition(TraceCondition& tc,
                                           const Condition& c) {
    if (tc.expr != c.source) tc.expr.assign(c.source);
    if (tc.clause != c.clause) tc.clause.assign(c.clause);
    tc.result = Truth::kUnknown;
    return tc;  // its reads are rewritten by the recorder (Begin)
  }

  // The next tier of `trace`, reusing the one held there before.
  TraceTier& NextTraceTier(Trace& trace, const Tier& tier) {
    if (used_.tiers == trace.tiers.size())
      Resize(trace.tiers, used_.tiers + 1, memory_.spare_tiers);
    TraceTier& tt = trace.tiers[used_.tiers++];
    if (tt.id != tier.id) tt.id.assign(tier.id);
    tt.result = Truth::kUnknown;
    tt.evaluated = true;
    tt.note.clear();
    return tt;
  }

  int JoinWhy(int a, int b) {
    scratch_.whys.push_back(Why{.kind = Why::kJoin, .left = a, .right = b});
    return static_cast<int>(scratch_.whys.size()) - 1;
  }

  void Undetermined(Decision& d, int why, Cause::Question question,
                    int tier = -1) {
    d.outcome = Outcome::kUndetermined;
    d.cause.kind = Cause::Kind::kUndetermined;
    d.cause.question = question;
    d.cause.tier = tier;
    eval_.Explain(why, d.gaps);
  }

  // `d.cause` set to `kind`, its other parts cleared (keeping storage).
  static Cause& SetCause(Decision& d, Cause::Kind kind) {
    Cause& c = d.cause;
    c.kind = kind;
    c.condition = c.tier = c.other_tier = -1;
    c.first = c.last = 0;
    c.earlier_year = 0;
    c.earlier_tier.clear();
    c.value.reset();
    c.detail.clear();
    c.stage_years.clear();
    return c;
  }

  static void OutsideYears(Decision& d, int64_t first, int64_t last) {
    Cause& cause = SetCause(d, Cause::Kind::kOutsideYears);
    cause.first = first;
    cause.last = last;
  }

  const Tier* FindTier(const Rule& rule, std::string_view id) const {
    for (const Tier& t : rule.tiers) {
      if (t.id == id) return &t;
    }
    return nullptr;
  }

  void Decide(int rule_index, int year, Decision& d) {
    const Rule& rule = p_.rules[rule_index];
    scratch_.Reset(kStepsPerDecision);
    possible_tiers_ = ~uint64_t{0};
    // A reused decision was most often this rule's before: its rule, kind
    // and citation are then already right.
    if (d.rule != rule.info.id) d.rule.assign(rule.info.id);
    d.rule_index = rule_index;
    if (d.entity_kind != panel_.schema().kind)
      d.entity_kind.assign(panel_.schema().kind);
    d.entity_id.assign(panel_.id());
    d.year = year;
    d.outcome = Outcome::kIneligible;
    d.tier.clear();
    d.award = AwardKind::kNone;
    d.amount.reset();
    d.payer.clear();
    if (d.citation != rule.info.citation.clause)
      d.citation.assign(rule.info.citation.clause);
    SetCause(d, Cause::Kind::kNoTierMatched);
    d.gaps.clear();
    d.notes.clear();
    Trace* trace = nullptr;
    if (options_.trace) {
      trace = ReuseTrace(d);
    } else {
      d.trace.reset();
    }
    Decide(rule, rule_index, year, d, trace);
    if (trace != nullptr) {  // drop what an earlier decision left
      Resize(trace->applies, used_.applies, memory_.spare_conditions);
      Resize(trace->tiers, used_.tiers, memory_.spare_tiers);
      trace->history.resize(used_.history);
      Resize(trace->notes, used_.notes, memory_.spare_conditions);
    }
    if (d.outcome == Outcome::kUndetermined) {
      UnsettledAward& u = unsettled_[rule_index].emplace_back(
          UnsettledAward{year, possible_tiers_, {}});
      for (const Gap& g : d.gaps)
        if (g.is_input()) u.missing.push_back(g);
    }
    for (const std::string& cause : panel_.unplaced_rows()) {
      d.notes.push_back(
          fmt::format("{}; this decision may depend on that row", cause));
    }
  }

  void Decide(const Rule& rule, int rule_index, int year, Decision& d,
              Trace* trace) {
    // 1. The years the rule covers.
    if (rule.years_from != kNoNode) {
      if (const auto* same =
              params_.RuleYears(static_cast<size_t>(rule_index))) {
        if (year < same->first || year > same->last)
          return OutsideYears(d, same->first, same->last);
      } else {
        Value from = eval_.Eval(rule.years_from, year),
              to = eval_.Eval(rule.years_to, year);
        if (!from.known || !to.known) {
          return Undetermined(d, from.known ? to.why : from.why,
                              Cause::Question::kYears);
        }
        if (Decimal::FromInt(year) < from.number ||
            Decimal::FromInt(year) > to.number) {
          return OutsideYears(d, from.number.ToInt64().value_or(0),
                              to.number.ToInt64().value_or(0));
        }
      }
    }
    // 2. Whether it applies to this entity in this year.
    int why = -1;
    const Condition* failed = nullptr;
    TraceCondition* applies_trace = nullptr;
    if (trace != nullptr) {
      used_.applies = rule.applies.size();
      applies_trace = Slots(trace->applies, used_.applies);
    }
    Truth applies = TestAll(rule.applies, year, applies_trace, &why, &failed);
    if (applies == Truth::kFalse) {
      SetCause(d, Cause::Kind::kDoesNotApply).condition =
          static_cast<int>(failed - rule.applies.data());
      return;
    }
    if (applies == Truth::kUnknown)
      return Undetermined(d, why, Cause::Question::kApplies);
    AddNotes(rule, year, d, trace);

    // 3. Stages: only the stage decided in this year is considered.
    std::vector<int>& candidates = memory_.candidates;
    candidates.clear();
    if (rule.staged) {
      std::vector<std::pair<int, Decimal>>& decided = memory_.decided;
      decided.clear();
      int unknown_why = -1;
      for (size_t t = 0; t < rule.tiers.size(); ++t) {
        Value at = eval_.Eval(rule.tiers[t].decided_in, year);
        if (!at.known) {
          unknown_why = at.why;
          continue;
        }
        decided.emplace_back(static_cast<int>(t), at.number);
        if (at.number == Decimal::FromInt(year))
          candidates.push_back(static_cast<int>(t));
      }
      if (candidates.empty()) {
        if (unknown_why >= 0)
          return Undetermined(d, unknown_why, Cause::Question::kStage);
        Cause& cause = SetCause(d, Cause::Kind::kNoStage);
        for (const auto& [t, in] : decided)
          cause.stage_years.push_back(in.ToInt64().value_or(0));
        return;
      }
      d.tier = rule.tiers[candidates[0]].id;
    } else {
      for (size_t t = 0; t < rule.tiers.size(); ++t)
        candidates.push_back(static_cast<int>(t));
    }

    // 4. The hit policy picks the tiers that match.
    std::vector<int>& matched = memory_.matched;
    matched.clear();
    const Condition* last_failure = nullptr;
    int last_failed_tier = -1;
    int unknown_why = -1;
    const Tier* unknown_tier = nullptr;
    uint64_t not_reached = 0;  // tiers whose conditions are false
    for (int t : candidates) {
      const Tier& tier = rule.tiers[t];
      TraceTier* tt = nullptr;
      if (trace != nullptr) tt = &NextTraceTier(*trace, tier);
      if (rule.hit == HitPolicy::kFirst &&
          (!matched.empty() || unknown_tier != nullptr)) {
        if (tt != nullptr) {
          tt->evaluated = false;
          Resize(tt->conditions, 0, memory_.spare_conditions);
          tt->note = "an earlier tier decided first";
        }
        continue;
      }
      int w = -1;
      const Condition* f = nullptr;
      Truth truth = TestAll(
          tier.when, year,
          tt ? Slots(tt->conditions, tier.when.size()) : nullptr, &w, &f);
      if (tt != nullptr) tt->result = truth;
      if (truth == Truth::kTrue) {
        matched.push_back(t);
      } else if (truth == Truth::kUnknown) {
        if (unknown_tier == nullptr) unknown_tier = &tier;
        unknown_why = unknown_why < 0 ? w : JoinWhy(unknown_why, w);
      } else {
        if (t < 64) not_reached |= TierBit(t);
        last_failure = f;  // the lowest tier's failure says most
        last_failed_tier = t;
        if (tt != nullptr && f != nullptr) tt->note.assign(f->note_if_false);
      }
    }
    if (unknown_tier != nullptr) {
      // It may yet pay any tier not found out of reach.
      possible_tiers_ = 0;
      for (int t : candidates) {
        if (t >= 64 || !(not_reached & TierBit(t)))
          possible_tiers_ |= TierBit(t);
      }
      return rule.tiered
                 ? Undetermined(
                       d, unknown_why, Cause::Question::kTier,
                       static_cast<int>(unknown_tier - rule.tiers.data()))
                 : Undetermined(d, unknown_why, Cause::Question::kConditions);
    }
    possible_tiers_ = 0;  // from here, the tiers it would pay
    for (int t : matched) possible_tiers_ |= TierBit(t);
    if (rule.hit == HitPolicy::kUnique && matched.size() > 1) {
      d.outcome = Outcome::kUndetermined;
      Cause& cause = SetCause(d, Cause::Kind::kUniqueConflict);
      cause.tier = matched[0];
      cause.other_tier = matched[1];
      return;
    }
    if (matched.empty()) {
      if (last_failure != nullptr) {
        Cause& cause = SetCause(d, Cause::Kind::kNotReached);
        cause.tier = last_failed_tier;
        cause.condition = static_cast<int>(
            last_failure - rule.tiers[last_failed_tier].when.data());
      }
      return;
    }
    if (!rule.staged) d.tier = TierNames(rule, matched);

    // 5. Frequency limits against awards of earlier years.
    std::optional<Decimal> paid_before;
    if (!ApplyLimit(rule, rule_index, year, matched, d, trace, &paid_before))
      return;
    possible_tiers_ = 0;
    for (int t : matched) possible_tiers_ |= TierBit(t);
    if (rule.limit != Limit::kNone && Unsettled(rule, rule_index, year, d))
      return;

    // 6. The award.
    const Tier& top = rule.tiers[matched[0]];
    std::optional<Decimal> total;
    std::vector<std::string_view>& payers = memory_.payers;
    payers.clear();
    auto& per_tier = memory_.per_tier;
    per_tier.clear();
    for (int t : matched) {
      const Award& award = rule.tiers[t].award;
      std::optional<Decimal> amount;
      if (award.amount != kNoNode) {
        Value v = eval_.Eval(award.amount, year);
        if (!v.known) return Undetermined(d, v.why, Cause::Question::kAmount);
        amount = v.number;
        total = Decimal::Add(total.value_or(Decimal()), v.number);
      }
      if (award.payer != kNoNode) {
        Value v = eval_.Eval(award.payer, year);
        if (!v.known) return Undetermined(d, v.why, Cause::Question::kPayer);
        if (std::find(payers.begin(), payers.end(), v.text) == payers.end())
          payers.push_back(v.text);
      }
      per_tier.emplace_back(rule.tiers[t].id, amount);
    }
    if (paid_before && total) {  // top-up: pay the difference
      total = Decimal::Sub(*total, *paid_before);
      per_tier.assign(1, {top.id, total});
      if (total && total->sign() <= 0) {
        SetCause(d, Cause::Kind::kNothingLeft).value = paid_before;
        return;
      }
    }
    if (total && total->sign() <= 0) {
      d.outcome = Outcome::kUndetermined;
      SetCause(d, Cause::Kind::kNonPositive).value = total;
      return;
    }
    d.award = top.award.kind;
    d.amount = total;
    if (payers.size() == 1) {
      d.payer.assign(payers[0]);
    } else {
      FormatInto(d.payer, "{}", fmt::join(payers, "; "));
    }
    d.outcome = Outcome::kEligible;
    Cause& cause = SetCause(
        d, rule.tiered ? Cause::Kind::kReached : Cause::Kind::kConditionsMet);
    cause.tier = matched[0];
    cause.value = paid_before;
    for (const auto& [tier, amount] : per_tier)
      awards_[rule_index].push_back(GivenAward{tier, year, amount, false});
  }

  // Makes `d` undetermined when the rule's limit ties it to an earlier
  // decision that is undetermined and may have paid what would change this
  // one, or to a row of the entity whose year could not be read.
  bool Unsettled(const Rule& rule, int rule_index, int year, Decision& d) {
    const std::vector<int>& matched = memory_.matched;
    int lowest_rank = std::numeric_limits<int>::max();
    uint64_t paying = 0;
    for (int t : matched) {
      lowest_rank = std::min(lowest_rank, rule.tiers[t].rank);
      paying |= TierBit(t);
    }
    for (const UnsettledAward& u : unsettled_[rule_index]) {
      if (u.year >= year) continue;
      bool changes = false;
      switch (rule.limit) {
        case Limit::kNone:
          break;
        case Limit::kOnce:
        case Limit::kTopUp:  // blocks it, or changes the difference
          changes = u.tiers != 0;
          break;
        case Limit::kOncePerTier:
          changes = (u.tiers & paying) != 0;
          break;
        case Limit::kHigherOnly:
          for (size_t t = 0; t < rule.tiers.size() && !changes; ++t)
            changes = (u.tiers & TierBit(static_cast<int>(t))) &&
                      rule.tiers[t].rank >= lowest_rank;
          break;
      }
      if (!changes) continue;
      d.outcome = Outcome::kUndetermined;
      d.gaps = u.missing;
      SetCause(d, Cause::Kind::kUnsettledEarlier).earlier_year = u.year;
      return true;
    }
    if (!panel_.unplaced_rows().empty()) {
      d.outcome = Outcome::kUndetermined;
      SetCause(d, Cause::Kind::kUnplacedRow).detail = panel_.unplaced_rows()[0];
      return true;
    }
    return false;
  }

  static std::string TierNames(const Rule& rule,
                               const std::vector<int>& tiers) {
    std::string names;
    for (int t : tiers) names += (names.empty() ? "" : "+") + rule.tiers[t].id;
    return names;
  }

  // Drops from `matched` what the rule's limit forbids; false (with the
  // decision made ineligible) when nothing is left.
  bool ApplyLimit(const Rule& rule, int rule_index, int year,
                  std::vector<int>& matched, Decision& d, Trace* trace,
                  std::optional<Decimal>* paid_before) {
    std::vector<const GivenAward*>& prior = memory_.prior;
    prior.clear();
    for (const GivenAward& a : awards_[rule_index]) {
      if (a.year < year) prior.push_back(&a);
    }
    if (trace != nullptr) {
      used_.history = prior.size();
      trace->history.resize(used_.history);
      for (size_t i = 0; i < prior.size(); ++i) {
        const GivenAward& a = *prior[i];
        FormatInto(trace->history[i], "{}{}awarded in {}{}{}{}{}", a.tier,
                   a.tier.empty() ? "" : " ", a.year, a.amount ? " (" : "",
                   a.amount ? a.amount->ToFixed(2) : std::string(),
                   a.amount ? ")" : "",
                   a.from_history ? " (from history)" : "");
      }
      for (const UnsettledAward& u : unsettled_[rule_index]) {
        if (u.year >= year) continue;
        std::vector<std::string_view> tiers;
        for (size_t t = 0; t < rule.tiers.size(); ++t) {
          if (u.tiers & TierBit(static_cast<int>(t)))
            tiers.push_back(rule.tiers[t].id);
        }
        trace->history.push_back(fmt::format(
            "undetermined in {}; it may have paid {}", u.year,
            tiers.empty() ? std::string("nothing")
                          : fmt::format("{}", fmt::join(tiers, " or "))));
        ++used_.history;
      }
    }
    if (rule.limit == Limit::kNone || prior.empty()) return true;
    const GivenAward* highest = prior[0];
    int highest_rank = 0;
    Decimal paid;
    for (const GivenAward* a : prior) {
      const Tier* t = FindTier(rule, a->tier);
      int rank = t ? t->rank : 0;
      if (rank > highest_rank) highest_rank = rank, highest = a;
      if (a->amount) paid = Decimal::Add(paid, *a->amount).value_or(paid);
    }
    // The earlier award that blocks this one.
    auto blocked = [&](Cause::Kind kind, const GivenAward* a) {
      Cause& cause = SetCause(d, kind);
      cause.earlier_year = a->year;
      cause.earlier_tier.assign(a->tier);
      return false;
    };
    switch (rule.limit) {
      case Limit::kNone:
        return true;
      case Limit::kOnce:
        return blocked(Cause::Kind::kOnce, prior[0]);
      case Limit::kOncePerTier: {
        const GivenAward* blocker = nullptr;
        std::erase_if(matched, [&](int t) {
          for (const GivenAward* a : prior) {
            if (a->tier == rule.tiers[t].id) return blocker = a, true;
          }
          return false;
        });
        if (!matched.empty()) {
          if (!rule.staged) d.tier = TierNames(rule, matched);
          return true;
        }
        return blocked(Cause::Kind::kOncePerTier, blocker);
      }
      case Limit::kHigherOnly:
      case Limit::kTopUp: {
        std::erase_if(
            matched, [&](int t) { return rule.tiers[t].rank <= highest_rank; });
        if (matched.empty()) return blocked(Cause::Kind::kNotHigher, highest);
        d.tier = TierNames(rule, matched);
        if (rule.limit == Limit::kTopUp) *paid_before = paid;
        return true;
      }
    }
    return true;
  }

  void AddNotes(const Rule& rule, int year, Decision& d, Trace* trace) {
    for (const Note& note : rule.notes) {
      bool holds = true;
      if (note.when.expr != kNoNode) {
        TraceCondition* tc = nullptr;
        if (trace != nullptr) {  // kept only if the note holds
          if (used_.notes == trace->notes.size())
            Resize(trace->notes, used_.notes + 1, memory_.spare_conditions);
          tc = &trace->notes[used_.notes];
        }
        int why = -1;
        const Condition* failed = nullptr;
        holds = TestAll(std::span(&note.when, 1), year, tc, &why, &failed) ==
                Truth::kTrue;
        if (holds && trace != nullptr) ++used_.notes;
      }
      if (holds) d.notes.push_back(note.text);
    }
  }

  // First: the members after it refer to its parts.
  DeciderMemory& memory_ = ThreadMemory();
  const Program& p_;
  const BoundParams& params_;
  const Panel& panel_;
  YearIndex& rows_;
  int kind_;
  const EvalOptions& options_;
  Scratch& scratch_ = memory_.scratch;
  ExprEvaluator eval_;
  TraceRecorder recorder_;
  std::vector<int>& years_ = memory_.years;
  std::vector<std::vector<GivenAward>>& awards_ = memory_.awards;  // by rule
  std::vector<std::vector<UnsettledAward>>& unsettled_ = memory_.unsettled;
  uint64_t possible_tiers_ = ~uint64_t{0};  // of the decision being made
  // How much of each part of the trace this decision has written.
  struct TraceUsed {
    size_t applies = 0, tiers = 0, history = 0, notes = 0;
  } used_;
};

}  // namespace

Result<Evaluator> Evaluator::Create(std::shared_ptr<const RuleSet> rules,
                                    const ParamValues& values) {
  if (rules == nullptr) return Status::Error("no rule set");
  const Program& p = rules->program();
  auto params = std::make_shared<BoundParams>();
  params->Resize(p.params.size());
  for (size_t i = 0; i < p.params.size(); ++i) {
    const Parameter& param = p.params[i];
    if (param.scalar) params->SetScalar(static_cast<int>(i), *param.scalar);
    for (const auto& [year, v] : param.by_year)
      params->SetYear(static_cast<int>(i), year, v);
  }
  for (const auto& [name, by_year] : values.by_year) {
    int index = p.FindParam(name);
    if (index < 0)
      return Status::Error(fmt::format("unknown parameter `{}`", name));
    for (const auto& [year, v] : by_year) {
      if (year < 0 || year > 9999)
        return Status::Error(
            fmt::format("parameter `{}`: bad year {}", name, year));
      params->SetYear(index, year, v);
    }
  }
  BindRuleYears(p, *params);
  Evaluator e;
  e.rules_ = std::move(rules);
  e.params_ = std::move(params);
  return e;
}

std::vector<Decision> Evaluator::Evaluate(const Panel& panel,
                                          const std::vector<PastAward>& history,
                                          const EvalOptions& options) const {
  std::vector<Decision> out;
  Evaluate(panel, history, options, out);
  return out;
}

void Evaluator::Evaluate(const Panel& panel,
                         const std::vector<PastAward>& history,
                         const EvalOptions& options,
                         std::vector<Decision>& out) const {
  PanelDecider(rules_->program(), *params_, panel, history, options).Run(out);
}

}  // namespace eligo
