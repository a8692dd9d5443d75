import CryptoKit
import Foundation
import Security

/// Where in the shim an error happened; the same error means different things at different stages.
enum Stage {
    case create
    case load
    case sign
}

/// errSecInteractionNotAllowed: the Enclave refuses a key whose accessibility is not met yet, e.g. a
/// kSecAttrAccessibleAfterFirstUnlock key before any user has logged in since boot.
private let interactionNotAllowed = Int(errSecInteractionNotAllowed) // -25308

/// kIOReturnNotPermitted (0xe00002e2), the underlying error Apple DTS reports beneath -25308 in that case.
private let ioReturnNotPermitted = Int(Int32(bitPattern: 0xE000_02E2))

/// errSecDecode (-26275), "Unable to decode the provided data": Security could not parse the key blob.
private let secDecode = Int(errSecDecode)

/// TKErrorDomain (CryptoTokenKit, through which CryptoKit reaches the Enclave) and TKError.Code.corruptedData (-3),
/// "The data was corrupted". Spelled out so the shim need not link CryptoTokenKit for two constants.
private let tokenKitDomain = "CryptoTokenKit"
private let tokenKitCorruptedData = -3

/// Maps an error thrown by CryptoKit to an lnk_status and a detail text without secrets.
///
/// The rule that matters: KEY_INVALID makes the daemon's identity `lost`, which only an admin's reset (a new identity,
/// re-enrolled by the fleet) undoes. So only errors positively identified as "this blob is not a key" map to it:
/// CryptoKitError's size and parameter errors, errSecDecode, and CryptoTokenKit's corruptedData, anywhere in the
/// NSError chain. Everything else (a busy or resetting Enclave at boot, an error CryptoKit does not document, a
/// refusal before first unlock) is NOT_PERMITTED or DEVICE: the daemon reports the identity `unavailable` and
/// retries, so a transient failure never costs the machine its identity. An error never seen before is therefore
/// retried forever rather than guessed to be fatal; its text is logged so the list here can grow (docs/macos.md).
func classify(_ error: Error, at stage: Stage) -> (LnkStatus, String) {
    let summary = describe(error)
    if isInteractionNotAllowed(error) {
        return (.notPermitted, "the Secure Enclave refused the key now (errSecInteractionNotAllowed: its accessibility is not met, e.g. before first unlock): \(summary)")
    }
    if stage != .create && isBadBlob(error) {
        return (.keyInvalid, "the Secure Enclave does not accept this key blob (corrupt, truncated, or made on another Mac): \(summary)")
    }
    switch stage {
    case .load:
        return (.device, "the Secure Enclave could not load the key now, for a reason not known to mean a bad blob (retried; the identity is kept): \(summary)")
    case .create, .sign:
        if error is CryptoKitError {
            return (.notPermitted, "the Secure Enclave refused the operation (retried): \(summary)")
        }
        return (.device, "the Secure Enclave failed (retried): \(summary)")
    }
}

/// True only for errors that say the blob itself is malformed or not decodable.
func isBadBlob(_ error: Error) -> Bool {
    if let cryptoKitError = error as? CryptoKitError {
        switch cryptoKitError {
        case .incorrectKeySize, .incorrectParameterSize, .invalidParameter:
            return true
        default:
            break
        }
    }
    var current: NSError? = error as NSError
    var depth = 0
    while let nsError = current, depth < 8 {
        if nsError.domain == NSOSStatusErrorDomain && nsError.code == secDecode {
            return true
        }
        if nsError.domain == tokenKitDomain && nsError.code == tokenKitCorruptedData {
            return true
        }
        current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        depth += 1
    }
    return false
}

private func isInteractionNotAllowed(_ error: Error) -> Bool {
    if let cryptoKitError = error as? CryptoKitError,
       case .underlyingCoreCryptoError(error: let code) = cryptoKitError,
       Int(code) == interactionNotAllowed || Int(code) == ioReturnNotPermitted {
        return true
    }
    var current: NSError? = error as NSError
    var depth = 0
    while let nsError = current, depth < 8 {
        if nsError.code == interactionNotAllowed && nsError.domain == NSOSStatusErrorDomain {
            return true
        }
        if nsError.code == ioReturnNotPermitted {
            return true
        }
        current = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        depth += 1
    }
    return false
}

/// "domain code: description", enough to look the error up; CryptoKit and Security error texts carry no key material.
private func describe(_ error: Error) -> String {
    if let cryptoKitError = error as? CryptoKitError {
        return "CryptoKitError.\(cryptoKitError)"
    }
    let nsError = error as NSError
    return "\(nsError.domain) \(nsError.code): \(nsError.localizedDescription)"
}
