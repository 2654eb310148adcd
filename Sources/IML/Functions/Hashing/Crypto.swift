internal import CCrypto

/// Digests, HMAC and RSA signatures from OpenSSL's libcrypto.
enum Crypto {
    enum Algorithm {
        case md5, sha1, sha256, sha384, sha512

        fileprivate var evp: OpaquePointer? {
            switch self {
            case .md5: EVP_md5()
            case .sha1: EVP_sha1()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    /// The digest of `data`.
    static func digest(_ algorithm: Algorithm, _ data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = data.withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &output, &length, algorithm.evp, nil)
        }
        guard status == 1 else {
            ERR_clear_error()
            return []
        }
        return Array(output.prefix(Int(length)))
    }

    /// The HMAC of `data` under `key`.
    static func hmac(_ algorithm: Algorithm, key: [UInt8], data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // A zero-length key must still pass a valid pointer.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            data.withUnsafeBufferPointer { input in
                HMAC(
                    algorithm.evp, keyBuffer.baseAddress, Int32(key.count), input.baseAddress, input.count, &output,
                    &length)
            }
        }
        guard result != nil else {
            ERR_clear_error()
            return []
        }
        return Array(output.prefix(Int(length)))
    }

    /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `data` with the PEM private key `pem`; `nil` when the key cannot
    /// be read or is not an RSA key.
    static func rsaSHA256Signature(pem: [UInt8], data: [UInt8]) -> [UInt8]? {
        defer { ERR_clear_error() }
        guard pem.count < Int(Int32.max) else { return nil }
        let key: OpaquePointer? = pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            // An empty passphrase: an encrypted key fails instead of prompting on a terminal.
            var empty: CChar = 0
            return PEM_read_bio_PrivateKey(bio, nil, nil, &empty)
        }
        guard let key else { return nil }
        defer { EVP_PKEY_free(key) }
        guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA else { return nil }
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { return nil }
        var length = 0
        let sized = data.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, nil, &length, input.baseAddress, input.count)
        }
        guard sized == 1, length > 0 else { return nil }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = data.withUnsafeBufferPointer { input in
            EVP_DigestSign(context, &signature, &length, input.baseAddress, input.count)
        }
        guard signed == 1 else { return nil }
        return Array(signature.prefix(length))
    }
}
