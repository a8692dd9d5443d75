import Foundation

/// What lnk_open hands out. CryptoKit keeps no per-process state we need, so the context holds nothing but a tag
/// that lets every entry point reject a pointer that did not come from lnk_open (or was closed).
final class LauncherNativeContext {
    static let liveTag: UInt64 = 0x4C4E_4B5F_5345_4E43 // "LNK_SENC"
    var tag: UInt64 = LauncherNativeContext.liveTag

    /// The context behind an opaque pointer, or nil for NULL or a pointer that is not a live context.
    static func from(_ pointer: OpaquePointer?) -> LauncherNativeContext? {
        guard let pointer = pointer else { return nil }
        let context = Unmanaged<LauncherNativeContext>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        return context.tag == liveTag ? context : nil
    }
}
