// The C library of the platform, chosen once: Hamlet's modules `import Platform` rather than repeating the
// Glibc-or-Darwin choice in every file that calls it.
#if canImport(Glibc)
    @_exported import Glibc
#elseif canImport(Darwin)
    @_exported import Darwin
#endif
