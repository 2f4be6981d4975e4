using Correlator.Ingestion;

namespace Correlator.Tests.Schemas;

public class Rfc3339Tests
{
    [Theory]
    [InlineData("2024-07-19T04:09:00Z", "2024-07-19T04:09:00.0000000+00:00")]
    [InlineData("2024-07-19t04:09:00z", "2024-07-19T04:09:00.0000000+00:00")]
    [InlineData("2024-07-19T06:09:00+02:00", "2024-07-19T04:09:00.0000000+00:00")]
    [InlineData("2024-07-18T23:09:00-05:00", "2024-07-19T04:09:00.0000000+00:00")]
    [InlineData("2024-07-19T04:09:00.5Z", "2024-07-19T04:09:00.5000000+00:00")]
    [InlineData("2024-07-19T04:09:00.123456789Z", "2024-07-19T04:09:00.1234567+00:00")]
    [InlineData("2016-12-31T23:59:60Z", "2017-01-01T00:00:00.0000000+00:00")]
    [InlineData("2016-12-31T23:59:60.5Z", "2017-01-01T00:00:00.5000000+00:00")]
    [InlineData("2016-12-31T18:59:60-05:00", "2017-01-01T00:00:00.0000000+00:00")]
    [InlineData("1972-06-30T23:59:60Z", "1972-07-01T00:00:00.0000000+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    public void Parses_to_utc(string text, string expected)
    {
        Assert.True(Rfc3339.TryParse(text, out var value));
        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(expected, value.ToString("O"));
    }

    [Theory]
    [InlineData("2024-07-19T04:09:00")]
    [InlineData("2024-07-19 04:09:00Z")]
    [InlineData("2024-07-19T04:09Z")]
    [InlineData("2024-07-19T04:09:00+0200")]
    [InlineData("2024-07-19T04:09:00+02")]
    [InlineData("2024-13-01T04:09:00Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2024-04-31T00:00:00Z")]
    [InlineData("2024-07-19T24:00:00Z")]
    [InlineData("2024-07-19T04:60:00Z")]
    [InlineData("2024-07-19T23:59:60Z")] // no leap second that day
    [InlineData("2016-12-31T22:59:60Z")] // a leap day, but not its last UTC minute
    [InlineData("2016-12-31T23:59:60+01:00")] // 22:59:60 UTC
    [InlineData("2017-12-31T23:59:60Z")]
    [InlineData("2024-07-19T04:09:00.Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2024-07-19T04:09:00Z ")]
    [InlineData("")]
    public void Rejects(string text) => Assert.False(Rfc3339.TryParse(text, out _));
}
