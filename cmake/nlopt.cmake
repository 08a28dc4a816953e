# NLopt's C API (NLopt::nlopt). Its CMake config is preferred, but Debian's libnlopt-cxx-dev also
# installs an "nlopt_cxx" config that find_package(NLopt) may pick, which has no NLopt::nlopt
# target: then, or without any config, the library and header are looked up directly.
find_package(NLopt CONFIG QUIET)
if(NOT TARGET NLopt::nlopt)
  find_path(RISKSTEP_NLOPT_INCLUDE_DIR nlopt.h)
  find_library(RISKSTEP_NLOPT_LIBRARY NAMES nlopt)
  if(NOT RISKSTEP_NLOPT_INCLUDE_DIR OR NOT RISKSTEP_NLOPT_LIBRARY)
    message(FATAL_ERROR "NLopt not found: install libnlopt-dev (Debian) or set NLopt_DIR")
  endif()
  add_library(NLopt::nlopt UNKNOWN IMPORTED)
  set_target_properties(NLopt::nlopt PROPERTIES IMPORTED_LOCATION ${RISKSTEP_NLOPT_LIBRARY}
                        INTERFACE_INCLUDE_DIRECTORIES ${RISKSTEP_NLOPT_INCLUDE_DIR})
  message(STATUS "NLopt: ${RISKSTEP_NLOPT_LIBRARY} (no NLopt::nlopt config target)")
endif()
