import CryptoKit
import Foundation
import LocalAuthentication
import Security

// The C ABI of native/include/launcher_native.h. size_t is Int here (64-bit on every Mac we build for), uint8_t
// UInt8, uint32_t UInt32, lnk_status Int32, lnk_context* an OpaquePointer. Swift errors cannot cross @_cdecl, and
// nothing here traps: no force unwraps, every optional and length is checked before use.

@_cdecl("lnk_abi_version")
public func lnk_abi_version() -> UInt32 {
    lnkAbiVersion
}

@_cdecl("lnk_open")
public func lnk_open(
    _ config: UnsafePointer<CChar>?,
    _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    // `config` is TPM-only (a TCTI string); the Secure Enclave needs none, so it is ignored as the header says.
    guard let out = out else {
        writeDetail("lnk_open: out is NULL", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    let context = LauncherNativeContext()
    out.pointee = OpaquePointer(Unmanaged.passRetained(context).toOpaque())
    writeDetail("Secure Enclave context open", detail, detailLength)
    return LnkStatus.ok.rawValue
}

@_cdecl("lnk_close")
public func lnk_close(_ context: OpaquePointer?) {
    guard let pointer = context, let live = LauncherNativeContext.from(pointer) else { return }
    // Clear the tag first so a use after close is refused rather than trusted while the memory is still mapped, and
    // drop every loaded key with it.
    live.tag = 0
    live.forgetAll()
    Unmanaged<LauncherNativeContext>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("lnk_available")
public func lnk_available(
    _ context: OpaquePointer?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    guard LauncherNativeContext.from(context) != nil else {
        writeDetail("lnk_available: not an open context", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    guard SecureEnclave.isAvailable else {
        writeDetail(noEnclaveReason, detail, detailLength)
        return LnkStatus.unavailable.rawValue
    }
    writeDetail("Secure Enclave available", detail, detailLength)
    return LnkStatus.ok.rawValue
}

@_cdecl("lnk_create_key")
public func lnk_create_key(
    _ context: OpaquePointer?,
    _ accessFlags: UInt32,
    _ blob: UnsafeMutablePointer<UInt8>?,
    _ blobLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    guard LauncherNativeContext.from(context) != nil, blobLength != nil else {
        writeDetail("lnk_create_key: not an open context, or blob_len is NULL", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    guard let access = LnkAccess(rawValue: accessFlags) else {
        writeDetail("lnk_create_key: unknown access flags \(accessFlags)", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    guard SecureEnclave.isAvailable else {
        writeDetail(noEnclaveReason, detail, detailLength)
        return LnkStatus.unavailable.rawValue
    }
    guard let accessControl = makeAccessControl(access) else {
        writeDetail("SecAccessControlCreateWithFlags failed", detail, detailLength)
        return LnkStatus.internal.rawValue
    }

    let key: SecureEnclave.P256.Signing.PrivateKey
    do {
        // compactRepresentable false: we always publish the full uncompressed point, so there is no reason to have
        // the Enclave retry generation until the key has a compact form.
        key = try SecureEnclave.P256.Signing.PrivateKey(
            compactRepresentable: false,
            accessControl: accessControl,
            authenticationContext: nil)
    } catch {
        let (status, text) = classify(error, at: .create)
        writeDetail(text, detail, detailLength)
        return status.rawValue
    }

    // A buffer that turns out too small loses this key, which is harmless: the Enclave keeps nothing for it (the
    // blob is the key), and the caller retries with the size we report.
    let status = writeOutput(key.dataRepresentation, blob, blobLength)
    writeDetail(status == .ok ? "key created" : "blob buffer too small", detail, detailLength)
    return status.rawValue
}

@_cdecl("lnk_public_key")
public func lnk_public_key(
    _ context: OpaquePointer?,
    _ blob: UnsafePointer<UInt8>?,
    _ blobLength: Int,
    _ publicKey: UnsafeMutablePointer<UInt8>?,
    _ publicKeyLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    guard let live = LauncherNativeContext.from(context), publicKeyLength != nil, let blobData = readInput(blob, blobLength) else {
        writeDetail("lnk_public_key: not an open context, or a NULL buffer", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    switch loadKey(blobData, live) {
    case .failure(let failure):
        writeDetail(failure.detail, detail, detailLength)
        return failure.status.rawValue
    case .success(let key):
        // x963Representation of a P-256 public key is 0x04 || X || Y, 65 bytes, the header's format.
        let status = writeOutput(key.publicKey.x963Representation, publicKey, publicKeyLength)
        writeDetail(status == .ok ? "public key written" : "public key buffer too small", detail, detailLength)
        return status.rawValue
    }
}

@_cdecl("lnk_sign_digest")
public func lnk_sign_digest(
    _ context: OpaquePointer?,
    _ blob: UnsafePointer<UInt8>?,
    _ blobLength: Int,
    _ digest: UnsafePointer<UInt8>?,
    _ digestLength: Int,
    _ signature: UnsafeMutablePointer<UInt8>?,
    _ signatureLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    guard let live = LauncherNativeContext.from(context), signatureLength != nil, let blobData = readInput(blob, blobLength) else {
        writeDetail("lnk_sign_digest: not an open context, or a NULL buffer", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    guard digestLength == sha256DigestBytes,
          let digestData = readInput(digest, digestLength),
          let precomputed = PrecomputedSHA256Digest(digestData) else {
        writeDetail("lnk_sign_digest: the digest must be 32 bytes (SHA-256), got \(digestLength)", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }

    let key: SecureEnclave.P256.Signing.PrivateKey
    switch loadKey(blobData, live) {
    case .failure(let failure):
        writeDetail(failure.detail, detail, detailLength)
        return failure.status.rawValue
    case .success(let loaded):
        key = loaded
    }

    do {
        let der = try key.signature(for: precomputed).derRepresentation
        let status = writeOutput(der, signature, signatureLength)
        writeDetail(status == .ok ? "signed" : "signature buffer too small", detail, detailLength)
        return status.rawValue
    } catch {
        // Whatever went wrong, the next call unwraps the blob afresh instead of reusing this key object.
        live.forget(blobData)
        let (status, text) = classify(error, at: .sign)
        writeDetail(text, detail, detailLength)
        return status.rawValue
    }
}

// MARK: - Helpers

private let noEnclaveReason = "no Secure Enclave: Intel Mac without T2 or a VM (SecureEnclave.isAvailable is false)"

private struct LoadFailure: Error {
    let status: LnkStatus
    let detail: String
}

/// The key in `blob`, from the context's cache or unwrapped by the Enclave (and then cached).
private func loadKey(_ blob: Data, _ context: LauncherNativeContext) -> Result<SecureEnclave.P256.Signing.PrivateKey, LoadFailure> {
    guard SecureEnclave.isAvailable else {
        return .failure(LoadFailure(status: .unavailable, detail: noEnclaveReason))
    }
    guard !blob.isEmpty else {
        return .failure(LoadFailure(status: .keyInvalid, detail: "the key blob is empty"))
    }
    if let cached = context.cachedKey(for: blob) {
        return .success(cached)
    }
    do {
        let key = try SecureEnclave.P256.Signing.PrivateKey(dataRepresentation: blob, authenticationContext: nil)
        context.cache(key, for: blob)
        return .success(key)
    } catch {
        let (status, text) = classify(error, at: .load)
        return .failure(LoadFailure(status: status, detail: text))
    }
}

/// The access control of a new key. `.privateKeyUsage` is what allows signing with an Enclave key at all.
/// kSecAttrAccessibleAlways is deprecated (since macOS 10.14) and the compiler warns; it is nevertheless the only
/// accessibility that works before any user has logged in since boot, which is the daemon's whole point. Apple DTS
/// (see DESIGN.md, seeds/) recommends exactly this for a daemon's pre-logon key and notes the warning cannot be
/// silenced from Swift. The agent's user key uses AfterFirstUnlockThisDeviceOnly, Apple's default.
private func makeAccessControl(_ access: LnkAccess) -> SecAccessControl? {
    let protection: CFString
    switch access {
    case .always:
        protection = kSecAttrAccessibleAlways
    case .afterFirstUnlock:
        protection = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
    }
    var error: Unmanaged<CFError>?
    let accessControl = SecAccessControlCreateWithFlags(nil, protection, .privateKeyUsage, &error)
    error?.release()
    return accessControl
}
