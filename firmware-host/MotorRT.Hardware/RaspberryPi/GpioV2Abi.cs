using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MotorRT.Hardware.RaspberryPi;

/// <summary>
/// The Linux GPIO character-device ABI v2 (<c>include/uapi/linux/gpio.h</c>): constants and blittable mirrors of the
/// structs MotorRT uses. Sizes and offsets are those of the header (checked against a C compile of it on x86-64 and
/// asserted by the tests): <c>gpio_v2_line_request</c> 592 bytes, <c>gpio_v2_line_config</c> 272,
/// <c>gpio_v2_line_event</c> 48, <c>gpio_v2_line_values</c> 16. The structs use only fixed-width fields with
/// 8-byte alignment, so the layout is the same on arm64 and arm32 (the kernel's <c>__aligned_u64</c>).
/// </summary>
public static class GpioV2Abi
{
    /// <summary><c>GPIO_V2_LINES_MAX</c>: lines per request.</summary>
    public const int LinesMax = 64;

    /// <summary><c>GPIO_MAX_NAME_SIZE</c>: bytes of the consumer label.</summary>
    public const int MaxNameSize = 32;

    /// <summary><c>GPIO_V2_LINE_NUM_ATTRS_MAX</c>.</summary>
    public const int NumAttrsMax = 10;

    /// <summary>The kernel caps <c>event_buffer_size</c> at GPIO_V2_LINES_MAX × 16 events (gpiolib-cdev, linereq_create).</summary>
    public const int MaxEventBufferSize = LinesMax * 16;

    /// <summary>Size of one <c>gpio_v2_line_event</c> record as read() returns it, in bytes.</summary>
    public const int EventSize = 48;

    /// <summary><c>GPIO_V2_LINE_FLAG_INPUT</c>.</summary>
    public const ulong FlagInput = 1UL << 2;

    /// <summary><c>GPIO_V2_LINE_FLAG_EDGE_RISING</c>.</summary>
    public const ulong FlagEdgeRising = 1UL << 4;

    /// <summary><c>GPIO_V2_LINE_FLAG_EDGE_FALLING</c>.</summary>
    public const ulong FlagEdgeFalling = 1UL << 5;

    /// <summary><c>GPIO_V2_LINE_FLAG_BIAS_DISABLED</c>.</summary>
    public const ulong FlagBiasDisabled = 1UL << 10;

    /// <summary><c>GPIO_V2_LINE_EVENT_RISING_EDGE</c> (event id).</summary>
    public const uint EventRisingEdge = 1;

    /// <summary><c>GPIO_V2_LINE_EVENT_FALLING_EDGE</c> (event id).</summary>
    public const uint EventFallingEdge = 2;

    /// <summary><c>GPIO_V2_GET_LINE_IOCTL</c> = _IOWR(0xB4, 0x07, struct gpio_v2_line_request).</summary>
    public const uint GetLineIoctl = 0xC250B407;

    /// <summary><c>GPIO_V2_LINE_GET_VALUES_IOCTL</c> = _IOWR(0xB4, 0x0E, struct gpio_v2_line_values).</summary>
    public const uint GetValuesIoctl = 0xC010B40E;
}

/// <summary><c>struct gpio_v2_line_event</c> (48 bytes): one edge as the kernel reports it.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineEvent
{
    /// <summary>Time of the edge, in ns (CLOCK_MONOTONIC unless the request asks for another clock).</summary>
    public ulong TimestampNs;

    /// <summary><see cref="GpioV2Abi.EventRisingEdge"/> or <see cref="GpioV2Abi.EventFallingEdge"/>.</summary>
    public uint Id;

    /// <summary>Line offset on the chip (the BCM number on the Pi's pin controller).</summary>
    public uint Offset;

    /// <summary>Sequence number of this event among all lines of the request (1, 2, …).</summary>
    public uint Seqno;

    /// <summary>Sequence number of this event on its line (1, 2, …).</summary>
    public uint LineSeqno;

    /// <summary>Reserved.</summary>
    public GpioV2U32x6 Padding;
}

/// <summary><c>struct gpio_v2_line_values</c> (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineValues
{
    /// <summary>Bit i = level of the request's line i (1 = active).</summary>
    public ulong Bits;

    /// <summary>Bit i set = line i is asked for.</summary>
    public ulong Mask;
}

/// <summary><c>struct gpio_v2_line_attribute</c> (16 bytes; the union as its 64-bit member).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineAttribute
{
    /// <summary>GPIO_V2_LINE_ATTR_ID_*.</summary>
    public uint Id;

    /// <summary>Reserved.</summary>
    public uint Padding;

    /// <summary>flags, values or debounce_period_us (low 32 bits).</summary>
    public ulong Value;
}

/// <summary><c>struct gpio_v2_line_config_attribute</c> (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineConfigAttribute
{
    /// <summary>The attribute.</summary>
    public GpioV2LineAttribute Attr;

    /// <summary>Lines of the request it applies to.</summary>
    public ulong Mask;
}

/// <summary><c>struct gpio_v2_line_config</c> (272 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineConfig
{
    /// <summary>GPIO_V2_LINE_FLAG_* for every line without an attribute that overrides them.</summary>
    public ulong Flags;

    /// <summary>Attributes used.</summary>
    public uint NumAttrs;

    /// <summary>Reserved.</summary>
    public GpioV2U32x5 Padding;

    /// <summary>Per-line attributes.</summary>
    public GpioV2ConfigAttributes Attrs;
}

/// <summary><c>struct gpio_v2_line_request</c> (592 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct GpioV2LineRequest
{
    /// <summary>Line offsets on the chip.</summary>
    public GpioV2U32x64 Offsets;

    /// <summary>Consumer label, NUL-terminated.</summary>
    public GpioV2Name Consumer;

    /// <summary>Line configuration.</summary>
    public GpioV2LineConfig Config;

    /// <summary>Lines in <see cref="Offsets"/>.</summary>
    public uint NumLines;

    /// <summary>Suggested kernel event buffer, in events (0 = 16 per line; capped at 1024).</summary>
    public uint EventBufferSize;

    /// <summary>Reserved.</summary>
    public GpioV2U32x5 Padding;

    /// <summary>Set by the kernel: the line request's file descriptor.</summary>
    public int Fd;
}

/// <summary>Inline array of 5 <see cref="uint"/>.</summary>
[InlineArray(5)]
public struct GpioV2U32x5
{
    private uint _element;
}

/// <summary>Inline array of 6 <see cref="uint"/>.</summary>
[InlineArray(6)]
public struct GpioV2U32x6
{
    private uint _element;
}

/// <summary>Inline array of 64 <see cref="uint"/>.</summary>
[InlineArray(GpioV2Abi.LinesMax)]
public struct GpioV2U32x64
{
    private uint _element;
}

/// <summary>Inline array of 32 bytes (a name).</summary>
[InlineArray(GpioV2Abi.MaxNameSize)]
public struct GpioV2Name
{
    private byte _element;
}

/// <summary>Inline array of 10 <see cref="GpioV2LineConfigAttribute"/>.</summary>
[InlineArray(GpioV2Abi.NumAttrsMax)]
public struct GpioV2ConfigAttributes
{
    private GpioV2LineConfigAttribute _element;
}
