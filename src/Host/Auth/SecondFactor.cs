using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using OtpNet;
using PdsWorkflow.Workflows.Organization;
using QRCoder;

namespace PdsWorkflow.Host.Auth;

public sealed record SecondFactorSetup(string Secret, string OtpAuthUri, string QrCodePng);

/// <summary>
/// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the second factor of GB/T 22239-2019
/// 8.1.4.1 d) (两种或两种以上组合的鉴别技术). The secret is kept encrypted with the data-protection key ring; a code is
/// accepted for the current step and one step either side (clock drift), and each step only once (RFC 6238 §5.2).
/// </summary>
public sealed class SecondFactor(IDataProtectionProvider protection, TimeProvider clock, IOptions<SignInOptions> options)
{
    private const int SecretBytes = 20;
    private readonly IDataProtector _protector = protection.CreateProtector("PdsWorkflow.SecondFactor.Totp.v1");

    /// <summary>A fresh secret for <paramref name="user"/>, stored (protected) as an enrolment in progress, with its QR code.</summary>
    public SecondFactorSetup Begin(UserRecord user)
    {
        var encoded = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(SecretBytes));
        user.TotpSecret = _protector.Protect(encoded);
        user.TotpEnabledAt = null;
        user.TotpLastStep = null;
        var issuer = options.Value.TotpIssuer;
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Id)}?secret={encoded}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return new SecondFactorSetup(encoded, uri, "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>
    /// The step <paramref name="code"/> is valid for, or null: wrong, malformed, no secret, or a step already used. The caller
    /// records the step (<see cref="UserRecord.TotpLastStep"/>) atomically so that two requests cannot both use it.
    /// </summary>
    public long? Match(UserRecord user, string? code)
    {
        if (user.TotpSecret is null || code is null) return null;
        code = code.Trim();
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        byte[] secret;
        try
        {
            secret = Base32Encoding.ToBytes(_protector.Unprotect(user.TotpSecret));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // protected under a key ring this node cannot read: the user re-enrols after a reset
        }

        var totp = new Totp(secret);
        return totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1))
            && (user.TotpLastStep is not { } last || step > last)
            ? step
            : null;
    }

    /// <summary>Whether the roles require a second factor (<see cref="SignInOptions.SecondFactorRoles"/>).</summary>
    public bool IsRequired(IEnumerable<string> roles) => roles.Any(options.Value.SecondFactorRoleList.Contains);
}
