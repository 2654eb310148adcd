/// A value bound to, or read from, an SQL statement.
enum DatabaseValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Types that bind as an SQL value.
protocol DatabaseValueConvertible {
    var databaseValue: DatabaseValue { get }
}

extension DatabaseValue: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { self }
}
extension Int: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { .integer(Int64(self)) }
}
extension Int64: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { .integer(self) }
}
extension String: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { .text(self) }
}
extension [UInt8]: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { .blob(self) }
}
extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
}
