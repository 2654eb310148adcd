// Links the C math library that `Double.rounded(_:)` and friends call into.
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
