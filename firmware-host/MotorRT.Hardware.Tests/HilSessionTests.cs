using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MotorRT.Contracts;
using MotorRT.Hardware.Hil;

namespace MotorRT.Hardware.Tests;

/// <summary>
/// HIL session security: a session is bound to its client's endpoint and the server's random token; foreign,
/// malformed, replayed and out-of-range datagrams are dropped and counted and never change the trajectory. No test
/// here races the server thread: counters are read after the client has seen the answer that follows the datagrams
/// in question, and polled with a generous timeout.
/// </summary>
public class HilSessionTests
{
    private const int Ticks = 240;

    private static ConverterCommand Cmd(int k) => HilLinkTests.Cmd(k);

    /// <summary>A minimal lock-step client on the wire format, so the test controls every datagram it sends.</summary>
    private sealed class WireClient : IDisposable
    {
        private readonly byte[] _rx = new byte[HilProtocol.MaxPacket];
        private readonly byte[]? _key;

        public WireClient(int port, byte[]? key = null)
        {
            _key = key;
            Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Server = new IPEndPoint(IPAddress.Loopback, port);
        }

        public Socket Socket { get; }
        public IPEndPoint Server { get; }
        public uint Token { get; private set; }

        public byte[] Packet(HilPacketType type, uint session, long seq, in ConverterCommand? cmd = null, byte mode = 0)
        {
            var buf = new byte[HilProtocol.MaxPacket];
            int payload = 0;
            if (cmd is { } c)
            {
                HilProtocol.WriteCommand(buf, c);
                payload = HilProtocol.CommandSize;
            }
            else if (type == HilPacketType.Hello)
            {
                buf[HilProtocol.HeaderSize] = mode;
                payload = 1;
            }
            int n = HilProtocol.Seal(buf, type, session, seq, payload, _key);
            return buf[..n];
        }

        public void Send(byte[] packet) => Socket.SendTo(packet, Server);

        /// <summary>Waits (generously) for a packet matching <paramref name="accept"/>; skips everything else.</summary>
        public (HilPacketType Type, uint Session, long Seq, RawSensorFrame Frame) Await(Func<HilPacketType, uint, long, bool> accept, byte[]? resend = null)
        {
            var deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
            long lastSend = Stopwatch.GetTimestamp();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (resend is not null && Stopwatch.GetTimestamp() - lastSend > Stopwatch.Frequency / 5)
                {
                    Send(resend); // a lost datagram on a loaded machine: retransmit, as RemoteRig does
                    lastSend = Stopwatch.GetTimestamp();
                }
                if (!Socket.Poll(50_000, SelectMode.SelectRead)) continue;
                int n = Socket.Receive(_rx);
                if (!HilProtocol.TryOpen(_rx.AsSpan(0, n), _key, out HilPacketType t, out uint s, out long seq, out ReadOnlySpan<byte> payload)) continue;
                if (!accept(t, s, seq)) continue;
                var f = default(RawSensorFrame);
                if (t == HilPacketType.Frame) Assert.True(HilProtocol.TryReadFrame(payload, ref f));
                return (t, s, seq, f);
            }
            throw new TimeoutException("no answer from the plant server within 20 s");
        }

        public RawSensorFrame Hello()
        {
            const uint nonce = 0xC0FFEE;
            byte[] hello = Packet(HilPacketType.Hello, nonce, 0);
            Send(hello);
            var welcome = Await((t, _, seq) => t == HilPacketType.Welcome && seq == nonce, hello);
            Token = welcome.Session;
            return Await((t, s, seq) => t == HilPacketType.Frame && s == Token && seq == 0).Frame;
        }

        public RawSensorFrame Step(int k)
        {
            byte[] command = Packet(HilPacketType.Command, Token, k, Cmd(k));
            Send(command);
            return Await((t, s, seq) => t == HilPacketType.Frame && s == Token && seq == k + 1, command).Frame;
        }

