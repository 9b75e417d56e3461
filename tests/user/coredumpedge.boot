# Case 16 maps more than 65535 VMAs (PN_XNUM): debug_vm checks the whole mm after each VMA
# change, which makes it quadratic (minutes); the other checks stay on.
poison debug_tlb
