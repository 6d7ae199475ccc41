// The nested program of the ingress tests (nested_source.h).
#include "nested_source.h"

namespace flow::testing {

const IngressProgram& nested() {
  static std::unique_ptr<IngressProgram> program =
      compile_program({{"nested.flow", kNestedSource}},
                      {{"LineItem", "tags", eval::Value::list({})}, {"Address", "country", eval::Value::string("NL")}});
  return *program;
}

std::string nested_order(const std::string& extra, const std::vector<std::string>& without) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"order_id", R"("o-1")"},
      {"customer",
       R"({"name":"Ada","address":{"street":"Main 1","city":"Utrecht","country":"NL","zip":"3511"},"tier":"Web"})"},
      {"ship_to", R"({"street":"Dock 2","city":"Gent","country":"BE"})"},
      {"bill_to", "null"},
      {"items",
       R"([{"sku":"A-1","qty":2,"price":12.50,"tags":["red"]},{"sku":"B-2","qty":10,"price":0.99,"tags":[],"gift":true}])"},
      {"maybe", R"([null,{"sku":"C-3","qty":1,"price":"5","tags":["x","y"]}])"},
      {"labels", R"({"prio":"high","channel":"web"})"},
      {"counts", R"({"b":2,"a":-3})"},
      {"stock", R"({"A-1":{"sku":"A-1","qty":5,"price":1E+2,"tags":[]}})"},
      {"routes", R"([{"north":[{"street":"N 1","city":"Oslo","country":"NO"}],"none":[]},{}])"},
      {"total", "34.90"},
      {"fees", "[0.10,2,-0.00]"},
  };
  return object_of(fields, extra, without);
}

}  // namespace flow::testing
