namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// The platform's named formats and custom rules. They live beside the engine, not in the activities assembly, because
/// the shipped schemas name them and the server must be able to validate every shipped form on its own.
/// </summary>
public static class BuiltInValidators
{
    public static IReadOnlyList<IFormatValidator> Formats { get; } =
    [
        new UsccValidator(),
        new MobileValidator(),
        new LandlineValidator(),
        new MobileOrLandlineValidator(),
        new EmailValidator(),
        new IpAddressValidator("ipv4", IpAddresses.Kind.V4),
        new IpAddressValidator("ipv6", IpAddresses.Kind.V6),
        new IpAddressValidator("ip", IpAddresses.Kind.Any),
        new IpListValidator(),
        new UsageHoursValidator(),
        new ResourceCodeValidator(),
        new SharedFileFormatValidator(),
    ];

    public static IReadOnlyList<ICustomRule> Rules { get; } =
    [
        new SeasonalWindowsRule(),
        new ResourceCodeClassificationRule(),
    ];
}
