// Turns ANTLR's parse tree into the Flow AST. Internal to compiler/parse/.
#pragma once

#include "FlowParser.h"
#include "antlr4-runtime.h"
#include "ast/ast.h"
#include "diag/diagnostic.h"
#include "parse/token_offsets.h"

namespace flow::parse_detail {

class AstBuilder {
 public:
  AstBuilder(const SourceFile& file, const DecodedText& decoded, antlr4::BufferedTokenStream& tokens,
             DiagnosticEngine& diags)
      : file_(file), decoded_(decoded), tokens_(tokens), diags_(diags) {}

  std::unique_ptr<ast::Module> build(flow_parser::FlowParser::FileContext* ctx);

 private:
  SourceRange range(antlr4::ParserRuleContext* ctx) const;
  SourceRange range(antlr4::Token* token) const;
  SourceRange range(antlr4::tree::TerminalNode* node) const {
    return node ? range(node->getSymbol()) : SourceRange{&file_, 0, 0};
  }
  std::string text(antlr4::tree::TerminalNode* node) const;
  std::string doc_comment(antlr4::ParserRuleContext* ctx) const;

  ast::QualifiedName qualified_name(flow_parser::FlowParser::QualifiedNameContext* ctx);
  ast::TypeRef type_ref(flow_parser::FlowParser::TypeRefContext* ctx);
  ast::Param param(flow_parser::FlowParser::ParamContext* ctx);
  std::unique_ptr<ast::Decl> decl(flow_parser::FlowParser::DeclContext* ctx);
  std::unique_ptr<ast::Decl> enum_decl(flow_parser::FlowParser::EnumDeclContext* ctx);
  std::unique_ptr<ast::Decl> event_decl(flow_parser::FlowParser::EventDeclContext* ctx);
  std::unique_ptr<ast::Decl> record_decl(flow_parser::FlowParser::RecordDeclContext* ctx);
  std::vector<ast::EventMember> members(const std::vector<flow_parser::FlowParser::EventMemberContext*>& written);
  std::unique_ptr<ast::Decl> const_decl(flow_parser::FlowParser::ConstDeclContext* ctx);
  std::unique_ptr<ast::Decl> rule_decl(flow_parser::FlowParser::RuleDeclContext* ctx);
  std::unique_ptr<ast::Decl> decision_decl(flow_parser::FlowParser::DecisionDeclContext* ctx);
  std::unique_ptr<ast::Decl> service_decl(flow_parser::FlowParser::ServiceDeclContext* ctx);
  std::unique_ptr<ast::Decl> flow_decl(flow_parser::FlowParser::FlowDeclContext* ctx);
  std::vector<ast::QualifiedName> name_list(const std::vector<flow_parser::FlowParser::QualifiedNameContext*>& names);

  ast::ExprPtr expr(flow_parser::FlowParser::ExprContext* ctx);
  ast::ExprPtr expr_unguarded(flow_parser::FlowParser::ExprContext* ctx);
  ast::ExprPtr primary(flow_parser::FlowParser::PrimaryContext* ctx, SourceRange r);
  ast::ExprPtr argument(flow_parser::FlowParser::ArgumentContext* ctx);
  ast::ExprPtr record_literal(flow_parser::FlowParser::RecordLitContext* ctx, SourceRange r);
  ast::ExprPtr decimal_literal(flow_parser::FlowParser::DecimalLitContext* ctx, SourceRange r);
  ast::ExprPtr error_expr(SourceRange r);
  int64_t duration_literal(antlr4::tree::TerminalNode* node);
  std::string string_literal(antlr4::tree::TerminalNode* node);

  const SourceFile& file_;
  const DecodedText& decoded_;
  antlr4::BufferedTokenStream& tokens_;
  DiagnosticEngine& diags_;
  int depth_ = 0;
  bool reported_depth_ = false;
};

}  // namespace flow::parse_detail
