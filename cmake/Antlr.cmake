# Generates the parser from grammar/Flow.g4 at build time with Debian's
# `antlr4` tool; the generated sources live only in the build tree.
find_program(ANTLR4_TOOL antlr4 REQUIRED)
find_path(ANTLR4_INCLUDE_DIR antlr4-runtime.h PATH_SUFFIXES antlr4-runtime REQUIRED)
find_library(ANTLR4_RUNTIME_LIB antlr4-runtime REQUIRED)

set(FLOW_GRAMMAR ${PROJECT_SOURCE_DIR}/grammar/Flow.g4)
set(FLOW_GENERATED_DIR ${CMAKE_BINARY_DIR}/generated/parser)
set(FLOW_GENERATED_SOURCES
    ${FLOW_GENERATED_DIR}/FlowLexer.cpp ${FLOW_GENERATED_DIR}/FlowParser.cpp
    ${FLOW_GENERATED_DIR}/FlowVisitor.cpp ${FLOW_GENERATED_DIR}/FlowBaseVisitor.cpp)

add_custom_command(
  OUTPUT ${FLOW_GENERATED_SOURCES}
  COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener -package flow_parser
          -Xexact-output-dir -o ${FLOW_GENERATED_DIR} ${FLOW_GRAMMAR}
  DEPENDS ${FLOW_GRAMMAR}
  COMMENT "Generating the Flow parser with ANTLR"
  VERBATIM)

add_library(flow_grammar STATIC ${FLOW_GENERATED_SOURCES})
target_include_directories(flow_grammar SYSTEM PUBLIC ${FLOW_GENERATED_DIR} ${ANTLR4_INCLUDE_DIR})
target_link_libraries(flow_grammar PUBLIC ${ANTLR4_RUNTIME_LIB})
target_compile_options(flow_grammar PRIVATE -w)
set_target_properties(flow_grammar PROPERTIES POSITION_INDEPENDENT_CODE ON)
