package org.openswanj.pluto.daemon;

import java.net.InetSocketAddress;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.openswanj.pluto.engine.EngineMetrics;
import org.openswanj.pluto.engine.EventLoop;
import org.openswanj.pluto.ike.wire.ExchangeType;
import org.openswanj.pluto.ike.wire.IkeCodec;
import org.openswanj.pluto.ike.wire.IkeHeader;
import org.openswanj.pluto.ike.wire.IkeProtocolException;
import org.openswanj.pluto.ike.wire.NotifyPayload;
import org.openswanj.pluto.ike.wire.NotifyType;
import org.openswanj.pluto.net.IkePacketHandler;
import org.openswanj.pluto.net.IkeTransport;

/**
 * The one door for IKE datagrams: the sockets (or the in-memory network) hand every message here, on the
 * event loop, and the header's major version picks the engine. Neither engine sees the other's messages.
 */
public final class IkeDemux implements IkePacketHandler {
  /** Dropped messages: default level, rate-limited by the logging setup. */
  private static final Logger DROPPED = LogManager.getLogger("pluto.dropped");
  private final EventLoop loop;
  private final IkeTransport transport;
  private final IkePacketHandler ikev1;
  private final IkePacketHandler ikev2;
  private final EngineMetrics metrics;

  public IkeDemux(EventLoop loop, IkeTransport transport, IkePacketHandler ikev1, IkePacketHandler ikev2) {
    this(loop, transport, ikev1, ikev2, EngineMetrics.NONE);
  }

  /** {@code metrics} counts the datagrams dropped here (malformed header, unknown major version). */
  public IkeDemux(EventLoop loop, IkeTransport transport, IkePacketHandler ikev1, IkePacketHandler ikev2,
      EngineMetrics metrics) {
    this.metrics = metrics;
    this.loop = loop;
    this.transport = transport;
    this.ikev1 = ikev1;
    this.ikev2 = ikev2;
  }

  @Override
  public void onIkePacket(InetSocketAddress local, InetSocketAddress remote, byte[] message) {
    loop.assertInLoop();
    IkeHeader h;
    try {
      h = IkeCodec.decodeHeader(message);
    } catch (IkeProtocolException e) {
      metrics.dropped(EngineMetrics.Drop.MALFORMED);
      DROPPED.info("dropping malformed packet from {}: {}", remote, e.getMessage());
      return;
    }
    switch (h.majorVersion()) {
      case 1 -> ikev1.onIkePacket(local, remote, message);
      case 2 -> ikev2.onIkePacket(local, remote, message);
      default -> wrongVersion(local, remote, h);
    }
  }

  /**
   * RFC 7296 §2.5: a message of a major version we do not speak is dropped; an IKE_SA_INIT request is answered,
   * unauthenticated, with INVALID_MAJOR_VERSION in a 2.0 header (the highest version we support). Nothing else
   * is answered, so a forged packet cannot make us reflect traffic at will.
   */
  private void wrongVersion(InetSocketAddress local, InetSocketAddress remote, IkeHeader h) {
    boolean answer = h.exchange() == ExchangeType.IKE_SA_INIT && !h.response();
    metrics.dropped(EngineMetrics.Drop.UNSUPPORTED_VERSION);
    DROPPED.info("dropping IKE major version {} packet from {}{}", h.majorVersion(), remote,
        answer ? ": answering INVALID_MAJOR_VERSION" : "");
    if (answer) {
      IkeHeader reply = IkeHeader.v2(h.initiatorSpi(), 0, ExchangeType.IKE_SA_INIT, false, true, h.messageId());
      transport.send(local, remote,
          IkeCodec.encode(reply, List.of(new NotifyPayload(NotifyType.INVALID_MAJOR_VERSION, new byte[0]))));
    }
  }
}
