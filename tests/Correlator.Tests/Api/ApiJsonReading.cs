using System.Net;
using System.Net.Http.Json;
using Correlator.Api;
using Microsoft.AspNetCore.Mvc;

namespace Correlator.Tests.Api;

public static class ApiJsonReading
{
    public static async Task<T> GetOk<T>(this HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, ApiJson.Options)!;
    }

    public static async Task<ProblemDetails> Problem(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, ApiJson.Options)!;
        Assert.Equal((int)expected, problem.Status);
        return problem;
    }

    public static Task<HttpResponseMessage> PostNote(this HttpClient http, string url, string note) =>
        http.PostAsJsonAsync(url, new FeedbackRequest(note), ApiJson.Options);
}
