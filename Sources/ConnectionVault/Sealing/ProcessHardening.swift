internal import CSystem

/// Keeps key material out of core dumps and away from other processes of the same user.
public enum ProcessHardening {
    /// Disables core dumps (`RLIMIT_CORE` 0) and marks the process non-dumpable, which also stops other
    /// unprivileged processes from attaching to it or reading its memory. Call it before unlocking a vault.
    ///
    /// Returns false if either setting could not be applied.
    @discardableResult
    public static func apply() -> Bool {
        let noCore = cv_disable_core_dumps() == 0
        let notDumpable = cv_set_dumpable(0) == 0
        return noCore && notDumpable
    }

    /// Whether core dumps are off and the process is not dumpable.
    public static var isApplied: Bool {
        cv_core_dumps_disabled() != 0 && cv_get_dumpable() == 0
    }
}
