using PdsWorkflow.Tests.Support;
using System.Text.Json.Nodes;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

/// <summary>The platform's forms in definitions/forms: each loads, and a realistic filled example validates.</summary>
public sealed class ShippedFormsTests
{
    private static FormSchema Form(string id) => FormsTestData.Registry.Get(id);

    private static FormValidationResult Validate(string id, JsonObject data, FormPermissions? permissions = null, JsonObject? current = null) =>
        ShippedData.Validator.Validate(Form(id), data, permissions, current);

    private static IEnumerable<(string Field, string Code)> Problems(FormValidationResult result) =>
        result.Errors.Select(error => (error.Field, error.Code));

    [Test]
    public void All_eight_forms_load()
    {
        Assert.That(FormsTestData.Registry.Latest.Select(schema => schema.Id), Is.EqualTo(new[]
        {
            "account-database-ftp", "account-platform", "catalog-change", "catalog-entry", "data-objection", "interface-request", "resource-subscription",
            "share-dispute",
        }));
    }

    [TestCaseSource(nameof(Examples))]
    public void A_filled_example_is_valid(string id, Func<JsonObject> example)
    {
        var result = Validate(id, example());

        Assert.That(result.Errors, Is.Empty);
    }

    private static IEnumerable<TestCaseData> Examples()
    {
        yield return new TestCaseData("account-platform", (Func<JsonObject>)FormExamples.PlatformAccount).SetArgDisplayNames("form 1");
        yield return new TestCaseData("account-database-ftp", (Func<JsonObject>)FormExamples.DatabaseFtpAccount).SetArgDisplayNames("form 2");
        yield return new TestCaseData("interface-request", (Func<JsonObject>)FormExamples.InterfaceRequest).SetArgDisplayNames("form 3");
        yield return new TestCaseData("resource-subscription", (Func<JsonObject>)FormExamples.ResourceSubscription).SetArgDisplayNames("form 4");
        yield return new TestCaseData("catalog-entry", (Func<JsonObject>)FormExamples.CatalogEntry).SetArgDisplayNames("catalog");
        yield return new TestCaseData("catalog-change", (Func<JsonObject>)(() => new JsonObject
        {
            ["catalogEntryId"] = Guid.NewGuid().ToString(), ["changeKind"] = "law", ["changeBasis"] = "《社会救助暂行办法》修订", ["changeOccurredOn"] = "2026-03-02",
        })).SetArgDisplayNames("catalog update");
        yield return new TestCaseData("data-objection",
            (Func<JsonObject>)(() => Merge(FormExamples.ObjectionReport(), FormExamples.ObjectionReply()))).SetArgDisplayNames("objection");
    }

    // ── Form 1 and 2: accounts ────────────────────────────────────────────────────────────────────────────────────

    [Test]
    public void Account_values_are_normalised()
    {
        var result = Validate("account-platform", FormExamples.PlatformAccount());

        Assert.That(result.Data["phone"]!.GetValue<string>(), Is.EqualTo("13937500001"));
    }

    [Test]
    public void A_password_reset_names_the_existing_account_and_not_a_unit()
    {
        var data = FormExamples.PlatformAccount();
        data["requestType"] = "reset";

        var result = Validate("account-platform", data);

        Assert.That(result.Errors, Is.EqualTo(new[]
        {
            new FormError("accountUnitId", "emptyWhen", "密码重置和其他事项由原有账号确定所属单位，开通账号的单位无需填写"),
            new FormError("existingAccount", "requiredWhen", "申请类型为“密码重置”或“其他”时，原有账号名称为必填项"),
        }));
    }

