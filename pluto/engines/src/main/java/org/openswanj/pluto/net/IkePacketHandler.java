package org.openswanj.pluto.net;

import java.net.InetSocketAddress;

/** Receives IKE messages (marker already removed). Called on the event loop. */
@FunctionalInterface
public interface IkePacketHandler {
  void onIkePacket(InetSocketAddress local, InetSocketAddress remote, byte[] message);
}
