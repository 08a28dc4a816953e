#pragma once
// Precompiled header for LibTorch translation units: parsing torch.h costs ~15 s per file.
#include <torch/torch.h>
