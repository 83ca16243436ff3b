using System.Text.Json.Nodes;

namespace PdsWorkflow.Tests.Support;

/// <summary>
/// Realistic filled forms. People, phones and e-mail addresses are made up (example.gov.cn is a reserved domain);
/// department and place names are the public ones of the seeds.
/// </summary>
public static class FormExamples
{
    /// <summary>Fictitious, structurally valid codes (computed with GB 32100 / GB 11714 by hand, see UsccValidatorTests).</summary>
    public const string MunicipalAgencyCode = "11410400MB1234562W";

    public const string CountyCompanyCode = "91410402MA3X7K2P2D";

    public static JsonObject Data(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject File(string name) => new() { ["id"] = $"upload-{Guid.NewGuid():N}", ["name"] = name, ["size"] = 204_800 };

    public static JsonObject PlatformAccount() => With(Data("""
        {
          "systemName": "平顶山市政务数据共享交换平台",
          "requestType": "new",
          "accountUnitId": "rsj",
          "applicantName": "赵一鸣",
          "jobTitle": "信息科科员",
          "formalStaff": true,
          "phone": "139 3750 0001",
          "email": "zhao.yiming@example.gov.cn",
          "reason": "开展婚姻登记信息共享对接工作，需开通平台用户账号。",
          "applicationDate": "2025-03-03"
        }
        """), "stampedScan", File("用户账号密码申请单（盖章）.pdf"));

    public static JsonObject DatabaseFtpAccount() => With(Data("""
        {
          "systemName": "平顶山市政务数据共享交换平台",
          "accountType": "ftp",
          "requestType": "reset",
          "existingAccount": "ftp_yx_wjw_01",
          "integrationOwner": "钱思远",
          "jobTitle": "信息中心工程师",
          "formalStaff": true,
          "phone": "0375-5123456",
          "email": "qian.siyuan@example.gov.cn",
          "reason": "FTP 账号密码遗失，申请重置以继续上传社保文件资源。",
          "applicationDate": "2025-04-07"
        }
        """), ("stampedScan", File("数据库FTP账号密码申请单.jpg")), ("consentDocument", File("县大数据管理中心同意函.pdf")));

    public static JsonObject InterfaceRequest() => With(Data($$"""
        {
          "providerUnit": "平顶山市公安局",
          "resourceCode": "10100101/0102",
          "interfaceName": "居民身份信息核验接口",
          "userDepartmentCode": "{{MunicipalAgencyCode}}",
          "userDepartmentName": "平顶山市民政局",
          "purpose": "民政办理婚姻登记事项时核验双方身份信息，减少群众提交的证明材料。",
          "legalBasis": "《婚姻登记条例》第五条、第七条",
          "periodStart": "2025-03-10",
          "periodDays": 365,
          "seasonalWindows": [
            { "start": "2025-03-10", "end": "2025-05-01" },
            { "start": "2025-07-01", "end": "2025-09-01" }
          ],
          "contactName": "孙雨桐",
          "contactPhone": "13937500002",
          "contactEmail": "sun.yutong@example.gov.cn",
          "systemName": "婚姻登记系统（HYDJ）",
          "extranetIps": "59.207.101.21\n59.207.101.22，240e:1::21",
          "deploymentLocation": "平顶山市政务云机房",
          "dailyCallsAverage": 200,
          "dailyCallsPeak": 10000,
          "usageHours": "工作日，每天 8:00 到 20:00",
          "otherRequirements": "需返回核验结果，不返回照片。",
          "submittedVia": "direct",
          "handler": "孙雨桐",
          "applicationDate": "2025-03-05",
          "declaration": true
        }
        """), "stampedScan", File("服务接口申请表.pdf"));

    public static JsonObject ResourceSubscription() => With(Data($$"""
        {
          "providerDepartment": "平顶山市公安局",
          "resourceName": "人口基本信息",
          "resourceCode": "10100101/0101",
          "resourceType": "table",
          "requestedFields": "公民身份号码、姓名",
          "demandLevel": "county",
          "userDepartmentCode": "{{CountyCompanyCode}}",
          "userDepartmentName": "新华区政务服务中心",
          "purpose": "办理企业开办“一件事”时核验营业执照信息，免于申请人提交执照复印件。",
          "legalBasis": "《优化营商环境条例》第三十五条",
          "contactName": "李文博",
          "contactPhone": "0375-2345678-801",
          "contactEmail": "li.wenbo@example.gov.cn",
          "systemName": "一件事一次办系统（YJS）",
          "extranetIps": "59.207.88.10",
          "deploymentLocation": "新华区政务服务中心机房",
          "handler": "李文博",
          "applicationDate": "2025-05-12"
        }
        """), "stampedScan", File("库表申请表.png"));

    public static JsonObject CatalogEntry() => Data($$"""
        {
          "classCategory": "3",
          "classItem": "41",
          "classHeading": "400",
          "classSubheading": "05",
          "resourceName": "低保救济管理信息",
          "resourceCode": "34140005/0001",
          "providerName": "平顶山市民政局",
          "providerInternalDepartment": "社会救助科",
          "providerCode": "{{MunicipalAgencyCode}}",
          "abstract": "全市城乡最低生活保障对象的家庭成员、收入和救助金发放信息。",
          "formatCategory": "database",
          "formatType": "oracle",
          "items": [
            { "name": "身份证号", "type": "C", "length": 18, "description": "户主公民身份号码" },
            { "name": "姓名", "type": "C", "length": 50 },
            { "name": "家庭总人数", "type": "I" },
            { "name": "家庭主要成员月收入", "type": "N", "length": 12, "decimals": 2 },
            { "name": "认定日期", "type": "D", "length": 8 },
            { "name": "是否在保", "type": "L" }
          ],
          "shareType": 2,
          "shareCondition": "用于社会救助资格核验和数据校核，不得用于其他用途。",
          "shareScope": "民政、人力资源和社会保障、医疗保障部门",
          "shareLegalBasis": "《社会救助暂行办法》第五十条：对获得的个人信息予以保密。",
          "shareMethodCategory": "platform",
          "shareMethodType": "table",
          "openToSociety": 0,
          "updateCycle": "monthly",
          "publishDate": "2025-06-30",
          "relatedResourceCode": "20300200/0012",
          "mountedTableName": "T_DBJZ_GLXX"
        }
        """);

    /// <summary>
    /// The report as the applicant sends it where no source of the platform's records runs (the engine's tests): without
    /// the fields the platform fills (the resource's name and provider, the reporting unit).
    /// </summary>
    public static JsonObject ObjectionReportAsSent()
    {
        var form = ObjectionReport();
        foreach (var key in new[] { "resourceName", "providerDepartment", "reporterDepartment", "reporterDepartmentCode" }) form.Remove(key);
        return form;
    }

    public static JsonObject ObjectionReport() => Data($$"""
        {
          "subscriptionNumber": "DY-2025-000137",
          "resourceName": "居民身份证信息",
          "resourceCode": "10100101/0102",
          "providerDepartment": "平顶山市公安局",
          "reporterDepartment": "新华区政务服务中心",
          "reporterDepartmentCode": "{{CountyCompanyCode}}",
          "discoveredOn": "2026-03-02",
          "problemTypes": ["wrongValue", "outdated"],
          "description": "部分企业的登记状态与现场核验不一致，注销企业仍显示为存续。",
          "affectedRecords": [
            { "itemName": "登记状态", "recordKey": "91410402MA3X7K2P2D", "currentValue": "存续", "expectedValue": "注销" }
          ],
          "contactName": "李文博",
          "contactPhone": "13937500003",
          "contactEmail": "li.wenbo@example.gov.cn"
        }
        """);

    public static JsonObject ObjectionReply() => Data("""
        {
          "replyResult": "corrected",
          "replyContent": "经核实为注销信息同步延迟，已补推送注销记录并修复同步任务。",
          "correctedOn": "2026-03-03",
          "repliedBy": "周敏",
          "repliedOn": "2026-03-04"
        }
        """);

    /// <summary>
    /// A request for provincial data the city catalog does not hold (form 4): the applicant names the resource and its
    /// provincial department; the using department's fields are the platform's, and the stamped scan is uploaded separately.
    /// </summary>
    public static JsonObject ProvincialRequest()
    {
        var form = ResourceSubscription();
        form["resourceCode"] = "20500100101/0007";
        form["resourceName"] = "河南省企业信用信息";
        form["providerDepartment"] = "河南省市场监督管理局";
        foreach (var key in new[] { "userDepartmentCode", "userDepartmentName", "demandLevel", "stampedScan" }) form.Remove(key);
        return form;
    }

    /// <summary>A request for the bureau to coordinate a refused or not-shared resource (共享争议协调).</summary>
    public static JsonObject ShareDispute() => Data("""
        {
          "resourceCode": "10100101/0103",
          "issue": "办理低保资格复核需核验重点人员信息，提供方以不予共享为由拒绝，请求协调。",
          "legalBasis": "《社会救助暂行办法》第十一条",
          "relatedCase": "订阅-2026-000012",
          "contactName": "周一航",
          "contactPhone": "13937500005",
          "contactEmail": "zhou.yihang@example.gov.cn"
        }
        """);

    private static JsonObject With(JsonObject data, string key, JsonNode value) => With(data, (key, value));

    private static JsonObject With(JsonObject data, params (string Key, JsonNode Value)[] values)
    {
        foreach (var (key, value) in values)
        {
            data[key] = value;
        }

        return data;
    }
}
