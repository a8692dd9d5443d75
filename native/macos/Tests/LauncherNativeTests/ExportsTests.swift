import CryptoKit
import Foundation
import XCTest
@testable import LauncherNative

final class ExportsTests: XCTestCase {
    private var context: OpaquePointer?

    override func setUp() {
        super.setUp()
        var opened: OpaquePointer?
        XCTAssertEqual(lnk_open(nil, &opened, nil, 0), LnkStatus.ok.rawValue)
        context = opened
    }

    override func tearDown() {
        lnk_close(context)
        context = nil
        super.tearDown()
    }

    func testAbiVersion_IsOne() {
        XCTAssertEqual(lnk_abi_version(), 1)
    }

    func testDetail_IsTruncatedOnACharacterBoundaryAndTerminated() {
        var buffer = [CChar](repeating: 0x7F, count: 5)
        let capacity = buffer.count // read before the inout access: Swift forbids overlapping access
        writeDetail("abcé€", &buffer, capacity) // "abc" then a 2-byte é that would not fit whole
        XCTAssertEqual(String(cString: buffer), "abc")
    }

    func testOutput_TooSmall_ReportsSizeAndWritesNothing() {
        var buffer = [UInt8](repeating: 0xAA, count: 2)
        var length = buffer.count
        XCTAssertEqual(writeOutput(Data([1, 2, 3]), &buffer, &length), .bufferTooSmall)
        XCTAssertEqual(length, 3)
        XCTAssertEqual(buffer, [0xAA, 0xAA])
    }

    func testSign_WrongDigestLength_IsInvalidArgument() {
        let blob = [UInt8](repeating: 1, count: 10)
        let digest = [UInt8](repeating: 2, count: 31)
        var signature = [UInt8](repeating: 0, count: 80)
        var length = signature.count
        XCTAssertEqual(lnk_sign_digest(context, blob, blob.count, digest, digest.count, &signature, &length, nil, 0),
                       LnkStatus.invalidArgument.rawValue)
    }

    func testClosedOrForeignContext_IsRefused() {
        XCTAssertEqual(lnk_available(nil, nil, 0), LnkStatus.invalidArgument.rawValue)
    }

    func testCorruptBlob_IsKeyInvalid() throws {
        try XCTSkipUnless(SecureEnclave.isAvailable, "no Secure Enclave on this Mac")
        let blob = [UInt8](repeating: 0x42, count: 200)
        var publicKey = [UInt8](repeating: 0, count: 65)
        var length = publicKey.count
        XCTAssertEqual(lnk_public_key(context, blob, blob.count, &publicKey, &length, nil, 0), LnkStatus.keyInvalid.rawValue)
    }

    /// The contract that matters for ES256: the shim signs the given SHA-256 digest as the hash, so a standard
    /// verifier that hashes the message itself accepts the signature (no double hashing). The agent's key class.
    func testSignDigest_VerifiesAsEcdsaSha256OverTheMessage() throws {
        try XCTSkipUnless(SecureEnclave.isAvailable, "no Secure Enclave on this Mac")
        try createSignAndVerify(access: .afterFirstUnlock)
    }

    /// The daemon's key class: kSecAttrAccessibleAlways, usable before any login. The pre-login behaviour itself is
    /// checked by installer/macos/prelogin-check (a LaunchDaemon run after a reboot), since a test run is a login.
    func testAlwaysAccessibleKey_CreatesSignsAndVerifies() throws {
        try XCTSkipUnless(SecureEnclave.isAvailable, "no Secure Enclave on this Mac")
        try createSignAndVerify(access: .always)
    }

    /// The loaded key is cached per blob: signing twice unwraps once, a second blob gets its own entry, and a
    /// context opened after close still signs with the blob (the cache is an optimisation, never state).
    func testLoadedKeys_AreCachedPerBlob_AndANewContextStartsEmpty() throws {
        try XCTSkipUnless(SecureEnclave.isAvailable, "no Secure Enclave on this Mac")
        let first = try createBlob(access: .always)
        let second = try createBlob(access: .always)
        let live = try XCTUnwrap(LauncherNativeContext.from(context))

        XCTAssertEqual(live.cachedKeyCount, 0)
        _ = try sign(first, Array(SHA256.hash(data: Data("one".utf8))))
        _ = try sign(first, Array(SHA256.hash(data: Data("two".utf8))))
        XCTAssertEqual(live.cachedKeyCount, 1)
        _ = try sign(second, Array(SHA256.hash(data: Data("three".utf8))))
        XCTAssertEqual(live.cachedKeyCount, 2)

        lnk_close(context)
        var reopened: OpaquePointer?
        XCTAssertEqual(lnk_open(nil, &reopened, nil, 0), LnkStatus.ok.rawValue)
        context = reopened
        XCTAssertEqual(try XCTUnwrap(LauncherNativeContext.from(context)).cachedKeyCount, 0)
        _ = try sign(first, Array(SHA256.hash(data: Data("four".utf8))))
    }

