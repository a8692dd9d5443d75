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

/// Maps an error thrown by CryptoKit to an lnk_status and a detail text without secrets.
///
/// The mapping follows the header: a refusal by the hardware is NOT_PERMITTED (transient, retry later); a blob that
/// does not load is KEY_INVALID (the identity is lost, never silently replaced); anything else at create or sign
/// time is DEVICE. CryptoKit does not document which error types its Secure Enclave calls throw, so the checks
/// look at both CryptoKitError and the NSError chain (OSStatus domain, NSUnderlyingErrorKey).
func classify(_ error: Error, at stage: Stage) -> (LnkStatus, String) {
    let summary = describe(error)
    if isInteractionNotAllowed(error) {
        return (.notPermitted, "the Secure Enclave refused the key now (errSecInteractionNotAllowed: its accessibility is not met, e.g. before first unlock): \(summary)")
    }
    switch stage {
    case .load:
        return (.keyInvalid, "the Secure Enclave does not accept this key blob (corrupt, truncated, or made on another Mac): \(summary)")
    case .create, .sign:
        if error is CryptoKitError {
            return (.notPermitted, "the Secure Enclave refused the operation: \(summary)")
        }
        return (.device, "the Secure Enclave failed: \(summary)")
    }
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
