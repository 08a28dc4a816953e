# Precompiled <torch/torch.h> for a target's LibTorch sources only: loading the large PCH costs
# seconds per file, wasted on sources that never touch torch, and parsing torch.h without it costs
# ~15 s. A source counts as a LibTorch one when its text mentions torch, models/vision, data/vision or
# training/.
function(riskstep_torch_pch target)
  target_precompile_headers(${target} PRIVATE ${CMAKE_SOURCE_DIR}/cmake/torch_pch.h)
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  foreach(source ${sources})
    get_filename_component(path ${source} ABSOLUTE BASE_DIR ${source_dir})
    file(READ ${path} content)
    if(NOT content MATCHES "torch|models/vision/|data/vision/|training/")
      set_source_files_properties(${path} DIRECTORY ${source_dir} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
  endforeach()
endfunction()
