// Drives ANTLR: decode, lex, vet the token stream (lexical errors, nesting
// depth), then parse in two stages — SLL with a bailing strategy, and only
// on failure full LL with error recovery and diagnostics.
#include <algorithm>
#include <set>
#include <sstream>

#include "FlowLexer.h"
#include "FlowParser.h"
#include "antlr4-runtime.h"
#include "parse/ast_builder.h"
#include "parse/parser.h"
#include "parse/token_offsets.h"

namespace flow {

namespace {

using FP = flow_parser::FlowParser;
using parse_detail::DecodedText;

/// Input stream over already-decoded code points (ANTLR's own UTF-8 decoder
/// throws on invalid input).
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string code_points) {
    _data = std::move(code_points);
    p = 0;
  }
};

SourceRange token_range(const SourceFile& file, const DecodedText& decoded, antlr4::Token* token) {
  size_t start = token->getStartIndex();
  size_t stop = token->getStopIndex();
  if (token->getType() == antlr4::Token::EOF || start == INVALID_INDEX) {
    uint32_t end = static_cast<uint32_t>(file.text().size());
    return {&file, end, end};
  }
  uint32_t begin = decoded.byte_offset(start);
  uint32_t end = stop + 1 > start ? decoded.byte_offset(stop + 1) : begin;
  return {&file, begin, std::max(begin, end)};
}

std::string describe_token(antlr4::Token* token, const antlr4::dfa::Vocabulary& vocabulary) {
  if (token->getType() == antlr4::Token::EOF) return "end of file";
  std::string literal = vocabulary.getLiteralName(token->getType());
  if (!literal.empty()) return literal;  // already quoted: 'event'
  switch (token->getType()) {
    case FP::IDENT: return "identifier '" + token->getText() + "'";
    case FP::STRING: return "string literal";
    case FP::INT: return "integer literal";
    case FP::FLOAT: return "float literal";
    case FP::DECIMAL: return "decimal literal";
    case FP::DURATION: return "duration literal";
    case FP::TIMESTAMP: return "timestamp literal";
    default: return vocabulary.getDisplayName(token->getType());
  }
}

