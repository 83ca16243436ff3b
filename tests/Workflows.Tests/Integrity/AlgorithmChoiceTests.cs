using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>SHA-256 and ECDSA P-256 or Ed25519 instead of SM3 and SM2, by configuration; each entry and checkpoint records what it used.</summary>
[TestFixture(DatabaseProvider.Sqlite, HashAlgorithms.Sha256, SignatureAlgorithms.EcdsaP256)]
[TestFixture(DatabaseProvider.PostgreSql, HashAlgorithms.Sha256, SignatureAlgorithms.EcdsaP256)]
[TestFixture(DatabaseProvider.Sqlite, HashAlgorithms.Sm3, SignatureAlgorithms.Ed25519)]
[TestFixture(DatabaseProvider.PostgreSql, HashAlgorithms.Sha256, SignatureAlgorithms.Ed25519)]
public sealed class AlgorithmChoiceTests(DatabaseProvider provider, string hash, string signature) : IntegrityTestBase(provider)
{
    protected override void ConfigureServices(IServiceCollection services)
    {
        base.ConfigureServices(services);
        services.PostConfigure<IntegrityOptions>(o => (o.HashAlgorithm, o.SignatureAlgorithm) = (hash, signature));
    }

    [Test]
    public async Task A_case_is_chained_and_signed_with_the_configured_algorithms_and_verifies()
    {
        var instance = await CaseAsync();

        var verification = await VerifyAsync(instance);
        var entries = await RowsAsync(db => db.Journal.Where(j => j.InstanceId == instance).Select(j => j.Algorithm));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(verification.IsIntactAndReproducible, Is.True, verification.Verdict);
            Assert.That(entries, Has.All.EqualTo(hash));
            Assert.That(verification.Integrity.Signatures.Keys.Select(k => (k.SignatureAlgorithm, k.HashAlgorithm)), Is.EqualTo(new[] { (signature, hash) }));
            Assert.That((await CheckpointsAsync(instance)).Select(c => c.SignatureAlgorithm), Has.All.EqualTo(signature));
        }
    }

    [Test]
    public async Task A_recomputed_chain_is_caught_whatever_the_algorithms()
    {
        var instance = await CaseAsync();
        await RecomputeChainAsync(instance, entries => entries[^2].Actor = "intruder");

        var verification = await VerifyAsync(instance);

        Assert.That(verification.HashChain.IsIntact, Is.True);
        Assert.That(verification.Integrity.Signatures.Violations.Select(v => v.Kind), Is.EqualTo(new[] { "Rewritten" }));
    }
}

/// <summary>A bad <c>Integrity:*</c> setting stops the Host with the setting named.</summary>
public sealed class IntegrityOptionsTests
{
    [Test]
    public void Every_bad_setting_is_named()
    {
        var result = new IntegrityOptionsValidator().Validate(null, new IntegrityOptions
        {
            HashAlgorithm = "MD5", SignatureAlgorithm = "RSA", SigningKeyFile = " ", PublicKeysPath = "", CheckpointEveryEntries = 0,
            CheckpointInterval = TimeSpan.FromSeconds(1), CheckpointCron = "every five minutes", SweepBatchSize = 0,
        });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures!.Select(f => f.Split(' ', '“')[0]), Is.EquivalentTo(new[]
        {
            "Integrity:HashAlgorithm", "Integrity:SignatureAlgorithm", "Integrity:SigningKeyFile", "Integrity:PublicKeysPath", "Integrity:CheckpointEveryEntries",
            "Integrity:CheckpointInterval", "Integrity:CheckpointCron", "Integrity:SweepBatchSize",
        }));
    }

    [Test]
    public void The_defaults_are_the_national_algorithms_and_valid()
    {
        var defaults = new IntegrityOptions();
        Assert.That((defaults.HashAlgorithm, defaults.SignatureAlgorithm), Is.EqualTo((HashAlgorithms.Sm3, SignatureAlgorithms.Sm2)));
        Assert.That(new IntegrityOptionsValidator().Validate(null, defaults), Is.EqualTo(ValidateOptionsResult.Success));
    }
}
