// Runs a command and reports the peak memory and the time it took; fails
// when either is over a bound. For robust_test.sh: limits must end in an
// error within bounded memory and time, whatever the input.
//
// usage: eligo_measure MAX_MB MAX_SECONDS COMMAND [ARG...]
//
// Prints "exit STATUS peak_mb MB seconds S" on standard error, then exits
// with the command's status (128 + N when killed by signal N), or with 124
// when it ran over MAX_SECONDS (it is killed), or 125 when its peak memory
// was over MAX_MB.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s MAX_MB MAX_SECONDS COMMAND [ARG...]\n",
                 argv[0]);
    return 2;
  }
  long max_mb = std::atol(argv[1]);
  double max_seconds = std::atof(argv[2]);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) return 2;
  if (pid == 0) {
    execvp(argv[3], argv + 3);
    std::perror(argv[3]);
    _exit(127);
  }
  int status = 0;
  struct rusage usage = {};
  bool timed_out = false;
  while (true) {
    pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (done < 0) return 2;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (seconds > max_seconds && !timed_out) {
      timed_out = true;
      kill(pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  long peak_mb = usage.ru_maxrss / 1024;
  int code = WIFEXITED(status)     ? WEXITSTATUS(status)
             : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                   : 2;
  std::fprintf(stderr, "exit %d peak_mb %ld seconds %.2f\n", code, peak_mb,
               seconds);
  if (timed_out) {
    std::fprintf(stderr, "measure: over %g seconds: killed\n", max_seconds);
    return 124;
  }
  if (peak_mb > max_mb) {
    std::fprintf(stderr, "measure: peak memory %ld MB is over %ld MB\n",
                 peak_mb, max_mb);
    return 125;
  }
  return code;
}
