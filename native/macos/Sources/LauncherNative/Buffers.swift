import Foundation

/// Writes NUL-terminated UTF-8 into a caller's detail buffer, truncated on a character boundary. A NULL buffer or a
/// zero length is allowed: the caller then simply gets no detail.
func writeDetail(_ text: String, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int) {
    guard let buffer = buffer, length > 0 else { return }
    var bytes = Array(text.utf8)
    if bytes.count > length - 1 {
        var cut = length - 1
        // Back up over UTF-8 continuation bytes (10xxxxxx) so no character is split.
        while cut > 0 && (bytes[cut] & 0xC0) == 0x80 { cut -= 1 }
        bytes = Array(bytes[0..<cut])
    }
    for (index, byte) in bytes.enumerated() {
        buffer[index] = CChar(bitPattern: byte)
    }
    buffer[bytes.count] = 0
}

/// Copies `data` to a caller-owned buffer under the header's rule: on input *length is the capacity; on success it
/// is the bytes written; when too small it is the size needed and nothing is written.
func writeOutput(_ data: Data, _ buffer: UnsafeMutablePointer<UInt8>?, _ length: UnsafeMutablePointer<Int>?) -> LnkStatus {
    guard let length = length else { return .invalidArgument }
    guard length.pointee >= data.count else {
        length.pointee = data.count
        return .bufferTooSmall
    }
    guard let buffer = buffer else { return .invalidArgument }
    data.copyBytes(to: buffer, count: data.count)
    length.pointee = data.count
    return .ok
}

/// A copy of a caller's input bytes; nil for a NULL pointer with a non-zero length.
func readInput(_ pointer: UnsafePointer<UInt8>?, _ length: Int) -> Data? {
    if length == 0 { return Data() }
    guard let pointer = pointer, length > 0 else { return nil }
    return Data(bytes: pointer, count: length)
}
