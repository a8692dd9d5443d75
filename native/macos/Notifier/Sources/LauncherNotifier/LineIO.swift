import Foundation

/// Writes events to standard output, one JSON object per line. Called on the main thread only.
final class EventWriter {
    private let encoder = JSONEncoder()

    func send(_ event: Event) {
        guard var data = try? encoder.encode(event) else {
            diagnose("could not encode an event")
            return
        }

        data.append(0x0A)
        // A closed pipe (the agent is gone) raises SIGPIPE and ends the process, which is what should happen.
        FileHandle.standardOutput.write(data)
    }
}

/// Reads standard input on a background thread and hands each complete line to `onLine`; a line longer than
/// `maxLineBytes` is dropped whole. `onEnd` runs once at end of input.
final class LineReader {
    private let maxLineBytes: Int
    private let onLine: (String) -> Void
    private let onEnd: () -> Void

    init(maxLineBytes: Int, onLine: @escaping (String) -> Void, onEnd: @escaping () -> Void) {
        self.maxLineBytes = maxLineBytes
        self.onLine = onLine
        self.onEnd = onEnd
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "launcher-notifier stdin"
        thread.start()
    }

    private func run() {
        var buffer = Data()
        var discarding = false
        while true {
            let chunk = FileHandle.standardInput.availableData
            if chunk.isEmpty {
                break
            }

            for byte in chunk {
                if byte == 0x0A {
                    if !discarding, let line = String(data: buffer, encoding: .utf8) {
                        onLine(line)
                    } else if discarding {
                        diagnose("dropped a request line longer than \(maxLineBytes) bytes")
                    }

                    buffer.removeAll(keepingCapacity: true)
                    discarding = false
                } else if !discarding {
                    buffer.append(byte)
                    if buffer.count > maxLineBytes {
                        buffer.removeAll(keepingCapacity: false)
                        discarding = true
                    }
                }
            }
        }

        onEnd()
    }
}

/// One line on standard error (the agent logs it at debug level).
func diagnose(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