    // MARK: - Error classification (no Enclave needed)

    func testBadBlobErrors_AreKeyInvalid() {
        let badBlob: [Error] = [
            CryptoKitError.incorrectKeySize,
            CryptoKitError.incorrectParameterSize,
            CryptoKitError.invalidParameter,
            NSError(domain: NSOSStatusErrorDomain, code: Int(errSecDecode)),
            NSError(domain: "CryptoTokenKit", code: -3),
            NSError(domain: "com.apple.CryptoKit", code: 1,
                    userInfo: [NSUnderlyingErrorKey: NSError(domain: NSOSStatusErrorDomain, code: Int(errSecDecode))]),
        ]
        for error in badBlob {
            XCTAssertEqual(classify(error, at: .load).0, .keyInvalid, "\(error)")
            XCTAssertEqual(classify(error, at: .sign).0, .keyInvalid, "\(error)")
        }
    }

    /// Anything not positively identified as a bad blob is retried: a transient failure at boot must never make the
    /// daemon's identity lost.
    func testOtherErrors_AreRetriedNotKeyInvalid() {
        let transient: [Error] = [
            CryptoKitError.underlyingCoreCryptoError(error: -1),
            CryptoKitError.unwrapFailure,
            CryptoKitError.authenticationFailure,
            NSError(domain: "CryptoTokenKit", code: -2), // communicationError
            NSError(domain: "CryptoTokenKit", code: -7), // tokenNotFound
            NSError(domain: NSOSStatusErrorDomain, code: Int(errSecNotAvailable)),
            NSError(domain: NSPOSIXErrorDomain, code: Int(EIO)),
        ]
        for error in transient {
            for stage in [Stage.load, Stage.sign] {
                let status = classify(error, at: stage).0
                XCTAssertNotEqual(status, .keyInvalid, "\(error) at \(stage)")
                XCTAssertTrue([LnkStatus.notPermitted, LnkStatus.device].contains(status), "\(error) at \(stage): \(status)")
            }
        }
        let beforeUnlock = NSError(domain: NSOSStatusErrorDomain, code: Int(errSecInteractionNotAllowed))
        XCTAssertEqual(classify(beforeUnlock, at: .load).0, .notPermitted)
    }

    // MARK: - Helpers

    private func createSignAndVerify(access: LnkAccess) throws {
        let blob = try createBlob(access: access)

        var publicKey = [UInt8](repeating: 0, count: 65)
        var publicLength = publicKey.count
        XCTAssertEqual(lnk_public_key(context, blob, blob.count, &publicKey, &publicLength, nil, 0), LnkStatus.ok.rawValue)
        XCTAssertEqual(publicLength, 65)
        XCTAssertEqual(publicKey[0], 0x04)

        let message = Data("header.payload".utf8)
        let der = try sign(blob, Array(SHA256.hash(data: message)))

        let verifier = try P256.Signing.PublicKey(x963Representation: publicKey)
        let parsed = try P256.Signing.ECDSASignature(derRepresentation: der)
        XCTAssertTrue(verifier.isValidSignature(parsed, for: message))
    }

    private func createBlob(access: LnkAccess) throws -> [UInt8] {
        var blob = [UInt8](repeating: 0, count: 4096)
        var blobLength = blob.count
        var detail = [CChar](repeating: 0, count: 256)
        let detailCapacity = detail.count
        let created = lnk_create_key(context, access.rawValue, &blob, &blobLength, &detail, detailCapacity)
        XCTAssertEqual(created, LnkStatus.ok.rawValue, String(cString: detail))
        return Array(blob[0..<blobLength])
    }

    private func sign(_ blob: [UInt8], _ digest: [UInt8]) throws -> Data {
        var signature = [UInt8](repeating: 0, count: 80)
        var signatureLength = signature.count
        var detail = [CChar](repeating: 0, count: 256)
        let detailCapacity = detail.count
        let status = lnk_sign_digest(context, blob, blob.count, digest, digest.count, &signature, &signatureLength, &detail, detailCapacity)
        XCTAssertEqual(status, LnkStatus.ok.rawValue, String(cString: detail))
        return Data(signature[0..<signatureLength])
    }
}
