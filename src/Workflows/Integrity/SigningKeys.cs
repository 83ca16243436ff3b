using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PdsWorkflow.Workflows.Integrity;

/// <summary>A public key verification trusts: read from <see cref="IntegrityOptions.PublicKeysPath"/>, never from the database.</summary>
public sealed record TrustedKey(string KeyId, string Algorithm, byte[] PublicKey);

/// <summary>
/// The checkpoint signing key, kept in a file outside the database (<see cref="IntegrityOptions.SigningKeyFile"/>) and
/// created on first use, and the folder of public keys verification trusts. Rotation writes the new key's public key
/// into the folder before the new private key replaces the old one, so every checkpoint ever signed stays verifiable.
/// </summary>
/// <remarks>
/// Files are plain text, <c>name=value</c> lines: <c>algorithm</c>, <c>public</c> (base64) and, in the private key file,
/// <c>private</c> (base64). A public key file is named after its key id, which is checked against its content.
/// </remarks>
public sealed class SigningKeyStore(IOptions<IntegrityOptions> options, ILogger<SigningKeyStore> logger)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, TrustedKey> _trusted = new(StringComparer.Ordinal);
    private KeyMaterial? _current;

    /// <summary>The key new checkpoints are signed with: the file's, or a new one of the configured algorithm.</summary>
    internal KeyMaterial Current
    {
        get
        {
            if (_current is { } key) return key;
            lock (_gate)
            {
                return _current ??= LoadOrCreate();
            }
        }
    }

    /// <summary>Replaces the signing key with a new one of the configured algorithm; the old public key stays trusted.</summary>
    public TrustedKey Rotate()
    {
        lock (_gate)
        {
            var previous = File.Exists(options.Value.SigningKeyFile) ? Read(options.Value.SigningKeyFile) : null;
            _current = Create(replace: true);
            logger.LogWarning("Checkpoint signing key rotated: {OldKey} → {NewKey} ({Algorithm})", previous?.KeyId ?? "none", _current.KeyId, _current.Algorithm);
            return Trust(_current);
        }
    }

    /// <summary>The trusted public key of <paramref name="keyId"/>, or null; the folder is read again when a key is not known yet (another node rotated).</summary>
    public TrustedKey? Find(string keyId)
    {
        if (_trusted.TryGetValue(keyId, out var key)) return key;
        LoadTrusted();
        return _trusted.GetValueOrDefault(keyId);
    }

    /// <summary>The public keys in the folder now, read afresh: a verification trusts exactly these (a key removed from the folder is no longer trusted).</summary>
    public IReadOnlyDictionary<string, TrustedKey> ReadTrusted()
    {
        var trusted = new Dictionary<string, TrustedKey>(StringComparer.Ordinal);
        foreach (var key in ReadFolder()) trusted[key.KeyId] = key;
        return trusted;
    }

    private KeyMaterial LoadOrCreate()
    {
        var file = options.Value.SigningKeyFile;
        if (File.Exists(file))
        {
            var existing = Read(file) ?? throw new InvalidOperationException($"{file} (Integrity:SigningKeyFile) is not a signing key file.");
            if (existing.Algorithm == options.Value.SignatureAlgorithm)
            {
                Trust(existing);
                return existing;
            }

            logger.LogWarning("The signing key {KeyId} is {Algorithm} but Integrity:SignatureAlgorithm is {Configured}: a new key replaces it",
                existing.KeyId, existing.Algorithm, options.Value.SignatureAlgorithm);
            Trust(existing);
            return Create(replace: true);
        }

        return Create(replace: false);
    }

    /// <summary>A new key: its public key is trusted first, then the private key is written (created, or swapped in whole).</summary>
    private KeyMaterial Create(bool replace)
    {
        var file = options.Value.SigningKeyFile;
        var key = Signatures.Generate(options.Value.SignatureAlgorithm);
        Trust(key);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var text = $"# PdsWorkflow checkpoint signing key: keep it secret, never in the database\nalgorithm={key.Algorithm}\n" +
                   $"public={Convert.ToBase64String(key.PublicKey)}\nprivate={Convert.ToBase64String(key.PrivateKey)}\n";
        var target = replace ? $"{file}.{key.KeyId}.new" : file;
        try
        {
            // CreateNew: two nodes starting together on a shared folder keep whichever key was written first.
            WriteSecret(target, text);
            if (replace) File.Move(target, file, overwrite: true);
        }
        catch (IOException) when (!replace && File.Exists(file))
        {
            var winner = Read(file) ?? throw new InvalidOperationException($"{file} (Integrity:SigningKeyFile) is not a signing key file.");
            Trust(winner);
            return winner;
        }

        logger.LogInformation("Checkpoint signing key {KeyId} ({Algorithm}) written to {File}", key.KeyId, key.Algorithm, file);
        return key;
    }

    private TrustedKey Trust(KeyMaterial key)
    {
        var folder = options.Value.PublicKeysPath;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, key.KeyId + ".pub");
        if (!File.Exists(path))
            File.WriteAllText(path, $"algorithm={key.Algorithm}\npublic={Convert.ToBase64String(key.PublicKey)}\n", Encoding.ASCII);
        var trusted = new TrustedKey(key.KeyId, key.Algorithm, key.PublicKey);
        _trusted[key.KeyId] = trusted;
        return trusted;
    }

    private void LoadTrusted()
    {
        foreach (var key in ReadFolder()) _trusted.TryAdd(key.KeyId, key);
    }

    private IEnumerable<TrustedKey> ReadFolder()
    {
        var folder = options.Value.PublicKeysPath;
        if (!Directory.Exists(folder)) yield break;
        foreach (var path in Directory.EnumerateFiles(folder, "*.pub"))
        {
            var keyId = Path.GetFileNameWithoutExtension(path);
            var values = Parse(File.ReadAllText(path));
            if (values.GetValueOrDefault("algorithm") is not { } algorithm || !SignatureAlgorithms.IsKnown(algorithm)
                || Decode(values.GetValueOrDefault("public")) is not { } publicKey || Signatures.KeyId(algorithm, publicKey) != keyId)
            {
                logger.LogWarning("Public key file {File} is not a key whose id is its name: not trusted", path);
                continue;
            }

            yield return new TrustedKey(keyId, algorithm, publicKey);
        }
    }

    private static KeyMaterial? Read(string file)
    {
        var values = Parse(File.ReadAllText(file));
        return values.GetValueOrDefault("algorithm") is { } algorithm && SignatureAlgorithms.IsKnown(algorithm)
               && Decode(values.GetValueOrDefault("private")) is { } privateKey && Decode(values.GetValueOrDefault("public")) is { } publicKey
            ? new KeyMaterial(algorithm, privateKey, publicKey)
            : null;
    }

    private static Dictionary<string, string> Parse(string text) => text.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
        .Select(l => (Name: l[..l.IndexOf('=')], Value: l[(l.IndexOf('=') + 1)..]))
        .GroupBy(p => p.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    private static byte[]? Decode(string? base64)
    {
        if (base64 is null) return null;
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void WriteSecret(string path, string text)
    {
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, create);
        stream.Write(Encoding.ASCII.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }
}
