using System.Text.Json.Nodes;
using PdsWorkflow.Activities.Catalog;
using PdsWorkflow.Workflows.Persistence;
using PdsWorkflow.Workflows.Runtime;

namespace PdsWorkflow.Activities.Tests.Catalog;

/// <summary>A catalog entry's data is checked by the catalog-entry form schema; the errors come back by field, in zh-CN.</summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.PostgreSql)]
public sealed class CatalogValidationTests(DatabaseProvider provider) : CatalogTestBase(provider)
{
    [Test]
    public async Task Missing_and_malformed_fields_come_back_by_field_with_the_forms_messages()
    {
        var data = EntryData(NextCode());
        data.Remove("resourceName");
        data["providerCode"] = "11410400MB0A1003X4";
        data["items"]![1]!.AsObject().Remove("length");
        data.Remove("shareLegalBasis");

        var error = Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));

        Assert.That((error.Kind, error.Code, error.Title), Is.EqualTo((WorkflowErrorKind.Invalid, CatalogErrors.FormInvalidCode, "目录信息填写有误")));
        Assert.That(FieldErrors(error), Is.EquivalentTo(new (string?, string, string)[]
        {
            ("resourceName", "required", "信息资源名称为必填项"),
            ("providerCode", "uscc.checkDigit", "信息资源提供方代码校验位错误，应为 3"),
            ("items[1].length", "requiredWhen", "数据类型为“字符型 C”或“数值型 N”或“浮点型 F”时，信息项第2行的数据长度为必填项"),
            ("shareLegalBasis", "requiredWhen", "有条件共享的资源须提供法律法规或国家有关规定作为依据"),
        }));
        Assert.That(error.Detail, Does.StartWith("目录信息有 4 处需要修改："));
    }

    [Test]
    public async Task The_resource_code_must_match_the_classification()
    {
        var data = EntryData(NextCode());
        data["classHeading"] = "004";

        var error = Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));

        Assert.That(FieldErrors(error).Single(), Is.EqualTo(((string?)"resourceCode", "resourceCode.classificationMismatch",
            $"信息资源代码的分类码“{data["resourceCode"]!.GetValue<string>().Split('/')[0]}”与所填资源分类“34100401”不一致")));
    }

    [Test]
    public async Task Mount_fields_are_not_part_of_compiling_an_entry()
    {
        var data = EntryData(NextCode());
        data["mountedTableName"] = "T_DBJZ";

        var error = Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[] { ("mountedTableName", "readOnly", "挂接库表名在当前环节为只读，不能修改") }));
    }

    [Test]
    public async Task Keys_the_form_does_not_have_are_refused()
    {
        var data = EntryData(NextCode());
        data["secretNote"] = "x";

        Assert.That(FieldErrors(Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"))).Single().Code, Is.EqualTo("unknownField"));
    }

    [Test]
    public async Task The_data_is_stored_as_the_form_normalised_it()
    {
        var code = NextCode();
        var data = EntryData(code.Replace("/", " ／ ", StringComparison.Ordinal));
        data["shareType"] = "2";
        data["resourceName"] = "  低保救济管理信息  ";

        var draft = Ok(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));

        Assert.That((draft.ResourceCode, draft.ResourceName, draft.ShareType, draft.ClassificationCode), Is.EqualTo((code, "低保救济管理信息", 2, "34100301")));
        Assert.That(draft.Data["shareType"]?.GetValue<int>(), Is.EqualTo(2));
        Assert.That(draft.FormVersion, Is.EqualTo(1));
        Assert.That(draft.Items, Is.EqualTo(new[]
        {
            new CatalogItem("身份证号", "C", 18, null, null),
            new CatalogItem("姓名", "C", 50, null, null),
            new CatalogItem("家庭主要成员月收入", "N", 12, 2, null),
            new CatalogItem("认定日期", "D", null, null, null),
        }));
        Assert.That((await Catalog.FindByResourceCodeAsync(code))?.EntryId, Is.EqualTo(draft.EntryId));
    }

    [Test]
    public async Task A_resource_code_belongs_to_one_entry()
    {
        var first = await CreateDraftAsync();

        var error = Refused(await Catalog.CreateAsync(Mzj, EntryData(first.ResourceCode, "另一个资源"), "mz.cataloger"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[]
        {
            ("resourceCode", "resourceCode.taken", $"信息资源代码 {first.ResourceCode} 已被其他目录使用"),
        }));
    }

    [Test]
    public async Task The_provider_code_is_the_provider_departments_credit_code()
    {
        var data = EntryData(NextCode());
        data["providerCode"] = "11410400MB0A10013G";

        var error = Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[]
        {
            ("providerCode", "providerCode.mismatch", $"信息资源提供方代码应为提供方部门“市民政局”的统一社会信用代码 {MzjCode}"),
        }));
    }

    [Test]
    public async Task A_draft_update_is_validated_the_same_way()
    {
        var draft = await CreateDraftAsync();
        var data = EntryData(draft.ResourceCode);
        data["openToSociety"] = 1;

        var error = Refused(await Catalog.UpdateDraftAsync(draft.EntryId, data, "mz.cataloger"));

        Assert.That(FieldErrors(error), Is.EqualTo(new (string?, string, string)[] { ("openCondition", "requiredWhen", "向社会开放的资源须描述开放条件") }));
        Assert.That((await EntryAsync(draft.EntryId)).InProgress?.Data["openToSociety"]?.GetValue<int>(), Is.Zero);
    }

    [Test]
    public async Task Not_shared_resources_need_only_their_legal_basis()
    {
        var draft = Ok(await Catalog.CreateAsync(Mzj, EntryData(NextCode(), shareType: 3), "mz.cataloger"));
        Assert.That(draft.ShareType, Is.EqualTo(3));

        var data = EntryData(NextCode(), shareType: 3);
        data.Remove("shareLegalBasis");
        Assert.That(FieldErrors(Refused(await Catalog.CreateAsync(Mzj, data, "mz.cataloger"))), Is.EqualTo(new (string?, string, string)[]
        {
            ("shareLegalBasis", "requiredWhen", "不予共享的资源须注明相关的法律、行政法规或党中央、国务院政策依据"),
        }));
    }

    [Test]
    public async Task An_empty_submission_lists_every_required_field()
    {
        var error = Refused(await Catalog.CreateAsync(Mzj, new JsonObject(), "mz.cataloger"));

        Assert.That(FieldErrors(error).Where(e => e.Code == "required").Select(e => e.Field), Is.SupersetOf(new[]
        {
            "classCategory", "classItem", "classHeading", "resourceName", "resourceCode", "providerName", "providerCode", "abstract",
            "formatCategory", "formatType", "shareType", "openToSociety", "updateCycle", "publishDate",
        }));
    }
}
