using System.Security.Cryptography;
using System.Text;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Activities.Exchange;
using PdsWorkflow.Activities.Exchange.Data;
using PdsWorkflow.Tests.Support;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Exchange;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class FileExchangeTests(DatabaseProvider provider) : ExchangeTestBase(provider)
{
    /// <summary>A mounted folder of 市公安局 on the file service holding <paramref name="files"/> (relative path, size); returns its code.</summary>
    private async Task<(string Code, string Folder)> ProviderFolderAsync(params (string Path, int Bytes)[] files)
    {
        var folder = $"/gaj/wj{Next()}";
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(ProviderRoot, folder.TrimStart('/'), path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var content = new byte[bytes];
            new Random(path.GetHashCode(StringComparison.Ordinal)).NextBytes(content);
            await File.WriteAllBytesAsync(full, content);
        }

        var code = await PublishAsync("不动产登记文件", null, new CatalogMountRequest(CatalogMountKind.File)
        {
            Folder = folder, Files = [new CatalogMountedFile("登记汇总.xls")],
        });
        return (code, folder);
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))))
        : [];

    private string Receiving(string department, string code) => Path.Combine(ReceivingRoot, department, code.Replace('/', '_'));

    [Test]
    public async Task Files_arrive_equal_by_hash_with_each_sha256_recorded_and_progress_complete()
    {
        var (code, folder) = await ProviderFolderAsync(("登记汇总.xls", 5000), ("说明.docx", 1200), ("2026/三月.csv", 70), ("readme.TXT", 10));

        var run = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage + await IncidentsAsync(run.InstanceId));
        var source = Hashes(Path.Combine(ProviderRoot, folder.TrimStart('/')));
        var received = Hashes(Receiving("rsj", code));
        Assert.That(received, Is.EqualTo(source), "same files, same content, no temporary file left");
        var record = (await Progress.OfInstanceAsync(run.InstanceId)).Single();
        Assert.Multiple(() =>
        {
            Assert.That((record.Status, record.FilesTotal, record.FilesDone, record.BytesTotal, record.BytesDone, record.Progress),
                Is.EqualTo((ExchangeRunStatus.Succeeded, (int?)4, 4, (long?)6280, 6280L, (double?)1)));
            Assert.That(record.Checksum, Does.Match("^[0-9a-f]{64}$"));
        });
        var files = await Progress.FilesAsync(record.Id);
        Assert.That(files.ToDictionary(f => f.Path, f => f.Sha256), Is.EqualTo(source));
        var journal = string.Join("\n", (await JournalAsync(run.InstanceId)).Select(e => e.Message));
        Assert.That(journal, Does.Contain("4 个文件共 6280 字节").And.Contain(source["说明.docx"]));
    }

    [Test]
    public async Task Running_the_exchange_again_rewrites_only_what_differs_and_duplicates_nothing()
    {
        var (code, folder) = await ProviderFolderAsync(("a.csv", 300), ("b.xml", 400));
        var first = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无"));
        Assert.That(first.Status, Is.EqualTo(WorkflowStatus.Finished), first.FaultMessage);
        var receiving = Receiving("rsj", code);
        await File.WriteAllTextAsync(Path.Combine(receiving, "b.xml"), "half a file", Encoding.UTF8);

        var second = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无"));

        Assert.That(second.Status, Is.EqualTo(WorkflowStatus.Finished), second.FaultMessage);
        Assert.That(Hashes(receiving), Is.EqualTo(Hashes(Path.Combine(ProviderRoot, folder.TrimStart('/')))));
        var journal = string.Join("\n", (await JournalAsync(second.InstanceId)).Select(e => e.Message));
        Assert.That(journal, Does.Contain("1 个已是相同内容"));
        Assert.That((await Progress.OfInstanceAsync(second.InstanceId)).Single().Checksum,
            Is.EqualTo((await Progress.OfInstanceAsync(first.InstanceId)).Single().Checksum));
    }

    [Test]
    public async Task A_format_outside_article_8_refuses_the_whole_folder_without_retry()
    {
        var (code, _) = await ProviderFolderAsync(("a.csv", 100), ("setup.exe", 100), ("scan.pdf", 100));

        var run = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("scan.pdf").And.Contain("setup.exe").And.Contain("第八条").And.Not.Contain("a.csv"));
        Assert.That(Hashes(Receiving("rsj", code)), Is.Empty);
    }

    [Test]
    public async Task A_file_over_the_size_limit_refuses_the_folder()
    {
        var (code, _) = await ProviderFolderAsync(("small.txt", 100), ("big.xls", (int)MaxFileBytes + 1));

        var run = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无"));

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Faulted));
        Assert.That(run.FaultMessage, Does.Contain("big.xls").And.Contain("上限"));
        Assert.That(Hashes(Receiving("rsj", code)), Is.Empty);
    }

    [Test]
    public async Task A_county_department_receives_files_in_its_countys_receiving_folder()
    {
        var (code, folder) = await ProviderFolderAsync(("a.csv", 50));

        var run = await ExchangeAsync(ExchangeFiles.Type, Form(code, "不动产登记文件", "file", "无", "county"), "county", "yx.applicant");

        Assert.That(run.Status, Is.EqualTo(WorkflowStatus.Finished), run.FaultMessage);
        var county = Path.Combine(ReceivingRoot, "yx_sjj", "yx_wjw", code.Replace('/', '_'));
        Assert.That(Hashes(county), Is.EqualTo(Hashes(Path.Combine(ProviderRoot, folder.TrimStart('/')))).And.Not.Empty);
        Assert.That(Directory.Exists(Path.Combine(ReceivingRoot, "yx_wjw")), Is.False);
        Assert.That((await Progress.OfInstanceAsync(run.InstanceId)).Single().TargetOrgUnitId, Is.EqualTo(TestOrganization.YeCounty));
    }
}
