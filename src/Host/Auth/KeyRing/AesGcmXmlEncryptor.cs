using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace PdsWorkflow.Host.Auth.KeyRing;

/// <summary>The key that encrypts the key ring at rest (<c>DataProtection:Key</c> or <c>DataProtection:KeyFile</c>), loaded once.</summary>
public sealed class KeyRingMasterKey(byte[] key)
{
    internal byte[] Key { get; } = key;
}

/// <summary>
/// Encrypts each data-protection key's XML with AES-256-GCM under <see cref="KeyRingMasterKey"/>, so that a copy of the
/// database (a backup, a read-only account) yields no key that could forge a session or read a protected secret. The
/// element stored is <c>&lt;encryptedKey v="1"&gt;base64(nonce ‖ tag ‖ ciphertext)&lt;/encryptedKey&gt;</c>.
/// </summary>
public sealed class AesGcmXmlEncryptor(KeyRingMasterKey masterKey) : IXmlEncryptor
{
    internal const int NonceSize = 12;
    internal const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(masterKey.Key.AsSpan(0, 32), TagSize))
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        CryptographicOperations.ZeroMemory(plaintext);
        return new EncryptedXmlInfo(new XElement("encryptedKey", new XAttribute("v", "1"), Convert.ToBase64String(sealedBytes)),
            typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>The data-protection system creates it by type, with the application's services.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var key = services.GetRequiredService<KeyRingMasterKey>().Key;
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        if (sealedBytes.Length < AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize)
            throw new CryptographicException("The stored data-protection key is too short to be one this Host encrypted.");
        var plaintext = new byte[sealedBytes.Length - AesGcmXmlEncryptor.NonceSize - AesGcmXmlEncryptor.TagSize];
        using (var aes = new AesGcm(key.AsSpan(0, 32), AesGcmXmlEncryptor.TagSize))
            aes.Decrypt(sealedBytes.AsSpan(0, AesGcmXmlEncryptor.NonceSize), sealedBytes.AsSpan(AesGcmXmlEncryptor.NonceSize + AesGcmXmlEncryptor.TagSize),
                sealedBytes.AsSpan(AesGcmXmlEncryptor.NonceSize, AesGcmXmlEncryptor.TagSize), plaintext);
        try
        {
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