        public void Dispose() => Socket.Dispose();
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    private static List<RawSensorFrame> CleanRun(byte[]? key = null)
    {
        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { Key = key });
        server.Start();
        using var client = new WireClient(server.Port, key);
        var frames = new List<RawSensorFrame> { client.Hello() };
        for (int k = 0; k < Ticks; k++) frames.Add(client.Step(k));
        return frames;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Malformed_replayed_and_foreign_datagrams_during_a_lock_step_session_change_nothing(bool withKey)
    {
        byte[]? key = withKey ? Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray() : null;
        List<RawSensorFrame> clean = CleanRun(key);

        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { Key = key });
        server.Start();
        using var client = new WireClient(server.Port, key);
        using var intruder = new WireClient(server.Port, key); // knows the key and (worst case) the token, but not the client's endpoint
        var rng = new Random(1234);
        var fuzzed = new List<RawSensorFrame> { client.Hello() };
        uint token = client.Token;
        Assert.NotEqual(0u, token);
        int foreign = 0, refused = 0, wrongToken = 0, outOfRange = 0, malformed = 0, stale = 0, duplicates = 0, describes = 0;
        var sent = new List<byte[]>();
        for (int k = 0; k < Ticks; k++)
        {
            switch (k % 9)
            {
                case 0:
                    var junk = new byte[rng.Next(0, 120)];
                    rng.NextBytes(junk);
                    (k % 2 == 0 ? intruder : client).Send(junk);
                    malformed++;
                    break;
                case 1:
                    intruder.Send(intruder.Packet(HilPacketType.Command, token, k, Cmd(1000 + k)));
                    intruder.Send(intruder.Packet(HilPacketType.Bye, token, k));
                    foreign += 2;
                    break;
                case 2:
                    intruder.Send(intruder.Packet(HilPacketType.Hello, 77, 0));
                    Assert.Equal(HilPacketType.Bye, intruder.Await((t, _, seq) => seq == 77).Type); // refused, told so
                    refused++;
                    break;
                case 3:
                    intruder.Send(intruder.Packet(HilPacketType.Describe, 99, 0));
                    Assert.Equal(HilPacketType.Welcome, intruder.Await((t, _, seq) => seq == 99).Type); // answered to the asker only
                    describes++;
                    break;
                case 4:
                    client.Send(client.Packet(HilPacketType.Command, token ^ 0x5A5A5A5Au, k, Cmd(2000 + k)));
                    client.Send(client.Packet(HilPacketType.Bye, token + 1, k));
                    wrongToken += 2;
                    break;
                case 5:
                    if (sent.Count > 5)
                    {
                        client.Send(sent[^5]); // replay of an old command: dropped, no step
                        client.Send(sent[^1]); // repeat of the last one: answered from the cache, no step
                        stale++;
                        duplicates++;
                    }
                    break;
                case 6:
                    client.Send(client.Packet(HilPacketType.Command, token, long.MaxValue, Cmd(3000)));
                    client.Send(client.Packet(HilPacketType.Command, token, -5, Cmd(3001)));
                    client.Send(client.Packet(HilPacketType.Command, token, k + HilProtocol.MaxSequenceStep + 1, Cmd(3002)));
                    outOfRange += 3;
                    break;
                case 7:
                    byte[] flipped = client.Packet(HilPacketType.Command, token, k, Cmd(4000 + k));
                    flipped[rng.Next(flipped.Length)] ^= (byte)(1 << rng.Next(8));
                    client.Send(flipped);
                    malformed++;
                    break;
                default:
                    intruder.Send(intruder.Packet(HilPacketType.Frame, token, k + 1)); // a frame sent to the server
                    malformed++;
                    break;
            }
            sent.Add(client.Packet(HilPacketType.Command, token, k, Cmd(k)));
            fuzzed.Add(client.Step(k));
        }

