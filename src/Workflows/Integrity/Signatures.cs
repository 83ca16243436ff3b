using System.Security.Cryptography;
using System.Text;
using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>The signature algorithms of checkpoints, by the name stored with each checkpoint and key.</summary>
public static class SignatureAlgorithms
{
    /// <summary>SM2 (GB/T 32918.2) on the recommended curve sm2p256v1, with SM3 and the default user id (GM/T 0009): the default.</summary>
    public const string Sm2 = "SM2";

    /// <summary>ECDSA on NIST P-256 with SHA-256 (signature r‖s).</summary>
    public const string EcdsaP256 = "ECDSA-P256";

    public const string Ed25519 = "Ed25519";

    public static readonly IReadOnlyList<string> All = [Sm2, EcdsaP256, Ed25519];

    public static bool IsKnown(string? algorithm) => algorithm is Sm2 or EcdsaP256 or Ed25519;
}

/// <summary>A key pair as stored: SM2 d (32 bytes) and 04‖X‖Y; ECDSA PKCS#8 and SubjectPublicKeyInfo; Ed25519 seed and key.</summary>
internal sealed record KeyMaterial(string Algorithm, byte[] PrivateKey, byte[] PublicKey)
{
    public string KeyId => Signatures.KeyId(Algorithm, PublicKey);
}

/// <summary>Key generation, signing and verification for the three algorithms.</summary>
internal static class Signatures
{
    /// <summary>The default SM2 user id of GM/T 0009 (1234567812345678), which SM2 signatures here always use.</summary>
    public static readonly byte[] DefaultSm2UserId = Encoding.ASCII.GetBytes("1234567812345678");

    /// <summary>sm2p256v1 with BouncyCastle's dedicated field arithmetic (GM's generic description is several times slower).</summary>
    private static readonly ECDomainParameters Sm2Curve = new(CustomNamedCurves.GetByName("sm2p256v1"));

    /// <summary>
    /// Decoded SM2 public keys, kept so that the multiples BouncyCastle precomputes for a point serve every later
    /// verification with the same key (a verify of many checkpoints of few keys is then several times faster).
    /// </summary>
    private static readonly ConcurrentDictionary<string, ECPublicKeyParameters> Sm2PublicKeys = new(StringComparer.Ordinal);

    /// <summary>A short, stable name of a public key: the first 16 hex digits of SM3 over the algorithm and the key.</summary>
    public static string KeyId(string algorithm, byte[] publicKey)
    {
        var digest = ChainDigest.Begin(HashAlgorithms.Sm3).Field(algorithm).Raw(publicKey);
        return digest.FinishHex()[..16];
    }

    public static KeyMaterial Generate(string algorithm)
    {
        switch (algorithm)
        {
            case SignatureAlgorithms.Sm2:
                var generator = new ECKeyPairGenerator();
                generator.Init(new ECKeyGenerationParameters(Sm2Curve, new SecureRandom()));
                var pair = generator.GenerateKeyPair();
                return new KeyMaterial(algorithm, ((ECPrivateKeyParameters)pair.Private).D.ToByteArrayUnsigned().PadLeft(32),
                    ((ECPublicKeyParameters)pair.Public).Q.GetEncoded(false));
            case SignatureAlgorithms.EcdsaP256:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                    return new KeyMaterial(algorithm, ecdsa.ExportPkcs8PrivateKey(), ecdsa.ExportSubjectPublicKeyInfo());
            case SignatureAlgorithms.Ed25519:
                var key = new Ed25519PrivateKeyParameters(new SecureRandom());
                return new KeyMaterial(algorithm, key.GetEncoded(), key.GeneratePublicKey().GetEncoded());
            default:
                throw new ArgumentException($"Unknown signature algorithm '{algorithm}'.", nameof(algorithm));
        }
    }

    public static byte[] Sign(KeyMaterial key, byte[] message)
    {
        switch (key.Algorithm)
        {
            case SignatureAlgorithms.Sm2:
                var sm2 = new SM2Signer();
                sm2.Init(true, new ParametersWithID(new ParametersWithRandom(new ECPrivateKeyParameters(new BigInteger(1, key.PrivateKey), Sm2Curve),
                    new SecureRandom()), DefaultSm2UserId));
                sm2.BlockUpdate(message, 0, message.Length);
                return sm2.GenerateSignature();
            case SignatureAlgorithms.EcdsaP256:
                using (var ecdsa = ECDsa.Create())
                {
                    ecdsa.ImportPkcs8PrivateKey(key.PrivateKey, out _);
                    return ecdsa.SignData(message, HashAlgorithmName.SHA256);
                }

            case SignatureAlgorithms.Ed25519:
                var ed = new Ed25519Signer();
                ed.Init(true, new Ed25519PrivateKeyParameters(key.PrivateKey));
                ed.BlockUpdate(message, 0, message.Length);
                return ed.GenerateSignature();
            default:
                throw new ArgumentException($"Unknown signature algorithm '{key.Algorithm}'.", nameof(key));
        }
    }

    /// <summary>Whether <paramref name="signature"/> is <paramref name="publicKey"/>'s over <paramref name="message"/>; false for a malformed key or signature.</summary>
    public static bool Verify(string algorithm, byte[] publicKey, byte[] message, byte[] signature)
    {
        try
        {
            switch (algorithm)
            {
                case SignatureAlgorithms.Sm2:
                    var point = Sm2PublicKeys.Count < 1024
                        ? Sm2PublicKeys.GetOrAdd(Convert.ToBase64String(publicKey), _ => new ECPublicKeyParameters(Sm2Curve.Curve.DecodePoint(publicKey), Sm2Curve))
                        : new ECPublicKeyParameters(Sm2Curve.Curve.DecodePoint(publicKey), Sm2Curve);
                    return VerifySm2(point, DefaultSm2UserId, message, signature);
                case SignatureAlgorithms.EcdsaP256:
                    using (var ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportSubjectPublicKeyInfo(publicKey, out _);
                        return ecdsa.VerifyData(message, signature, HashAlgorithmName.SHA256);
                    }

                case SignatureAlgorithms.Ed25519:
                    var ed = new Ed25519Signer();
                    ed.Init(false, new Ed25519PublicKeyParameters(publicKey));
                    ed.BlockUpdate(message, 0, message.Length);
                    return ed.VerifySignature(signature);
                default:
                    return false;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or CryptographicException or InvalidOperationException
                                       or Org.BouncyCastle.Crypto.CryptoException)
        {
            return false;
        }
    }

    /// <summary>SM2 verification (GB/T 32918.2 §7) on any curve and user id: the product uses sm2p256v1 and the default id; the standard's own example uses its test curve.</summary>
    internal static bool VerifySm2(ECDomainParameters curve, byte[] publicPoint, byte[] userId, byte[] message, byte[] derSignature) =>
        VerifySm2(new ECPublicKeyParameters(curve.Curve.DecodePoint(publicPoint), curve), userId, message, derSignature);

    private static bool VerifySm2(ECPublicKeyParameters publicKey, byte[] userId, byte[] message, byte[] derSignature)
    {
        var sm2 = new SM2Signer();
        sm2.Init(false, new ParametersWithID(publicKey, userId));
        sm2.BlockUpdate(message, 0, message.Length);
        return sm2.VerifySignature(derSignature);
    }

    private static byte[] PadLeft(this byte[] value, int length)
    {
        if (value.Length >= length) return value;
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
