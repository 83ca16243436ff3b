namespace PdsWorkflow.Workflows.Forms.Validators;

/// <summary>
/// The engine's named formats: identifiers and contacts any Chinese government form asks for (统一社会信用代码, phones,
/// e-mail, IP addresses). Formats and rules of one business (the data-sharing platform's resource codes, usage hours…)
/// are registered by its module as <see cref="IFormatValidator"/> and <see cref="ICustomRule"/> services
/// (<see cref="FormsServiceCollectionExtensions.AddFormatValidator{T}"/>, <see cref="FormsServiceCollectionExtensions.AddCustomRule{T}"/>).
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
    ];

    /// <summary>The engine has no custom rules of its own; the declarative rule kinds cover the generic cases.</summary>
    public static IReadOnlyList<ICustomRule> Rules { get; } = [];
}