        Assert.Equal(clean.Count, fuzzed.Count);
        for (int i = 0; i < clean.Count; i++) Assert.True(clean[i].Equals(fuzzed[i]), $"frame {i} differs");
        // The counters are written by the server thread; every datagram above preceded an answered command, so they
        // are final by now — polled anyway, and bounded from below only where a datagram may be counted in two ways.
        WaitFor(() => server.CommandsApplied >= Ticks, "the commands applied");
        Assert.Equal(Ticks, server.CommandsApplied);
        WaitFor(() => server.ForeignPackets >= foreign, "foreign packets");
        WaitFor(() => server.RefusedHellos >= refused, "refused hellos");
        WaitFor(() => server.WrongSessionPackets >= wrongToken, "wrong-token packets");
        WaitFor(() => server.OutOfRangePackets >= outOfRange, "out-of-range packets");
        WaitFor(() => server.StaleCommands >= stale, "stale commands");
        WaitFor(() => server.BadPackets >= malformed, "malformed packets");
        WaitFor(() => server.DuplicateCommands >= duplicates, "duplicate commands"); // ≥: the client may also retransmit
        Assert.Equal(malformed, server.BadPackets);
        Assert.Equal(wrongToken, server.WrongSessionPackets);
        Assert.Equal(stale, server.StaleCommands);
        Assert.Equal(foreign, server.ForeignPackets);
        Assert.Equal(refused, server.RefusedHellos);
        Assert.Equal(outOfRange, server.OutOfRangePackets);
        Assert.Equal(0, server.Takeovers);
        Assert.Equal(1, server.Sessions);
        Assert.True(describes > 0);
    }

    [Fact]
    public void A_second_client_is_refused_while_the_first_is_live_and_may_take_over_after_the_timeout()
    {
        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { SessionTimeout = 0.3 });
        server.Start();
        using var first = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 2000 });
        first.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 20; k++)
        {
            Assert.Equal(RigIoStatus.Ok, first.Read(ref f));
            first.Write(Cmd(k));
        }
        using var second = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 2000 }); // Describe: allowed
        var e = Assert.Throws<IOException>(second.Open);
        Assert.Contains("another client", e.Message);
        for (int k = 20; k < 40; k++)
        {
            Assert.Equal(RigIoStatus.Ok, first.Read(ref f)); // the first session goes on
            first.Write(Cmd(k));
        }
        Assert.Equal(RigIoStatus.Ok, first.Read(ref f));
        Thread.Sleep(1000); // the first client falls silent for longer than the 0.3 s session timeout
        second.Open();
        Assert.Equal(RigIoStatus.Ok, second.Read(ref f));
        Assert.Equal(0, f.Sequence);
        WaitFor(() => server.Takeovers == 1, "the takeover");
        Assert.True(server.RefusedHellos >= 1);
    }

    [Fact]
    public void With_takeover_allowed_a_new_client_replaces_the_session_at_once()
    {
        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { AllowTakeover = true, SessionTimeout = 3600 });
        server.Start();
        using var first = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 2000 });
        first.Open();
        var f = default(RawSensorFrame);
        Assert.Equal(RigIoStatus.Ok, first.Read(ref f));
        first.Write(Cmd(0));
        using var second = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 2000 });
        second.Open();
        Assert.Equal(RigIoStatus.Ok, second.Read(ref f));
        WaitFor(() => server.Takeovers == 1, "the takeover");
    }

    [Fact]
    public void A_pre_shared_key_is_required_by_both_sides()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { Key = key });
        server.Start();
        Assert.Throws<IOException>(() => new RemoteRig(new RemoteRigOptions { Port = server.Port })); // no key: dropped, no answer
        byte[] wrong = (byte[])key.Clone();
        wrong[0] ^= 1;
        Assert.Throws<IOException>(() => new RemoteRig(new RemoteRigOptions { Port = server.Port, Key = wrong }));
        WaitFor(() => server.BadPackets > 0, "the unauthenticated packets");
        using var remote = new RemoteRig(new RemoteRigOptions { Port = server.Port, Key = key, TimeoutMs = 2000 });
        remote.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 50; k++)
        {
            Assert.Equal(RigIoStatus.Ok, remote.Read(ref f));
            remote.Write(Cmd(k));
        }
        Assert.Equal(0, remote.BadPackets);
    }

    [Fact]
    public void A_short_key_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { Key = new byte[8] }));
    }
}

public class HilKeyAllocationTests
{
    [Fact]
    public void With_a_pre_shared_key_lock_step_read_and_write_do_not_allocate()
    {
        byte[] key = Enumerable.Range(0, 32).Select(i => (byte)(3 * i + 1)).ToArray();
        using var server = new PlantServer(TestRigs.Rig(MachineKind.ThreePhase), 0, new PlantServerOptions { Key = key });
        server.Start();
        using var remote = new RemoteRig(new RemoteRigOptions { Port = server.Port, TimeoutMs = 1000, Key = key });
        remote.Open();
        var f = default(RawSensorFrame);
        for (int k = 0; k < 2000; k++) { remote.Read(ref f); remote.Write(HilLinkTests.Cmd(k)); }
        ConverterCommand c = HilLinkTests.Cmd(5000);
        long allocated = -1;
        for (int window = 0; window < 3 && allocated != 0; window++) // as Lock_step_read_and_write_do_not_allocate
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 10_000; k++) { remote.Read(ref f); remote.Write(c); }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, allocated);
    }
}
