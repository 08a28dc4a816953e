# LibTorch. Debian's CPU build (libtorch-dev, 1.13) by default; RISKSTEP_TORCH_DIR (a cache
# variable, or the environment variable of that name, which setup.sh passes on) picks another:
#   - the root of an official LibTorch zip (cxx11 ABI), which holds share/cmake/Torch;
#   - python's torch package, e.g. $(python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))'),
#     which holds share/cmake/Torch too (torch.utils.cmake_prefix_path is its share/cmake);
#   - any directory holding TorchConfig.cmake.
set(RISKSTEP_TORCH_DIR "$ENV{RISKSTEP_TORCH_DIR}" CACHE PATH
    "LibTorch to build against: a LibTorch zip's root, python's torch package, or a TorchConfig.cmake dir")
if(RISKSTEP_TORCH_DIR)
  find_path(RISKSTEP_TORCH_CONFIG_DIR TorchConfig.cmake NO_DEFAULT_PATH
            PATHS ${RISKSTEP_TORCH_DIR} ${RISKSTEP_TORCH_DIR}/share/cmake/Torch
                  ${RISKSTEP_TORCH_DIR}/Torch ${RISKSTEP_TORCH_DIR}/torch/share/cmake/Torch)
  if(NOT RISKSTEP_TORCH_CONFIG_DIR)
    message(FATAL_ERROR "RISKSTEP_TORCH_DIR=${RISKSTEP_TORCH_DIR}: no TorchConfig.cmake there, in "
                        "share/cmake/Torch or in torch/share/cmake/Torch")
  endif()
  set(Torch_DIR ${RISKSTEP_TORCH_CONFIG_DIR})
  # A python wheel's NCCL and cuDNN sit beside torch in site-packages/nvidia/.
  get_filename_component(RISKSTEP_TORCH_SITE ${RISKSTEP_TORCH_CONFIG_DIR}/../../../.. ABSOLUTE)
endif()
find_package(Torch REQUIRED)
message(STATUS "LibTorch ${Torch_VERSION} from ${Torch_DIR}")

# A LibTorch from python's wheel exports statically linked libstdc++ symbols (pytorch/pytorch
# issue 133437). The dynamic linker resolves each symbol in the first library of the binary's
# DT_NEEDED list that defines it, and the compiler driver appends libstdc++ after every library we
# name, so std::filesystem::remove_all came from libtorch.so and crashed. Naming libstdc++ first,
# before any object or library, makes libstdc++ the first definer of every std:: symbol.
add_link_options("LINKER:--push-state,--no-as-needed" "-lstdc++" "LINKER:--pop-state")
