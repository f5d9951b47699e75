"""GPU offload: which backends this llama.cpp build has, how many layers fit on the
device, and loading with a fallback to fewer layers and then the CPU."""