std::string describe_expected(const antlr4::misc::IntervalSet& expected, const antlr4::dfa::Vocabulary& vocabulary) {
  std::vector<std::string> names;
  for (size_t type : expected.toList()) {
    if (type == static_cast<size_t>(antlr4::Token::EOF)) {
      names.push_back("end of file");
      continue;
    }
    std::string literal = vocabulary.getLiteralName(type);
    if (!literal.empty()) {
      names.push_back(literal);
      continue;
    }
    switch (type) {
      case FP::IDENT: names.push_back("a name"); break;
      case FP::STRING: names.push_back("a string"); break;
      case FP::INT: names.push_back("an integer"); break;
      case FP::DURATION: names.push_back("a duration"); break;
      default: names.push_back(vocabulary.getDisplayName(type)); break;
    }
  }
  // Nine: what may start a file's next declaration (end of file and the
  // eight declaration keywords); longer lists help nobody.
  if (names.empty() || names.size() > 9) return "";
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

/// Source-level declaration regions: each starts at a declaration keyword
/// (those keywords appear nowhere else, so they mark declarations even in
/// broken input). Region -1 is whatever precedes the first keyword.
class DeclarationRegions {
 public:
  explicit DeclarationRegions(antlr4::CommonTokenStream& tokens) {
    for (antlr4::Token* token : tokens.getTokens()) {
      switch (token->getType()) {
        case FP::MODULE:
        case FP::IMPORT:
        case FP::ENUM:
        case FP::EVENT:
        case FP::RECORD:
        case FP::CONST:
        case FP::RULE:
        case FP::DECISION:
        case FP::SERVICE:
        case FP::FLOW: starts_.push_back(token->getTokenIndex()); break;
        default: break;
      }
    }
  }
  long region_of(size_t token_index) const {
    return static_cast<long>(std::upper_bound(starts_.begin(), starts_.end(), token_index) - starts_.begin()) - 1;
  }

 private:
  std::vector<size_t> starts_;
};

class SyntaxErrorCollector : public antlr4::BaseErrorListener {
 public:
  SyntaxErrorCollector(const SourceFile& file, const DecodedText& decoded, DiagnosticEngine& diags,
                       const DeclarationRegions& regions, std::set<long> regions_with_errors)
      : file_(file),
        decoded_(decoded),
        diags_(diags),
        regions_(regions),
        regions_with_errors_(std::move(regions_with_errors)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string& antlr_message, std::exception_ptr) override {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    // One mistake, one diagnostic: ANTLR resynchronises token by token, so a
    // missing '}' or an operand missing before the next declaration makes it
    // report one error after another until the declaration ends. Report only
    // the first error of each declaration, and none in a declaration whose
    // lexical error (say, a runaway string) already explains it. The
    // declaration is the one the parser is in, which may have swallowed the
    // keyword of the next: that one is then marked too, as its tokens are
    // parsed out of place.
    if (offending) {
      long offending_region = regions_.region_of(offending->getTokenIndex());
      long region = offending_region;
      for (antlr4::tree::ParseTree* ctx = parser ? parser->getContext() : nullptr; ctx; ctx = ctx->parent) {
        auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(ctx);
        bool declaration = dynamic_cast<FP::DeclContext*>(ctx) || dynamic_cast<FP::ModuleDeclContext*>(ctx) ||
                           dynamic_cast<FP::ImportDeclContext*>(ctx);
        if (declaration && rule->getStart()) {
          region = regions_.region_of(rule->getStart()->getTokenIndex());
          break;
        }
      }
      bool first = regions_with_errors_.insert(region).second;
      regions_with_errors_.insert(offending_region);
      if (!first) return;
    }
    if (++count_ > kMaxSyntaxErrors) return;
    if (count_ == kMaxSyntaxErrors) {
      // Random bytes would otherwise produce thousands of errors.
      diags_.report(DiagKind::SyntaxError,
                    offending ? token_range(file_, decoded_, offending) : SourceRange{&file_, 0, 0},
                    "too many syntax errors; stopping here");
      return;
    }
    if (!offending || !parser) {
      diags_.report(DiagKind::SyntaxError, {&file_, 0, 0}, antlr_message);
      return;
    }
    const auto& vocabulary = parser->getVocabulary();
    std::string message = "unexpected " + describe_token(offending, vocabulary);
    std::string expected;
    try {
      expected = describe_expected(parser->getExpectedTokens(), vocabulary);
    } catch (...) {
      // getExpectedTokens may fail in some recovery states; the message stays useful.
    }
    auto& d = diags_.report(DiagKind::SyntaxError, token_range(file_, decoded_, offending), message);
    if (!expected.empty()) d.help = "expected " + expected;
  }

 private:
  static constexpr int kMaxSyntaxErrors = 25;
  const SourceFile& file_;
  const DecodedText& decoded_;
  DiagnosticEngine& diags_;
  const DeclarationRegions& regions_;
  std::set<long> regions_with_errors_;
  int count_ = 0;
};

/// Reports lexical error tokens and repairs the stream so the parser does not
/// cascade: bad characters and unterminated comments are hidden, an
/// unterminated string becomes a string. Reports at most one lexical error
/// per declaration region, and adds the region of each to
/// `regions_with_errors`. Returns false when the input nests
/// too deeply to parse safely.
bool vet_tokens(antlr4::CommonTokenStream& tokens, const SourceFile& file, const DecodedText& decoded,
                const DeclarationRegions& regions, std::set<long>& regions_with_errors, DiagnosticEngine& diags) {
  int lexical_errors = 0;
  auto lexical = [&](DiagKind kind, antlr4::Token* token, const std::string& message) -> Diagnostic* {
    // One per declaration, as for syntax errors: a stray quote turns the
    // rest of the line inside out, and every piece would be reported.
    if (!regions_with_errors.insert(regions.region_of(token->getTokenIndex())).second) return nullptr;
    if (++lexical_errors > 20) return nullptr;
    return &diags.report(kind, token_range(file, decoded, token), message);
  };
  int depth = 0;
  int prefix_run = 0;
  int previous_type = -1;
  // Not previous_type: bad characters are hidden, and that tracks only
  // default-channel tokens.
  bool previous_bad = false;
  for (antlr4::Token* token : tokens.getTokens()) {
    auto* writable = dynamic_cast<antlr4::WritableToken*>(token);
    int type = static_cast<int>(token->getType());
    // Comments (hidden channels) are not code: they neither nest nor end a
    // run of bad characters.
    if (type == FP::LINE_COMMENT || type == FP::BLOCK_COMMENT || type == FP::DOC_COMMENT) continue;
    switch (type) {
      case FP::UNTERMINATED_STRING:
        if (auto* d = lexical(DiagKind::UnterminatedString, token, "unterminated string literal")) {
          d->help = "add the closing '\"' before the end of the line";
        }
        writable->setType(FP::STRING);
        break;
      case FP::UNTERMINATED_COMMENT:
        if (auto* d = lexical(DiagKind::UnterminatedComment, token, "unterminated block comment")) {
          d->help = "close the comment with '*/'";
        }
        writable->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        break;
      case FP::BAD_CHAR: {
        // One diagnostic per run of bad characters.
        if (!previous_bad) {
          bool replacement = token->getStartIndex() < decoded.code_points.size() &&
                             decoded.code_points[token->getStartIndex()] == 0xFFFD;
          if (replacement && decoded.first_invalid_byte != UINT32_MAX) {
            if (auto* d = lexical(DiagKind::InvalidUtf8, token, "invalid UTF-8 byte sequence")) {
              d->help = "Flow source files are UTF-8";
            }
          } else {
            lexical(DiagKind::InvalidCharacter, token, "unexpected character");
          }
        }
        writable->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        break;
      }
      case FP::LPAREN:
      case FP::LBRACK:
      case FP::LBRACE: ++depth; break;
      case FP::RPAREN:
      case FP::RBRACK:
      case FP::RBRACE:
        if (depth > 0) --depth;
        break;
      default: break;
    }
    // Prefix operators recurse in the parser like brackets do.
    bool prefix =
        type == FP::NOT || type == FP::IF || type == FP::THEN || type == FP::ELSE ||
        (type == FP::MINUS && previous_type != FP::IDENT && previous_type != FP::INT && previous_type != FP::FLOAT &&
         previous_type != FP::DECIMAL && previous_type != FP::RPAREN && previous_type != FP::RBRACK);
    bool operand = type == FP::IDENT || type == FP::INT || type == FP::FLOAT || type == FP::DECIMAL ||
                   type == FP::STRING || type == FP::DURATION || type == FP::TIMESTAMP || type == FP::TRUE ||
                   type == FP::FALSE || type == FP::NONE || type == FP::IT;
    if (prefix)
      ++prefix_run;
    else if (operand)
      prefix_run = 0;
    if (depth + prefix_run > kMaxNestingDepth) {
      diags
          .report(DiagKind::NestingTooDeep, token_range(file, decoded, token),
                  "nesting too deep (more than " + std::to_string(kMaxNestingDepth) + " levels)")
          .help = "split deeply nested expressions into named rules";
      return false;
    }
    if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) previous_type = type;
    previous_bad = type == FP::BAD_CHAR;
  }
  return true;
}

