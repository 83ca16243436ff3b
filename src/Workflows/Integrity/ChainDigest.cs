using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>The hash functions of chains and record digests, by the name stored with each entry and checkpoint.</summary>
public static class HashAlgorithms
{
    /// <summary>SM3, GB/T 32905-2016: the default of new chains (商用密码).</summary>
    public const string Sm3 = "SM3";

    /// <summary>SHA-256: the hash of every journal written before SM3 became the default, and selectable.</summary>
    public const string Sha256 = "SHA256";

    public const int DigestBytes = 32;

    public static bool IsKnown(string? algorithm) => algorithm is Sm3 or Sha256;

    /// <summary>The hash of <paramref name="data"/> as lower-case hex.</summary>
    public static string Hex(string algorithm, ReadOnlySpan<byte> data)
    {
        var digest = ChainDigest.Begin(algorithm);
        digest.Raw(data);
        return digest.FinishHex();
    }
}

/// <summary>
/// An incremental hash over UTF-8 bytes, for the hot path: each journal entry and each covered record is hashed field by
/// field from a stack or pooled buffer, without joining strings or allocating per field. One instance per thread is
/// reused (<see cref="Begin"/> … <see cref="FinishHex"/>); a nested <see cref="Begin"/> gets a fresh one.
/// </summary>
/// <remarks>
/// <see cref="Field(string?)"/> writes a field length-prefixed (<c>12:</c> then the bytes; <c>-</c> for null), so no
/// value can move text across a field boundary. <see cref="Separated"/> writes the original journal format (fields
/// joined by U+001F), kept byte for byte so that journals written with it keep verifying.
/// </remarks>
public sealed class ChainDigest
{
    private const int StackLimit = 256;

    [ThreadStatic] private static ChainDigest? _cachedSm3;
    [ThreadStatic] private static ChainDigest? _cachedSha256;

    private readonly SM3Digest? _sm3;
    private readonly IncrementalHash? _sha256;

    private ChainDigest(string algorithm)
    {
        Algorithm = algorithm;
        if (algorithm == HashAlgorithms.Sm3) _sm3 = new SM3Digest();
        else if (algorithm == HashAlgorithms.Sha256) _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        else throw new ArgumentException($"Unknown hash algorithm '{algorithm}'.", nameof(algorithm));
    }

    public string Algorithm { get; }

    internal static ChainDigest Begin(string algorithm)
    {
        ChainDigest? digest;
        if (algorithm == HashAlgorithms.Sm3)
        {
            digest = _cachedSm3;
            _cachedSm3 = null;
        }
        else
        {
            digest = algorithm == HashAlgorithms.Sha256 ? _cachedSha256 : null;
            if (digest is not null) _cachedSha256 = null;
        }

        return digest ?? new ChainDigest(algorithm);
    }

    public ChainDigest Raw(ReadOnlySpan<byte> bytes)
    {
        if (_sm3 is not null) _sm3.BlockUpdate(bytes);
        else _sha256!.AppendData(bytes);
        return this;
    }

    /// <summary>The UTF-8 bytes of <paramref name="text"/>, unframed.</summary>
    public ChainDigest Text(ReadOnlySpan<char> text) => Encode(text, framed: false);

    /// <summary>One length-prefixed field; null and empty differ.</summary>
    public ChainDigest Field(string? value) => value is null ? Raw("-"u8) : Encode(value, framed: true);

    public ChainDigest Field(long value)
    {
        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        return Framed(digits[..length]);
    }

    public ChainDigest Field(long? value) => value is { } v ? Field(v) : Raw("-"u8);

    public ChainDigest Field(Guid value)
    {
        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out _, "N");
        return Framed(text);
    }

    public ChainDigest Field(Guid? value) => value is { } v ? Field(v) : Raw("-"u8);

    /// <summary>An instant as its UTC ticks to the microsecond: PostgreSQL keeps microseconds, so the digest is the same on both providers.</summary>
    public ChainDigest Field(DateTime value) => Field(Journal.JournalHasher.Truncate(value).Ticks);

    public ChainDigest Field(DateTime? value) => value is { } v ? Field(v) : Raw("-"u8);

    /// <summary>The original journal format: the fields joined by U+001F (null as empty), as one UTF-8 text.</summary>
    public ChainDigest Separated(ReadOnlySpan<char> value, bool first = false)
    {
        if (!first) Raw([0x1f]);
        return Text(value);
    }

    internal void Finish(Span<byte> destination)
    {
        try
        {
            if (_sm3 is not null) _sm3.DoFinal(destination);
            else _sha256!.GetHashAndReset(destination);
        }
        finally
        {
            if (_sm3 is not null) _cachedSm3 = this;
            else _cachedSha256 = this;
        }
    }

    internal string FinishHex()
    {
        Span<byte> hash = stackalloc byte[HashAlgorithms.DigestBytes];
        Finish(hash);
        return Convert.ToHexStringLower(hash);
    }

    private ChainDigest Framed(ReadOnlySpan<byte> bytes)
    {
        Span<byte> prefix = stackalloc byte[12];
        bytes.Length.TryFormat(prefix, out var length, default, CultureInfo.InvariantCulture);
        prefix[length++] = (byte)':';
        Raw(prefix[..length]);
        return Raw(bytes);
    }

    private ChainDigest Encode(ReadOnlySpan<char> text, bool framed)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return framed ? Framed(buffer[..length]) : Raw(buffer[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
