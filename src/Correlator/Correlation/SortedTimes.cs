namespace Correlator.Correlation;

/// <summary>
/// A sorted multiset of times (hours) with prefix sums: the exposure times of one update's exposed hosts of one
/// platform. Answers "how much unit-time lies after each unit's change point" in O(log n).
/// </summary>
public sealed class SortedTimes
{
    private readonly List<double> _times = [];
    private double[] _prefix = [0];
    private bool _dirty;

    public int Count => _times.Count;

    public void Add(double t)
    {
        var i = _times.BinarySearch(t);
        _times.Insert(i < 0 ? ~i : i, t);
        _dirty = true;
    }

    public void Remove(double t)
    {
        var i = _times.BinarySearch(t);
        if (i >= 0) { _times.RemoveAt(i); _dirty = true; }
    }

    /// <summary>Number of times ≤ x.</summary>
    public int CountAtMost(double x)
    {
        int lo = 0, hi = _times.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Number of times &lt; x.</summary>
    public int CountBelow(double x)
    {
        int lo = 0, hi = _times.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_times[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Unit-time after the change points c = t + <paramref name="delay"/>, within [w0, now]: Σ over c ≤ now of
    /// max(now − max(c, w0), <paramref name="floor"/>), and how many units have changed by now.
    /// </summary>
    public (double Time, int Units) After(double delay, double w0, double now, double floor)
    {
        if (_dirty)
        {
            if (_prefix.Length != _times.Count + 1) _prefix = new double[_times.Count + 1];
            for (var k = 0; k < _times.Count; k++) _prefix[k + 1] = _prefix[k] + _times[k];
            _dirty = false;
        }
        var i3 = CountAtMost(now - delay);
        if (i3 == 0) return (0, 0);
        var i1 = Math.Min(CountBelow(w0 - delay), i3);
        var i2 = Math.Clamp(CountAtMost(now - floor - delay), i1, i3);
        var full = i1 * Math.Max(now - w0, floor);
        var middle = (i2 - i1) * (now - delay) - (_prefix[i2] - _prefix[i1]);
        var tail = (i3 - i2) * floor;
        return (full + middle + tail, i3);
    }
}
