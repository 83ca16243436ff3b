using Microsoft.Extensions.DependencyInjection;
using PdsWorkflow.Workflows.Audit;
using PdsWorkflow.Workflows.Integrity;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Workflows.Tests.Integrity;

/// <summary>
/// The security audit log (GB/T 22239-2019 8.1.4.3 c: 保护审计记录，避免受到未预期的删除、修改或覆盖) is a global stream of
/// the tamper evidence: each row is attested in stream <c>security</c> as it is written, so a row changed, deleted or
/// inserted with SQL, behind the product's back, is named by 验证.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class SecurityLogStreamTests(DatabaseProvider provider) : IntegrityTestBase(provider)
{
    private SecurityLog Log => Services.GetRequiredService<SecurityLog>();

    private async Task<SecurityEventRecord> WriteAsync(string actor) =>
        await Log.WriteAsync(new SecurityEvent(SecurityEventKinds.SignIn, SecurityResults.Failure, actor, "10.0.0.7", $"user:{actor}", "密码错误"),
            CancellationToken.None);

    private async Task<StreamVerification> VerifyAsync() => (await Integrity.VerifyStreamAsync("security"))!;

    [Test]
    public async Task Rows_written_by_the_product_are_attested_and_verify()
    {
        var row = await WriteAsync("intact.user");

        var verification = await VerifyAsync();

        Assert.That(verification.Integrity.Records.Violations.Where(v => v.RecordId == row.RecordId.ToString("N")), Is.Empty);
        Assert.That(verification.Integrity.Records.Kinds.Select(k => k.Name), Does.Contain("安全审计日志"));
    }

    [TestCase(RecordChanges.Altered)]
    [TestCase(RecordChanges.Deleted)]
    [TestCase(RecordChanges.Inserted)]
    public async Task A_row_changed_deleted_or_inserted_with_sql_is_named(string change)
    {
        var id = Guid.NewGuid();
        switch (change)
        {
            case RecordChanges.Altered:
                id = (await WriteAsync("altered.user")).RecordId;
                await ExecuteSqlAsync("UPDATE \"wf_security_log\" SET \"Result\" = 'success' WHERE \"RecordId\" = {0}", id);
                break;
            case RecordChanges.Deleted:
                id = (await WriteAsync("deleted.user")).RecordId;
                await ExecuteSqlAsync("DELETE FROM \"wf_security_log\" WHERE \"RecordId\" = {0}", id);
                break;
            default:
                Clock.Advance(TimeSpan.FromMinutes(1));
                await ExecuteSqlAsync(
                    "INSERT INTO \"wf_security_log\" (\"RecordId\", \"At\", \"Kind\", \"Result\", \"Actor\") VALUES ({0}, {1}, 'sign_in', 'success', 'intruder')",
                    id, Clock.GetUtcNow().UtcDateTime);
                break;
        }

        var verification = await VerifyAsync();

        Assert.That(verification.Integrity.Records.Violations.Where(v => v.RecordId == id.ToString("N")).Select(v => (v.Kind, v.Change)),
            Is.EqualTo(new[] { ("security-log", change) }));
        Assert.That(verification.Passed, Is.False);
    }
}
