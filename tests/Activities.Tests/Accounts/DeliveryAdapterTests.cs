using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.Accounts.Delivery;
using PdsWorkflow.Activities.Tests.Accounts.Support;
using PdsWorkflow.Tests.Support;

namespace PdsWorkflow.Activities.Tests.Accounts;

/// <summary>The SMTP and SMS adapters against the local peers, and the carrier's signature against its documented example.</summary>
public sealed class DeliveryAdapterTests
{
    private const string KeyId = "LTAI5tAdapterTest";
    private const string Secret = "adapter-test-secret";

    [Test]
    public void Signature_matches_the_example_in_alibaba_clouds_sms_documentation()
    {
        // The SendSms example of the SMS API's signature documentation (AccessKeyId testId, secret testSecret).
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testId", ["Action"] = "SendSms", ["Format"] = "XML", ["OutId"] = "123", ["PhoneNumbers"] = "15300000001",
            ["RegionId"] = "cn-hangzhou", ["SignName"] = "阿里云短信测试专用", ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466", ["SignatureVersion"] = "1.0", ["TemplateCode"] = "SMS_71390007",
            ["TemplateParam"] = """{"customer":"test"}""", ["Timestamp"] = "2017-07-12T02:42:19Z", ["Version"] = "2017-05-25",
        };

