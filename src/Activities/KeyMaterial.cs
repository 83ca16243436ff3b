using System.Security.Cryptography;
using System.Text;

namespace PdsWorkflow.Activities;

/// <summary>
/// A secret key given in the configuration (base64) or kept in a key file that is created with random bytes on first use
/// (readable by the service account only). Every node of a cluster needs the same key: set it, or share the file.
/// </summary>
public static class KeyMaterial
{
    public const int MinKeyBytes = 32;

    public static byte[]? Decode(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Trim());
            return bytes.Length >= MinKeyBytes ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>What is wrong with a key setting pair, for a start-up validator; null when it will load.</summary>
    public static string? Problem(string? key, string? file, string keySetting, string fileSetting)
    {
        if (!string.IsNullOrEmpty(key))
            return Decode(key) is null ? $"{keySetting} is not base64 of at least {MinKeyBytes} bytes." : null;
        if (string.IsNullOrWhiteSpace(file)) return $"{keySetting} and {fileSetting} are both empty.";
        return File.Exists(file) && Decode(File.ReadAllText(file)) is null
            ? $"{file} ({fileSetting}) is not base64 of at least {MinKeyBytes} bytes: restore the key the data was protected with."
            : null;
    }

    public static byte[] Load(string? key, string file, string keySetting, string fileSetting)
    {
        if (!string.IsNullOrEmpty(key))
            return Decode(key) ?? throw new InvalidOperationException($"{keySetting} is not base64 of at least {MinKeyBytes} bytes.");

        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(MinKeyBytes));
            try
            {
                // CreateNew: two nodes starting together on a shared folder keep whichever key was written first.
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(file, create);
                stream.Write(Encoding.ASCII.GetBytes(fresh));
            }
            catch (IOException) when (File.Exists(file))
            {
            }
        }

        return Decode(File.ReadAllText(file)) ?? throw new InvalidOperationException($"{file} ({fileSetting}) is not base64 of at least {MinKeyBytes} bytes.");
    }
}
