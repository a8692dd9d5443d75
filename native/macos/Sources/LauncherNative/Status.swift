// lnk_status values and access flags of native/include/launcher_native.h. Keep in step with the header.

enum LnkStatus: Int32 {
    case ok = 0
    case invalidArgument = 1
    case bufferTooSmall = 2
    case unavailable = 3
    case keyInvalid = 4
    case notPermitted = 5
    case device = 6
    case `internal` = 7
    case notFound = 8
    case notSupported = 9
    case credentialRejected = 10
}

enum LnkAccess: UInt32 {
    case always = 1
    case afterFirstUnlock = 2
}

let lnkAbiVersion: UInt32 = 2
let sha256DigestBytes = 32