        Assert.That(AliyunSignature.StringToSign("GET", parameters), Does.StartWith("GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123")
            .And.Contain("SignName%3D%25E9%2598%25BF%25E9%2587%258C").And.Contain("TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D"));
        Assert.That(AliyunSignature.Sign("GET", parameters, "testSecret"), Is.EqualTo("zJDF+Lrzhj/ThnlvIToysFRq6t4="));
        Assert.That(AliyunSignature.PercentEncode("a b*~"), Is.EqualTo("a%20b%2A~"));
    }

    [Test]
    public async Task Sms_gateway_is_accepted_by_an_endpoint_that_checks_the_signature()
    {
        await using var server = new LocalAliyunSmsServer(KeyId, Secret);
        using var gateway = Gateway(server, Secret);

        await gateway.SendAsync(new SmsRequest("13900005678", new JsonObject { ["code"] = "Ab3dEf7hJk9m" }, "out-1"), CancellationToken.None);

        var sms = server.Delivered.Single();
        Assert.That((sms.Phone, sms.OutId, (string?)sms.Parameters["code"], sms.TemplateCode), Is.EqualTo(("13900005678", "out-1", "Ab3dEf7hJk9m", "SMS_480000001")));
    }

    [Test]
    public async Task Sms_gateway_with_the_wrong_secret_is_refused_and_says_why()
    {
        await using var server = new LocalAliyunSmsServer(KeyId, Secret);
        using var gateway = Gateway(server, "not-the-secret");

        var refused = Assert.ThrowsAsync<SmsGatewayException>(() =>
            gateway.SendAsync(new SmsRequest("13900005678", new JsonObject { ["code"] = "x" }, "out-2"), CancellationToken.None));

        Assert.That(refused!.Message, Does.Contain("SignatureDoesNotMatch"));
        Assert.That(server.Delivered, Is.Empty);
    }

    [Test]
    public async Task Smtp_sender_delivers_the_attachment_intact_under_the_given_message_id()
    {
        await using var server = new LocalSmtpServer();
        var sender = new SmtpMailSender(Options.Create(new DeliveryOptions { SmtpHost = "127.0.0.1", SmtpPort = server.Port, From = "pds@example.gov.cn" }));
        var zip = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();

        await sender.SendAsync(new MailEnvelope("li.lei@example.gov.cn", "李雷", "【平顶山市政务数据共享交换平台】账号开通通知", "您好！\n.\n附件为账号信息。",
            "<abc123@pds.example>", [new MailAttachment("账号信息.zip", "application/zip", zip)]), CancellationToken.None);

        var mail = server.Received.Single();
        Assert.That((mail.MessageId, mail.Recipients.Single()), Is.EqualTo(("<abc123@pds.example>", "li.lei@example.gov.cn")));
        Assert.That(mail.Attachment("application/zip"), Is.EqualTo(zip));
        Assert.That(mail.TextBody(), Does.Contain("附件为账号信息"));
    }

    [TestCase(SmtpSecurity.StartTls)]
    [TestCase(SmtpSecurity.SslOnConnect)]
    public async Task Smtp_sender_speaks_tls_to_a_relay_whose_pinned_certificate_it_trusts_and_authenticates(SmtpSecurity security)
    {
        using var certificate = LocalSmtpServer.SelfSignedCertificate();
        await using var server = new LocalSmtpServer(certificate, implicitTls: security == SmtpSecurity.SslOnConnect, account: ("pds-relay", "s3cret-口令"));
        var sender = new SmtpMailSender(Options.Create(new DeliveryOptions
        {
            SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpSecurity = security, SmtpServerCertificateSha256 = Fingerprint(certificate),
            SmtpUserName = "pds-relay", SmtpPassword = "s3cret-口令", From = "pds@example.gov.cn",
        }));

        await sender.SendAsync(Letter("<tls1@pds.example>"), CancellationToken.None);

        var mail = server.Received.Single();
        Assert.That((mail.Encrypted, mail.User, mail.MessageId), Is.EqualTo((true, "pds-relay", "<tls1@pds.example>")));
    }

    [Test]
    public async Task Smtp_sender_refuses_a_certificate_it_cannot_trust_and_sends_nothing()
    {
        using var certificate = LocalSmtpServer.SelfSignedCertificate();
        await using var server = new LocalSmtpServer(certificate);
        var sender = new SmtpMailSender(Options.Create(new DeliveryOptions
        {
            SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpSecurity = SmtpSecurity.StartTls, From = "pds@example.gov.cn",
        }));

        Assert.ThrowsAsync<MailKit.Security.SslHandshakeException>(() => sender.SendAsync(Letter("<tls2@pds.example>"), CancellationToken.None));
        Assert.That(server.Received, Is.Empty);
    }

    [Test]
    public async Task Smtp_sender_with_the_wrong_password_is_refused_and_sends_nothing()
    {
        await using var server = new LocalSmtpServer(account: ("pds-relay", "s3cret"));
        var sender = new SmtpMailSender(Options.Create(new DeliveryOptions
        {
            SmtpHost = "127.0.0.1", SmtpPort = server.Port, SmtpUserName = "pds-relay", SmtpPassword = "guessed", From = "pds@example.gov.cn",
        }));

        Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => sender.SendAsync(Letter("<auth1@pds.example>"), CancellationToken.None));
        Assert.That(server.Received, Is.Empty);
    }

    [Test]
    public void The_former_start_tls_switch_still_means_start_tls()
    {
        Assert.That(new DeliveryOptions { SmtpStartTls = true }.Security, Is.EqualTo(SmtpSecurity.StartTls));
        Assert.That(new DeliveryOptions().Security, Is.EqualTo(SmtpSecurity.None));
        Assert.That(new DeliveryOptions { SmtpSecurity = SmtpSecurity.SslOnConnect }.Security, Is.EqualTo(SmtpSecurity.SslOnConnect));
    }

    private static MailEnvelope Letter(string messageId) =>
        new("li.lei@example.gov.cn", "李雷", "【平顶山市政务数据共享交换平台】账号开通通知", "您好！", messageId, []);

    private static string Fingerprint(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData));

    private static AliyunSmsGateway Gateway(LocalAliyunSmsServer server, string secret) => new(Options.Create(new SmsOptions
    {
        Provider = SmsProvider.Aliyun, Endpoint = server.Endpoint.ToString(), AccessKeyId = KeyId, AccessKeySecret = secret,
        SignName = "平顶山大数据", TemplateCode = "SMS_480000001",
    }), new ManualClock());
}
