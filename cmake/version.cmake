# Git commit (+dirty) of the source tree, recorded in every result file.
execute_process(COMMAND git rev-parse HEAD WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE RISKSTEP_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
                OUTPUT_VARIABLE RISKSTEP_GIT_STATUS OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT RISKSTEP_GIT_COMMIT)
  set(RISKSTEP_GIT_COMMIT "unknown")
elseif(RISKSTEP_GIT_STATUS)
  set(RISKSTEP_GIT_COMMIT "${RISKSTEP_GIT_COMMIT}+dirty")
endif()
configure_file(${CMAKE_SOURCE_DIR}/pipeline/version.h.in ${CMAKE_BINARY_DIR}/generated/pipeline/version.h @ONLY)
