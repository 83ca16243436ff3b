using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PdsWorkflow.Activities.DataSharing;
using PdsWorkflow.Workflows.Forms;

namespace PdsWorkflow.Workflows.Tests.Forms;

public sealed class FormsRegistrationTests
{
    [Test]
    public void AddForms_registers_the_registry_and_validator_as_singletons()
    {
        // The shipped schemas name the platform's formats (resourceCode, usageHours…): its module registers them.
        using var provider = new ServiceCollection()
            .AddDataSharing()
            .AddForms(options => options.SchemasPath = FormsTestData.FormsFolder)
            .BuildServiceProvider();

        var registry = provider.GetRequiredService<FormSchemaRegistry>();
        var validator = provider.GetRequiredService<FormValidator>();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<FormSchemaRegistry>(), Is.SameAs(registry));
            Assert.That(provider.GetRequiredService<FormValidator>(), Is.SameAs(validator));
            Assert.That(registry.Latest, Has.Count.EqualTo(8));
            Assert.That(registry.TryGet("interface-request", 1, out var schema), Is.True);
            Assert.That(schema!.Title, Is.EqualTo("平顶山市数据共享交换平台服务接口申请表"));
            Assert.That(registry.TryGet("no-such-form", out _), Is.False);
            Assert.That(() => registry.Get("no-such-form"), Throws.TypeOf<KeyNotFoundException>());
            Assert.That(provider.GetRequiredService<IStartupValidator>().Validate, Throws.Nothing);
        }
    }

    [Test]
    public void A_missing_folder_stops_start_up_and_names_the_setting()
    {
        using var provider = new ServiceCollection()
            .AddForms(options => options.SchemasPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")))
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(failure!.Failures.Single(), Does.StartWith("FormsOptions.SchemasPath (").And.Contains("找不到表单定义目录"));
    }

    [Test]
    public void A_schema_naming_an_unknown_format_stops_start_up()
    {
        var folder = Directory.CreateTempSubdirectory("forms-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "id-card.json"), IdCardForm);
            using var provider = new ServiceCollection().AddForms(options => options.SchemasPath = folder.FullName).BuildServiceProvider();

            var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

            Assert.That(failure!.Failures.Single(), Does.Contain("id-card.json").And.Contains("未知的格式校验器“idCard”"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Formats_registered_as_services_join_the_built_in_ones()
    {
        var folder = Directory.CreateTempSubdirectory("forms-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "id-card.json"), IdCardForm);
            using var provider = new ServiceCollection()
                .AddSingleton<IFormatValidator, EighteenCharacters>()
                .AddForms(options => options.SchemasPath = folder.FullName)
                .BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
            var validator = provider.GetRequiredService<FormValidator>();
            var schema = provider.GetRequiredService<FormSchemaRegistry>().Get("id-card");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(validator.Formats.Keys, Has.Member("idCard").And.Member("uscc"));
                Assert.That(validator.Validate(schema, new JsonObject { ["number"] = "41040219800101001X" }).Errors, Is.Empty);
                Assert.That(validator.Validate(schema, new JsonObject { ["number"] = "4104021980" }).Errors.Single().Code, Is.EqualTo("idCard.length"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Test]
    public void Two_formats_with_one_name_are_refused()
    {
        Assert.That(() => new FormValidator([new EighteenCharacters(), new EighteenCharacters()], []),
            Throws.ArgumentException.With.Message.Contains("idCard"));
    }

    [Test]
    public void The_registry_keeps_every_version_and_serves_the_latest()
    {
        var first = FormsTestData.Registry.Get("catalog-entry");
        var second = first with { Version = 2, Title = "政务信息资源目录（第二版）" };

        var registry = new FormSchemaRegistry([second, first]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(registry.Get("catalog-entry"), Is.SameAs(second));
            Assert.That(registry.Get("catalog-entry", 1), Is.SameAs(first));
            Assert.That(registry.Versions("catalog-entry"), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(() => new FormSchemaRegistry([first, first]), Throws.ArgumentException);
        }
    }

    private const string IdCardForm = """
        { "id": "id-card", "version": 1, "title": "身份证号",
          "sections": [ { "key": "s", "title": "s", "fields": [ { "key": "number", "label": "公民身份号码", "type": "text", "format": "idCard" } ] } ] }
        """;

    /// <summary>A stand-in for a project-specific format, to show the extension point.</summary>
    private sealed class EighteenCharacters : IFormatValidator
    {
        public string Name => "idCard";

        public FormatResult Validate(string value, string label) =>
            value.Length == 18 ? FormatResult.Valid(value) : FormatResult.Invalid("idCard.length", $"{label}应为18位");
    }
}
