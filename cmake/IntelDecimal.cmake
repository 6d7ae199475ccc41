# Finds Intel's Decimal Floating-Point Math Library (Debian's
# libintelrdfpmath-dev), the decimal128 arithmetic under flow_rt's decimals,
# as the imported target IntelDecimal::bid.
#
# Debian ships the library in 16 static builds, libbidgccXYZ[b].a. The digits
# are the build options of bid_conf.h: X = DECIMAL_CALL_BY_REFERENCE,
# Y = DECIMAL_GLOBAL_ROUNDING, Z = DECIMAL_GLOBAL_EXCEPTION_FLAGS; a trailing
# `b` saves and restores the binary floating-point status flags around each
# call. Flow uses 000: values by value, the rounding mode and the status
# flags as arguments (no global or thread-local state), and the binary flags
# left alone (nothing in Flow reads them). The target pins the same options
# for the headers, which otherwise default to them.
find_path(INTEL_DECIMAL_INCLUDE_DIR bid_functions.h REQUIRED)
find_library(INTEL_DECIMAL_LIB NAMES libbidgcc000.a REQUIRED)

add_library(IntelDecimal::bid STATIC IMPORTED)
set_target_properties(IntelDecimal::bid PROPERTIES
  IMPORTED_LOCATION ${INTEL_DECIMAL_LIB}
  INTERFACE_INCLUDE_DIRECTORIES ${INTEL_DECIMAL_INCLUDE_DIR}
  INTERFACE_COMPILE_DEFINITIONS
    "DECIMAL_CALL_BY_REFERENCE=0;DECIMAL_GLOBAL_ROUNDING=0;DECIMAL_GLOBAL_EXCEPTION_FLAGS=0")
