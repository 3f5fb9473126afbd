using System.Buffers.Text;

namespace MotorRT.Cli.Simulate;

/// <summary>
/// A progress bar on stderr that does not allocate while it redraws (formatted into a pre-allocated byte buffer and
/// written to the raw stderr stream), so it can run during a lock-step run without ever triggering a collection.
/// On a redirected stderr it prints one line per 10 % instead of redrawing.
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 40;
    private readonly Stream _stderr = Console.OpenStandardError();
    private readonly byte[] _line = new byte[128];
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastDecile = -1;

    /// <summary>Draws the bar for <paramref name="done"/> of <paramref name="total"/> ticks at <paramref name="loopTime"/> s.</summary>
    public void Draw(long done, long total, double loopTime)
    {
        if (total <= 0) return;
        double fraction = Math.Clamp((double)done / total, 0, 1);
        int decile = (int)(fraction * 10);
        if (!_interactive && decile == _lastDecile) return;
        _lastDecile = decile;
        int n = 0;
        if (_interactive) _line[n++] = (byte)'\r';
        _line[n++] = (byte)'[';
        int filled = (int)(fraction * Width);
        for (int i = 0; i < Width; i++) _line[n++] = i < filled ? (byte)'#' : (byte)'.';
        _line[n++] = (byte)']';
        _line[n++] = (byte)' ';
        Utf8Formatter.TryFormat((int)(fraction * 100), _line.AsSpan(n), out int w);
        n += w;
        _line[n++] = (byte)'%';
        _line[n++] = (byte)' ';
        Utf8Formatter.TryFormat(loopTime, _line.AsSpan(n), out w, new System.Buffers.StandardFormat('F', 3));
        n += w;
        _line[n++] = (byte)' ';
        _line[n++] = (byte)'s';
        if (!_interactive) _line[n++] = (byte)'\n';
        _stderr.Write(_line, 0, n);
    }

    /// <summary>Ends the bar's line.</summary>
    public void Finish()
    {
        if (_interactive) _stderr.Write("\n"u8);
        _stderr.Flush();
    }
}
