using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// The signing key lives in a file outside the database, created on first use; rotation signs new checkpoints with a
/// new key while the old public key keeps old checkpoints verifiable; only keys in the public key folder are trusted.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SigningKeyTests(DatabaseProvider provider) : IntegrityTestBase(provider)
{
    private SigningKeyStore Keys => Services.GetRequiredService<SigningKeyStore>();

    [Test]
    public async Task Rotation_signs_later_checkpoints_with_the_new_key_and_both_verify_until_the_old_public_key_is_removed()
    {
        var instance = await CaseAsync(finish: false);
        var first = (await CheckpointsAsync(instance)).Select(c => c.KeyId).Distinct().Single();
        var keyFile = IntegritySettings.SigningKeyFile;
        Assert.That(File.ReadAllText(keyFile), Does.Contain("algorithm=SM2").And.Contain("private="), "created on first use, outside the database");
        if (!OperatingSystem.IsWindows()) Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var rotated = Keys.Rotate();
        Ok(await Tasks.ApproveAsync((await OpenTaskAsync(instance, "reply")).Id, Approver, "已更正", FormExamples.ObjectionReply()));
        await AnchorAsync();
        var verification = await VerifyAsync(instance);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rotated.KeyId, Is.Not.EqualTo(first));
            Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(verification.Integrity.Signatures.Keys.Select(k => (k.KeyId, k.Trusted)), Is.EqualTo(new[] { (first, true), (rotated.KeyId, true) }));
            Assert.That(verification.Checks.Single(c => c.Name == "signatures").Summary, Does.Contain($"密钥 {first}").And.Contain($"密钥 {rotated.KeyId}"));
        }

        // The public keys come from the folder, never from the database: without the old one its checkpoints do not verify.
        var folder = IntegritySettings.PublicKeysPath;
        var removed = Path.Combine(folder, first + ".pub");
        var kept = File.ReadAllText(removed);
        File.Delete(removed);
        var untrusted = await VerifyAsync(instance);
        File.WriteAllText(removed, kept);

        Assert.That(untrusted.Integrity.Signatures.Violations.Select(v => v.Kind), Has.All.EqualTo("BadSignature").And.Not.Empty);
        Assert.That(untrusted.Integrity.Signatures.Violations[0].Message, Does.Contain($"不受信任的密钥 {first}"));
    }

    [Test]
    public void A_key_file_of_another_algorithm_is_replaced_by_a_key_of_the_configured_one_and_stays_trusted()
    {
        var folder = Path.Combine(IntegrityFolder, "switch");
        var sm2 = Store(folder, SignatureAlgorithms.Sm2).Current;
        var ed25519 = Store(folder, SignatureAlgorithms.Ed25519);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ed25519.Current.Algorithm, Is.EqualTo(SignatureAlgorithms.Ed25519));
            Assert.That(ed25519.Find(sm2.KeyId)?.Algorithm, Is.EqualTo(SignatureAlgorithms.Sm2), "the old public key is still trusted");
            Assert.That(Store(folder, SignatureAlgorithms.Ed25519).Current.KeyId, Is.EqualTo(ed25519.Current.KeyId), "read back, not made again");
        }
    }

    [Test]
    public void A_public_key_file_whose_name_is_not_its_key_id_is_not_trusted()
    {
        var folder = Path.Combine(IntegrityFolder, "names");
        var store = Store(folder, SignatureAlgorithms.Sm2);
        var real = store.Current;
        var impostor = Signatures.Generate(SignatureAlgorithms.Sm2);
        var keys = Path.Combine(folder, "public");
        File.WriteAllText(Path.Combine(keys, "0000000000000000.pub"), $"algorithm=SM2\npublic={Convert.ToBase64String(impostor.PublicKey)}\n");

        var fresh = Store(folder, SignatureAlgorithms.Sm2);

        Assert.That(fresh.Find("0000000000000000"), Is.Null);
        Assert.That(fresh.Find(real.KeyId), Is.Not.Null);
    }

    private static SigningKeyStore Store(string folder, string algorithm) => new(Options.Create(new IntegrityOptions
    {
        SignatureAlgorithm = algorithm, SigningKeyFile = Path.Combine(folder, "signing.key"), PublicKeysPath = Path.Combine(folder, "public"),
    }), Microsoft.Extensions.Logging.Abstractions.NullLogger<SigningKeyStore>.Instance);
}