void collect_comments(antlr4::CommonTokenStream& tokens, const SourceFile& file, const DecodedText& decoded,
                      std::vector<Comment>& out) {
  for (antlr4::Token* token : tokens.getTokens()) {
    Comment::Kind kind;
    switch (token->getType()) {
      case FP::LINE_COMMENT: kind = Comment::Kind::Line; break;
      case FP::BLOCK_COMMENT: kind = Comment::Kind::Block; break;
      case FP::DOC_COMMENT: kind = Comment::Kind::Doc; break;
      default: continue;
    }
    Comment comment;
    comment.kind = kind;
    comment.range = token_range(file, decoded, token);
    comment.start = file.line_column(comment.range.begin);
    comment.text = std::string(file.text().substr(comment.range.begin, comment.range.end - comment.range.begin));
    out.push_back(std::move(comment));
  }
}

}  // namespace

std::unique_ptr<ast::Module> parse_module(const SourceFile& file, DiagnosticEngine& diags) {
  return parse_module(file, diags, nullptr);
}

std::unique_ptr<ast::Module> parse_module(const SourceFile& file, DiagnosticEngine& diags,
                                          std::vector<Comment>* comments) {
  DecodedText decoded = parse_detail::decode_utf8(std::string(file.text()));
  CodePointStream input(decoded.code_points);
  input.name = file.path();
  flow_parser::FlowLexer lexer(&input);
  lexer.removeErrorListeners();  // BAD_CHAR makes the lexer total
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  if (comments) collect_comments(tokens, file, decoded, *comments);

  size_t diagnostics_before = diags.diagnostics().size();
  DeclarationRegions regions(tokens);
  std::set<long> regions_with_errors;
  if (!vet_tokens(tokens, file, decoded, regions, regions_with_errors, diags)) {
    auto module = std::make_unique<ast::Module>();
    module->file = &file;
    return module;
  }
  // Invalid bytes inside strings or comments are not tokens of their own:
  // report the first one if the token scan did not.
  bool utf8_reported = false;
  for (size_t i = diagnostics_before; i < diags.diagnostics().size(); ++i) {
    utf8_reported |= diags.diagnostics()[i].kind == DiagKind::InvalidUtf8;
  }
  if (decoded.first_invalid_byte != UINT32_MAX && !utf8_reported) {
    diags
        .report(DiagKind::InvalidUtf8, {&file, decoded.first_invalid_byte, decoded.first_invalid_byte + 1},
                "invalid UTF-8 byte sequence")
        .help = "Flow source files are UTF-8";
  }

  flow_parser::FlowParser parser(&tokens);
  parser.removeErrorListeners();
  FP::FileContext* tree = nullptr;
  // Stage 1: SLL, bail at the first problem.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  SyntaxErrorCollector collector(file, decoded, diags, regions, std::move(regions_with_errors));
  if (!tree) {
    // Stage 2: full LL with recovery, to report every syntax error.
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&collector);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    tree = parser.file();
  }
  parse_detail::AstBuilder builder(file, decoded, tokens, diags);
  auto module = builder.build(tree);
  parser.removeErrorListeners();
  return module;
}

}  // namespace flow
