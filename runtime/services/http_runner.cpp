// HttpRunner's public face and its event loop: configuration checks,
// submit(), run() over the epoll set that holds libcurl's sockets and the
// timer, poll(), and shutdown.
#include "services/http_runner.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <system_error>

#include "services/http_runner_state.h"

namespace flow::runtime {

namespace {

// Socket events handed to libcurl per pass, and passes per run(), so that
// one run() stays short however busy the connections are.
constexpr int kEventsPerPass = 64;
constexpr int kPassesPerRun = 64;

void check_config(const HttpServiceConfig& c) {
  const auto bad = [&](const std::string& what) {
    throw std::invalid_argument("http service '" + c.name + "': " + what);
  };
  if (c.name.empty()) throw std::invalid_argument("http service without a name");
  if (c.url.empty()) bad("empty URL");
  if (c.timeout_us <= 0) bad("timeout must be positive");
  if (c.backoff_us < 0 || c.backoff_cap_us < 0) bad("backoff must not be negative");
  if (c.concurrency == 0) bad("concurrency must be at least 1");
}

UniqueFd checked_fd(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), what);
  return UniqueFd(fd);
}

}  // namespace

std::int64_t HttpRunner::State::mono() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

std::int64_t HttpRunner::State::wall() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

void HttpRunner::State::log(std::size_t svc, const std::string& text) const {
  options.log("[" + services[svc].config.name + "] flowrt: " + text);
}

std::size_t HttpRunner::State::pending() const {
  std::size_t n = 0;
  for (const HttpServiceState& s : services) n += s.deliveries.size();
  return n;
}

int HttpRunner::State::on_socket(CURL*, curl_socket_t socket, int what, void* state, void*) {
  auto* st = static_cast<State*>(state);
  const int epfd = st->epoll_fd.get();
  if (what == CURL_POLL_REMOVE) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, socket, nullptr);  // may be closed already: nothing to undo then
    return 0;
  }
  epoll_event ev{};
  ev.data.fd = socket;
  ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
  if (epoll_ctl(epfd, EPOLL_CTL_MOD, socket, &ev) != 0 && errno == ENOENT) epoll_ctl(epfd, EPOLL_CTL_ADD, socket, &ev);
  return 0;
}

int HttpRunner::State::on_timer(CURLM*, long timeout_ms, void* state) {
  auto* st = static_cast<State*>(state);
  if (timeout_ms < 0) {
    st->curl_deadline.reset();
  } else {
    st->curl_deadline = mono() + static_cast<std::int64_t>(timeout_ms) * 1000;
  }
  return 0;
}

bool HttpRunner::State::ensure_curl() {
  if (multi) return true;
  if (!curl_error.empty()) return false;
  curl = load_curl(curl_error);
  if (curl) {
    multi = curl->multi_init();
    if (!multi) curl_error = "libcurl could not make a multi handle";
  }
  if (!multi) {
    options.log("flowrt: " + curl_error);
    return false;
  }
  curl->multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &State::on_socket);
  curl->multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
  curl->multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &State::on_timer);
  curl->multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  // Room in the connection cache for every request that may be in flight,
  // so that idle keep-alive connections are not closed for lack of it.
  long connections = 0;
  for (const HttpServiceState& s : services) connections += static_cast<long>(s.config.concurrency);
  curl->multi_setopt(multi, CURLMOPT_MAXCONNECTS, std::max(connections, 4L));
  return true;
}

bool HttpRunner::State::transfer_io() {
  bool did = false;
  epoll_event events[kEventsPerPass];
  const int n = epoll_wait(epoll_fd.get(), events, kEventsPerPass, 0);
  for (int i = 0; i < n; ++i) {
    const int fd = events[i].data.fd;
    if (fd == timer_fd.get()) {
      std::uint64_t expirations = 0;
      [[maybe_unused]] const ssize_t r = ::read(fd, &expirations, sizeof expirations);
      continue;
    }
    if (!multi) continue;
    int flags = 0;
    if (events[i].events & EPOLLIN) flags |= CURL_CSELECT_IN;
    if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
    if (events[i].events & (EPOLLERR | EPOLLHUP)) flags |= CURL_CSELECT_ERR;
    int running = 0;
    curl->multi_socket_action(multi, fd, flags, &running);
    did = true;
  }
  if (multi && curl_deadline && mono() >= *curl_deadline) {
    curl_deadline.reset();
    int running = 0;
    curl->multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    did = true;
  }
  return did;
}

std::int64_t HttpRunner::State::next_timer() const {
  std::int64_t next = curl_deadline.value_or(std::numeric_limits<std::int64_t>::max());
  for (const HttpServiceState& s : services) {
    // A retry that could not start for want of a free slot starts when a
    // request ends, which wakes the loop anyway.
    if (s.in_flight >= s.config.concurrency || s.retry_due.empty()) continue;
    next = std::min(next, s.retry_due.begin()->first.first);
  }
  return next;
}

