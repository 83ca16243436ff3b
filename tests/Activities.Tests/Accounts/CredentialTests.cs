using System.Security.Cryptography;
using ICSharpCode.SharpZipLib.Zip;
using PdsWorkflow.Activities.Accounts;
using PdsWorkflow.Activities.Accounts.FrontEnd;

namespace PdsWorkflow.Activities.Tests.Accounts;

public sealed class CredentialTests
{
    [Test]
    public void Passwords_are_strong_and_the_same_for_one_issuance_and_different_for_another()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => RandomNumberGenerator.GetBytes(32)).ToList();
        var passwords = secrets.Select(CredentialGenerator.AccountPassword).ToList();

        Assert.That(passwords, Has.All.Matches<string>(CredentialGenerator.IsStrong));
        Assert.That(passwords, Has.All.Length.EqualTo(20).And.All.Match("^[A-Za-z0-9!%*+.?^_~-]+$"), "nothing a PostgreSQL literal, pure-pw or an FTP client must quote");
        Assert.That(passwords.Distinct().Count(), Is.EqualTo(passwords.Count));
        Assert.That(CredentialGenerator.AccountPassword(secrets[0]), Is.EqualTo(passwords[0]), "a retry derives the same one");
        Assert.That(secrets.Select(CredentialGenerator.ZipPassword), Has.All.Match("^[A-HJ-NP-Za-km-z2-9]{12}$"));
        Assert.That(CredentialGenerator.ZipPassword(secrets[0]), Is.Not.EqualTo(passwords[0][..12]));
    }

    [Test]
    public void The_letter_is_an_aes_256_zip_that_opens_with_its_password_only()
    {
        var zip = CredentialLetter.Zip("账号：db_mzj_01\n密码：Xy9!abcdefghijklmnop\n", "Ab3dEf7hJk9m", DateTimeOffset.Parse("2026-03-02T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

        using var file = new ZipFile(new MemoryStream(zip));
        var entry = file.Cast<ZipEntry>().Single();
        Assert.That((entry.Name, entry.IsCrypted, entry.AESKeySize), Is.EqualTo((CredentialLetter.EntryName, true, 256)));
        Assert.That(System.Text.Encoding.UTF8.GetString(zip), Does.Not.Contain("db_mzj_01"), "nothing readable without the password");
        Assert.Throws<ZipException>(() => file.GetInputStream(entry).ReadByte());
        file.Password = "Ab3dEf7hJk9n";
        Assert.Throws<ZipException>(() => file.GetInputStream(entry).ReadByte());
        file.Password = "Ab3dEf7hJk9m";
        using var reader = new StreamReader(file.GetInputStream(entry));
        Assert.That(reader.ReadToEnd(), Does.Contain("db_mzj_01"));
    }

    [Test]
    public void Scram_verifier_has_postgresqls_stored_format()
    {
        var verifier = ScramSecret.For("pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="));

        // RFC 7677 §3: the example's password and salt give this StoredKey and ServerKey.
        Assert.That(verifier, Is.EqualTo("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="));
    }
}
