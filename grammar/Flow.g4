// Flow.g4 — the grammar of the Flow language (docs/reference.md).
// Kept SLL-friendly: no alternative needs full-context lookahead, so the
// two-stage parse (SLL first, LL on failure) almost always finishes in SLL.
// Semantic rules (one `consumes`, `else` required, key types, ...) are checked
// after parsing, where a precise diagnostic can be given.
grammar Flow;

file        : moduleDecl? importDecl* decl* EOF ;
moduleDecl  : MODULE qualifiedName sep? ;
importDecl  : IMPORT qualifiedName (AS IDENT)? sep? ;
qualifiedName : IDENT (DOT IDENT)* ;
sep         : COMMA | SEMI ;

decl
  : enumDecl
  | eventDecl
  | recordDecl
  | constDecl
  | ruleDecl
  | decisionDecl
  | serviceDecl
  | flowDecl
  ;

enumDecl    : ENUM IDENT LBRACE (IDENT sep?)* RBRACE ;

eventDecl   : EVENT IDENT LBRACE (eventMember sep?)* RBRACE ;
eventMember
  : ELLIPSIS qualifiedName                          # includeMember
  | KEY? IDENT COLON typeRef (ASSIGN expr)?         # fieldMember
  ;

// A record has an event's members; `key` is parsed so the checker can say
// why a record has none.
recordDecl  : RECORD IDENT LBRACE (eventMember sep?)* RBRACE ;

typeRef     : qualifiedName (LT typeRef (COMMA typeRef)* GT)? QUESTION? ;

constDecl   : CONST IDENT (COLON typeRef)? ASSIGN expr sep? ;
param       : IDENT COLON qualifiedName ;
ruleDecl    : RULE IDENT LPAREN param RPAREN ASSIGN expr sep? ;
decisionDecl
  : DECISION IDENT LPAREN param RPAREN ARROW typeRef LBRACE decisionArm* elseArm? RBRACE ;
decisionArm : WHEN expr FATARROW expr sep? ;
elseArm     : ELSE FATARROW expr sep? ;

serviceDecl : SERVICE IDENT LBRACE (serviceItem sep?)* RBRACE ;
serviceItem
  : CONSUMES (IDENT COLON)? qualifiedName                     # consumesItem
  | PUBLISHES qualifiedName (COMMA qualifiedName)*            # publishesItem
  | EXEC STRING                                               # execItem
  | BUILTIN STRING                                            # builtinItem
  | HTTP STRING                                               # httpItem
  | EMIT qualifiedName LBRACE (emitInit sep?)* RBRACE (WHEN expr)?  # emitItem
  | TIMEOUT DURATION                                          # timeoutItem
  | RETRY INT (BACKOFF DURATION)?                             # retryItem
  | CONCURRENCY INT                                           # concurrencyItem
  ;
emitInit
  : ELLIPSIS IDENT                                  # spreadInit
  | IDENT COLON expr                                # fieldInit
  ;

flowDecl    : FLOW IDENT LBRACE (flowItem sep?)* RBRACE ;
flowItem
  : START qualifiedName (COMMA qualifiedName)*                # startItem
  | ACCEPTS qualifiedName (COMMA qualifiedName)*              # acceptsItem
  | END qualifiedName (COMMA qualifiedName)*                  # endItem
  | ON qualifiedName (WHEN expr)? ARROW qualifiedName (COMMA qualifiedName)*  # onItem
  ;

// Precedence, low to high, as language.md §6 lists it. `?.` is two tokens
// (so `string?...Other` still lexes in an event); the parse adapter
// requires them to touch.
expr
  : primary                                                   # primaryExpr
  | expr DOT IDENT                                            # fieldExpr
  | expr QUESTION DOT IDENT                                   # optionalFieldExpr
  | expr LPAREN (argument (COMMA argument)*)? RPAREN          # callExpr
  | expr LBRACK expr RBRACK                                   # indexExpr
  | MINUS expr                                                # negExpr
  | expr op=(STAR | SLASH | PERCENT) expr                     # mulExpr
  | expr op=(PLUS | MINUS) expr                               # addExpr
  | <assoc=right> expr QQ expr                                # coalesceExpr
  | expr op=(EQ | NE | LT | LE | GT | GE) expr                # compareExpr
  | expr NOT? IN expr                                         # inExpr
  | NOT expr                                                  # notExpr
  | expr AND expr                                             # andExpr
  | expr OR expr                                              # orExpr
  | IF expr THEN expr ELSE expr                               # ifExpr
  ;

