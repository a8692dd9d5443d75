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

    func testAbiVersion_IsTwo() {
        XCTAssertEqual(lnk_abi_version(), 2)
    }

    /// The Secure Enclave has no TPM attestation: every ABI 2 call says so, and writes no output.
    func testAttestationCalls_AreNotSupported() {
        var buffer = [UInt8](repeating: 0xAA, count: 64)
        var length = buffer.count
        var other = [UInt8](repeating: 0xAA, count: 64)
        var otherLength = other.count
        var third = [UInt8](repeating: 0xAA, count: 64)
        var thirdLength = third.count
        var exponent: UInt32 = 7
        var source: UInt32 = 7
        var detail = [CChar](repeating: 0, count: 256)
        let detailCapacity = detail.count
        let input = [UInt8](repeating: 1, count: 32)
        let notSupported = LnkStatus.notSupported.rawValue

        XCTAssertEqual(lnk_ek_public(context, 1, &buffer, &length, &other, &otherLength, &exponent, &source, &detail, detailCapacity), notSupported)
        XCTAssertTrue(String(cString: detail).contains("not supported"))
        XCTAssertEqual(lnk_ek_certificate(context, 3, &buffer, &length, nil, 0), notSupported)
        XCTAssertEqual(lnk_ek_chain(context, &buffer, &length, nil, 0), notSupported)
        XCTAssertEqual(lnk_create_ak(context, &buffer, &length, nil, 0), notSupported)
        XCTAssertEqual(lnk_ak_public(context, input, input.count, &buffer, &length, nil, 0), notSupported)
        XCTAssertEqual(lnk_activate_credential(context, 1, input, input.count, input, input.count, input, input.count, &buffer, &length, nil, 0), notSupported)
        XCTAssertEqual(lnk_certify(context, input, input.count, input, input.count, input, input.count, &buffer, &length, &other, &otherLength, &third, &thirdLength, nil, 0), notSupported)
        XCTAssertEqual(lnk_create_ak(nil, &buffer, &length, nil, 0), LnkStatus.invalidArgument.rawValue)
        XCTAssertEqual(buffer, [UInt8](repeating: 0xAA, count: 64))
        XCTAssertEqual(length, 64)
        XCTAssertEqual(exponent, 7)
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
    /// verifier that hashes the message itself accepts the signature (no double hashing).
    func testSignDigest_VerifiesAsEcdsaSha256OverTheMessage() throws {
        try XCTSkipUnless(SecureEnclave.isAvailable, "no Secure Enclave on this Mac")
        var blob = [UInt8](repeating: 0, count: 4096)
        var blobLength = blob.count
        var detail = [CChar](repeating: 0, count: 256)
        let detailCapacity = detail.count
        let created = lnk_create_key(context, LnkAccess.afterFirstUnlock.rawValue, &blob, &blobLength, &detail, detailCapacity)
        XCTAssertEqual(created, LnkStatus.ok.rawValue, String(cString: detail))

        var publicKey = [UInt8](repeating: 0, count: 65)
        var publicLength = publicKey.count
        XCTAssertEqual(lnk_public_key(context, blob, blobLength, &publicKey, &publicLength, nil, 0), LnkStatus.ok.rawValue)
        XCTAssertEqual(publicLength, 65)
        XCTAssertEqual(publicKey[0], 0x04)

        let message = Data("header.payload".utf8)
        let digest = Array(SHA256.hash(data: message))
        var signature = [UInt8](repeating: 0, count: 80)
        var signatureLength = signature.count
        XCTAssertEqual(lnk_sign_digest(context, blob, blobLength, digest, digest.count, &signature, &signatureLength, nil, 0),
                       LnkStatus.ok.rawValue)

        let verifier = try P256.Signing.PublicKey(x963Representation: publicKey)
        let parsed = try P256.Signing.ECDSASignature(derRepresentation: Data(signature[0..<signatureLength]))
        XCTAssertTrue(verifier.isValidSignature(parsed, for: message))
    }
}
