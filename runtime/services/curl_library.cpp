// Loading libcurl on first use (see curl_library.h).
#include "services/curl_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

namespace flow::runtime {

namespace {

struct Loaded {
  CurlApi api{};
  std::string error;  // empty when api is usable
};

/// Looks `name` up into `slot`; false (with `error`) when it is missing.
template <typename Fn>
bool bind(void* library, const char* name, Fn& slot, std::string& error) {
  slot = reinterpret_cast<Fn>(dlsym(library, name));
  if (!slot) error = std::string("libcurl has no ") + name + " (a libcurl older than 7.84?)";
  return slot != nullptr;
}

Loaded load() {
  Loaded out;
  void* library = nullptr;
  std::string tried;
  const char* override_path = std::getenv("FLOW_LIBCURL");
  const char* const candidates[] = {override_path, "libcurl.so.4", "libcurl-gnutls.so.4"};
  for (const char* candidate : candidates) {
    if (!candidate || !*candidate) continue;
    library = dlopen(candidate, RTLD_NOW | RTLD_LOCAL);
    if (library) break;
    const char* why = dlerror();
    tried += std::string(tried.empty() ? "" : "; ") + (why ? why : candidate);
    if (candidate == override_path) break;  // asked for that one: no other
  }
  if (!library) {
    out.error = "http services need libcurl (Debian: libcurl4), which cannot be loaded: " + tried;
    return out;
  }
  CurlApi& a = out.api;
  std::string& e = out.error;
  const bool bound =
      bind(library, "curl_easy_init", a.easy_init, e) && bind(library, "curl_easy_setopt", a.easy_setopt, e) &&
      bind(library, "curl_easy_getinfo", a.easy_getinfo, e) && bind(library, "curl_easy_header", a.easy_header, e) &&
      bind(library, "curl_easy_cleanup", a.easy_cleanup, e) &&
      bind(library, "curl_easy_strerror", a.easy_strerror, e) && bind(library, "curl_multi_init", a.multi_init, e) &&
      bind(library, "curl_multi_setopt", a.multi_setopt, e) &&
      bind(library, "curl_multi_add_handle", a.multi_add_handle, e) &&
      bind(library, "curl_multi_remove_handle", a.multi_remove_handle, e) &&
      bind(library, "curl_multi_socket_action", a.multi_socket_action, e) &&
      bind(library, "curl_multi_info_read", a.multi_info_read, e) &&
      bind(library, "curl_multi_cleanup", a.multi_cleanup, e) &&
      bind(library, "curl_multi_strerror", a.multi_strerror, e) &&
      bind(library, "curl_slist_append", a.slist_append, e) &&
      bind(library, "curl_slist_free_all", a.slist_free_all, e) && bind(library, "curl_getdate", a.getdate, e);
  if (!bound) return out;
  decltype(&curl_global_init) global_init = nullptr;
  if (!bind(library, "curl_global_init", global_init, e)) return out;
  if (const CURLcode code = global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    e = std::string("libcurl failed to initialise: ") + a.easy_strerror(code);
  }
  return out;
}

}  // namespace

const CurlApi* load_curl(std::string& error) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load(); });
  if (!loaded.error.empty()) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.api;
}

}  // namespace flow::runtime
