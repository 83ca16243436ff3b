using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpNet;
using PdsWorkflow.Host.Auth;
using PdsWorkflow.Workflows.Persistence;

namespace PdsWorkflow.Host.Tests;

/// <summary>
/// Signs a test client in as a person would: the password, then, for a user whose roles require a second factor, the
/// enrolment through the API (the secret from <c>/api/auth/second-factor/setup</c>, a code from it) on the first sign-in
/// and a fresh code on later ones. The secrets are kept per Host so that several sign-ins of one user work.
/// </summary>
public static class TestSignIn
{
    private static readonly ConcurrentDictionary<(string Database, string User), Authenticator> Authenticators = new();

    /// <summary>Nodes on one database share their users' authenticators, as one person's phone serves every node.</summary>
    private static string Database<T>(WebApplicationFactory<T> factory) where T : class =>
        factory.Services.GetRequiredService<IOptions<WorkflowDatabaseOptions>>().Value.ConnectionString;

    /// <summary>A signed-in client with the CSRF header set; fails the test when sign-in does not succeed.</summary>
    public static async Task<HttpClient> SignedInAsync<T>(this WebApplicationFactory<T> factory, string userName, string password) where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        await client.SignInAsync(factory, userName, password);
        return client;
    }

    public static async Task SignInAsync<T>(this HttpClient client, WebApplicationFactory<T> factory, string userName, string password) where T : class
    {
        ArgumentNullException.ThrowIfNull(client);
        var login = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName, password });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{userName} signs in: {await login.Content.ReadAsStringAsync()}");
        var answer = (await login.Content.ReadFromJsonAsync<JsonObject>())!;
        if (answer["secondFactorRequired"]?.GetValue<bool>() == true)
        {
            Assert.That(Authenticators.TryGetValue((Database(factory), userName), out var known), Is.True, $"{userName} has a second factor this test did not enrol");
            login = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), new { userName, password, code = await known!.NextCodeAsync() });
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{userName} signs in with the code: {await login.Content.ReadAsStringAsync()}");
            answer = (await login.Content.ReadFromJsonAsync<JsonObject>())!;
        }

        await client.AddCsrfAsync();
        if (answer["pending"]?.GetValue<string>() == PendingSteps.SecondFactorEnrolment)
            Authenticators[(Database(factory), userName)] = await EnrolAsync(client, factory.Services.GetRequiredService<TimeProvider>());
    }

    public static async Task AddCsrfAsync(this HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Remove(AuthRegistration.CsrfHeader);
        var csrf = await client.GetFromJsonAsync<JsonObject>(new Uri("/api/auth/csrf", UriKind.Relative));
        client.DefaultRequestHeaders.Add(AuthRegistration.CsrfHeader, csrf!["token"]!.GetValue<string>());
    }

    /// <summary>Enrols the signed-in client's user: the secret the setup shows, confirmed with a code computed at <paramref name="clock"/>'s time.</summary>
    public static async Task<Authenticator> EnrolAsync(HttpClient client, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(client);
        var setup = await client.PostAsync(new Uri("/api/auth/second-factor/setup", UriKind.Relative), null);
        Assert.That(setup.StatusCode, Is.EqualTo(HttpStatusCode.OK), await setup.Content.ReadAsStringAsync());
        var body = (await setup.Content.ReadFromJsonAsync<JsonObject>())!;
        var authenticator = new Authenticator(Base32Encoding.ToBytes(body["secret"]!.GetValue<string>()), clock);
        var confirmed = await client.PostAsJsonAsync(new Uri("/api/auth/second-factor/confirm", UriKind.Relative), new { code = await authenticator.NextCodeAsync() });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await confirmed.Content.ReadAsStringAsync());
        return authenticator;
    }
}

/// <summary>An authenticator app: the code of the current 30-second step, never one already used (the server refuses a replay).</summary>
public sealed class Authenticator(byte[] secret, TimeProvider clock)
{
    private readonly Totp _totp = new(secret);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastStep = -1;

    public byte[] Secret => secret;

    public async Task<string> NextCodeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            // The server accepts the next step too (clock drift); past that, wait for the real clock to reach it.
            while (Step(clock.GetUtcNow()) + 1 <= _lastStep) await Task.Delay(TimeSpan.FromSeconds(1));
            var step = Math.Max(Step(clock.GetUtcNow()), _lastStep + 1);
            _lastStep = step;
            return _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;
}
