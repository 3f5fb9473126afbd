using System.Runtime.InteropServices;

namespace MotorRT.Hardware.Can;

/// <summary>
/// <see cref="ICanTransport"/> over a Linux socket by P/Invoke: a SocketCAN raw socket (<c>AF_CAN</c>,
/// <c>SOCK_RAW</c>, <c>CAN_RAW</c>) bound to an interface such as <c>can0</c> or <c>vcan0</c>, or one end of a
/// <c>socketpair(AF_UNIX, SOCK_SEQPACKET)</c> (<see cref="CreatePair"/>) carrying the same 16-byte frames, so tests run
/// the rig's code where <c>vcan</c> cannot be created. <c>send</c>/<c>recv</c> with <c>MSG_DONTWAIT</c> into the
/// caller's struct: one syscall per frame, no allocation. (Iot.Device.SocketCan is not used: its
/// <c>TryReadFrame</c> takes a managed array per call and it has no socket-pair mode.)
/// </summary>
public sealed partial class SocketCanTransport : ICanFdTransport
{
    private const int AfUnix = 1;
    private const int AfCan = 29;
    private const int SockRaw = 3;
    private const int SockSeqPacket = 5;
    private const int CanRaw = 1;
    private const int SolCanRaw = 101;
    private const int CanRawErrFilter = 2;
    private const int CanRawFdFrames = 5;
    private const int MsgDontWait = 0x40;
    private const int Eagain = 11;
    private const ulong SiocGIfIndex = 0x8933;
    private const int FrameSize = 16;
    private const int FdFrameSize = 72;

    private int _fd;
    private int _lastError;

    private SocketCanTransport(int fd, string name)
    {
        _fd = fd;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int LastError => _lastError;

    /// <summary>
    /// Opens a raw CAN socket on <paramref name="interfaceName"/> (e.g. <c>can0</c>), receiving every frame and the
    /// controller's error frames (bus-off, error passive). With <paramref name="canFd"/> the socket also carries CAN-FD
    /// frames (<c>CAN_RAW_FD_FRAMES</c>; read them with <see cref="TryReceiveFd"/>), which needs an FD-capable
    /// interface (<c>ip link set can0 up type can bitrate 1000000 dbitrate 5000000 fd on</c>). Throws
    /// <see cref="IOException"/> naming the errno.
    /// </summary>
    public static SocketCanTransport Open(string interfaceName, bool canFd = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        if (interfaceName.Length > 15) throw new ArgumentException("interface names have at most 15 characters", nameof(interfaceName));
        int fd = socket(AfCan, SockRaw, CanRaw);
        if (fd < 0) throw Fail("socket(AF_CAN)", interfaceName);
        unsafe
        {
            byte* ifr = stackalloc byte[40];
            new Span<byte>(ifr, 40).Clear();
            for (int i = 0; i < interfaceName.Length; i++) ifr[i] = (byte)interfaceName[i];
            if (ioctl(fd, SiocGIfIndex, ifr) < 0)
            {
                var e = Fail("ioctl(SIOCGIFINDEX)", interfaceName);
                close(fd);
                throw e;
            }
            int index = *(int*)(ifr + 16);
            byte* addr = stackalloc byte[24];
            new Span<byte>(addr, 24).Clear();
            *(ushort*)addr = AfCan;
            *(int*)(addr + 4) = index;
            if (bind(fd, addr, 24) < 0)
            {
                var e = Fail("bind", interfaceName);
                close(fd);
                throw e;
            }
            uint errMask = 0x1FFF_FFFF; // CAN_ERR_MASK: every error class
            setsockopt(fd, SolCanRaw, CanRawErrFilter, &errMask, 4);
            int one = 1;
            if (canFd && setsockopt(fd, SolCanRaw, CanRawFdFrames, &one, 4) < 0)
            {
                var e = Fail("setsockopt(CAN_RAW_FD_FRAMES)", interfaceName);
                close(fd);
                throw e;
            }
        }
        return new SocketCanTransport(fd, interfaceName);
    }

    /// <summary>Two connected in-process ends (<c>socketpair(AF_UNIX, SOCK_SEQPACKET)</c>): what one sends, the other receives.</summary>
    public static (SocketCanTransport A, SocketCanTransport B) CreatePair()
    {
        unsafe
        {
            int* fds = stackalloc int[2];
            if (socketpair(AfUnix, SockSeqPacket, 0, fds) < 0) throw Fail("socketpair(AF_UNIX, SOCK_SEQPACKET)", "socketpair");
            return (new SocketCanTransport(fds[0], "socketpair"), new SocketCanTransport(fds[1], "socketpair"));
        }
    }

    /// <inheritdoc />
    public bool TrySend(in CanFrame frame)
    {
        unsafe
        {
            CanFrame copy = frame;
            return Send(&copy, FrameSize);
        }
    }

    /// <inheritdoc />
    public bool TryReceive(out CanFrame frame)
    {
        frame = default;
        unsafe
        {
            fixed (CanFrame* p = &frame)
            {
                return Receive(p, FrameSize) == FrameSize;
            }
        }
    }

    /// <inheritdoc />
    public bool TrySendFd(in CanFdFrame frame)
    {
        unsafe
        {
            CanFdFrame copy = frame;
            copy.Flags &= CanFdFrame.BitRateSwitch | CanFdFrame.ErrorStateIndicator; // the kernel sets FDF itself
            return Send(&copy, FdFrameSize);
        }
    }

    /// <inheritdoc />
    public bool TryReceiveFd(out CanFdFrame frame)
    {
        frame = default;
        unsafe
        {
            fixed (CanFdFrame* p = &frame)
            {
                switch (Receive(p, FdFrameSize))
                {
                    case FdFrameSize:
                        p->Flags |= CanFdFrame.FdFormat;
                        return true;
                    case FrameSize:
                        // A classic frame: the header is the same; its pad byte is not a flag.
                        p->Flags = 0;
                        return true;
                    default:
                        return false;
                }
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) close(fd);
    }

    /// <summary>
    /// Sends the <paramref name="size"/> bytes at <paramref name="frame"/> without blocking; true when all went out.
    /// <see cref="LastError"/>: 0 then, else errno (9 EBADF once disposed, 5 EIO for a short send).
    /// </summary>
    private unsafe bool Send(void* frame, int size)
    {
        int fd = _fd;
        if (fd < 0) { _lastError = 9; return false; }
        nint n = send(fd, frame, size, MsgDontWait);
        if (n == size) { _lastError = 0; return true; }
        _lastError = n < 0 ? Marshal.GetLastPInvokeError() : 5;
        return false;
    }

    /// <summary>
    /// Receives one datagram of at most <paramref name="size"/> bytes into <paramref name="frame"/> without blocking;
    /// returns its size in bytes, or −1 when none was read. <see cref="LastError"/>: 0 when a datagram arrived or none
    /// was waiting (EAGAIN), else errno (9 EBADF once disposed).
    /// </summary>
    private unsafe nint Receive(void* frame, int size)
    {
        int fd = _fd;
        if (fd < 0) { _lastError = 9; return -1; }
        nint n = recv(fd, frame, size, MsgDontWait);
        int e = n < 0 ? Marshal.GetLastPInvokeError() : 0;
        _lastError = e == Eagain ? 0 : e;
        return n;
    }

    private static IOException Fail(string call, string name)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} on {name} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int ioctl(int fd, ulong request, void* arg);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int bind(int fd, void* addr, int len);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int setsockopt(int fd, int level, int name, void* value, int len);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint send(int fd, void* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint recv(int fd, void* buf, nint len, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
