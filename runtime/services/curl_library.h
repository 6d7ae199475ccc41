// libcurl, loaded when the first http delivery needs it: the functions the
// http runner calls, looked up in the shared library with dlopen/dlsym.
//
// Why not linked: libcurl brings OpenSSL, Kerberos, LDAP, SSH and more, and
// loading and initialising them costs every `flowrt` process about 4.5 ms of
// CPU — most of what a `flowrt run` start takes (docs/performance.md,
// "Start-up"). Only a run that delivers to an http service pays it here.
// The prototypes come from curl's own headers (decltype), so a call through
// the table is checked like a direct one.
//
// Limits: the library is looked for by its Debian soname (libcurl.so.4, the
// OpenSSL flavour, or libcurl-gnutls.so.4); $FLOW_LIBCURL names another
// file. Once loaded it stays loaded, and curl_global_init runs once.
#pragma once

#include <curl/curl.h>

#include <string>

namespace flow::runtime {

struct CurlApi {
  decltype(&curl_easy_init) easy_init;
  decltype(&curl_easy_setopt) easy_setopt;
  decltype(&curl_easy_getinfo) easy_getinfo;
  decltype(&curl_easy_header) easy_header;
  decltype(&curl_easy_cleanup) easy_cleanup;
  decltype(&curl_easy_strerror) easy_strerror;
  decltype(&curl_multi_init) multi_init;
  decltype(&curl_multi_setopt) multi_setopt;
  decltype(&curl_multi_add_handle) multi_add_handle;
  decltype(&curl_multi_remove_handle) multi_remove_handle;
  decltype(&curl_multi_socket_action) multi_socket_action;
  decltype(&curl_multi_info_read) multi_info_read;
  decltype(&curl_multi_cleanup) multi_cleanup;
  decltype(&curl_multi_strerror) multi_strerror;
  decltype(&curl_slist_append) slist_append;
  decltype(&curl_slist_free_all) slist_free_all;
  decltype(&curl_getdate) getdate;
};

/// The loaded library (thread-safe, once per process), or null with `error`
/// saying why it cannot be used.
const CurlApi* load_curl(std::string& error);

}  // namespace flow::runtime
