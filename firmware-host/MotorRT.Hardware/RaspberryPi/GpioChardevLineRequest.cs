using System.Runtime.InteropServices;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// A GPIO v2 line request on a real <c>/dev/gpiochipN</c>: open the chip, GPIO_V2_GET_LINE_IOCTL with the lines as
/// inputs with edge detection on both edges, then the request's descriptor is set O_NONBLOCK and read with plain
/// read() calls into the caller's buffer (no allocation, no thread). The chip descriptor is closed once the request
/// exists (the request keeps its own).
/// </summary>
public sealed partial class GpioChardevLineRequest : IGpioLineEventSource
{
    private const int ORdOnly = 0, OCloExec = 0x80000, ONonBlock = 0x800, FGetFl = 3, FSetFl = 4, EAgain = 11, EIntr = 4;

    private readonly string _chipPath;
    private int _fd = -1;
    private int _lines;

    /// <summary>The request will be made on <paramref name="chipPath"/> (e.g. <c>/dev/gpiochip0</c>).</summary>
    public GpioChardevLineRequest(string chipPath) => _chipPath = chipPath;

    /// <summary>The request's file descriptor (−1 before <see cref="Request"/>).</summary>
    public int Fd => _fd;

    /// <inheritdoc />
    public unsafe void Request(ReadOnlySpan<int> offsets, int eventBufferSize)
    {
        if (_fd >= 0)
        {
            throw new InvalidOperationException("lines already requested");
        }
        if (offsets.Length is 0 or > GpioV2Abi.LinesMax)
        {
            throw new ArgumentOutOfRangeException(nameof(offsets), offsets.Length, "1 to 64 lines per request");
        }
        if (!File.Exists(_chipPath))
        {
            throw new IOException($"GPIO chip {_chipPath} not found: use rig.gpio.chip of an existing /dev/gpiochipN (ls /dev/gpiochip*)");
        }
        int chip = open(_chipPath, ORdOnly | OCloExec);
        if (chip < 0)
        {
            throw Fail("open", _chipPath);
        }
        try
        {
            var req = default(GpioV2LineRequest);
            for (int i = 0; i < offsets.Length; i++)
            {
                req.Offsets[i] = (uint)offsets[i];
            }
            ReadOnlySpan<byte> consumer = "motorrt-encoder"u8;
            for (int i = 0; i < consumer.Length; i++)
            {
                req.Consumer[i] = consumer[i];
            }
            req.Config.Flags = GpioV2Abi.FlagInput | GpioV2Abi.FlagEdgeRising | GpioV2Abi.FlagEdgeFalling;
            req.NumLines = (uint)offsets.Length;
            req.EventBufferSize = (uint)Math.Clamp(eventBufferSize, 0, GpioV2Abi.MaxEventBufferSize);
            if (ioctl(chip, GpioV2Abi.GetLineIoctl, &req) < 0)
            {
                throw Fail("GPIO_V2_GET_LINE_IOCTL", _chipPath);
            }
            int fd = req.Fd;
            int fl = fcntl(fd, FGetFl, 0);
            if (fl < 0 || fcntl(fd, FSetFl, fl | ONonBlock) < 0)
            {
                IOException e = Fail("fcntl(O_NONBLOCK)", _chipPath);
                close(fd);
                throw e;
            }
            _fd = fd;
            _lines = offsets.Length;
        }
        finally
        {
            close(chip);
        }
    }

    /// <inheritdoc />
    public unsafe ulong ReadValues()
    {
        var v = new GpioV2LineValues { Mask = _lines == 64 ? ulong.MaxValue : (1UL << _lines) - 1 };
        if (ioctl(_fd, GpioV2Abi.GetValuesIoctl, &v) < 0)
        {
            throw Fail("GPIO_V2_LINE_GET_VALUES_IOCTL", _chipPath);
        }
        return v.Bits;
    }

    /// <inheritdoc />
    public unsafe int Read(Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = read(_fd, p, buffer.Length);
            }
            if (n >= 0)
            {
                return (int)n;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno == EAgain)
            {
                return 0;
            }
            if (errno != EIntr)
            {
                throw new IOException($"read of GPIO line events on {_chipPath} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            close(fd);
        }
    }

    private static IOException Fail(string call, string name)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} on {name} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}); the user needs the gpio group (or root) and the lines must be free");
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int ioctl(int fd, nuint request, void* arg);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
