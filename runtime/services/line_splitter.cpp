// Line splitting with a per-line memory bound (see line_splitter.h).
#include "services/line_splitter.h"

#include <algorithm>

namespace flow::runtime {

void LineSplitter::append_partial(std::string_view piece) {
  const std::size_t room = max_line_ - std::min(max_line_, partial_.size());
  const std::size_t take = std::min(room, piece.size());
  partial_.append(piece.substr(0, take));
  cut_ += piece.size() - take;
}

void LineSplitter::emit(std::string_view line, const Sink& sink) {
  // A '\r' is only stripped when it really ended the line, not when the cut
  // happened to leave one at the end.
  if (cut_ == 0 && !line.empty() && line.back() == '\r') line.remove_suffix(1);
  sink(line, cut_);
}

void LineSplitter::feed(std::string_view bytes, const Sink& sink) {
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      append_partial(bytes);
      return;
    }
    const std::string_view piece = bytes.substr(0, nl);
    bytes.remove_prefix(nl + 1);
    if (partial_.empty() && cut_ == 0 && piece.size() <= max_line_) {
      emit(piece, sink);  // the common case: a whole line inside one chunk, no copy
      continue;
    }
    append_partial(piece);
    std::string line;
    line.swap(partial_);
    emit(line, sink);
    cut_ = 0;
  }
}

void LineSplitter::finish(const Sink& sink) {
  if (partial_.empty() && cut_ == 0) return;
  std::string line;
  line.swap(partial_);
  emit(line, sink);
  cut_ = 0;
}

}  // namespace flow::runtime