    [Test]
    public void A_new_account_names_its_unit_and_no_existing_account_and_other_needs_its_text()
    {
        var data = FormExamples.PlatformAccount();
        data["existingAccount"] = "pds_mz_01";
        var unnamed = FormExamples.PlatformAccount();
        unnamed.Remove("accountUnitId");
        var other = FormExamples.PlatformAccount();
        other["requestType"] = "other";
        other.Remove("accountUnitId");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Problems(Validate("account-platform", data)), Is.EqualTo(new[] { ("existingAccount", "emptyWhen") }));
            Assert.That(Problems(Validate("account-platform", unnamed)), Is.EqualTo(new[] { ("accountUnitId", "requiredWhen") }));
            Assert.That(Problems(Validate("account-platform", other)), Is.EqualTo(new[] { ("existingAccount", "requiredWhen"), ("otherRequest", "requiredWhen") }));
        }
    }

    [TestCase("account-platform")]
    [TestCase("account-database-ftp")]
    public void The_account_forms_take_no_declared_department_or_unit_kind(string form)
    {
        // 000 §五: what the unit is, and so whether its parent or county authority reviews first, is the platform's to say.
        var data = form == "account-platform" ? FormExamples.PlatformAccount() : FormExamples.DatabaseFtpAccount();
        data["department"] = "平顶山市民政局";
        data["unitKind"] = "municipal";

        Assert.That(Problems(Validate(form, data)), Is.EquivalentTo(new[] { ("department", "unknownField"), ("unitKind", "unknownField") }));
        Assert.That(Form(form).Fields.Where(f => f.IsFilledByPlatform).Select(f => f.Key),
            Is.SupersetOf(new[] { "accountUnitName", "accountUnitKind", "reviewRoute", "recordContact", "contactDiffers" }));
    }

    [Test]
    public void A_contact_the_platform_flags_as_not_on_record_must_be_confirmed()
    {
        var data = FormExamples.PlatformAccount();
        data["contactDiffers"] = true;
        var confirmed = FormExamples.PlatformAccount();
        confirmed["contactDiffers"] = true;
        confirmed["contactCheck"] = "confirmed";

        Assert.That(Problems(Validate("account-platform", data)), Is.EqualTo(new[] { ("contactCheck", "requiredWhen") }));
        Assert.That(Problems(Validate("account-platform", confirmed)), Is.Empty);
    }

    [Test]
    public void The_applicant_confirms_being_formal_staff_and_gives_reachable_contacts()
    {
        var data = FormExamples.PlatformAccount();
        data["formalStaff"] = false;
        data["phone"] = "2692000";
        data["email"] = "zhao.yiming@example";
        data["stampedScan"] = FormsTestData.File("申请单.docx");

        Assert.That(Problems(Validate("account-platform", data)), Is.EqualTo(new[]
        {
            ("formalStaff", "required"), ("phone", "phone.invalid"), ("email", "email.invalid"), ("stampedScan", "fileType"),
        }));
    }

    [Test]
    public void The_database_and_FTP_form_needs_the_account_type_and_the_integration_owner()
    {
        var data = FormExamples.DatabaseFtpAccount();
        data.Remove("accountType");
        data.Remove("integrationOwner");
        data["applicantName"] = "钱思远";

        Assert.That(Problems(Validate("account-database-ftp", data)), Is.EquivalentTo(new[]
        {
            ("applicantName", "unknownField"), ("accountType", "required"), ("integrationOwner", "required"),
        }));
    }

    // ── Form 3: interface request ─────────────────────────────────────────────────────────────────────────────────

    [Test]
    public void Interface_request_values_are_normalised()
    {
        var result = Validate("interface-request", FormExamples.InterfaceRequest());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Data["usageHours"]!.GetValue<string>(), Is.EqualTo("工作日 08:00-20:00"));
            Assert.That(result.Data["extranetIps"]!.GetValue<string>(), Is.EqualTo("59.207.101.21, 59.207.101.22, 240e:1::21"));
        }
    }

    [TestCase(0, "min", "接口使用期限（天）不能小于1")]
    [TestCase(1096, "max", "接口使用期限（天）不能大于1095")]
    public void The_interface_period_is_1_to_1095_days(int days, string code, string message)
    {
        var data = FormExamples.InterfaceRequest();
        data["periodDays"] = days;
        data.Remove("seasonalWindows");

        Assert.That(Validate("interface-request", data).Errors, Is.EqualTo(new[] { new FormError("periodDays", code, message) }));
    }

    [Test]
    public void The_full_1095_days_are_allowed()
    {
        var data = FormExamples.InterfaceRequest();
        data["periodDays"] = 1095;

        Assert.That(Validate("interface-request", data).Errors, Is.Empty);
    }

    [Test]
    public void Seasonal_windows_lie_within_the_period()
    {
        var data = FormExamples.InterfaceRequest();
        data["periodDays"] = 100;
        data["seasonalWindows"] = JsonNode.Parse("""
            [ { "start": "2025-03-01", "end": "2025-04-01" }, { "start": "2025-05-01", "end": "2025-06-30" } ]
            """);

        Assert.That(Validate("interface-request", data).Errors, Is.EqualTo(new[]
        {
            new FormError("seasonalWindows[0].start", "seasonalWindows.outsidePeriod",
                "季节性使用时段第1行的开始日期超出接口使用期限（2025-03-10 至 2025-06-17）"),
            new FormError("seasonalWindows[1].end", "seasonalWindows.outsidePeriod",
                "季节性使用时段第2行的结束日期超出接口使用期限（2025-03-10 至 2025-06-17）"),
        }));
    }

    [Test]
    public void Seasonal_windows_do_not_overlap_and_each_ends_after_it_starts()
    {
        var data = FormExamples.InterfaceRequest();
        data["seasonalWindows"] = JsonNode.Parse("""
            [ { "start": "2025-07-01", "end": "2025-09-01" }, { "start": "2025-04-01", "end": "2025-03-20" },
              { "start": "2025-08-15", "end": "2025-10-01" }, { "start": "2025-09-02", "end": "2025-09-30" } ]
            """);

        Assert.That(Validate("interface-request", data).Errors, Is.EqualTo(new[]
        {
            new FormError("seasonalWindows[1].end", "dateRange", "季节性使用时段第2行的结束日期不能早于季节性使用时段第2行的开始日期"),
            new FormError("seasonalWindows[2].start", "seasonalWindows.overlap", "季节性使用时段第3行与第1行的时段重叠"),
            new FormError("seasonalWindows[3].start", "seasonalWindows.overlap", "季节性使用时段第4行与第3行的时段重叠"),
        }));
    }

    [TestCase(10001, 10000, false)]
    [TestCase(10000, 10000, true)]
    public void The_daily_average_is_at_most_the_peak(int average, int peak, bool valid)
    {
        var data = FormExamples.InterfaceRequest();
        data["dailyCallsAverage"] = average;
        data["dailyCallsPeak"] = peak;

        Assert.That(Validate("interface-request", data).Errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("dailyCallsAverage", "compare", "服务接口每天使用次数的平均值不能大于峰值") }));
    }

    [Test]
    public void Daily_calls_are_positive_whole_numbers()
    {
        var data = FormExamples.InterfaceRequest();
        data["dailyCallsAverage"] = 0;
        data["dailyCallsPeak"] = 150.5;

        Assert.That(Problems(Validate("interface-request", data)), Is.EqualTo(new[] { ("dailyCallsAverage", "min"), ("dailyCallsPeak", "type") }));
    }

    [Test]
    public void The_interface_form_checks_codes_names_addresses_and_hours()
    {
        var data = FormExamples.InterfaceRequest();
        data["userDepartmentCode"] = "11410400MB1234562X";
        data["userDepartmentName"] = "民政局";
        data["extranetIps"] = "59.207.101.0/24";
        data["usageHours"] = "工作日 20:00-08:00";
        data["contactPhone"] = "1393750000";

        Assert.That(Validate("interface-request", data).Errors, Is.EqualTo(new[]
        {
            new FormError("userDepartmentCode", "uscc.checkDigit", "使用部门代码校验位错误，应为 W"),
            new FormError("contactPhone", "phone.invalid", "使用单位联系人电话应为11位手机号码或带区号的固定电话（如 0375-2345678）"),
            new FormError("extranetIps", "ip.cidr", "业务系统的政务外网 IP：“59.207.101.0/24”是网段，请填写服务器的具体 IP 地址"),
            new FormError("usageHours", "usageHours.order", "服务接口使用时间范围的开始时间应早于结束时间"),
        }));
    }

    [Test]
    public void A_county_filing_attaches_the_departments_forms()
    {
        // Whether a county authority files the request, and which, the platform fills from the organisation (docs/processes.md).
        var data = FormExamples.InterfaceRequest();
        data["submittedVia"] = "county";

        Assert.That(Problems(Validate("interface-request", data)), Is.EqualTo(new[] { ("departmentFormScan", "requiredWhen") }));

        data["countyAuthority"] = "鲁山县大数据管理中心";
        data["departmentFormScan"] = FormsTestData.File("鲁山县民政局服务接口申请表.pdf");
        Assert.That(Validate("interface-request", data).Errors, Is.Empty);
    }

    [Test]
    public void The_period_does_not_start_before_the_application()
    {
        var data = FormExamples.InterfaceRequest();
        data["applicationDate"] = "2025-03-11";

        Assert.That(Problems(Validate("interface-request", data)), Is.EqualTo(new[] { ("periodStart", "compare") }));
    }

    // ── Form 4: table, file and folder subscription ──────────────────────────────────────────────────────────────

    [TestCase("file", "无", true)]
    [TestCase("folder", "无", true)]
    [TestCase("file", "文件名、发布日期", false)]
    [TestCase("table", "无", true)]
    public void File_and_folder_subscriptions_request_no_fields(string resourceType, string requestedFields, bool valid)
    {
        var data = FormExamples.ResourceSubscription();
        data["resourceType"] = resourceType;
        data["requestedFields"] = requestedFields;

        Assert.That(Validate("resource-subscription", data).Errors, valid ? Is.Empty
            : Is.EqualTo(new[] { new FormError("requestedFields", "allowedWhen", "文件、文件夹资源的需求字段名称填“无”") }));
    }

    [Test]
    public void The_subscription_checks_the_resource_code_and_the_user_department_code()
    {
        var data = FormExamples.ResourceSubscription();
        data["resourceCode"] = "40200100101/0003";
        data["userDepartmentCode"] = "91410402MA3X7K2P2d";
        data["resourceType"] = "api";

        Assert.That(Problems(Validate("resource-subscription", data)), Is.EqualTo(new[]
        {
            ("resourceCode", "resourceCode.category"), ("resourceType", "option"), ("userDepartmentCode", "uscc.lowercase"),
        }));
    }

    // ── The catalog entry (13 core metadata) ─────────────────────────────────────────────────────────────────────

    [Test]
    public void Information_items_are_checked_row_by_row()
    {
        var data = FormExamples.CatalogEntry();
        data["items"] = JsonNode.Parse("""
            [ { "name": "身份证号", "type": "C", "length": 18 },
              { "name": "姓名", "type": "C" },
              { "name": "认定日期", "type": "X" },
              { "name": "救助金额", "type": "N", "length": 10, "decimals": 10 },
              { "name": "是否在保", "type": "L", "decimals": 0 },
              { "name": "身份证号", "type": "C", "length": 20 } ]
            """);

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("items[1].length", "requiredWhen", "数据类型为“字符型 C”或“数值型 N”或“浮点型 F”时，信息项第2行的数据长度为必填项"),
            new FormError("items[2].type", "option", "信息项第3行的数据类型的值“X”不是可选项"),
            new FormError("items[3].decimals", "compare", "信息项第4行的小数位数应小于信息项第4行的数据长度"),
            new FormError("items[4].decimals", "emptyWhen", "数据类型不为“数值型 N”或“浮点型 F”时，不应填写信息项第5行的小数位数"),
            new FormError("items[5].name", "unique", "信息项第6行的信息项名称与第1行重复"),
        }));
    }

    [Test]
    public void Every_information_item_type_code_is_accepted()
    {
        var data = FormExamples.CatalogEntry();
        data["items"] = new JsonArray("CNYDTLMGBIF".Select((code, index) => (JsonNode?)new JsonObject
        {
            ["name"] = $"信息项{index + 1}",
            ["type"] = code.ToString(),
            ["length"] = 10,
        }).ToArray());

        Assert.That(Validate("catalog-entry", data).Errors, Is.Empty);
    }

    [Test]
    public void Database_and_spreadsheet_resources_list_their_items()
    {
        var data = FormExamples.CatalogEntry();
        data.Remove("items");

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[] { new FormError("items", "requiredWhen", "数据库、电子表格类资源须填写信息项") }));
    }

    [Test]
    public void Conditional_sharing_needs_its_condition_scope_and_basis()
    {
        var data = FormExamples.CatalogEntry();
        data.Remove("shareCondition");
        data.Remove("shareScope");
        data.Remove("shareLegalBasis");

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("shareCondition", "requiredWhen", "无条件共享、有条件共享的资源须填写共享条件（使用要求）"),
            new FormError("shareScope", "requiredWhen", "有条件共享的资源须注明共享范围"),
            new FormError("shareLegalBasis", "requiredWhen", "有条件共享的资源须提供法律法规或国家有关规定作为依据"),
        }));
    }

    [Test]
    public void Not_shared_needs_its_legal_basis_and_no_share_method()
    {
        var data = FormExamples.CatalogEntry();
        data["shareType"] = 3;
        data.Remove("shareLegalBasis");
        data.Remove("shareCondition");
        data.Remove("shareScope");
        data.Remove("shareMethodCategory");
        data.Remove("shareMethodType");
        data.Remove("mountedTableName");

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("shareLegalBasis", "requiredWhen", "不予共享的资源须注明相关的法律、行政法规或党中央、国务院政策依据"),
        }));
    }

    [Test]
    public void Unconditional_sharing_needs_neither_scope_nor_legal_basis()
    {
        var data = FormExamples.CatalogEntry();
        data["shareType"] = "1";
        data.Remove("shareScope");
        data.Remove("shareLegalBasis");

        var result = Validate("catalog-entry", data);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Errors, Is.Empty);
            Assert.That(result.Data["shareType"]!.GetValue<int>(), Is.EqualTo(1), "normalised to the numeric code");
        }
    }

    [TestCase(4, "option")]
    [TestCase("有条件", "option")]
    public void The_share_type_is_1_2_or_3(object shareType, string code)
    {
        var data = FormExamples.CatalogEntry();
        data["shareType"] = JsonValue.Create(shareType);

        Assert.That(Problems(Validate("catalog-entry", data)), Is.EqualTo(new[] { ("shareType", code) }));
    }

    [TestCase("platform", "email", false)]
    [TestCase("other", "table", false)]
    [TestCase("other", "disk", true)]
    public void The_share_method_type_belongs_to_its_category(string category, string type, bool valid)
    {
        var data = FormExamples.CatalogEntry();
        data["shareMethodCategory"] = category;
        data["shareMethodType"] = type;

        Assert.That(Problems(Validate("catalog-entry", data)), valid ? Is.Empty : Is.EqualTo(new[] { ("shareMethodType", "allowedWhen") }));
    }

    [Test]
    public void Open_to_society_needs_the_open_condition_and_closed_has_none()
    {
        var open = FormExamples.CatalogEntry();
        open["openToSociety"] = 1;
        var closed = FormExamples.CatalogEntry();
        closed["openCondition"] = "注册后下载";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validate("catalog-entry", open).Errors,
                Is.EqualTo(new[] { new FormError("openCondition", "requiredWhen", "向社会开放的资源须描述开放条件") }));
            Assert.That(Validate("catalog-entry", closed).Errors,
                Is.EqualTo(new[] { new FormError("openCondition", "emptyWhen", "是否向社会开放为“0 否”时，不应填写开放条件") }));
            open["openCondition"] = "实名注册后可下载脱敏汇总数据";
            Assert.That(Validate("catalog-entry", open).Errors, Is.Empty);
        }
    }

    [Test]
    public void The_update_cycle_and_publish_date_follow_the_standard()
    {
        var data = FormExamples.CatalogEntry();
        data["updateCycle"] = "每半年";
        data["publishDate"] = "2025-6-30";

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("updateCycle", "option", "更新周期的值“每半年”不是可选项"),
            new FormError("publishDate", "type", "发布日期应为有效日期，格式为 YYYY-MM-DD"),
        }));
    }

    [Test]
    public void The_resource_code_starts_with_the_classification()
    {
        var data = FormExamples.CatalogEntry();
        data["resourceCode"] = "34140006/0001";

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("resourceCode", "resourceCode.classificationMismatch", "信息资源代码的分类码“34140006”与所填资源分类“34140005”不一致"),
        }));
    }

    [Test]
    public void The_classification_levels_have_their_lengths()
    {
        var data = FormExamples.CatalogEntry();
        data["classCategory"] = "4";
        data["classItem"] = "4";
        data["classHeading"] = "40A";

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("classCategory", "option", "资源分类（类）的值“4”不是可选项"),
            new FormError("classItem", "pattern", "资源分类（项）应为2位数字"),
            new FormError("classHeading", "pattern", "资源分类（目）应为3位数字"),
        }));
    }

    [Test]
    public void The_provider_code_is_a_valid_USCC_and_the_related_code_differs()
    {
        var data = FormExamples.CatalogEntry();
        data["providerCode"] = "11410400MB1234563W";
        data["relatedResourceCode"] = "34140005/0001";

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("providerCode", "uscc.organizationCode", "信息资源提供方代码第9至17位组织机构代码的校验码错误，应为 2"),
            new FormError("relatedResourceCode", "compare", "关联资源代码不能与本资源的信息资源代码相同"),
        }));
    }

    [Test]
    public void A_file_resource_mounts_files_in_the_formats_of_article_8()
    {
        var data = FormExamples.CatalogEntry();
        data["formatCategory"] = "spreadsheet";
        data["formatType"] = "xls";
        data["shareMethodType"] = "file";
        data.Remove("mountedTableName");
        data["mountedFiles"] = JsonNode.Parse("""
            [ { "fileName": "2025年5月低保名单.xls" }, { "fileName": "2025年6月低保名单.xlsx" }, { "fileName": "说明.PDF" } ]
            """);

        Assert.That(Validate("catalog-entry", data).Errors, Is.EqualTo(new[]
        {
            new FormError("mountedFiles[1].fileName", "fileFormat.unsupported",
                "挂接文件第2行的文件名的文件格式“xlsx”不是平台支持的共享文件格式（wps、doc、xml、txt、docx、html、ppt、et、xls、csv）"),
            new FormError("mountedFiles[2].fileName", "fileFormat.unsupported",
                "挂接文件第3行的文件名的文件格式“pdf”不是平台支持的共享文件格式（wps、doc、xml、txt、docx、html、ppt、et、xls、csv）"),
        }));
    }

    [Test]
    public void Mount_fields_are_required_only_in_the_mount_task()
    {
        var compiled = FormExamples.CatalogEntry();
        compiled.Remove("mountedTableName");
        var schema = Form("catalog-entry");
        var mountFields = new[] { "mountedTableName", "mountedFiles", "mountedApiName" };
        var compile = new FormPermissions(mountFields.ToDictionary(key => key, _ => FieldPermission.Hidden));
        var mount = FormPermissions.EditableOnly(mountFields);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ShippedData.Validator.Validate(schema, compiled, compile).Errors, Is.Empty);
            Assert.That(ShippedData.Validator.Validate(schema, new JsonObject(), mount, current: compiled).Errors,
                Is.EqualTo(new[] { new FormError("mountedTableName", "requiredWhen", "共享方式类型为“库表”时，挂接库表名为必填项") }));
            Assert.That(ShippedData.Validator.Validate(schema, new JsonObject { ["mountedTableName"] = "T_DBJZ" }, mount, current: compiled).Errors,
                Is.Empty);
        }
    }

    // ── The objection report ─────────────────────────────────────────────────────────────────────────────────────

    private static readonly string[] ReplyFields = ["replyResult", "replyContent", "correctedOn", "repliedBy", "repliedOn"];

    [Test]
    public void The_demand_side_reports_without_seeing_the_reply()
    {
        var reporter = new FormPermissions(ReplyFields.ToDictionary(key => key, _ => FieldPermission.Hidden));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validate("data-objection", FormExamples.ObjectionReport(), reporter).Errors, Is.Empty);
            Assert.That(Problems(Validate("data-objection", Merge(FormExamples.ObjectionReport(), FormExamples.ObjectionReply()), reporter)),
                Is.EqualTo(ReplyFields.Select(key => (key, "hidden"))));
        }
    }

    [Test]
    public void The_provider_replies_without_changing_the_report()
    {
        var report = Validate("data-objection", FormExamples.ObjectionReport(),
            new FormPermissions(ReplyFields.ToDictionary(key => key, _ => FieldPermission.Hidden))).Data;
        var replier = FormPermissions.EditableOnly(ReplyFields);

        var reply = Validate("data-objection", FormExamples.ObjectionReply(), replier, report);
        var tampered = FormExamples.ObjectionReply();
        tampered["description"] = "数据无误";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reply.Errors, Is.Empty);
            Assert.That(reply.Data["subscriptionNumber"]!.GetValue<string>(), Is.EqualTo("DY-2025-000137"));
            Assert.That(reply.Data["replyResult"]!.GetValue<string>(), Is.EqualTo("corrected"));
            Assert.That(Problems(Validate("data-objection", tampered, replier, report)), Is.EqualTo(new[] { ("description", "readOnly") }));
        }
    }

    [Test]
    public void Objection_dates_are_in_order_and_a_correction_is_dated()
    {
        var report = FormExamples.ObjectionReport();
        report["reportedOn"] = "2026-03-01";
        var reply = FormExamples.ObjectionReply();
        reply.Remove("correctedOn");
        reply["repliedOn"] = "2026-02-28";

        Assert.That(Validate("data-objection", Merge(report, reply)).Errors, Is.EqualTo(new[]
        {
            new FormError("discoveredOn", "compare", "发现问题日期不能晚于反馈日期（提交异议之日）"),
            new FormError("correctedOn", "requiredWhen", "处理结果为“已更正”或“部分更正”时，更正日期为必填项"),
            new FormError("repliedOn", "compare", "回复日期不能早于反馈日期"),
        }));
    }

    [Test]
    public void Other_problems_are_explained()
    {
        var report = FormExamples.ObjectionReport();
        report["problemTypes"] = new JsonArray("other");

        Assert.That(Problems(Validate("data-objection", Merge(report, FormExamples.ObjectionReply()))),
            Is.EqualTo(new[] { ("problemOther", "requiredWhen") }));
    }

    private static JsonObject Merge(JsonObject first, JsonObject second)
    {
        foreach (var (key, value) in second)
        {
            first[key] = value?.DeepClone();
        }

        return first;
    }
}
