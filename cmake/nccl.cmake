# Detect CUDA + NCCL. With RISKSTEP_NCCL=AUTO the NCCL communicator is built when both are
# found (e.g. /usr/local/cuda); ON makes their absence an error; OFF skips them.
set(RISKSTEP_HAVE_NCCL OFF)
if(NOT RISKSTEP_NCCL STREQUAL "OFF")
  if(NOT DEFINED CUDAToolkit_ROOT AND EXISTS /usr/local/cuda)
    set(CUDAToolkit_ROOT /usr/local/cuda)
  endif()
  find_package(CUDAToolkit QUIET)
  # NCCL from NCCL_HOME, the CUDA toolkit, or python's nvidia-nccl wheel beside torch (which ships
  # only libnccl.so.2, no libnccl.so).
  set(RISKSTEP_NCCL_HINTS $ENV{NCCL_HOME} ${CUDAToolkit_LIBRARY_ROOT} ${CUDAToolkit_TARGET_DIR})
  if(RISKSTEP_TORCH_SITE)
    list(APPEND RISKSTEP_NCCL_HINTS ${RISKSTEP_TORCH_SITE}/nvidia/nccl ${RISKSTEP_TORCH_SITE}/nvidia/cu13)
  endif()
  find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${RISKSTEP_NCCL_HINTS} ${CUDAToolkit_INCLUDE_DIRS}
            PATH_SUFFIXES include)
  find_library(NCCL_LIBRARY NAMES nccl libnccl.so.2 HINTS ${RISKSTEP_NCCL_HINTS}
               ${CUDAToolkit_LIBRARY_DIR} PATH_SUFFIXES lib lib64)
  if(CUDAToolkit_FOUND AND NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
    set(RISKSTEP_HAVE_NCCL ON)
    message(STATUS "NCCL communicator: ON (${NCCL_LIBRARY}, CUDA ${CUDAToolkit_VERSION})")
  elseif(RISKSTEP_NCCL STREQUAL "ON")
    message(FATAL_ERROR "RISKSTEP_NCCL=ON but CUDA toolkit or NCCL was not found (set CUDAToolkit_ROOT / NCCL_HOME)")
  else()
    message(STATUS "NCCL communicator: OFF (CUDA or NCCL not found)")
  endif()
endif()