// A lambda is only written as a call's argument, so `when c => v` in a
// decision never reads as one; its body extends as far as an expression
// does (to the next `,` or `)`).
argument
  : lambdaParams FATARROW expr           # lambdaArg
  | expr                                 # exprArg
  ;
lambdaParams : IDENT | LPAREN (IDENT (COMMA IDENT)*)? RPAREN ;

primary
  : INT                                  # intLit
  | FLOAT                                # floatLit
  | DECIMAL                              # decimalLit
  | STRING                               # stringLit
  | (TRUE | FALSE)                       # boolLit
  | NONE                                 # noneLit
  | DURATION                             # durationLit
  | TIMESTAMP                            # timestampLit
  | LBRACK (expr (COMMA expr)*)? COMMA? RBRACK   # listLit
  | LBRACE (mapEntry (COMMA mapEntry)*)? COMMA? RBRACE   # mapLit
  | qualifiedName LBRACE (recordInit sep?)* RBRACE      # recordLit
  | IDENT                                # nameRef
  | IT                                   # itRef
  | LPAREN expr RPAREN                   # parenExpr
  ;

mapEntry    : expr COLON expr ;
recordInit
  : ELLIPSIS expr                        # spreadRecordInit
  | IDENT COLON expr                     # fieldRecordInit
  ;

// ---- Lexer ----
MODULE: 'module'; IMPORT: 'import'; AS: 'as'; ENUM: 'enum'; EVENT: 'event'; RECORD: 'record';
KEY: 'key'; CONST: 'const'; RULE: 'rule'; DECISION: 'decision'; WHEN: 'when';
ELSE: 'else'; SERVICE: 'service'; CONSUMES: 'consumes'; PUBLISHES: 'publishes';
EXEC: 'exec'; BUILTIN: 'builtin'; HTTP: 'http'; EMIT: 'emit'; TIMEOUT: 'timeout'; RETRY: 'retry';
BACKOFF: 'backoff'; CONCURRENCY: 'concurrency'; FLOW: 'flow'; START: 'start';
ACCEPTS: 'accepts'; END: 'end'; ON: 'on'; IF: 'if'; THEN: 'then'; AND: 'and';
OR: 'or'; NOT: 'not'; IN: 'in'; TRUE: 'true'; FALSE: 'false'; NONE: 'none'; IT: 'it';

ELLIPSIS: '...'; DOT: '.'; COMMA: ','; SEMI: ';'; COLON: ':'; LBRACE: '{';
RBRACE: '}'; LPAREN: '('; RPAREN: ')'; LBRACK: '['; RBRACK: ']';
FATARROW: '=>'; ARROW: '->'; EQ: '=='; NE: '!='; LE: '<='; GE: '>='; LT: '<';
GT: '>'; ASSIGN: '='; QQ: '??'; QUESTION: '?'; PLUS: '+'; MINUS: '-'; STAR: '*';
SLASH: '/'; PERCENT: '%';

TIMESTAMP: '@' DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT
           [Tt] DIGIT DIGIT ':' DIGIT DIGIT ':' DIGIT DIGIT ('.' DIGIT+)?
           ([Zz] | [+-] DIGIT DIGIT ':' DIGIT DIGIT) ;
DURATION: DIGITS ('ms' | 's' | 'm' | 'h' | 'd') ;
// `12.50d`; `12d` is a duration (days), so a decimal always has a point.
DECIMAL: DIGITS '.' DIGITS 'd' ;
FLOAT: DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT ;
INT: DIGITS ;
STRING: '"' (ESC | ~["\\\r\n])* '"' ;
IDENT: [A-Za-z_] [A-Za-z0-9_]* ;

// Comments stay in the token stream on hidden channels so tools that print
// the source back (flowc fmt) keep them; the parser never sees them.
DOC_COMMENT: '///' ~[\r\n]* -> channel(2) ;
LINE_COMMENT: '//' ~[\r\n]* -> channel(3) ;
BLOCK_COMMENT: '/*' .*? '*/' -> channel(3) ;
WS: [ \t\r\n\f]+ -> skip ;

// Error tokens: turned into precise diagnostics by the parse adapter instead
// of the lexer's generic "token recognition error".
UNTERMINATED_STRING: '"' (ESC | ~["\\\r\n])* ;
// Cannot contain '*/', so it never outmatches a closed BLOCK_COMMENT.
UNTERMINATED_COMMENT: '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
BAD_CHAR: . ;

fragment DIGIT: [0-9] ;
fragment DIGITS: DIGIT ('_'? DIGIT)* ;
fragment EXPONENT: [eE] [+-]? DIGIT+ ;
fragment ESC: '\\' (["\\nt] | 'u{' [0-9A-Fa-f]+ '}' | ~["\\nt]) ;
