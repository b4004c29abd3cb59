// Status and Result: how eligo reports a failure that stops an operation.
//
// No exception crosses eligo's public API, except std::bad_alloc when memory
// runs out: a failure is a Status, a Result or, for rule and params files, a
// list of Diagnostics (eligo/diagnostic.h).
#ifndef ELIGO_STATUS_H_
#define ELIGO_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace eligo {

// What kind of failure a Status is, for a program to act on (an exit
// status, a C error code); the message says the rest.
enum class StatusCode {
  kOk = 0,
  // A file, value or option that cannot be used as it is: fix it and run
  // again. Nothing was written.
  kInvalid,
  // An output could not be written (a full disk, a path that is not
  // writable): none was left under its final name.
  kWriteFailed,
};

// A Status says whether an operation succeeded, and if not, why. It never
// throws; the message is meant for a person.
class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  // A failure, with a message that says what went wrong.
  static Status Error(std::string message) {
    return Error(StatusCode::kInvalid, std::move(message));
  }
  static Status Error(StatusCode code, std::string message) {
    Status s;
    s.code_ = code;
    s.message_ = std::move(message);
    return s;
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }  // "" when ok()

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }  // OK when ok()
  const std::string& error() const { return status_.message(); }  // "" if ok

  // Require ok().
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace eligo

#endif  // ELIGO_STATUS_H_
