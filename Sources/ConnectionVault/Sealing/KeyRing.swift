import Synchronization

/// An unlocked vault's keys: the master key and the data keys it unwraps, with sealing helpers.
///
/// Values are sealed with the newest data key. Data keys are read from the `data_keys` table on demand, so a
/// rotation done by another process is picked up on the next miss.
final class KeyRing: Sendable {
    private struct State {
        var master: SecureBytes
        var dataKeys: [UInt32: SecureBytes] = [:]
    }

    /// The vault id bound into every ciphertext.
    let vaultID: String
    private let state: Mutex<State>

    static let keyCheckLocation = SealLocation(table: "vault", rowID: "1", field: "key_check")
    private static let keyCheckText = Array("connvault key check".utf8)

    static func dataKeyLocation(_ version: UInt32) -> SealLocation {
        SealLocation(table: "data_keys", rowID: String(version), field: "wrapped_key")
    }

    init(vaultID: String, master: SecureBytes) {
        self.vaultID = vaultID
        self.state = Mutex(State(master: master))
    }

    // MARK: Master key

    /// The key check value: a known text sealed under `master` (defaults to the current one).
    func makeKeyCheck(master: SecureBytes? = nil) -> [UInt8] {
        let master = master ?? state.withLock { $0.master }
        return Self.keyCheckText.withUnsafeBytes {
            SealedBox.seal($0, key: master, keyVersion: 0, vaultID: vaultID, location: Self.keyCheckLocation)
        }
    }

    /// Throws ``VaultError/wrongKey(_:)`` unless the master key opens the stored key check.
    func verifyKeyCheck(_ sealed: [UInt8]) throws(VaultError) {
        let master = state.withLock { $0.master }
        let matches = try? SealedBox.open(sealed, key: master, vaultID: vaultID, location: Self.keyCheckLocation) {
            $0.elementsEqual(Self.keyCheckText)
        }
        guard matches == true else { throw .wrongKey("the master key does not open this vault") }
    }

    /// Replaces the master key (after the data keys were re-wrapped under it).
    func replaceMaster(_ master: SecureBytes) {
        state.withLock { $0.master = master }
    }

    /// Seals a data key under the master key (or `master` when given).
    func wrap(_ dataKey: SecureBytes, version: UInt32, master: SecureBytes? = nil) -> [UInt8] {
        let master = master ?? state.withLock { $0.master }
        return dataKey.withUnsafeBytes {
            SealedBox.seal($0, key: master, keyVersion: 0, vaultID: vaultID, location: Self.dataKeyLocation(version))
        }
    }

    // MARK: Data keys

    /// Unwraps `wrapped` data keys (version, sealed key), replacing the cached ones.
    func replaceDataKeys(_ wrapped: [(version: UInt32, sealed: [UInt8])]) throws {
        let master = state.withLock { $0.master }
        var keys: [UInt32: SecureBytes] = [:]
        for (version, sealed) in wrapped {
            let location = Self.dataKeyLocation(version)
            keys[version] = try SealedBox.open(sealed, key: master, vaultID: vaultID, location: location) { bytes in
                guard bytes.count == SealedBox.keyBytes else { throw SealingError.malformed(location) }
                return SecureBytes(copying: bytes)
            }
        }
        state.withLock { $0.dataKeys = keys }
    }

    /// The data key of `version`; on a miss, `reload` supplies the wrapped keys once (another process may
    /// have rotated).
    func dataKey(_ version: UInt32, reload: () throws -> [(version: UInt32, sealed: [UInt8])]) throws -> SecureBytes? {
        if let key = state.withLock({ $0.dataKeys[version] }) { return key }
        try replaceDataKeys(reload())
        return state.withLock { $0.dataKeys[version] }
    }

    // MARK: Sealing values

    /// Seals `plaintext` for `location` with a given data key.
    func seal(_ plaintext: [UInt8], at location: SealLocation, key: SecureBytes, version: UInt32) -> [UInt8] {
        plaintext.withUnsafeBytes {
            SealedBox.seal($0, key: key, keyVersion: version, vaultID: vaultID, location: location)
        }
    }

    /// Opens a sealed value stored at `location` and passes its plaintext to `body`.
    func open<R>(
        _ sealed: [UInt8], at location: SealLocation,
        reload: () throws -> [(version: UInt32, sealed: [UInt8])],
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try sealed.withUnsafeBytes { try open($0, at: location, reload: reload, body) }
    }

    /// Opens sealed bytes read in place and passes the plaintext to `body`.
    func open<R>(
        _ sealed: UnsafeRawBufferPointer, at location: SealLocation,
        reload: () throws -> [(version: UInt32, sealed: [UInt8])],
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        guard let version = SealedBox.keyVersion(of: sealed) else { throw SealingError.malformed(location) }
        guard let key = try dataKey(version, reload: reload) else {
            throw SealingError.unknownKeyVersion(version, location)
        }
        return try SealedBox.open(sealed, key: key, vaultID: vaultID, location: location, body)
    }
}

extension KeyRing {
    /// Opens `sealed` at `location` and seals its plaintext again under `key` (for rotation), never parsing it.
    func reseal(
        _ sealed: [UInt8], at location: SealLocation, key: SecureBytes, version: UInt32,
        reload: () throws -> [(version: UInt32, sealed: [UInt8])]
    ) throws -> [UInt8] {
        try open(sealed, at: location, reload: reload) { plaintext in
            SealedBox.seal(plaintext, key: key, keyVersion: version, vaultID: vaultID, location: location)
        }
    }
}
