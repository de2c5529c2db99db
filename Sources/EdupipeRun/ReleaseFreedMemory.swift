/// glibc's `malloc_trim`, which Swift's Glibc module does not export:
/// returns the free pages of every malloc arena to the system.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32

/// Hands memory freed by one phase of a run back to the system before the
/// next, so the peak is the larger phase rather than the sum of phases.
func releaseFreedMemory() {
    #if os(Linux)
    _ = glibcMallocTrim(0)
    #endif
}
