using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Activities.Tests.Catalog;

[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogMountTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    [Test]
    public async Task A_front_end_table_is_mounted_on_a_published_entry_and_listed_with_it()
    {
        var published = await PublishedAsync();

        var mount = Ok(await Catalog.MountAsync(published.EntryId,
            new CatalogMountRequest(CatalogMountKind.Table) { TableName = " T_DBJZ_GLXX ", Description = "低保救济管理信息表" }, "mz.staff"));

        Assert.That((mount.Kind, mount.KindName, mount.Target, mount.MountedBy), Is.EqualTo((CatalogMountKind.Table, "库表", "T_DBJZ_GLXX", "mz.staff")));
        var entry = await EntryAsync(published.EntryId);
        Assert.That(entry.Mounts.Select(m => (m.Kind, m.Target, m.Description)), Is.EqualTo(new[] { (CatalogMountKind.Table, "T_DBJZ_GLXX", (string?)"低保救济管理信息表") }));
        var audit = (await Catalog.GetHistoryAsync(published.EntryId))[^1];
        Assert.That((audit.Action, audit.Actor, audit.VersionNumber, audit.Details?["target"]?.GetValue<string>()),
            Is.EqualTo((CatalogAction.Mounted, "mz.staff", (int?)1, "T_DBJZ_GLXX")));
    }

    [TestCase(null, "required", "挂接库表名为必填项")]
    [TestCase("1_DBJZ", "pattern", "挂接库表名应以字母开头，只含字母、数字和下划线")]
    [TestCase("T-DBJZ", "pattern", "挂接库表名应以字母开头，只含字母、数字和下划线")]
    public async Task A_table_name_is_checked_by_the_forms_mount_field(string? tableName, string code, string message)
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = tableName }, "mz.staff"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[] { ("mountedTableName", code, message) }));
        Assert.That((await EntryAsync(published.EntryId)).Mounts, Is.Empty);
    }

    [Test]
    public async Task A_folder_is_mounted_with_its_files_in_the_shared_formats()
    {
        var published = await PublishedAsync();

        var mount = Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.File)
        {
            Folder = "/mzj/dbjz/",
            Files = [new CatalogMountedFile("低保名单.xls", "每月更新"), new CatalogMountedFile("说明.DOCX")],
        }, "mz.staff"));

        Assert.That(mount.Target, Is.EqualTo("/mzj/dbjz"));
        Assert.That(mount.Files.Select(f => (f.FileName, f.Description)), Is.EqualTo(new[] { ("低保名单.xls", (string?)"每月更新"), ("说明.DOCX", null) }));
        Assert.That((await EntryAsync(published.EntryId)).Mounts.Single().Files, Has.Count.EqualTo(2));
    }

    [TestCase("mzj/dbjz")]
    [TestCase("/mzj/../gaj")]
    [TestCase("/mzj//dbjz")]
    [TestCase("\\\\server\\share")]
    [TestCase("/")]
    public async Task A_folder_is_an_absolute_path_without_tricks(string folder)
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.File) { Folder = folder }, "mz.staff"));

        Assert.That(FieldErrors(error).Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ((string?)"folder", "folder.invalid") }));
    }

    [Test]
    public async Task Files_in_other_formats_are_refused_by_the_form()
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.File)
        {
            Folder = "/mzj/dbjz",
            Files = [new CatalogMountedFile("低保名单.xls"), new CatalogMountedFile("照片.jpg")],
        }, "mz.staff"));

        Assert.That(FieldErrors(error).Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ((string?)"mountedFiles[1].fileName", "fileFormat.unsupported") }));
        Assert.That(FieldErrors(error)[0].Message, Does.StartWith("挂接文件第2行的文件名的文件格式“jpg”不是平台支持的共享文件格式"));
    }

    [Test]
    public async Task An_entry_shared_by_file_must_list_the_files_it_mounts()
    {
        var data = EntryData(NextCode());
        data["shareMethodType"] = "file";
        var draft = Ok(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));
        Ok(await Catalog.SubmitAsync(draft.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(draft.EntryId, "mz.admin"));
        Ok(await Catalog.PublishAsync(draft.EntryId, "mz.admin"));

        var error = Refused(await Catalog.MountAsync(draft.EntryId, new CatalogMountRequest(CatalogMountKind.File) { Folder = "/mzj/dbjz" }, "mz.staff"));

        Assert.That(FieldErrors(error).Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ((string?)"mountedFiles", "requiredWhen") }));
    }

    [Test]
    public async Task An_interface_is_mounted_with_its_name_and_an_http_endpoint()
    {
        var published = await PublishedAsync();

        var mount = Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Api)
        {
            ApiName = "低保对象查询接口",
            Endpoint = "https://59.207.101.21/api/mzj/dbjz/v1",
        }, "mz.staff"));

        Assert.That((mount.KindName, mount.Name, mount.Target), Is.EqualTo(("服务接口", "低保对象查询接口", "https://59.207.101.21/api/mzj/dbjz/v1")));
    }

    [TestCase("http://127.0.0.2:8080/api")]
    [TestCase("http://10.1.2.3/api")]
    [TestCase("http://172.16.6.1/api")]
    [TestCase("http://192.168.1.10/api")]
    [TestCase("http://169.254.169.254/latest/meta-data/")]
    [TestCase("http://[::1]:8080/api")]
    [TestCase("http://[fd00::1]/api")]
    [TestCase("http://[fe80::1]/api")]
    [TestCase("http://[::ffff:10.0.0.1]/api")]
    [TestCase("http://0.0.0.0:8080/api")]
    [TestCase("http://no-such-host.invalid/api")]
    public async Task An_interface_on_an_internal_or_unresolvable_address_is_refused_with_a_field_error_and_nothing_mounted(string endpoint)
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId,
            new CatalogMountRequest(CatalogMountKind.Api) { ApiName = "低保对象查询接口", Endpoint = endpoint }, "mz.staff"));

        Assert.That(FieldErrors(error).Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ((string?)"endpoint", "endpoint.not_allowed") }));
        Assert.That(FieldErrors(error).Single().Message, Does.Contain("服务接口地址"));
        Assert.That((await Catalog.GetAsync(published.EntryId))!.Mounts, Is.Empty);
    }

    [Test]
    public async Task An_interface_in_a_listed_range_is_mounted()
    {
        var published = await PublishedAsync();

        var mount = Ok(await Catalog.MountAsync(published.EntryId,
            new CatalogMountRequest(CatalogMountKind.Api) { ApiName = "低保对象查询接口", Endpoint = "http://172.16.5.20:8080/api" }, "mz.staff"));

        Assert.That(mount.Target, Is.EqualTo("http://172.16.5.20:8080/api"));
    }

    [TestCase("ftp://sjgx.pds.gov.cn/dbjz")]
    [TestCase("https://user:secret@sjgx.pds.gov.cn/api")]
    [TestCase("/api/mzj/dbjz")]
    [TestCase("https://sjgx.pds.gov.cn/api#top")]
    public async Task An_endpoint_is_an_http_url_without_credentials(string endpoint)
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId,
            new CatalogMountRequest(CatalogMountKind.Api) { ApiName = "低保对象查询接口", Endpoint = endpoint }, "mz.staff"));

        Assert.That(FieldErrors(error).Select(e => (e.Field, e.Code)), Is.EqualTo(new[] { ((string?)"endpoint", "endpoint.invalid") }));
    }

    [Test]
    public async Task An_interface_needs_its_name_and_endpoint()
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Api), "mz.staff"));

        Assert.That(FieldErrors(error), Is.EquivalentTo(new (string?, string, string)[]
        {
            ("mountedApiName", "required", "挂接服务接口名称为必填项"),
            ("endpoint", "required", "服务接口地址为必填项"),
        }));
    }

    [Test]
    public async Task Only_a_published_entry_takes_mounts()
    {
        var draft = await CreateDraftAsync();
        var request = new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ" };

        var error = Refused(await Catalog.MountAsync(draft.EntryId, request, "mz.staff"));
        Assert.That((error.Code, error.Detail), Is.EqualTo(("catalog_not_published",
            "目录“低保救济管理信息”当前没有已发布的版本（最新第1版为“草稿”），只有已发布的目录可以挂接资源。")));

        var withdrawn = await PublishedAsync();
        Ok(await Catalog.WithdrawAsync(withdrawn.EntryId, "mz.admin", "不再提供"));
        Assert.That(Refused(await Catalog.MountAsync(withdrawn.EntryId, request, "mz.staff")).Code, Is.EqualTo("catalog_not_published"));
    }

    [Test]
    public async Task The_same_resource_is_mounted_once()
    {
        var published = await PublishedAsync();
        Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ" }, "mz.staff"));

        var error = Refused(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = "t_dbjz" }, "mz.staff"));

        Assert.That((error.Code, error.Detail), Is.EqualTo(("catalog_mount_exists", "该目录已挂接库表“t_dbjz”。")));
    }

    [Test]
    public async Task A_mount_is_removed_with_a_reason_and_kept_in_the_history()
    {
        var published = await PublishedAsync();
        var mount = Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ" }, "mz.staff"));

        Assert.That(Refused(await Catalog.UnmountAsync(published.EntryId, mount.Id, "mz.staff", " ")).Code, Is.EqualTo("reason_required"));
        Ok(await Catalog.UnmountAsync(published.EntryId, mount.Id, "mz.staff", "前置库表已迁移"));

        Assert.That((await EntryAsync(published.EntryId)).Mounts, Is.Empty);
        var audit = (await Catalog.GetHistoryAsync(published.EntryId))[^1];
        Assert.That((audit.Action, audit.Reason), Is.EqualTo((CatalogAction.Unmounted, "前置库表已迁移")));
        Assert.That(Refused(await Catalog.UnmountAsync(published.EntryId, mount.Id, "mz.staff", "再次解除")).Code, Is.EqualTo("catalog_mount_not_found"));
        Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ" }, "mz.staff"));
    }

    [Test]
    public async Task Mounts_stay_with_the_entry_when_a_new_version_is_published()
    {
        var published = await PublishedAsync();
        Ok(await Catalog.MountAsync(published.EntryId, new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ" }, "mz.staff"));
        Ok(await Catalog.ReviseAsync(published.EntryId, new CatalogRevision("更新摘要"), "mz.cataloger"));
        Ok(await Catalog.SubmitAsync(published.EntryId, "mz.cataloger"));
        Ok(await Catalog.RegisterAsync(published.EntryId, "mz.admin"));
        Ok(await Catalog.PublishAsync(published.EntryId, "mz.admin"));

        var entry = await EntryAsync(published.EntryId);

        Assert.That((entry.Published?.Number, entry.Mounts.Single().Target), Is.EqualTo(((int?)2, "T_DBJZ")));
    }

    [Test]
    public async Task A_long_description_is_refused()
    {
        var published = await PublishedAsync();

        var error = Refused(await Catalog.MountAsync(published.EntryId,
            new CatalogMountRequest(CatalogMountKind.Table) { TableName = "T_DBJZ", Description = new string('说', 201) }, "mz.staff"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[] { ("description", "maxLength", "挂接说明不能超过200个字") }));
    }
}
