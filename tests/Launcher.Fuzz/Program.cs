using Launcher.Fuzz;
using SharpFuzz;

// Launcher.Fuzz TARGET            under afl-fuzz (scripts/fuzz.sh): one input per fork, from AFL
// Launcher.Fuzz TARGET FILE...    run the target once per file, outside AFL (reproducing a crash)
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Launcher.Fuzz {string.Join("|", FuzzTargets.Names)} [FILE...]");
    return 2;
}

string target = args[0];
if (args.Length > 1)
{
    foreach (string file in args[1..])
    {
        FuzzTargets.Run(target, File.ReadAllBytes(file));
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.ToArray());
});
return 0;
