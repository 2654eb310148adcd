internal import CSQLite

/// Watches every statement a ``Database`` runs, with whether it ran outside a transaction (autocommit).
///
/// Used by tests that prove every write is inside a `BEGIN IMMEDIATE` transaction.
final class StatementObserver {
    let onStatement: (String, Bool) -> Void

    init(_ onStatement: @escaping (String, Bool) -> Void) {
        self.onStatement = onStatement
    }
}

extension Database {
    /// Calls `observer` with each statement's SQL text as it starts; nil stops observing.
    ///
    /// The database keeps the observer alive while it is installed.
    func observeStatements(_ observer: StatementObserver?) {
        observerBox = observer
        guard let observer else {
            sqlite3_trace_v2(handle, 0, nil, nil)
            return
        }
        let context = Unmanaged.passUnretained(observer).toOpaque()
        sqlite3_trace_v2(handle, UInt32(SQLITE_TRACE_STMT), { _, context, statement, _ in
            guard let context, let statement else { return 0 }
            let observer = Unmanaged<StatementObserver>.fromOpaque(context).takeUnretainedValue()
            let handle = OpaquePointer(statement)
            let sql = sqlite3_sql(handle).map { String(cString: $0) } ?? ""
            observer.onStatement(sql, sqlite3_get_autocommit(sqlite3_db_handle(handle)) != 0)
            return 0
        }, context)
    }
}
