using System.Diagnostics;
using System.Text.Json.Nodes;
using Correlator.Api;

namespace Correlator.Tests.Api;

/// <summary>
/// The served OpenAPI document, as a client generator or a linter reads it: Redocly CLI (pinned in tools/openapi,
/// restored by this project's build) with its recommended rules finds nothing, and the security it declares is the
/// one the service enforces.
/// </summary>
public partial class ApiAuthTests
{
    private static readonly string Tools = FindTools();

    private static string FindTools()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tools", "openapi");
            if (File.Exists(Path.Combine(candidate, "redocly.yaml"))) return candidate;
        }
        throw new DirectoryNotFoundException("tools/openapi not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Each operation: an id a person would write, a summary, a human tag, and the keys and 401/403 the service enforces.</summary>
    [Fact]
    public async Task Every_operation_declares_an_id_a_summary_its_security_and_401_403()
    {
        using var http = keyed.Host.Client();
        var doc = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("apiKey", schemes[OpenApiConventions.ApiKeyScheme]!["type"]!.GetValue<string>());
        Assert.Equal("header", schemes[OpenApiConventions.ApiKeyScheme]!["in"]!.GetValue<string>());
        Assert.Equal(ApiKeyAuthentication.Header, schemes[OpenApiConventions.ApiKeyScheme]!["name"]!.GetValue<string>());
        Assert.Equal("bearer", schemes[OpenApiConventions.BearerScheme]!["scheme"]!.GetValue<string>());
        var ids = new List<string>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, op) in item!.AsObject())
        {
            if (method is "parameters" or "summary" or "description" or "servers") continue;
            var where = $"{method} {path}";
            var id = op!["operationId"]?.GetValue<string>() ?? "";
            Assert.Matches("^[a-z][a-zA-Z]+$", id);
            ids.Add(id);
            Assert.False(string.IsNullOrWhiteSpace(op["summary"]?.GetValue<string>()), $"{where} has no summary");
            foreach (var tag in op["tags"]!.AsArray()) Assert.Matches("^[A-Z][a-z]+( [a-z]+)*$", tag!.GetValue<string>());
            var security = op["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(kv => kv.Key)).ToList();
            Assert.Contains(OpenApiConventions.ApiKeyScheme, security);
            Assert.Contains(OpenApiConventions.BearerScheme, security);
            Assert.NotNull(op["responses"]!["401"]);
            Assert.NotNull(op["responses"]!["403"]);
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains("listFindings", ids);
        Assert.Contains("getFinding", ids);
        Assert.Contains("confirmFinding", ids);
    }

    [Fact]
    public async Task The_openapi_document_is_lint_clean_under_redocly_recommended_rules()
    {
        using var http = keyed.Host.Client();
        var file = Path.Combine(Path.GetTempPath(), $"correlator-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await http.GetStringAsync("/openapi/v1.json"));
        try
        {
            var start = new ProcessStartInfo(Path.Combine(Tools, "node_modules", ".bin", "redocly"))
            {
                WorkingDirectory = Tools,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "lint", file, "--config", Path.Combine(Tools, "redocly.yaml"), "--format", "json" }) start.ArgumentList.Add(a);
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            start.Environment["NO_COLOR"] = "1";
            using var lint = Process.Start(start)!;
            var stdout = lint.StandardOutput.ReadToEndAsync();
            var stderr = lint.StandardError.ReadToEndAsync();
            await lint.WaitForExitAsync();
            var (output, errors) = (await stdout, await stderr);
            var report = JsonNode.Parse(output[output.IndexOf('{')..]) ?? throw new InvalidOperationException($"redocly printed no report: {output}{errors}");
            var problems = string.Join("\n", report["problems"]!.AsArray().Select(p =>
                $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {string.Join(", ", p["location"]!.AsArray().Select(l => l!["pointer"]?.ToString()))}"));
            Assert.True(report["totals"]!["errors"]!.GetValue<int>() == 0 && report["totals"]!["warnings"]!.GetValue<int>() == 0, problems);
            Assert.True(lint.ExitCode == 0, output + errors);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
