import CryptoKit
import Foundation

/// A SHA-256 digest that the caller already computed, presented to CryptoKit as a `Digest`.
///
/// Why a type of our own: ECDSA signs a hash. The C# side hashes the JWS signing input itself (ES256 is ECDSA over
/// SHA-256 of that input) and passes the 32-byte result. CryptoKit offers two ways to sign with a Secure Enclave
/// key: `signature(for: some DataProtocol)` hashes its input with SHA-256 first, so handing it our digest would sign
/// SHA-256(SHA-256(input)) and no ES256 verifier would accept the result; and `signature(for: some Digest)` signs
/// the digest's bytes as the hash, which is what we want. `SHA256Digest` has no public initialiser from bytes, but
/// `Digest` is a public protocol (byteCount plus ContiguousBytes), so a conforming type is the supported way in.
/// The alternative, `SecKeyCreateSignature(.ecdsaSignatureDigestX962SHA256)`, needs the key as a SecKey, which for
/// an Enclave key means the data-protection keychain that launch daemons cannot use.
struct PrecomputedSHA256Digest: Digest {
    static var byteCount: Int { sha256DigestBytes }

    private let bytes: [UInt8]

    /// Nil unless exactly 32 bytes: a wrong length would be signed as a truncated or padded hash.
    init?(_ data: Data) {
        guard data.count == sha256DigestBytes else { return nil }
        bytes = [UInt8](data)
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    func makeIterator() -> Array<UInt8>.Iterator { bytes.makeIterator() }

    func hash(into hasher: inout Hasher) { hasher.combine(bytes) }

    static func == (lhs: PrecomputedSHA256Digest, rhs: PrecomputedSHA256Digest) -> Bool { lhs.bytes == rhs.bytes }

    var description: String { "PrecomputedSHA256Digest(32 bytes)" }
}
