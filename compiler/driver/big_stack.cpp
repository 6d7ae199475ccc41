#include "driver/big_stack.h"

#include <pthread.h>

namespace flow {

namespace {
struct Job {
  const std::function<int()>* work;
  int result = 0;
};

void* trampoline(void* arg) {
  auto* job = static_cast<Job*>(arg);
  job->result = (*job->work)();
  return nullptr;
}
}  // namespace

int run_with_big_stack(const std::function<int()>& work, size_t stack_bytes) {
  Job job{&work};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  pthread_t thread;
  // Only touched pages are committed, so a large reservation costs nothing.
  if (pthread_create(&thread, &attr, trampoline, &job) != 0) {
    pthread_attr_destroy(&attr);
    return work();
  }
  pthread_attr_destroy(&attr);
  pthread_join(thread, nullptr);
  return job.result;
}

}  // namespace flow