void HttpRunner::State::arm_timer() {
  const std::int64_t next = next_timer();
  itimerspec spec{};
  if (next != std::numeric_limits<std::int64_t>::max()) {
    // Absolute; a time already past fires at once (zero would disarm).
    const std::int64_t at = std::max<std::int64_t>(next, 1);
    spec.it_value.tv_sec = static_cast<time_t>(at / 1'000'000);
    spec.it_value.tv_nsec = static_cast<long>(at % 1'000'000) * 1000;
  }
  timerfd_settime(timer_fd.get(), TFD_TIMER_ABSTIME, &spec, nullptr);
}

HttpRunner::HttpRunner(std::vector<HttpServiceConfig> services, HttpRunnerOptions options)
    : state_(std::make_unique<State>()) {
  for (const HttpServiceConfig& c : services) check_config(c);
  if (!options.log) options.log = [](std::string_view line) { std::cerr << line << '\n'; };
  State& st = *state_;
  st.options = std::move(options);
  st.services.reserve(services.size());
  for (HttpServiceConfig& c : services) st.services.emplace_back(std::move(c));
  st.epoll_fd = checked_fd(epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
  st.timer_fd = checked_fd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC), "timerfd_create");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = st.timer_fd.get();
  if (epoll_ctl(st.epoll_fd.get(), EPOLL_CTL_ADD, st.timer_fd.get(), &ev) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }
  ignore_sigpipe_once();
}

HttpRunner::~HttpRunner() {
  std::vector<AttemptOutcome> dropped;
  shutdown(dropped);
}

std::size_t HttpRunner::service_count() const {
  return state_->services.size();
}

const HttpServiceConfig& HttpRunner::service(std::size_t service_index) const {
  return state_->services.at(service_index).config;
}

void HttpRunner::submit(std::size_t service_index, std::string delivery_id, HttpRequest request) {
  State& st = *state_;
  if (st.shut_down) throw std::logic_error("HttpRunner::submit after shutdown");
  HttpServiceState& s = st.services.at(service_index);
  if (delivery_id.empty()) throw std::invalid_argument("empty delivery id");
  if (s.deliveries.count(delivery_id) != 0) {
    throw std::invalid_argument("delivery '" + delivery_id + "' is already pending at service '" + s.config.name + "'");
  }
  HttpDelivery& d = s.deliveries[delivery_id];
  d.id = delivery_id;
  d.service = service_index;
  d.seq = st.next_seq++;
  d.request = std::move(request);
  s.fresh.push_back(std::move(delivery_id));
}

std::size_t HttpRunner::run(std::vector<AttemptOutcome>& out) {
  State& st = *state_;
  if (st.shut_down) return 0;
  for (int pass = 0; pass < kPassesPerRun; ++pass) {
    bool did = st.transfer_io();
    st.finish_transfers();
    did = st.start_ready(State::mono()) || did;
    if (!did) break;
  }
  st.arm_timer();
  const std::size_t n = st.outbox.size();
  std::move(st.outbox.begin(), st.outbox.end(), std::back_inserter(out));
  st.outbox.clear();
  return n;
}

int HttpRunner::wait_fd() const {
  return state_->epoll_fd.get();
}

std::size_t HttpRunner::poll(int timeout_ms, std::vector<AttemptOutcome>& out) {
  const std::int64_t deadline = State::mono() + static_cast<std::int64_t>(std::max(timeout_ms, 0)) * 1000;
  std::size_t n = 0;
  for (;;) {
    n += run(out);
    if (n > 0 || pending() == 0) break;
    const std::int64_t left = deadline - State::mono();
    if (left <= 0) break;
    pollfd p{wait_fd(), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>((left + 999) / 1000, 1'000'000)));
  }
  return n;
}

std::size_t HttpRunner::in_flight() const {
  std::size_t n = 0;
  for (const HttpServiceState& s : state_->services) n += s.in_flight;
  return n;
}

std::size_t HttpRunner::pending() const {
  return state_->pending();
}

HttpServiceStats HttpRunner::stats(std::size_t service_index) const {
  return state_->services.at(service_index).stats;
}

void HttpRunner::shutdown(std::vector<AttemptOutcome>& out) {
  State& st = *state_;
  if (st.shut_down) return;
  st.shut_down = true;
  const std::int64_t now_wall = State::wall();
  for (std::size_t i = 0; i < st.services.size(); ++i) {
    HttpServiceState& s = st.services[i];
    std::vector<HttpDelivery*> open;
    for (auto& [id, d] : s.deliveries) open.push_back(&d);
    std::sort(open.begin(), open.end(), [](const HttpDelivery* a, const HttpDelivery* b) { return a->seq < b->seq; });
    for (HttpDelivery* d : open) {
      AttemptOutcome o;
      o.delivery_id = d->id;
      o.service_index = i;
      o.service = s.config.name;
      o.attempt = d->easy ? d->attempts : d->attempts + 1;
      o.started_us = d->easy ? d->started_wall : now_wall;
      o.ended_us = now_wall;
      o.status = AttemptStatus::Cancelled;
      o.error = "the runtime shut down before the delivery settled";
      o.state = DeliveryState::Abandoned;
      out.push_back(std::move(o));
      st.end_transfer(*d);
      if (d->headers) st.curl->slist_free_all(d->headers);
    }
    s.deliveries.clear();
    s.fresh.clear();
    s.retry_due.clear();
  }
  if (st.multi) {
    st.curl->multi_cleanup(st.multi);
    st.multi = nullptr;
  }
}

}  // namespace flow::runtime
