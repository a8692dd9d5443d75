// Launcher runs on Linux and macOS only. The platform analyzer (CA1416, an error) then flags every call that
// works on just one of the two unless it sits behind an OperatingSystem check in a factory.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("macos")]
