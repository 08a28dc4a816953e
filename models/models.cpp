// Anchor translation unit so riskstep_models always has at least one source.
