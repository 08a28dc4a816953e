# The git commit (+dirty) of the source tree, recorded in every result file. Read at every build,
# not only at configure time: otherwise a binary built after a commit would name the older one.
# cmake/write_version.cmake rewrites the header only when its text changes, so an unchanged tree
# recompiles nothing.
set(RISKSTEP_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/pipeline/version.h)
add_custom_target(riskstep_version
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${RISKSTEP_VERSION_HEADER}
          -DPROJECT_VERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${RISKSTEP_VERSION_HEADER}
  VERBATIM)
