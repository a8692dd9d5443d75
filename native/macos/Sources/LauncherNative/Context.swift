import CryptoKit
import Foundation

/// What lnk_open hands out: a tag that lets every entry point reject a pointer that did not come from lnk_open (or
/// was closed), and the keys loaded so far.
///
/// The cache: unwrapping a blob is a round trip to the Enclave, and the daemon signs with the same blob for the
/// life of the process, so each context keeps the loaded key per blob (keyed by the blob's bytes, so a different
/// blob is never answered with a cached key). It is bounded, emptied by lnk_close, and an entry is dropped whenever
/// signing with it fails, so the next call unwraps the blob afresh. The header's rule (one thread per context at a
/// time; the C# side locks) is what makes the unsynchronised dictionary safe.
final class LauncherNativeContext {
    static let liveTag: UInt64 = 0x4C4E_4B5F_5345_4E43 // "LNK_SENC"

    /// The daemon uses one key and an agent one; a few more leave room for a re-key without thrashing.
    static let maxCachedKeys = 4

    var tag: UInt64 = LauncherNativeContext.liveTag
    private var keys: [Data: SecureEnclave.P256.Signing.PrivateKey] = [:]

    /// The context behind an opaque pointer, or nil for NULL or a pointer that is not a live context.
    static func from(_ pointer: OpaquePointer?) -> LauncherNativeContext? {
        guard let pointer = pointer else { return nil }
        let context = Unmanaged<LauncherNativeContext>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        return context.tag == liveTag ? context : nil
    }

    func cachedKey(for blob: Data) -> SecureEnclave.P256.Signing.PrivateKey? {
        keys[blob]
    }

    func cache(_ key: SecureEnclave.P256.Signing.PrivateKey, for blob: Data) {
        if keys[blob] == nil && keys.count >= LauncherNativeContext.maxCachedKeys {
            keys.removeAll()
        }
        keys[blob] = key
    }

    func forget(_ blob: Data) {
        keys[blob] = nil
    }

    func forgetAll() {
        keys.removeAll()
    }

    var cachedKeyCount: Int { keys.count }
}
