import Foundation

// The attestation calls of launcher_native.h (ABI 2). They exist for a TPM: the Secure Enclave has no endorsement
// key, no certificate chain to a maker's CA and no TPM2_Certify, so every one answers LNK_ERR_NOT_SUPPORTED with
// a reason, after the same argument check as the other entry points. Nothing here touches an output buffer.
// What a fleet can and cannot verify about a Mac is in docs/identity.md ("Attestation").

let attestationNotSupported =
    "not supported: the Secure Enclave has no TPM endorsement key, attestation key or certify (no hardware attestation of the daemon's key on macOS)"

/// The one answer of every attestation entry point: invalid argument for a context that is not ours, otherwise
/// not supported.
private func refuseAttestation(
    _ name: String,
    _ context: OpaquePointer?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    guard LauncherNativeContext.from(context) != nil else {
        writeDetail("\(name): not an open context", detail, detailLength)
        return LnkStatus.invalidArgument.rawValue
    }
    writeDetail("\(name): \(attestationNotSupported)", detail, detailLength)
    return LnkStatus.notSupported.rawValue
}

@_cdecl("lnk_ek_public")
public func lnk_ek_public(
    _ context: OpaquePointer?,
    _ ekKind: UInt32,
    _ publicArea: UnsafeMutablePointer<UInt8>?,
    _ publicAreaLength: UnsafeMutablePointer<Int>?,
    _ publicKey: UnsafeMutablePointer<UInt8>?,
    _ publicKeyLength: UnsafeMutablePointer<Int>?,
    _ rsaExponent: UnsafeMutablePointer<UInt32>?,
    _ source: UnsafeMutablePointer<UInt32>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_ek_public", context, detail, detailLength)
}

@_cdecl("lnk_ek_certificate")
public func lnk_ek_certificate(
    _ context: OpaquePointer?,
    _ ekKind: UInt32,
    _ certificate: UnsafeMutablePointer<UInt8>?,
    _ certificateLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_ek_certificate", context, detail, detailLength)
}

@_cdecl("lnk_ek_chain")
public func lnk_ek_chain(
    _ context: OpaquePointer?,
    _ certificates: UnsafeMutablePointer<UInt8>?,
    _ certificatesLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_ek_chain", context, detail, detailLength)
}

@_cdecl("lnk_create_ak")
public func lnk_create_ak(
    _ context: OpaquePointer?,
    _ blob: UnsafeMutablePointer<UInt8>?,
    _ blobLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_create_ak", context, detail, detailLength)
}

@_cdecl("lnk_ak_public")
public func lnk_ak_public(
    _ context: OpaquePointer?,
    _ akBlob: UnsafePointer<UInt8>?,
    _ akBlobLength: Int,
    _ publicArea: UnsafeMutablePointer<UInt8>?,
    _ publicAreaLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_ak_public", context, detail, detailLength)
}

@_cdecl("lnk_activate_credential")
public func lnk_activate_credential(
    _ context: OpaquePointer?,
    _ ekKind: UInt32,
    _ akBlob: UnsafePointer<UInt8>?,
    _ akBlobLength: Int,
    _ credentialBlob: UnsafePointer<UInt8>?,
    _ credentialBlobLength: Int,
    _ encryptedSecret: UnsafePointer<UInt8>?,
    _ encryptedSecretLength: Int,
    _ credential: UnsafeMutablePointer<UInt8>?,
    _ credentialLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_activate_credential", context, detail, detailLength)
}

@_cdecl("lnk_certify")
public func lnk_certify(
    _ context: OpaquePointer?,
    _ akBlob: UnsafePointer<UInt8>?,
    _ akBlobLength: Int,
    _ keyBlob: UnsafePointer<UInt8>?,
    _ keyBlobLength: Int,
    _ nonce: UnsafePointer<UInt8>?,
    _ nonceLength: Int,
    _ attest: UnsafeMutablePointer<UInt8>?,
    _ attestLength: UnsafeMutablePointer<Int>?,
    _ signature: UnsafeMutablePointer<UInt8>?,
    _ signatureLength: UnsafeMutablePointer<Int>?,
    _ keyPublicArea: UnsafeMutablePointer<UInt8>?,
    _ keyPublicAreaLength: UnsafeMutablePointer<Int>?,
    _ detail: UnsafeMutablePointer<CChar>?,
    _ detailLength: Int
) -> Int32 {
    refuseAttestation("lnk_certify", context, detail, detailLength)
}
