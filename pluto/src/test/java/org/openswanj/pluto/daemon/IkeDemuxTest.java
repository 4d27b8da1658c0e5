package org.openswanj.pluto.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openswanj.pluto.net.IkeTransport;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeMessage;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;

/** The major version picks the engine; any other version is dropped, and only an IKE_SA_INIT request answered. */
class IkeDemuxTest {
  private static final InetSocketAddress US = new InetSocketAddress("192.1.2.23", 500);
  private static final InetSocketAddress PEER = new InetSocketAddress("192.1.2.45", 500);

  private final List<String> routed = new ArrayList<>();
  private final List<byte[]> sent = new ArrayList<>();
  private final IkeDemux demux = new IkeDemux(new ManualEventLoop(Instant.EPOCH), new IkeTransport() {
    @Override
    public void send(InetSocketAddress local, InetSocketAddress remote, byte[] m) {
      sent.add(m);
    }

    @Override
    public void sendNatKeepalive(InetSocketAddress local, InetSocketAddress remote) {
      sent.add(new byte[] {(byte) 0xff});
    }
  }, (l, r, m) -> routed.add("v1"), (l, r, m) -> routed.add("v2"));

  /** A bare 28-byte header (RFC 7296 §3.1) with this version byte, exchange type and flags. */
  private static byte[] header(int version, int exchange, int flags) {
    return ByteBuffer.allocate(28).putLong(0x0102030405060708L).putLong(0).put((byte) 0).put((byte) version)
        .put((byte) exchange).put((byte) flags).putInt(0).putInt(28).array();
  }

  @Test
  void ikev1AndIkev2GoToTheirOwnEngines() {
    demux.onIkePacket(US, PEER, header(0x10, 2, 0)); // ISAKMP 1.0, Main Mode
    demux.onIkePacket(US, PEER, header(0x20, 34, 0x08)); // IKEv2 IKE_SA_INIT request
    assertEquals(List.of("v1", "v2"), routed);
    assertTrue(sent.isEmpty());
  }

  @Test
  void anIkeSaInitOfAnotherMajorVersionGetsInvalidMajorVersion() throws Exception {
    demux.onIkePacket(US, PEER, header(0x30, 34, 0x08));
    assertTrue(routed.isEmpty());
    assertEquals(1, sent.size());
    IkeMessage answer = IkeCodec.decode(sent.get(0));
    assertEquals(2, answer.header().majorVersion(), "answered in the highest version we speak");
    assertEquals(ExchangeType.IKE_SA_INIT, answer.header().exchange());
    assertTrue(answer.header().response());
    assertEquals(0x0102030405060708L, answer.header().initiatorSpi());
    assertEquals(NotifyType.INVALID_MAJOR_VERSION,
        answer.first(NotifyPayload.class).orElseThrow().type());
  }

  @Test
  void otherMessagesOfAnotherVersionAreDroppedSilently() {
    demux.onIkePacket(US, PEER, header(0x30, 34, 0x20)); // a response
    demux.onIkePacket(US, PEER, header(0x30, 37, 0x08)); // INFORMATIONAL
    demux.onIkePacket(US, PEER, header(0x00, 34, 0x08)); // version 0
    demux.onIkePacket(US, PEER, new byte[] {1, 2, 3}); // not even a header
    assertTrue(routed.isEmpty());
    assertEquals(1, sent.size(), "version 0 is not ours either: only its IKE_SA_INIT request is answered");
  }
}
