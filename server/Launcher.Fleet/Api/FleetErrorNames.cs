using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Api;

/// <summary>The names of the fleet error codes, as the API reports them beside the number.</summary>
internal static class FleetErrorNames
{
    public static string Of(int code) => code switch
    {
        FleetErrorCodes.NotAuthenticated => "NotAuthenticated",
        FleetErrorCodes.InvalidToken => "InvalidToken",
        FleetErrorCodes.InvalidProof => "InvalidProof",
        FleetErrorCodes.NonceRejected => "NonceRejected",
        FleetErrorCodes.ChannelBindingMismatch => "ChannelBindingMismatch",
        FleetErrorCodes.MachineRevoked => "MachineRevoked",
        FleetErrorCodes.UnknownMachine => "UnknownMachine",
        FleetErrorCodes.Overloaded => "Overloaded",
        FleetErrorCodes.AttestationFailed => "AttestationFailed",
        FleetErrorCodes.PolicyRefused => "PolicyRefused",
        _ => "Error",
    };
}
